package dev.ponder.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file whose tensors are produced piece by piece, never held whole: the header from the
 * shapes, then each tensor's elements in chunks from a {@link Source}. For checkpoints larger than memory
 * (random weights in an 8B shape); {@link SafeTensorsWriter} writes tensors already in memory.
 */
public final class SafeTensorsStream {

    private static final int CHUNK = 1 << 22;   // elements per write

    /**
     * Puts elements {@code [from, from + n)} of tensor {@code name} (row-major) into {@code out}, already encoded
     * in the file's 16-bit dtype (see {@link #encode}).
     */
    public interface Source {
        void fill(String name, long from, ShortBuffer out, int n);
    }

    /** {@code v} in a 16-bit safetensors dtype: F16 (IEEE half) or BF16 (rounded to nearest even, as torch does). */
    public static short encode(float v, String dtype) {
        return SafeTensorsWriter.encode16(v, dtype);
    }

    private SafeTensorsStream() {
    }

    /**
     * @param dtype   F16 or BF16 (the storage of released checkpoints)
     * @param tensors names and shapes, in file order
     * @return bytes of tensor data written
     */
    public static long write(Path file, String dtype, Map<String, long[]> tensors, Source source) throws IOException {
        if (!List.of("F16", "BF16").contains(dtype)) {
            throw new IllegalArgumentException("dtype must be F16 or BF16: " + dtype);
        }
        int width = 2;
        long dataBytes = 0;
        for (long[] shape : tensors.values()) {
            dataBytes += elements(shape) * width;
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * width).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, ByteBuffer.wrap(SafeTensorsWriter.header(dtype, width, tensors)));
            for (var t : tensors.entrySet()) {
                long n = elements(t.getValue());
                for (long from = 0; from < n; from += CHUNK) {
                    int k = (int) Math.min(CHUNK, n - from);
                    buf.clear();
                    ShortBuffer out = buf.asShortBuffer();
                    source.fill(t.getKey(), from, out, k);
                    if (out.position() != k) {
                        throw new IllegalStateException("source gave " + out.position() + " of " + k + " elements of " + t.getKey());
                    }
                    buf.limit(k * width);
                    writeAll(ch, buf);
                }
            }
        }
        return dataBytes;
    }

    /** Elements of a tensor of {@code shape}. */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
