package dev.ponder.search;

/** Final answers in {@code \boxed{...}} form, as math reasoning models state them. */
public final class Answers {

    private static final String BOXED = "\\boxed{";

    private Answers() {
    }

    /**
     * The content of the last top-level {@code \boxed{...}} in {@code text}, with nested braces
     * handled (escaped braces {@code \{ \}} do not count), trimmed; null when there is none or the last
     * one is never closed.
     */
    public static String lastBoxed(String text) {
        if (text == null) {
            return null;
        }
        String found = null;
        int from = 0;
        while (true) {
            int start = text.indexOf(BOXED, from);
            if (start < 0) {
                return found;
            }
            int open = start + BOXED.length();
            int close = matchingBrace(text, open);
            if (close < 0) {
                // An unclosed box (e.g. a step cut at its token limit) states nothing.
                return found;
            }
            found = text.substring(open, close).trim();
            // Continue after this box so a box nested inside it is not taken for a later one.
            from = close + 1;
        }
    }

    /** Index of the '}' closing a group whose content starts at {@code from}, or -1. */
    private static int matchingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                i++; // skip the escaped character, e.g. \{ or \}
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A light normal form so that votes count equal answers together: whitespace, surrounding
     * {@code $}, {@code \left}/{@code \right}, a trailing period and {@code \dfrac}/{@code \tfrac}
     * spellings are ignored. Null stays null.
     */
    public static String normalize(String answer) {
        return light(answer);
    }

    /**
     * What votes compare: an arithmetic expression's {@link ArithmeticForm} (the same expression in another order is
     * the same answer), else the {@link #normalize light normal form}. Null stays null.
     */
    public static String voteKey(String answer) {
        if (answer == null) {
            return null;
        }
        String light = light(answer);
        return ArithmeticForm.of(light).map(f -> "=" + f).orElse(light);
    }

    private static String light(String answer) {
        if (answer == null) {
            return null;
        }
        String a = answer.replaceAll("\\s+", "")
                .replaceAll("\\\\(left|right)(?![a-zA-Z])", "")
                .replace("\\dfrac", "\\frac")
                .replace("\\tfrac", "\\frac")
                .replace("\\!", "");
        while (a.startsWith("$") && a.endsWith("$") && a.length() >= 2) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.endsWith(".")) {
            a = a.substring(0, a.length() - 1);
        }
        return a;
    }
}
