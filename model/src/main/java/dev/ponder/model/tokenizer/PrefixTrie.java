package dev.ponder.model.tokenizer;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** A character trie answering "which is the longest key that starts at position i of this text?". */
final class PrefixTrie {
    private static final class Node {
        final Map<Character, Node> next = new HashMap<>();
        boolean terminal;
    }

    private final Node root = new Node();
    private final boolean empty;

    PrefixTrie(Collection<String> keys) {
        boolean any = false;
        for (String key : keys) {
            if (key.isEmpty()) {
                continue;
            }
            Node n = root;
            for (int i = 0; i < key.length(); i++) {
                n = n.next.computeIfAbsent(key.charAt(i), c -> new Node());
            }
            n.terminal = true;
            any = true;
        }
        empty = !any;
    }

    boolean isEmpty() {
        return empty;
    }

    /** Length in chars of the longest key that is a prefix of {@code text.substring(from)}, or 0 if none. */
    int longestMatch(CharSequence text, int from) {
        Node n = root;
        int best = 0;
        for (int i = from; i < text.length(); i++) {
            n = n.next.get(text.charAt(i));
            if (n == null) {
                break;
            }
            if (n.terminal) {
                best = i - from + 1;
            }
        }
        return best;
    }
}
