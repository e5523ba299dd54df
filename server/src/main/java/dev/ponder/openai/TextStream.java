package dev.ponder.openai;

import dev.ponder.reason.ReasonEvent;

/**
 * The best chain's text as OpenAI streams text: deltas that only append. When the search moves to another
 * branch, {@link #BRANCH_MARK} introduces the new branch's text. Text from a stop sequence on is never sent;
 * while the text grows, its last characters are held back if they could begin a stop sequence.
 */
final class TextStream {

    static final String BRANCH_MARK = "\n\n[the search moved to a better branch]\n\n";

    private final StopSequences stop;
    private String branch = "";
    private int sent;
    private boolean anySent;
    private boolean markPending;

    TextStream(StopSequences stop) {
        this.stop = stop;
    }

    /** The delta a token event adds, or null. */
    String token(ReasonEvent.Token t) {
        if (t.reset()) {
            branch = t.text();
            sent = 0;
            markPending = anySent;
        } else {
            branch = branch + t.text();
        }
        String visible = stop.cut(branch);
        if (visible.length() == branch.length()) {
            visible = visible.substring(0, Math.max(sent, visible.length() - stop.holdBack()));
        }
        return emit(visible);
    }

    /** The delta that completes the stream with the reply's final text (already cut at its stop sequence), or null. */
    String finish(String text) {
        if (!text.startsWith(branch.substring(0, sent))) {
            sent = 0;
            markPending = anySent;
        }
        return emit(text);
    }

    private String emit(String visible) {
        if (visible.length() <= sent) {
            return null;
        }
        String delta = (markPending ? BRANCH_MARK : "") + visible.substring(sent);
        markPending = false;
        anySent = true;
        branch = branch.length() >= visible.length() && branch.startsWith(visible) ? branch : visible;
        sent = visible.length();
        return delta;
    }
}
