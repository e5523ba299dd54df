package dev.ponder.model.tokenizer;

/**
 * UTF-8 decoding with SentencePiece's error rule ({@code string_util::DecodeUTF8}): a structurally
 * invalid, overlong, surrogate or out-of-range sequence consumes exactly one byte and becomes U+FFFD, so a
 * truncated 3-byte character yields two replacement characters, not one as {@code new String(bytes, UTF_8)}
 * would give.
 */
final class Utf8 {
    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    static void decode(byte[] bytes, int from, int to, StringBuilder out) {
        int i = from;
        while (i < to) {
            int len = validLength(bytes, i, to);
            if (len == 0) {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int cp = codePoint(bytes, i, len);
            out.appendCodePoint(cp);
            i += len;
        }
    }

    /** Length (1..4) of the well-formed UTF-8 sequence starting at {@code i}, or 0 if the byte there is invalid. */
    static int validLength(byte[] b, int i, int to) {
        int b0 = b[i] & 0xFF;
        int avail = to - i;
        if (b0 < 0x80) {
            return 1;
        }
        if (avail >= 2 && (b0 & 0xE0) == 0xC0) {
            int cp = codePoint(b, i, 2);
            return trail(b[i + 1]) && cp >= 0x80 ? 2 : 0;
        }
        if (avail >= 3 && (b0 & 0xF0) == 0xE0) {
            int cp = codePoint(b, i, 3);
            return trail(b[i + 1]) && trail(b[i + 2]) && cp >= 0x800 && validCodePoint(cp) ? 3 : 0;
        }
        if (avail >= 4 && (b0 & 0xF8) == 0xF0) {
            int cp = codePoint(b, i, 4);
            return trail(b[i + 1]) && trail(b[i + 2]) && trail(b[i + 3]) && cp >= 0x10000 && validCodePoint(cp) ? 4 : 0;
        }
        return 0;
    }

    private static int codePoint(byte[] b, int i, int len) {
        return switch (len) {
            case 1 -> b[i] & 0x7F;
            case 2 -> (b[i] & 0x1F) << 6 | (b[i + 1] & 0x3F);
            case 3 -> (b[i] & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
            default -> (b[i] & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | (b[i + 3] & 0x3F);
        };
    }

    private static boolean trail(byte x) {
        return (x & 0xC0) == 0x80;
    }

    private static boolean validCodePoint(int cp) {
        return cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
    }
}
