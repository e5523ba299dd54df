package dev.ponder.bench.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {

    @Test
    void headerMetadataAndTensorsRoundTrip(@TempDir Path dir) throws Exception {
        float[] matrix = new float[3 * 5];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = i * 0.5f - 3;
        }
        float[] vector = {1.5f, -2.25f, 7f};
        Path file = dir.resolve("t.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("llama.block_count", 6)
                .putFloat32("llama.rope.freq_base", 10000)
                .putBool("tokenizer.ggml.add_bos_token", false)
                .putStrings("tokenizer.ggml.tokens", List.of("<unk>", "\u2581", "a"))
                .putFloats("tokenizer.ggml.scores", new float[] {0, -1, -2})
                .putInts("tokenizer.ggml.token_type", new int[] {2, 1, 1})
                .addTensor("m.weight", new long[] {3, 5}, matrix)
                .addTensor("v.weight", new long[] {3}, vector)
                .write(file);

        GgufReader r = new GgufReader(file);
        assertEquals(GgufWriter.MAGIC, r.magic);
        assertEquals(0x46554747, r.magic, "'GGUF' little-endian");
        assertEquals(3, r.version);
        assertEquals("llama", r.metadata.get("general.architecture"));
        assertEquals(6L, r.metadata.get("llama.block_count"));
        assertEquals(GgufWriter.UINT32, r.metadataTypes.get("llama.block_count"));
        assertEquals(10000f, r.metadata.get("llama.rope.freq_base"));
        assertEquals(false, r.metadata.get("tokenizer.ggml.add_bos_token"));
        assertEquals(List.of("<unk>", "\u2581", "a"), r.metadata.get("tokenizer.ggml.tokens"));
        assertEquals(List.of(0f, -1f, -2f), r.metadata.get("tokenizer.ggml.scores"));
        assertEquals(List.of(2, 1, 1), r.metadata.get("tokenizer.ggml.token_type"));

        // dimensions innermost first, F32, offsets aligned, data section aligned
        GgufReader.TensorInfo m = r.tensor("m.weight");
        assertArrayEquals(new long[] {5, 3}, m.ne());
        assertEquals(GgufWriter.GGML_F32, m.type());
        assertEquals(0, m.offset());
        assertEquals(64, r.tensor("v.weight").offset(), "60 bytes of m padded to 64");
        assertEquals(0, r.dataStart % 32);
        assertArrayEquals(matrix, r.data("m.weight"));
        assertArrayEquals(vector, r.data("v.weight"));
    }

    @Test
    void shapeMustMatchData() {
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().addTensor("x", new long[] {2, 2}, new float[3]));
    }

    @Test
    void ropePermutationByHand() {
        // 2 heads of width 4, one column: per head rows (0 1 | 2 3) become pairs (0 2)(1 3)
        float[] w = {0, 1, 2, 3, 4, 5, 6, 7};
        assertArrayEquals(new float[] {0, 2, 1, 3, 4, 6, 5, 7}, GgufExport.permuteRope(w, 8, 1, 2));
        // whole rows move: 1 head of width 4, two columns
        float[] w2 = {10, 11, 20, 21, 30, 31, 40, 41};
        assertArrayEquals(new float[] {10, 11, 30, 31, 20, 21, 40, 41}, GgufExport.permuteRope(w2, 4, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> GgufExport.permuteRope(new float[6], 6, 1, 2));
    }

    @Test
    void permutedWeightsUnderPairRopeEqualHfRotateHalf() {
        // q = W x rotated HF-style equals (P W) x rotated llama.cpp-style, read back through the same permutation
        int heads = 3;
        int hd = 8;
        int cols = 5;
        Random rnd = new Random(7);
        float[] w = new float[heads * hd * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int position = 11;
        double[] hf = rotateHalf(matVec(w, x, heads * hd, cols), heads, hd, position);
        double[] pair = rotatePairs(matVec(GgufExport.permuteRope(w, heads * hd, cols, heads), x, heads * hd, cols),
                heads, hd, position);
        // pair-RoPE output row 2i+j of a head corresponds to rotate-half row j*hd/2+i
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(hf[h * hd + j * hd / 2 + i], pair[h * hd + 2 * i + j], 1e-9);
                }
            }
        }
    }

    @Test
    void tokenTypes() {
        assertEquals(GgufExport.UNKNOWN, GgufExport.tokenizerTypes("<unk>", true, true));
        assertEquals(GgufExport.CONTROL, GgufExport.tokenizerTypes("<|im_end|>", true, false));
        assertEquals(GgufExport.BYTE, GgufExport.tokenizerTypes("<0x0A>", false, false));
        assertEquals(GgufExport.NORMAL, GgufExport.tokenizerTypes("a", false, false));
        assertEquals(GgufExport.NORMAL, GgufExport.tokenizerTypes("<", false, false));
    }

    private static double[] matVec(float[] w, float[] x, int rows, int cols) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r] += (double) w[r * cols + c] * x[c];
            }
        }
        return out;
    }

    private static double theta(int i, int hd, int position) {
        return position * Math.pow(10000, -2.0 * i / hd);
    }

    /** Hugging Face: pairs (i, i + hd/2). */
    private static double[] rotateHalf(double[] q, int heads, int hd, int position) {
        double[] out = q.clone();
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                int a = h * hd + i;
                int b = a + hd / 2;
                double t = theta(i, hd, position);
                out[a] = q[a] * Math.cos(t) - q[b] * Math.sin(t);
                out[b] = q[b] * Math.cos(t) + q[a] * Math.sin(t);
            }
        }
        return out;
    }

    /** llama.cpp's normal RoPE: pairs (2i, 2i + 1). */
    private static double[] rotatePairs(double[] q, int heads, int hd, int position) {
        double[] out = q.clone();
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                int a = h * hd + 2 * i;
                int b = a + 1;
                double t = theta(i, hd, position);
                out[a] = q[a] * Math.cos(t) - q[b] * Math.sin(t);
                out[b] = q[b] * Math.cos(t) + q[a] * Math.sin(t);
            }
        }
        return out;
    }
}
