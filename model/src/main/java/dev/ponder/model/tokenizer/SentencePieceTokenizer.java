package dev.ponder.model.tokenizer;

import dev.ponder.model.tokenizer.SentencePieceModel.Piece;
import dev.ponder.model.tokenizer.SentencePieceModel.PieceType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A SentencePiece BPE tokenizer read from {@code tokenizer.model}, reproducing the SentencePiece library's
 * {@code encode}/{@code decode} (0.1.97), with optional added tokens on top as Hugging Face slow tokenizers
 * (Llama, InternLM3) use them: the text is first split on the added tokens' literal strings and each
 * remaining piece is encoded by SentencePiece on its own (so each gets the dummy-prefix space).
 */
public final class SentencePieceTokenizer implements Tokenizer {
    private final SentencePieceModel model;
    private final String source;
    private final SentencePieceNormalizer normalizer;
    private final SentencePieceBpe bpe;
    private final int[] byteIds = new int[256];
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final Map<String, AddedToken> addedByContent = new HashMap<>();
    private final AddedTokenSplitter splitter;
    private final SpecialTokens special;
    private final boolean addBos;
    private final int vocabSize;

    /** The bare SentencePiece model: no added tokens, special ids from the model, addBosToken if it has a bos. */
    public static SentencePieceTokenizer load(Path tokenizerModel) {
        SentencePieceModel model = SentencePieceModel.read(tokenizerModel);
        return new SentencePieceTokenizer(model, tokenizerModel.toString(), List.of(), null, null);
    }

    /**
     * A checkpoint's tokenizer: {@code tokenizer.model} plus tokenizer_config.json. Added tokens are the
     * config's {@code added_tokens_decoder}, its {@code additional_special_tokens} and its bos/eos/pad/unk
     * strings (Hugging Face slow tokenizers match all of these literally in text); special ids named in the
     * config override the model's.
     */
    public static SentencePieceTokenizer create(Path tokenizerModel, TokenizerConfig config) {
        SentencePieceModel model = SentencePieceModel.read(tokenizerModel);
        String src = tokenizerModel.toString();
        Map<Integer, AddedToken> added = new LinkedHashMap<>(config.addedTokens());
        SentencePieceTokenizer base = new SentencePieceTokenizer(model, src, added.values(), null, null);
        SpecialTokens special = config.resolve(base::tokenId, base.specialTokens());
        List<String> implicit = new ArrayList<>(config.additionalSpecialTokens());
        for (String key : TokenizerConfig.SPECIAL_KEYS) {
            String content = config.specialTokenStrings().get(key);
            if (content != null) {
                implicit.add(content);
            }
        }
        for (String content : implicit) {
            if (added.values().stream().noneMatch(t -> t.content().equals(content))) {
                int id = base.tokenId(content).orElseThrow(() -> new TokenizerException(config.source()
                        + ": special token " + content + " is neither an added token nor a piece of " + src));
                added.put(id, AddedToken.special(id, content));
            }
        }
        return new SentencePieceTokenizer(model, src, added.values(), special, config.addBosToken());
    }

