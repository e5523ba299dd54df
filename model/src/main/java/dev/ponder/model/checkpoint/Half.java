package dev.ponder.model.checkpoint;

/** IEEE 754 half-precision conversions (Java 17 has none built in). */
final class Half {

    private Half() {
    }

    static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));   // inf or NaN
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);                           // signed zero
            }
            float v = mant / 1024f / 16384f;                                  // subnormal: mant * 2^-24
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Round to nearest even. */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int val = bits & 0x7fffffff;
        if (val >= 0x7f800000) {                                               // inf or NaN
            return (short) (sign | 0x7c00 | (val > 0x7f800000 ? 0x200 : 0));
        }
        if (val >= 0x477ff000) {                                               // overflow to inf
            return (short) (sign | 0x7c00);
        }
        if (val < 0x38800000) {                                                // subnormal or zero
            if (val < 0x33000000) {
                return (short) sign;
            }
            int e = val >>> 23;
            int m = (val & 0x7fffff) | 0x800000;
            int shift = 126 - e;
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int e = ((val >>> 23) - 112) << 10;
        int m = (val >>> 13) & 0x3ff;
        int rem = val & 0x1fff;
        int h = e | m;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) {
            h++;
        }
        return (short) (sign | h);
    }
}
