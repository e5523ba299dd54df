package dev.ponder.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.model.ModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the safetensors format directly: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then raw little-endian data. Each tensor is memory-mapped on
 * its own, so shards of any size work (DJL's {@code NDList.decode} copies a whole shard into one array).
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor's place in a file. */
    public record Entry(Path file, String name, String dtype, long[] shape, long offset, long length) {

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private SafeTensors() {
    }

    /** The tensors of one file, in header order. */
    public static Map<String, Entry> index(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw ModelException.file(file, "not a safetensors file (shorter than its 8-byte header length)");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLen = len.flip().getLong();
            if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > size) {
                throw ModelException.file(file, "not a safetensors file (header length " + headerLen + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root = JSON.readTree(header.array());
            long dataStart = 8 + headerLen;
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                JsonNode shapeNode = t.get("shape");
                JsonNode offsets = t.get("data_offsets");
                if (t.get("dtype") == null || shapeNode == null || offsets == null || offsets.size() != 2) {
                    throw ModelException.field(file, e.getKey(), "has no dtype, shape or data_offsets in the header");
                }
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                long begin = offsets.get(0).asLong();
                long end = offsets.get(1).asLong();
                if (begin < 0 || end < begin || dataStart + end > size) {
                    throw ModelException.field(file, e.getKey(), "has data_offsets outside the file");
                }
                Entry entry = new Entry(file, e.getKey(), t.get("dtype").asText(), shape, dataStart + begin, end - begin);
                long expected = entry.elementCount() * bytesPer(file, entry);
                if (expected != entry.length()) {
                    throw ModelException.field(file, e.getKey(), "holds " + entry.length() + " bytes, its shape needs " + expected);
                }
                out.put(e.getKey(), entry);
            }
            return out;
        } catch (IOException e) {
            throw ModelException.file(file, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Elements {@code [from, from + count)} of an F16 tensor as they are, in a native-order direct buffer ready for
     * a float16 NDArray: no widening when the model computes in float16.
     */
    public static ByteBuffer readFloat16(Entry e, long from, long count) {
        if (!e.dtype().equals("F16")) {
            throw new IllegalArgumentException(e.name() + " is " + e.dtype() + ", not F16");
        }
        try (FileChannel ch = FileChannel.open(e.file(), StandardOpenOption.READ)) {
            ByteBuffer src = ch.map(FileChannel.MapMode.READ_ONLY, e.offset() + from * 2, count * 2)
                    .order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer dst = ByteBuffer.allocateDirect(Math.toIntExact(count * 2)).order(ByteOrder.nativeOrder());
            dst.asShortBuffer().put(src.asShortBuffer());
            return dst;
        } catch (IOException ex) {
            throw ModelException.file(e.file(), "cannot map tensor " + e.name() + ": " + ex.getMessage());
        }
    }

    /** The tensor widened to float32, as a little-endian direct buffer ready for an NDArray. */
    public static ByteBuffer readAsFloat32(Entry e) {
        return readAsFloat32(e, 0, e.elementCount());
    }

    /**
     * Elements {@code [from, from + count)} of the tensor (row-major) widened to float32: a part of a tensor too
     * large for one buffer (a float32 buffer holds at most 2 GiB; InternLM3-8B's embedding is 2.1 GB).
     */
    public static ByteBuffer readAsFloat32(Entry e, long from, long count) {
        if (from < 0 || count < 0 || from + count > e.elementCount()) {
            throw new IllegalArgumentException("elements " + from + ".." + (from + count) + " of a tensor of " + e.elementCount());
        }
        try (FileChannel ch = FileChannel.open(e.file(), StandardOpenOption.READ)) {
            long width = e.length() / Math.max(1, e.elementCount());
            ByteBuffer src = ch.map(FileChannel.MapMode.READ_ONLY, e.offset() + from * width, count * width)
                    .order(ByteOrder.LITTLE_ENDIAN);
            long n = count;
            ByteBuffer dst = ByteBuffer.allocateDirect(Math.toIntExact(n * 4)).order(ByteOrder.nativeOrder());
            switch (e.dtype()) {
                case "F32" -> dst.asFloatBuffer().put(src.asFloatBuffer());
                case "F16" -> {
                    var in = src.asShortBuffer();
                    var out = dst.asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        out.put(i, Half.toFloat(in.get(i)));
                    }
                }
                case "BF16" -> {
                    // bf16 is the top half of a float32: shift it back into place.
                    var in = src.asShortBuffer();
                    var out = dst.asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        out.put(i, Float.intBitsToFloat((in.get(i) & 0xffff) << 16));
                    }
                }
                default -> throw ModelException.field(e.file(), e.name(), "has dtype " + e.dtype() + "; supported: F32, F16, BF16");
            }
            return dst;
        } catch (IOException ex) {
            throw ModelException.file(e.file(), "cannot map tensor " + e.name() + ": " + ex.getMessage());
        }
    }

    static int bytesPer(Path file, Entry e) {
        return switch (e.dtype()) {
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "F64", "I64" -> 8;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw ModelException.field(file, e.name(), "has unknown dtype " + e.dtype());
        };
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
