package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Pins the seed derivations: benchmark and eval outputs, and tests elsewhere, depend on these exact numbers, so a
 * change to {@link Seeds} must show up here first. The values were computed with the code as it was before the
 * derivations were gathered into {@link Seeds} (SearchSession's and the former LlamaCppStepModel's {@code mix(seed, i)},
 * Batches' stream seeds, the search's per-call seeds).
 */
class SeedsTest {

    @Test
    void mixIsSplitMix64sFinaliser() {
        assertEquals(0L, Seeds.mix(0L));
        assertEquals(6238072747940578789L, Seeds.mix(1L));
        assertEquals(-6387817139659442654L, Seeds.mix(42L));
        assertEquals(-5417735806833148549L, Seeds.mix(-1L));
        assertEquals(2720858781877447050L, Seeds.mix(Long.MIN_VALUE));
        assertEquals(-2152535657050944081L, Seeds.mix(Seeds.GOLDEN));
    }

    @Test
    void childIsTheEnginesPerSampleSeed() {
        assertEquals(-2152535657050944081L, Seeds.child(0L, 0L));
        assertEquals(-4767286540954276203L, Seeds.child(42L, 0L));
        assertEquals(2949826092126892291L, Seeds.child(42L, 1L));
        assertEquals(-3677692746721775708L, Seeds.child(42L, 7L));
        assertEquals(7862637804313477842L, Seeds.child(-1L, 3L));
        assertEquals(1346066267577507604L, Seeds.child(7L, -1L));
    }

    @Test
    void deriveIsTheSearchsPerCallSeed() {
        assertEquals(0L, Seeds.derive(0L, ""));
        assertEquals(1372060313018042490L, Seeds.derive(42L, "root"));
        assertEquals(1630366125249849997L, Seeds.derive(42L, "n3/expand"));
        assertEquals(-8124165692353157638L, Seeds.derive(-7L, "n12/value"));
        assertEquals(-4173660090842668431L, Seeds.derive(7L, "漢"));
    }

    @Test
    void trainingStreamSeedsAreMixOfTheGoldenStep() {
        // Batches.streamSeed(seed, step) = mix(seed * GOLDEN + step + 1)
        assertEquals(6238072747940578789L, Seeds.mix(0L * Seeds.GOLDEN + 0L + 1));
        assertEquals(-5383142681732044537L, Seeds.mix(42L * Seeds.GOLDEN + 0L + 1));
        assertEquals(3114053619271302762L, Seeds.mix(42L * Seeds.GOLDEN + 1L + 1));
        assertEquals(7574204745853770507L, Seeds.mix(42L * Seeds.GOLDEN + 7L + 1));
        assertEquals(-2069235236699770188L, Seeds.mix(-1L * Seeds.GOLDEN + 3L + 1));
    }
}
