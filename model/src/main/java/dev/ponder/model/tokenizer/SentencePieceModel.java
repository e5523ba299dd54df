package dev.ponder.model.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a SentencePiece {@code ModelProto} (sentencepiece_model.proto, proto2) that encoding and
 * decoding need. Field numbers and defaults follow the proto declaration; unknown fields are skipped.
 *
 * @param pieces                 vocabulary, indexed by id
 * @param modelType              trainer_spec.model_type (default UNIGRAM)
 * @param byteFallback           trainer_spec.byte_fallback: unknown characters become {@code <0xNN>} pieces
 * @param treatWhitespaceAsSuffix trainer_spec.treat_whitespace_as_suffix
 * @param unkPiece               trainer_spec.unk_piece; {@code bosPiece}, {@code eosPiece}, {@code padPiece} likewise
 * @param unkSurface             trainer_spec.unk_surface: what an unknown id decodes to
 * @param normalizerName         normalizer_spec.name (e.g. "identity", "nmt_nfkc")
 * @param precompiledCharsmapBytes size of normalizer_spec.precompiled_charsmap (0 for identity)
 * @param denormalizerCharsmapBytes size of denormalizer_spec.precompiled_charsmap
 */
public record SentencePieceModel(
        List<Piece> pieces,
        ModelType modelType,
        boolean byteFallback,
        boolean treatWhitespaceAsSuffix,
        String unkPiece,
        String bosPiece,
        String eosPiece,
        String padPiece,
        String unkSurface,
        String normalizerName,
        boolean addDummyPrefix,
        boolean removeExtraWhitespaces,
        boolean escapeWhitespaces,
        int precompiledCharsmapBytes,
        int denormalizerCharsmapBytes) {

    /** ModelProto.SentencePiece.Type, by wire number. */
    public enum PieceType {
        NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

        static PieceType ofWire(int v, String source) {
            return switch (v) {
                case 1 -> NORMAL;
                case 2 -> UNKNOWN;
                case 3 -> CONTROL;
                case 4 -> USER_DEFINED;
                case 5 -> UNUSED;
                case 6 -> BYTE;
                default -> throw new TokenizerException(source + ": pieces.type has unknown value " + v);
            };
        }
    }

    /** TrainerSpec.ModelType, by wire number. */
    public enum ModelType {
        UNIGRAM, BPE, WORD, CHAR;

        static ModelType ofWire(int v, String source) {
            return switch (v) {
                case 1 -> UNIGRAM;
                case 2 -> BPE;
                case 3 -> WORD;
                case 4 -> CHAR;
                default -> throw new TokenizerException(source + ": trainer_spec.model_type has unknown value " + v);
            };
        }
    }

    /** One vocabulary entry. */
    public record Piece(String piece, float score, PieceType type) {
    }

    public SentencePieceModel {
        pieces = List.copyOf(pieces);
    }

    /** Reads and parses a {@code tokenizer.model} file. */
    public static SentencePieceModel read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read SentencePiece model: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the serialized ModelProto; {@code source} names the file in error messages. */
    public static SentencePieceModel parse(byte[] bytes, String source) {
        Builder b = new Builder();
        ProtoReader r = new ProtoReader(bytes, source);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> { r.expect(tag, ProtoReader.LENGTH_DELIMITED, "pieces"); b.pieces.add(readPiece(r.readMessage(), source)); }
                case 2 -> { r.expect(tag, ProtoReader.LENGTH_DELIMITED, "trainer_spec"); readTrainerSpec(r.readMessage(), b, source); }
                case 3 -> { r.expect(tag, ProtoReader.LENGTH_DELIMITED, "normalizer_spec"); readNormalizerSpec(r.readMessage(), b); }
                case 5 -> { r.expect(tag, ProtoReader.LENGTH_DELIMITED, "denormalizer_spec"); b.denormalizerCharsmapBytes = charsmapBytes(r.readMessage()); }
                default -> r.skip(tag & 7);
            }
        }
        if (b.pieces.isEmpty()) {
            throw new TokenizerException(source + ": SentencePiece model has no pieces (is this a tokenizer.model file?)");
        }
        return new SentencePieceModel(b.pieces, b.modelType, b.byteFallback, b.treatWhitespaceAsSuffix,
                b.unkPiece, b.bosPiece, b.eosPiece, b.padPiece, b.unkSurface, b.normalizerName,
                b.addDummyPrefix, b.removeExtraWhitespaces, b.escapeWhitespaces,
                b.precompiledCharsmapBytes, b.denormalizerCharsmapBytes);
    }

    private static Piece readPiece(ProtoReader r, String source) {
        String piece = "";
        float score = 0f;
        PieceType type = PieceType.NORMAL;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> { r.expect(tag, ProtoReader.LENGTH_DELIMITED, "pieces.piece"); piece = r.readString(); }
                case 2 -> { r.expect(tag, ProtoReader.FIXED32, "pieces.score"); score = r.readFloat(); }
                case 3 -> { r.expect(tag, ProtoReader.VARINT, "pieces.type"); type = PieceType.ofWire(r.readInt32(), source); }
                default -> r.skip(tag & 7);
            }
        }
        return new Piece(piece, score, type);
    }

    private static void readTrainerSpec(ProtoReader r, Builder b, String source) {
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 3 -> b.modelType = ModelType.ofWire(r.readInt32(), source);
                case 24 -> b.treatWhitespaceAsSuffix = r.readBool();
                case 35 -> b.byteFallback = r.readBool();
                case 44 -> b.unkSurface = r.readString();
                case 45 -> b.unkPiece = r.readString();
                case 46 -> b.bosPiece = r.readString();
                case 47 -> b.eosPiece = r.readString();
                case 48 -> b.padPiece = r.readString();
                default -> r.skip(tag & 7);
            }
        }
    }

    private static void readNormalizerSpec(ProtoReader r, Builder b) {
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> b.normalizerName = r.readString();
                case 2 -> b.precompiledCharsmapBytes = r.readBytes().length;
                case 3 -> b.addDummyPrefix = r.readBool();
                case 4 -> b.removeExtraWhitespaces = r.readBool();
                case 5 -> b.escapeWhitespaces = r.readBool();
                default -> r.skip(tag & 7);
            }
        }
    }

    private static int charsmapBytes(ProtoReader r) {
        int n = 0;
        while (r.hasMore()) {
            int tag = r.readTag();
            if (tag >>> 3 == 2) {
                n = r.readBytes().length;
            } else {
                r.skip(tag & 7);
            }
        }
        return n;
    }

    /** Mutable holder with the proto2 defaults of the declared fields. */
    private static final class Builder {
        final List<Piece> pieces = new ArrayList<>();
        ModelType modelType = ModelType.UNIGRAM;
        boolean byteFallback = false;
        boolean treatWhitespaceAsSuffix = false;
        String unkPiece = "<unk>";
        String bosPiece = "<s>";
        String eosPiece = "</s>";
        String padPiece = "<pad>";
        String unkSurface = " \u2047 ";
        String normalizerName = "";
        boolean addDummyPrefix = true;
        boolean removeExtraWhitespaces = true;
        boolean escapeWhitespaces = true;
        int precompiledCharsmapBytes = 0;
        int denormalizerCharsmapBytes = 0;
    }
}
