package dev.ponder.model.tokenizer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits text on the literal strings of added tokens the way Hugging Face slow tokenizers do
 * ({@code PreTrainedTokenizer.tokenize}): leftmost, longest match first; then {@code rstrip}/{@code lstrip}
 * eat whitespace next to a match and {@code single_word} tokens glued to other text fall back to plain text.
 */
final class AddedTokenSplitter {
    /** One piece of the input: plain text ({@code token == null}) or an added token. */
    record Part(String text, AddedToken token) {
    }

    private final Map<String, AddedToken> byContent = new HashMap<>();
    private final PrefixTrie trie;

    AddedTokenSplitter(Collection<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            byContent.put(t.content(), t);
        }
        trie = new PrefixTrie(byContent.keySet());
    }

    /** Parts in order; empty plain-text parts are dropped. */
    List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        if (trie.isEmpty()) {
            parts.add(new Part(text, null));
            return dropEmpty(parts);
        }
        // 1. leftmost-longest matches of added-token strings
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            int len = trie.longestMatch(text, i);
            if (len == 0) {
                i++;
                continue;
            }
            if (i > plainStart) {
                parts.add(new Part(text.substring(plainStart, i), null));
            }
            String content = text.substring(i, i + len);
            parts.add(new Part(content, byContent.get(content)));
            i += len;
            plainStart = i;
        }
        if (plainStart < text.length()) {
            parts.add(new Part(text.substring(plainStart), null));
        }
        // 2. strip and single-word rules, in the order transformers applies them
        for (int k = 0; k < parts.size(); k++) {
            AddedToken t = parts.get(k).token();
            if (t == null) {
                continue;
            }
            String left = k > 0 ? parts.get(k - 1).text() : null;
            String right = k + 1 < parts.size() ? parts.get(k + 1).text() : null;
            if (t.rstrip() && right != null && !right.isEmpty()) {
                right = stripLeading(right);
                parts.set(k + 1, new Part(right, parts.get(k + 1).token()));
            }
            if (t.lstrip() && left != null && !left.isEmpty()) {
                left = stripTrailing(left);
                parts.set(k - 1, new Part(left, parts.get(k - 1).token()));
            }
            if (t.singleWord() && left != null && !left.isEmpty() && !left.endsWith(" ")) {
                parts.set(k - 1, new Part(left + t.content(), null));
                parts.set(k, new Part("", null));
            } else if (t.singleWord() && right != null && !right.isEmpty() && !right.startsWith(" ")) {
                parts.set(k, new Part(t.content() + right, null));
                parts.set(k + 1, new Part("", null));
            }
        }
        return dropEmpty(parts);
    }

    private static List<Part> dropEmpty(List<Part> parts) {
        parts.removeIf(p -> p.text().isEmpty());
        return parts;
    }

    /** Python's {@code str.isspace} for one char (Unicode White_Space, as used by {@code str.strip()}). */
    static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && isPythonSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    static String stripTrailing(String s) {
        int j = s.length();
        while (j > 0 && isPythonSpace(s.charAt(j - 1))) {
            j--;
        }
        return s.substring(0, j);
    }
}
