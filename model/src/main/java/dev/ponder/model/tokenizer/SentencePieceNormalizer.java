package dev.ponder.model.tokenizer;

/**
 * SentencePiece's {@code Normalizer::Normalize} for models without a precompiled character map (the
 * "identity" rule Llama-family tokenizers use): optional removal of extra ASCII spaces, the dummy-prefix
 * space, and escaping of {@code ' '} as {@code '▁'} (U+2581). Lone UTF-16 surrogates become U+FFFD, as
 * malformed UTF-8 does in the library. User-defined symbols are copied as they are.
 */
final class SentencePieceNormalizer {
    static final char SPACE_SYMBOL = '\u2581';

    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;
    private final boolean treatWhitespaceAsSuffix;
    private final PrefixTrie userDefined;

    SentencePieceNormalizer(SentencePieceModel model, PrefixTrie userDefined) {
        this.addDummyPrefix = model.addDummyPrefix();
        this.removeExtraWhitespaces = model.removeExtraWhitespaces();
        this.escapeWhitespaces = model.escapeWhitespaces();
        this.treatWhitespaceAsSuffix = model.treatWhitespaceAsSuffix();
        this.userDefined = userDefined;
    }

    String normalize(String input) {
        if (input.isEmpty()) {
            return "";
        }
        int i = 0;
        // 1. drop leading spaces when remove_extra_whitespaces is set
        if (removeExtraWhitespaces) {
            while (i < input.length() && prefixLength(input, i) == 1 && input.charAt(i) == ' ') {
                i++;
            }
            if (i == input.length()) {
                return "";
            }
        }
        StringBuilder out = new StringBuilder(input.length() + 4);
        // 2. the dummy prefix makes the first word look like every other word ("▁hello")
        if (!treatWhitespaceAsSuffix && addDummyPrefix) {
            appendSpace(out);
        }
        // 3. copy character by character (or user-defined symbol), collapsing repeated spaces if asked
        boolean prevSpace = removeExtraWhitespaces;
        while (i < input.length()) {
            int len = prefixLength(input, i);
            String unit = unitAt(input, i, len);
            if (prevSpace) {
                int k = 0;
                while (k < unit.length() && unit.charAt(k) == ' ') {
                    k++;
                }
                unit = unit.substring(k);
            }
            if (!unit.isEmpty()) {
                for (int k = 0; k < unit.length(); k++) {
                    char c = unit.charAt(k);
                    if (c == ' ') {
                        appendSpace(out);
                    } else {
                        out.append(c);
                    }
                }
                prevSpace = unit.charAt(unit.length() - 1) == ' ';
            }
            i += len;
            if (!removeExtraWhitespaces) {
                prevSpace = false;
            }
        }
        // 4. drop trailing spaces when remove_extra_whitespaces is set
        if (removeExtraWhitespaces) {
            char space = escapeWhitespaces ? SPACE_SYMBOL : ' ';
            while (out.length() > 0 && out.charAt(out.length() - 1) == space) {
                out.setLength(out.length() - 1);
            }
        }
        if (treatWhitespaceAsSuffix && addDummyPrefix) {
            appendSpace(out);
        }
        return out.toString();
    }

    private void appendSpace(StringBuilder out) {
        out.append(escapeWhitespaces ? SPACE_SYMBOL : ' ');
    }

    /** Chars consumed by one normalization unit at {@code i}: a user-defined symbol or one code point. */
    private int prefixLength(String s, int i) {
        int ud = userDefined.longestMatch(s, i);
        if (ud > 0) {
            return ud;
        }
        return Character.charCount(s.codePointAt(i));
    }

    private static String unitAt(String s, int i, int len) {
        if (len == 1 && Character.isSurrogate(s.charAt(i))) {
            return "\uFFFD";
        }
        return s.substring(i, i + len);
    }
}
