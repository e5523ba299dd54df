package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The property runner ({@link Props}) and the generators ({@link Gen}) the property tests stand on. */
class PropsTest {

    @Test
    void aFailingPropertyNamesTheSeedTheTryAndTheSample() {
        AssertionError e = assertThrows(AssertionError.class, () -> Props.forAll("never boom", 1234L, 10,
                Gen.of("fine", "boom"), s -> assertNotEquals("boom", s, "boom drawn")));
        String m = e.getMessage();
        assertTrue(m.contains("property 'never boom' failed on try "), m);
        assertTrue(m.contains("seed 1234"), m);
        assertTrue(m.contains("-Dprops.seed=1234"), m);
        assertTrue(m.contains("sample: boom"), m);
        assertTrue(m.contains("boom drawn"), m);
        assertTrue(e.getCause() instanceof AssertionError, "the property's own failure is the cause");
    }

    @Test
    void theFailingTryIsTheFirstSampleThatBreaksTheProperty() {
        List<Integer> seen = new ArrayList<>();
        Gen<Integer> ints = Gen.integers(0, 99);
        AssertionError e = assertThrows(AssertionError.class,
                () -> Props.forAll("below 90", 99L, 1000, ints, i -> {
                    seen.add(i);
                    assertTrue(i < 90);
                }));
        int failing = seen.get(seen.size() - 1);
        assertTrue(failing >= 90 && seen.subList(0, seen.size() - 1).stream().allMatch(i -> i < 90), seen.toString());
        assertTrue(e.getMessage().contains("failed on try " + seen.size() + " of 1000"), e.getMessage());
        assertTrue(e.getMessage().contains("sample: " + failing + "\n"), e.getMessage());
        // replaying that try alone draws the same sample
        assertEquals(failing, ints.next(Props.random(99L, "below 90", seen.size() - 1)));
    }

    @Test
    void anExceptionIsAFailureToo() {
        IllegalStateException bug = new IllegalStateException("bug");
        AssertionError e = assertThrows(AssertionError.class,
                () -> Props.forAll("throws", 5L, 3, Gen.constant(7), i -> {
                    throw bug;
                }));
        assertSame(bug, e.getCause());
        assertTrue(e.getMessage().contains("try 1 of 3") && e.getMessage().contains("sample: 7"), e.getMessage());
    }

    @Test
    void theSameSeedDrawsTheSameSamplesAndAnotherSeedOthers() {
        Gen<List<Integer>> gen = Gen.integers(-1000, 1000).list(0, 8);
        assertEquals(samples(42L, gen), samples(42L, gen));
        assertNotEquals(samples(42L, gen), samples(43L, gen));
        // the property's name is part of the derivation: two properties with one seed see different samples
        List<List<Integer>> other = new ArrayList<>();
        Props.forAll("other", 42L, 50, gen, other::add);
        assertNotEquals(samples(42L, gen), other);
    }

    @Test
    void theSeedComesFromTheSystemPropertyOrTheDefault() {
        assertEquals(Props.DEFAULT_SEED, Props.seedFrom(null));
        assertEquals(Props.DEFAULT_SEED, Props.seedFrom(" "));
        assertEquals(-17L, Props.seedFrom(" -17 "));
        assertThrows(IllegalArgumentException.class, () -> Props.seedFrom("abc"));
    }

    @Test
    void hugeSamplesAreAbbreviated() {
        AssertionError e = assertThrows(AssertionError.class, () -> Props.forAll("short", 1L, 1,
                Gen.constant("x".repeat(100_000)), s -> assertTrue(s.length() < 10)));
        assertTrue(e.getMessage().length() < Props.MAX_SAMPLE_CHARS + 1_000, "message of " + e.getMessage().length());
        assertTrue(e.getMessage().contains("(100000 chars in all)"), e.getMessage().substring(0, 300));
        assertEquals("byte[3] \"a?b\"", Props.describe(new byte[] {'a', 7, 'b'}));
        assertEquals("[1, 2]", Props.describe(new int[] {1, 2}));
    }

    @Test
    void generatorsStayInTheirRanges() {
        Random r = new Random(3);
        Map<String, Integer> kinds = new HashMap<>();
        Gen<String> weighted = Gen.frequency(Gen.weightedValue(3, "a"), Gen.weightedValue(1, "b"));
        Gen<List<Integer>> unique = Gen.integers(0, 9).uniqueList(2, 10);
        Gen<String> chars = Gen.strings('\u0000', '\u001f', 0, 6);
        for (int i = 0; i < 4000; i++) {
            int n = Gen.integers(-3, 12).next(r);
            assertTrue(n >= -3 && n <= 12);
            long l = Gen.longs(-5, 5000).next(r);
            assertTrue(l >= -5 && l <= 5000);
            double d = Gen.doubles(-1, 3, 2).next(r);
            assertTrue(d >= -1 && d <= 3 && Math.abs(d * 100 - Math.round(d * 100)) < 1e-6, "" + d);
            assertTrue(Double.isFinite(Gen.doubles().next(r)));
            List<Integer> u = unique.next(r);
            assertTrue(u.size() >= 2 && u.size() <= 10 && u.stream().distinct().count() == u.size(), u.toString());
            String s = chars.next(r);
            assertTrue(s.length() <= 6 && s.chars().allMatch(c -> c <= 0x1f), s);
            kinds.merge(weighted.next(r), 1, Integer::sum);
        }
        // 3:1 weights: about 3000 a and 1000 b
        assertTrue(kinds.get("a") > 2800 && kinds.get("b") > 850, kinds.toString());
        assertEquals(Long.MAX_VALUE, Gen.longs(Long.MAX_VALUE, Long.MAX_VALUE).next(r));
        long wide = Gen.longs(Long.MIN_VALUE + 1, Long.MAX_VALUE).next(r);
        assertTrue(wide > Long.MIN_VALUE);
    }

    @Test
    void lazyGeneratorsAllowRecursion() {
        Gen<String> tree = tree(3);
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            String t = tree.next(r);
            int depth = 0;
            int max = 0;
            for (char c : t.toCharArray()) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                max = Math.max(max, depth);
            }
            assertEquals(0, depth, t);
            assertTrue(max <= 3, t);
        }
    }

    private static Gen<String> tree(int depth) {
        Gen<String> leaf = Gen.constant("x");
        if (depth == 0) {
            return leaf;
        }
        Gen<String> inner = Gen.lazy(() -> tree(depth - 1));
        return Gen.oneOf(leaf, inner.list(0, 3).map(l -> "(" + String.join(" ", l) + ")"));
    }

    private static List<List<Integer>> samples(long seed, Gen<List<Integer>> gen) {
        List<List<Integer>> out = new ArrayList<>();
        Props.forAll("samples", seed, 50, gen, out::add);
        return out;
    }
}
