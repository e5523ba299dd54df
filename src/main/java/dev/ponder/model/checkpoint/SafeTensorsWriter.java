package dev.ponder.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Tensor t : tensors) {
            ObjectNode n = header.putObject(t.name);
            n.put("dtype", dtype);
            var shape = n.putArray("shape");
            for (long d : t.shape) {
                shape.add(d);
            }
            long len = (long) t.data.length * width;
            n.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] h = JSON.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(h, 0, headerBytes, 0, h.length);
        for (int i = h.length; i < padded; i++) {
            headerBytes[i] = ' ';
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (Tensor t : tensors) {
                ByteBuffer buf = ByteBuffer.allocate(t.data.length * width).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.data) {
                    switch (dtype) {
                        case "F32" -> buf.putFloat(v);
                        case "F16" -> buf.putShort(Half.fromFloat(v));
                        default -> buf.putShort(toBf16(v));
                    }
                }
                out.write(buf.array());
            }
        }
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