    /**
     * @param model       parsed model
     * @param source      file name for error messages
     * @param addedTokens tokens matched literally in the text before SentencePiece runs
     * @param special     special ids, or null to take unk/bos/eos/pad from the model's trainer_spec pieces
     * @param addBos      whether a raw prompt should get bos, or null for "if the model has a bos"
     */
    public SentencePieceTokenizer(SentencePieceModel model, String source, Collection<AddedToken> addedTokens,
                                  SpecialTokens special, Boolean addBos) {
        this.model = model;
        this.source = source;
        checkSupported(model, source);
        // 1. piece tables as ModelInterface::InitializePieces builds them
        Map<String, Integer> pieces = new HashMap<>();
        Map<String, Integer> reserved = new HashMap<>();
        List<String> userDefined = new ArrayList<>();
        int unkId = -1;
        List<Piece> vocab = model.pieces();
        for (int id = 0; id < vocab.size(); id++) {
            Piece p = vocab.get(id);
            if (p.piece().isEmpty()) {
                throw new TokenizerException(source + ": piece " + id + " is empty");
            }
            boolean ordinary = p.type() == PieceType.NORMAL || p.type() == PieceType.USER_DEFINED
                    || p.type() == PieceType.UNUSED;
            if ((ordinary ? pieces : reserved).putIfAbsent(p.piece(), id) != null) {
                throw new TokenizerException(source + ": piece " + p.piece() + " is defined twice");
            }
            if (p.type() == PieceType.USER_DEFINED) {
                userDefined.add(p.piece());
            }
            if (p.type() == PieceType.UNKNOWN) {
                if (unkId >= 0) {
                    throw new TokenizerException(source + ": more than one UNKNOWN piece");
                }
                unkId = id;
            }
        }
        if (unkId < 0) {
            throw new TokenizerException(source + ": no piece of type UNKNOWN");
        }
        PrefixTrie userTrie = new PrefixTrie(userDefined);
        this.normalizer = new SentencePieceNormalizer(model, userTrie);
        this.bpe = new SentencePieceBpe(vocab, pieces, reserved, userTrie, unkId);
        // 2. byte pieces <0x00>..<0xFF> for byte fallback
        for (int b = 0; b < 256; b++) {
            Integer id = reserved.get(bytePiece(b));
            byteIds[b] = id != null && vocab.get(id).type() == PieceType.BYTE ? id : -1;
            if (model.byteFallback() && byteIds[b] < 0) {
                throw new TokenizerException(source + ": byte_fallback is set but piece " + bytePiece(b) + " is missing");
            }
        }
        // 3. added tokens and special ids
        int size = vocab.size();
        for (AddedToken t : addedTokens) {
            addedById.put(t.id(), t);
            addedByContent.put(t.content(), t);
            size = Math.max(size, t.id() + 1);
        }
        this.vocabSize = size;
        this.splitter = new AddedTokenSplitter(addedTokens);
        this.special = special != null ? special : new SpecialTokens(
                idOfType(model.bosPiece(), PieceType.CONTROL), idOfType(model.eosPiece(), PieceType.CONTROL),
                idOfType(model.padPiece(), PieceType.CONTROL), idOfType(model.unkPiece(), PieceType.UNKNOWN));
        this.addBos = addBos != null ? addBos : this.special.hasBos();
    }

    private static void checkSupported(SentencePieceModel model, String source) {
        if (model.modelType() != SentencePieceModel.ModelType.BPE) {
            throw new TokenizerException(source + ": SentencePiece model_type " + model.modelType()
                    + " is not supported (only BPE, as used by Llama and InternLM)");
        }
        if (model.precompiledCharsmapBytes() > 0 || model.denormalizerCharsmapBytes() > 0) {
            throw new TokenizerException(source + ": normalizer_spec '" + model.normalizerName()
                    + "' with a precompiled_charsmap is not supported (only the identity normalizer)");
        }
    }

    public SentencePieceModel model() {
        return model;
    }

