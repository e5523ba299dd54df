package dev.ponder.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes float tensors to a safetensors file (F32, F16 or BF16), in the order they were added. */
public final class SafeTensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Tensor(String name, long[] shape, float[] data) {
    }

    private final String dtype;
    private final List<Tensor> tensors = new ArrayList<>();

    /** @param dtype F32, F16 or BF16 (bf16 is rounded to nearest even, as torch does) */
    public SafeTensorsWriter(String dtype) {
        if (!List.of("F32", "F16", "BF16").contains(dtype)) {
            throw new IllegalArgumentException("dtype must be F32, F16 or BF16: " + dtype);
        }
        this.dtype = dtype;
    }

    public SafeTensorsWriter add(String name, long[] shape, float[] data) {
        tensors.add(new Tensor(name, shape.clone(), data));
        return this;
    }

    public long dataBytes() {
        int w = dtype.equals("F32") ? 4 : 2;
        return tensors.stream().mapToLong(t -> (long) t.data.length * w).sum();
    }

    public void write(Path file) throws IOException {
        int width = dtype.equals("F32") ? 4 : 2;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach(t -> shapes.put(t.name, t.shape));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(header(dtype, width, shapes));
            for (Tensor t : tensors) {
                ByteBuffer buf = ByteBuffer.allocate(t.data.length * width).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.data) {
                    if (width == 4) {
                        buf.putFloat(v);
                    } else {
                        buf.putShort(encode16(v, dtype));
                    }
                }
                out.write(buf.array());
            }
        }
    }

    /**
     * The start of a safetensors file: the header's length (8 bytes, little-endian), then the JSON header of
     * {@code shapes} (in file order, data back to back) padded with spaces to a multiple of 8.
     */
    static byte[] header(String dtype, int width, Map<String, long[]> shapes) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (var t : shapes.entrySet()) {
            ObjectNode n = header.putObject(t.getKey());
            n.put("dtype", dtype);
            var shape = n.putArray("shape");
            long elements = 1;
            for (long d : t.getValue()) {
                shape.add(d);
                elements *= d;
            }
            long len = elements * width;
            n.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] h = JSON.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(h);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    /** {@code v} in a 16-bit dtype: F16 (IEEE half) or BF16. */
    static short encode16(float v, String dtype) {
        return switch (dtype) {
            case "F16" -> Half.fromFloat(v);
            case "BF16" -> toBf16(v);
            default -> throw new IllegalArgumentException("dtype must be F16 or BF16: " + dtype);
        };
    }

    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) 0x7fc0;
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

}
