package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a Llama-family decoder, in Hugging Face layout ({@code [out, in]} for every linear
 * map). q/k/v are fused into one projection and gate/up into another, so each costs one matrix product.
 *
 * @param embed     [V, D] token embedding
 * @param layers    one entry per decoder block
 * @param finalNorm [D] RMSNorm weight before the head
 * @param lmHead    [V, D] output head; the same array as {@code embed} when tied
 */
public record Weights(NDArray embed, List<Layer> layers, NDArray finalNorm, NDArray lmHead) {

    /**
     * @param attnNorm [D]
     * @param wqkv     [(H + 2 Hkv) * hd, D]: q rows, then k rows, then v rows
     * @param bqkv     [(H + 2 Hkv) * hd] or null
     * @param wo       [D, H * hd]
     * @param bo       [D] or null
     * @param mlpNorm  [D]
     * @param wGateUp  [2 I, D]: gate rows, then up rows
     * @param bGateUp  [2 I] or null
     * @param wDown    [D, I]
     * @param bDown    [D] or null
     */
    public record Layer(NDArray attnNorm, NDArray wqkv, NDArray bqkv, NDArray wo, NDArray bo,
                        NDArray mlpNorm, NDArray wGateUp, NDArray bGateUp, NDArray wDown, NDArray bDown) {

        List<NDArray> all() {
            List<NDArray> out = new ArrayList<>();
            for (NDArray a : new NDArray[] {attnNorm, wqkv, bqkv, wo, bo, mlpNorm, wGateUp, bGateUp, wDown, bDown}) {
                if (a != null) {
                    out.add(a);
                }
            }
            return out;
        }
    }

    /** Every distinct parameter array (a tied head counted once), e.g. for an optimizer. */
    public NDList parameters() {
        NDList out = new NDList();
        out.add(embed);
        for (Layer l : layers) {
            out.addAll(l.all());
        }
        out.add(finalNorm);
        if (lmHead != embed) {
            out.add(lmHead);
        }
        return out;
    }
}
