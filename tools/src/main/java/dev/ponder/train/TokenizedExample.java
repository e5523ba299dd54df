package dev.ponder.train;

import dev.ponder.tasks.Example;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.TaskExample;
import java.util.Arrays;

/**
 * One training sequence: token ids and the index of the first token the loss is taken on (everything the
 * model must produce: the assistant chain and its {@code <|im_end|>}, or the self-check's reasoning, if any, and verdict).
 */
public record TokenizedExample(int[] tokens, int lossFrom) {

    /** The prompt part (no loss) and the target part (loss) of a task example as text. */
    public static String[] render(TaskExample item) {
        if (item instanceof Example e) {
            return new String[] {ChatFormat.prompt(e.user()), e.assistant() + ChatFormat.IM_END};
        }
        SelfCheckExample s = (SelfCheckExample) item;
        return new String[] {ChatFormat.prompt(s.user()) + s.chainSoFar() + ChatFormat.SELF_CHECK_SUFFIX,
                s.reasoning() + s.answer() + ChatFormat.IM_END};
    }

    public static TokenizedExample of(TaskExample item, CharTokenizer tok) {
        String[] parts = render(item);
        int[] prompt = tok.encode(parts[0]);
        int[] target = tok.encode(parts[1]);
        int[] all = new int[prompt.length + target.length];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(target, 0, all, prompt.length, target.length);
        return new TokenizedExample(all, prompt.length);
    }

    /** Tokens the model reads: all but the last. */
    public int[] inputs() {
        return Arrays.copyOf(tokens, tokens.length - 1);
    }

    /** Positions (in {@link #inputs}) whose next token is scored. */
    public int lossPositions() {
        return tokens.length - lossFrom;
    }
}
