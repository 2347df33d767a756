package dev.moe.runtime.data;

/**
 * A fast, exact path for the plain decimals that fill most CSV files ({@code -0.12345}, {@code 17}, {@code 3.5}):
 * at most 7 significant digits' worth of mantissa (below 2^24) and at most 10 digits after the point. Both the
 * mantissa and the power of ten are then exact floats, and one IEEE division rounds the quotient correctly: the
 * very float {@link Float#parseFloat} returns. Anything else (exponents, long mantissas, text) returns NaN, and the
 * caller falls back to {@link Float#parseFloat} with its checks and messages. In a ';' file a decimal comma
 * ({@code 0,25}) is a point too ({@link CsvSource#pointed}).
 */
final class Decimals {

    private static final float[] POWERS = {1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

    private Decimals() {
    }

    static float parse(char[] text, int offset, int length) {
        return parse(text, offset, length, false);
    }

    /** As {@link #parse(char[], int, int)}; with {@code comma}, a ',' is read as the decimal point too. */
    static float parse(char[] text, int offset, int length, boolean comma) {
        int i = offset;
        int end = offset + length;
        while (i < end && text[i] == ' ') {
            i++;
        }
        while (end > i && text[end - 1] == ' ') {
            end--;
        }
        if (i == end) {
            return Float.NaN;
        }
        boolean negative = false;
        if (text[i] == '-' || text[i] == '+') {
            negative = text[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < end; i++) {
            char c = text[i];
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
                if (mantissa >= (1L << 24)) {
                    return Float.NaN;
                }
            } else if ((c == '.' || comma && c == ',') && fraction < 0) {
                fraction = 0;
            } else {
                return Float.NaN;
            }
        }
        if (digits == 0 || fraction > 10) {
            return Float.NaN;
        }
        float v = fraction <= 0 ? (float) mantissa : (float) mantissa / POWERS[fraction];
        return negative ? -v : v;
    }
}
