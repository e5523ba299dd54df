package dev.ponder.model.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Minimal reader for the protobuf wire format (proto2), enough to walk a SentencePiece ModelProto:
 * varints, fixed32/fixed64, length-delimited fields and nested messages. Unknown fields are skipped.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int limit;
    private final String source;

    ProtoReader(byte[] buf, String source) {
        this(buf, 0, buf.length, source);
    }

    private ProtoReader(byte[] buf, int from, int limit, String source) {
        this.buf = buf;
        this.pos = from;
        this.limit = limit;
        this.source = source;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Reads the next tag; field number is {@code tag >>> 3}, wire type is {@code tag & 7}. */
    int readTag() {
        long tag = readVarint();
        if (tag == 0 || tag > Integer.MAX_VALUE) {
            throw malformed("invalid field tag " + tag);
        }
        return (int) tag;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw malformed("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    /** int32 fields are varints; negative values are sign-extended to 64 bits, so truncation restores them. */
    int readInt32() {
        return (int) readVarint();
    }

    boolean readBool() {
        return readVarint() != 0;
    }

    float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    byte[] readBytes() {
        int len = readLength();
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    String readString() {
        int len = readLength();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** A reader over the embedded message that starts here; this reader skips past it. */
    ProtoReader readMessage() {
        int len = readLength();
        ProtoReader sub = new ProtoReader(buf, pos, pos + len, source);
        pos += len;
        return sub;
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> { need(8); pos += 8; }
            case LENGTH_DELIMITED -> {
                int len = readLength();   // read first: 'pos += readLength()' would use the old pos
                pos += len;
            }
            case FIXED32 -> { need(4); pos += 4; }
            case START_GROUP -> {
                while (true) {
                    int tag = readTag();
                    if ((tag & 7) == END_GROUP) {
                        break;
                    }
                    skip(tag & 7);
                }
            }
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    /** Throws unless the wire type read for {@code field} is the one its declaration implies. */
    void expect(int tag, int wireType, String field) {
        if ((tag & 7) != wireType) {
            throw malformed("field " + field + " has wire type " + (tag & 7) + ", expected " + wireType);
        }
    }

    private int readLength() {
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw malformed("length " + len + " runs past the end of the message");
        }
        return (int) len;
    }

    private void need(int n) {
        if (limit - pos < n) {
            throw malformed("truncated fixed-size field");
        }
    }

    private TokenizerException malformed(String what) {
        return new TokenizerException(source + ": malformed protobuf at byte " + pos + ": " + what);
    }
}