    @Override
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        encodeInto(text, ids, null);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The pieces {@link #encode} produces, like {@code SentencePieceProcessor.encode(text, out_type=str)}. */
    public List<String> encodeAsPieces(String text) {
        List<String> pieces = new ArrayList<>();
        encodeInto(text, new ArrayList<>(), pieces);
        return pieces;
    }

    private void encodeInto(String text, List<Integer> ids, List<String> pieces) {
        for (AddedTokenSplitter.Part part : splitter.split(text)) {
            if (part.token() != null) {
                ids.add(part.token().id());
                if (pieces != null) {
                    pieces.add(part.token().content());
                }
            } else {
                encodePlain(part.text(), ids, pieces);
            }
        }
    }

    /** SentencePieceProcessor::Encode: normalize, BPE, then byte fallback or merging of unknown runs. */
    private void encodePlain(String text, List<Integer> ids, List<String> pieces) {
        boolean prevUnk = false;
        for (SentencePieceBpe.Segment s : bpe.encode(normalizer.normalize(text))) {
            boolean unk = s.id() >= 0 && model.pieces().get(s.id()).type() == PieceType.UNKNOWN;
            if (unk && model.byteFallback()) {
                // an unknown character becomes the byte pieces of its UTF-8 encoding
                for (byte b : s.piece().getBytes(StandardCharsets.UTF_8)) {
                    ids.add(byteIds[b & 0xFF]);
                    if (pieces != null) {
                        pieces.add(bytePiece(b & 0xFF));
                    }
                }
            } else if (unk && prevUnk) {
                // consecutive unknown pieces merge into one unk
                if (pieces != null) {
                    pieces.set(pieces.size() - 1, pieces.get(pieces.size() - 1) + s.piece());
                }
            } else {
                ids.add(s.id());
                if (pieces != null) {
                    pieces.add(s.piece());
                }
            }
            prevUnk = unk;
        }
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder out = new StringBuilder();
        int[] kept = skipSpecialTokens ? Arrays.stream(ids).filter(id -> !isSpecial(id)).toArray() : ids;
        // runs of SentencePiece ids are decoded separately; added tokens are written as their content
        int runStart = 0;
        for (int k = 0; k < kept.length; k++) {
            AddedToken t = addedById.get(kept[k]);
            if (t != null) {
                decodeRun(kept, runStart, k, out);
                out.append(t.content());
                runStart = k + 1;
            }
        }
        decodeRun(kept, runStart, kept.length, out);
        return out.toString();
    }

    /** SentencePieceProcessor::Decode on ids[from, to). */
    private void decodeRun(int[] ids, int from, int to, StringBuilder out) {
        int textStart = out.length();
        byte[] bytes = new byte[to - from];
        int nBytes = 0;
        boolean bosWs = true;        // a leading '▁' may still be dropped (dummy prefix)
        boolean bosWsSeen = false;
        for (int k = from; k < to; k++) {
            Piece p = piece(ids[k]);
            if (p.type() == PieceType.BYTE) {
                bytes[nBytes++] = (byte) pieceToByte(p.piece());
                continue;
            }
            Utf8.decode(bytes, 0, nBytes, out);
            nBytes = 0;
            if (bosWsSeen || out.length() > textStart) {
                bosWs = false;
            }
            bosWsSeen = false;
            String piece = p.piece();
            switch (p.type()) {
                case CONTROL -> piece = "";
                case UNKNOWN -> piece = model.unkSurface();
                default -> {
                    if (bosWs && (model.addDummyPrefix() || model.removeExtraWhitespaces())
                            && piece.charAt(0) == SentencePieceNormalizer.SPACE_SYMBOL) {
                        piece = piece.substring(1);
                        bosWsSeen = !model.removeExtraWhitespaces();
                    }
                    piece = piece.replace(SentencePieceNormalizer.SPACE_SYMBOL, ' ');
                }
            }
            out.append(piece);
        }
        Utf8.decode(bytes, 0, nBytes, out);
    }

    private Piece piece(int id) {
        if (id < 0 || id >= model.pieces().size()) {
            throw new TokenizerException(source + ": token id " + id + " is outside the vocabulary (size "
                    + vocabSize + ")");
        }
        return model.pieces().get(id);
    }

    @Override
    public String tokenText(int id) {
        AddedToken t = addedById.get(id);
        return t != null ? t.content() : piece(id).piece();
    }

    @Override
    public OptionalInt tokenId(String tokenText) {
        AddedToken t = addedByContent.get(tokenText);
        if (t != null) {
            return OptionalInt.of(t.id());
        }
        int id = bpe.pieceToId(tokenText);
        return id >= 0 && model.pieces().get(id).piece().equals(tokenText) ? OptionalInt.of(id) : OptionalInt.empty();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public SpecialTokens specialTokens() {
        return special;
    }

    @Override
    public boolean isSpecial(int id) {
        AddedToken t = addedById.get(id);
        if (t != null) {
            return t.special();
        }
        return id >= 0 && id < model.pieces().size() && model.pieces().get(id).type() == PieceType.CONTROL;
    }

    @Override
    public boolean addBosToken() {
        return addBos;
    }

    private int idOfType(String piece, PieceType type) {
        int id = bpe.pieceToId(piece);
        return id >= 0 && model.pieces().get(id).type() == type ? id : SpecialTokens.NONE;
    }

    static String bytePiece(int b) {
        return String.format(Locale.ROOT, "<0x%02X>", b);
    }

    /** "<0x3A>" -> 0x3A. */
    private int pieceToByte(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
            throw new TokenizerException(source + ": BYTE piece " + piece + " is not of the form <0xNN>");
        }
        return Integer.parseInt(piece.substring(3, 5), 16);
    }
}
