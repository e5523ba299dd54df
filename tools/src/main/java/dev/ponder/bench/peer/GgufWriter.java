package dev.ponder.bench.peer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file (the format llama.cpp loads): a header, typed key/value metadata, tensor infos,
 * then the tensor data, each tensor starting at a multiple of the alignment. Little-endian throughout;
 * tensors are F32. A tensor's dimensions are written innermost first, so a row-major {@code [rows, cols]}
 * matrix is {@code ne = [cols, rows]}.
 */
public final class GgufWriter {

    public static final int MAGIC = 0x46554747;   // "GGUF" read as a little-endian uint32
    public static final int VERSION = 3;
    public static final int ALIGNMENT = 32;

    /** GGUF metadata value types. */
    public static final int UINT32 = 4;
    public static final int INT32 = 5;
    public static final int FLOAT32 = 6;
    public static final int BOOL = 7;
    public static final int STRING = 8;
    public static final int ARRAY = 9;

    /** The ggml type of F32 tensors. */
    public static final int GGML_F32 = 0;

    /** A metadata value: its GGUF type, and for arrays the element type. */
    public record Value(int type, int elementType, Object value) {
    }

    /** A tensor: name, row-major shape (outermost first) and data. */
    public record Tensor(String name, long[] shape, float[] data) {

        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException(name + ": shape holds " + n + " values, data " + data.length);
            }
        }
    }

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    public GgufWriter putString(String key, String v) {
        return put(key, new Value(STRING, -1, v));
    }

    public GgufWriter putUint32(String key, long v) {
        return put(key, new Value(UINT32, -1, v));
    }

    public GgufWriter putFloat32(String key, double v) {
        return put(key, new Value(FLOAT32, -1, (float) v));
    }

    public GgufWriter putBool(String key, boolean v) {
        return put(key, new Value(BOOL, -1, v));
    }

    public GgufWriter putStrings(String key, List<String> v) {
        return put(key, new Value(ARRAY, STRING, List.copyOf(v)));
    }

    public GgufWriter putFloats(String key, float[] v) {
        return put(key, new Value(ARRAY, FLOAT32, v.clone()));
    }

    public GgufWriter putInts(String key, int[] v) {
        return put(key, new Value(ARRAY, INT32, v.clone()));
    }

    private GgufWriter put(String key, Value v) {
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("duplicate metadata key " + key);
        }
        metadata.put(key, v);
        return this;
    }

    public GgufWriter addTensor(String name, long[] shape, float[] data) {
        tensors.add(new Tensor(name, shape.clone(), data));
        return this;
    }

    public void write(Path file) throws IOException {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            Out out = new Out(raw);
            // header
            out.u32(MAGIC);
            out.u32(VERSION);
            out.u64(tensors.size());
            out.u64(metadata.size());
            // metadata
            for (var e : metadata.entrySet()) {
                out.string(e.getKey());
                out.u32(e.getValue().type());
                writeValue(out, e.getValue());
            }
            // tensor infos; offsets are relative to the aligned start of the data section
            long offset = 0;
            for (Tensor t : tensors) {
                out.string(t.name());
                out.u32(t.shape().length);
                for (int i = t.shape().length - 1; i >= 0; i--) {
                    out.u64(t.shape()[i]);
                }
                out.u32(GGML_F32);
                out.u64(offset);
                offset = align(offset + 4L * t.data().length);
            }
            out.pad();
            // tensor data, each padded to the alignment
            for (Tensor t : tensors) {
                out.floats(t.data());
                out.pad();
            }
            out.flush();
        }
    }

    private static void writeValue(Out out, Value v) throws IOException {
        switch (v.type()) {
            case UINT32 -> out.u32((int) (long) (Long) v.value());
            case FLOAT32 -> out.f32((Float) v.value());
            case BOOL -> out.u8((Boolean) v.value() ? 1 : 0);
            case STRING -> out.string((String) v.value());
            case ARRAY -> {
                out.u32(v.elementType());
                switch (v.elementType()) {
                    case STRING -> {
                        @SuppressWarnings("unchecked")
                        List<String> list = (List<String>) v.value();
                        out.u64(list.size());
                        for (String s : list) {
                            out.string(s);
                        }
                    }
                    case FLOAT32 -> {
                        float[] a = (float[]) v.value();
                        out.u64(a.length);
                        out.floats(a);
                    }
                    case INT32 -> {
                        int[] a = (int[]) v.value();
                        out.u64(a.length);
                        for (int x : a) {
                            out.u32(x);
                        }
                    }
                    default -> throw new IllegalStateException("array of type " + v.elementType());
                }
            }
            default -> throw new IllegalStateException("value type " + v.type());
        }
    }

    static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Little-endian output that counts its bytes (for padding). */
    private static final class Out {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long written;

        Out(OutputStream out) {
            this.out = out;
        }

        void u8(int v) throws IOException {
            room(1);
            buf.put((byte) v);
        }

        void u32(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void u64(long v) throws IOException {
            room(8);
            buf.putLong(v);
        }

        void f32(float v) throws IOException {
            room(4);
            buf.putFloat(v);
        }

        void floats(float[] a) throws IOException {
            for (float v : a) {
                f32(v);
            }
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            for (byte x : b) {
                u8(x);
            }
        }

        void pad() throws IOException {
            long at = written + buf.position();
            for (long i = at; i < align(at); i++) {
                u8(0);
            }
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void flush() throws IOException {
            out.write(buf.array(), 0, buf.position());
            written += buf.position();
            buf.clear();
        }
    }
}
