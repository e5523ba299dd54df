package dev.ponder.bench.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small GGUF v3 reader for tests: header, metadata, tensor infos and F32 tensor data. */
final class GgufReader {

    record TensorInfo(String name, long[] ne, int type, long offset) {
    }

    final int magic;
    final int version;
    final Map<String, Object> metadata = new LinkedHashMap<>();
    final Map<String, Integer> metadataTypes = new LinkedHashMap<>();
    final List<TensorInfo> tensors = new ArrayList<>();
    final long dataStart;
    private final ByteBuffer buf;

    GgufReader(Path file) throws IOException {
        buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        magic = buf.getInt();
        version = buf.getInt();
        long nTensors = buf.getLong();
        long nKv = buf.getLong();
        for (long i = 0; i < nKv; i++) {
            String key = string();
            int type = buf.getInt();
            metadataTypes.put(key, type);
            metadata.put(key, value(type));
        }
        for (long i = 0; i < nTensors; i++) {
            String name = string();
            int dims = buf.getInt();
            long[] ne = new long[dims];
            for (int d = 0; d < dims; d++) {
                ne[d] = buf.getLong();
            }
            tensors.add(new TensorInfo(name, ne, buf.getInt(), buf.getLong()));
        }
        long alignment = metadata.containsKey("general.alignment") ? ((Number) metadata.get("general.alignment")).longValue() : 32;
        dataStart = (buf.position() + alignment - 1) / alignment * alignment;
    }

    private String string() {
        byte[] b = new byte[(int) buf.getLong()];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private Object value(int type) {
        return switch (type) {
            case 0, 1 -> buf.get();
            case 4 -> buf.getInt() & 0xffffffffL;
            case 5 -> buf.getInt();
            case 6 -> buf.getFloat();
            case 7 -> buf.get() != 0;
            case 8 -> string();
            case 9 -> {
                int elem = buf.getInt();
                long n = buf.getLong();
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    out.add(value(elem));
                }
                yield out;
            }
            case 10, 11 -> buf.getLong();
            case 12 -> buf.getDouble();
            default -> throw new IllegalStateException("type " + type);
        };
    }

    TensorInfo tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** The F32 data of a tensor. */
    float[] data(String name) {
        TensorInfo t = tensor(name);
        long n = 1;
        for (long d : t.ne()) {
            n *= d;
        }
        float[] out = new float[(int) n];
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position((int) (dataStart + t.offset()));
        b.asFloatBuffer().get(out);
        return out;
    }
}
