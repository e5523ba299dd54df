package dev.ponder.model.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece's BPE segmentation ({@code bpe::Model::Encode}) over a normalized string: split into
 * characters (user-defined symbols stay whole and never merge), then repeatedly merge the adjacent pair
 * whose concatenation is a vocabulary piece with the highest score, the leftmost pair on ties. Pieces of
 * type UNUSED that were formed are split back into the pair that made them.
 */
final class SentencePieceBpe {
    /** A segmented piece: its text (a substring of the normalized input) and id (unk id if unknown). */
    record Segment(String piece, int id) {
    }

    /** Candidate merge of symbols {@code left} and {@code right} into a piece of {@code length} chars. */
    private record Candidate(int left, int right, float score, int length) {
    }

    private final Map<String, Integer> pieces;       // NORMAL, USER_DEFINED, UNUSED: may be formed by merges
    private final Map<String, Integer> reserved;     // CONTROL, UNKNOWN, BYTE: looked up first
    private final List<SentencePieceModel.Piece> vocab;
    private final PrefixTrie userDefined;
    private final int unkId;

    SentencePieceBpe(List<SentencePieceModel.Piece> vocab, Map<String, Integer> pieces, Map<String, Integer> reserved,
                     PrefixTrie userDefined, int unkId) {
        this.vocab = vocab;
        this.pieces = pieces;
        this.reserved = reserved;
        this.userDefined = userDefined;
        this.unkId = unkId;
    }

    /** {@code ModelInterface::PieceToId}: reserved pieces first, then ordinary ones, else the unk id. */
    int pieceToId(String piece) {
        Integer id = reserved.get(piece);
        if (id == null) {
            id = pieces.get(piece);
        }
        return id == null ? unkId : id;
    }

    List<Segment> encode(String normalized) {
        List<Segment> out = new ArrayList<>();
        if (normalized.isEmpty()) {
            return out;
        }
        // 1. split into characters (or whole user-defined symbols, which are frozen)
        int n = 0;
        int[] start = new int[normalized.length()];
        int[] end = new int[normalized.length()];
        boolean[] frozen = new boolean[normalized.length()];
        for (int i = 0; i < normalized.length(); n++) {
            int ud = userDefined.longestMatch(normalized, i);
            int len = ud > 0 ? ud : Character.charCount(normalized.codePointAt(i));
            start[n] = i;
            end[n] = i + len;
            frozen[n] = ud > 0;
            i += len;
        }
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int k = 0; k < n; k++) {
            prev[k] = k - 1;
            next[k] = k + 1 < n ? k + 1 : -1;
        }
        // 2. agenda of candidate merges: highest score first, leftmost first on ties
        PriorityQueue<Candidate> agenda = new PriorityQueue<>((a, b) -> {
            int byScore = Float.compare(b.score(), a.score());
            return byScore != 0 ? byScore : Integer.compare(a.left(), b.left());
        });
        Map<String, String[]> reverseMerge = new HashMap<>();
        for (int k = 1; k < n; k++) {
            addCandidate(normalized, k - 1, k, start, end, frozen, agenda, reverseMerge);
        }
        // 3. merge until no candidate is left; stale candidates (a side merged away or grown) are skipped
        while (!agenda.isEmpty()) {
            Candidate top = agenda.poll();
            int l = top.left();
            int r = top.right();
            int lenL = end[l] - start[l];
            int lenR = end[r] - start[r];
            if (lenL == 0 || lenR == 0 || lenL + lenR != top.length()) {
                continue;
            }
            end[l] = end[r];
            end[r] = start[r];            // empty: merged into l
            next[l] = next[r];
            if (next[r] >= 0) {
                prev[next[r]] = l;
            }
            addCandidate(normalized, prev[l], l, start, end, frozen, agenda, reverseMerge);
            addCandidate(normalized, l, next[l], start, end, frozen, agenda, reverseMerge);
        }
        // 4. read the surviving symbols, splitting UNUSED pieces back into their parts
        for (int k = 0; k >= 0 && k < n; k = next[k]) {
            resegment(normalized.substring(start[k], end[k]), reverseMerge, out);
        }
        return out;
    }

    private void addCandidate(String text, int left, int right, int[] start, int[] end, boolean[] frozen,
                              PriorityQueue<Candidate> agenda, Map<String, String[]> reverseMerge) {
        if (left < 0 || right < 0 || frozen[left] || frozen[right]) {
            return;
        }
        String merged = text.substring(start[left], end[right]);
        Integer id = pieces.get(merged);
        if (id == null) {
            return;
        }
        agenda.add(new Candidate(left, right, vocab.get(id).score(), merged.length()));
        if (vocab.get(id).type() == SentencePieceModel.PieceType.UNUSED) {
            reverseMerge.put(merged, new String[] {
                text.substring(start[left], end[left]), text.substring(start[right], end[right])});
        }
    }

    private void resegment(String piece, Map<String, String[]> reverseMerge, List<Segment> out) {
        int id = pieceToId(piece);
        String[] parts = id >= 0 && vocab.get(id).type() == SentencePieceModel.PieceType.UNUSED
                ? reverseMerge.get(piece) : null;
        if (parts == null) {
            out.add(new Segment(piece, id));
            return;
        }
        resegment(parts[0], reverseMerge, out);
        resegment(parts[1], reverseMerge, out);
    }
}
