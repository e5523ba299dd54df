package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class FractionTest {

    @Test
    void normalizesSignAndCommonFactors() {
        assertEquals(new Fraction(1, 5), Fraction.of(-2, -10));
        assertEquals(new Fraction(-3, 4), Fraction.of(6, -8));
        assertEquals(Fraction.ZERO, Fraction.of(0, 7));
        assertEquals(1, Fraction.of(3, -9).den() > 0 ? 1 : 0);
        assertEquals("24/5", Fraction.of(48, 10).toString());
        assertEquals("-3", Fraction.of(-3).toString());
    }

    @Test
    void arithmeticIsExact() {
        Fraction fifth = Fraction.of(1, 5);
        assertEquals(Fraction.of(24, 5), Fraction.of(5).subtract(fifth));
        assertEquals(Fraction.of(24), Fraction.of(5).multiply(Fraction.of(5).subtract(fifth)));
        assertEquals(Fraction.of(6, 5), Fraction.ONE.add(fifth));
        assertEquals(Fraction.of(24), Fraction.of(3).divide(Fraction.of(1, 8)));
        assertTrue(Fraction.of(7, 8).compareTo(Fraction.ONE) < 0);
    }

    @Test
    void divisionByZeroAndOverflowThrow() {
        assertThrows(ArithmeticException.class, () -> Fraction.ONE.divide(Fraction.ZERO));
        assertThrows(ArithmeticException.class, () -> Fraction.of(1, 0));
        assertThrows(ArithmeticException.class, () -> Fraction.of(Long.MAX_VALUE).multiply(Fraction.of(2)));
    }

    @Test
    void parsesStepNumbers() {
        assertEquals(Optional.of(Fraction.of(1, 5)), Fraction.parse("1/5"));
        assertEquals(Optional.of(Fraction.of(-7)), Fraction.parse(" -7 "));
        assertEquals(Optional.of(Fraction.of(2)), Fraction.parse("4/2"));
        assertEquals(Optional.empty(), Fraction.parse("1/0"));
        assertEquals(Optional.empty(), Fraction.parse("1.5"));
        assertEquals(Optional.empty(), Fraction.parse("99999999999999999999"));
        assertEquals(Optional.empty(), Fraction.parse(null));
    }
}
