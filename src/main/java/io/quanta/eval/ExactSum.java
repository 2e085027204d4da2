package io.quanta.eval;

import java.math.BigDecimal;

/**
 * A sum of doubles kept exactly (every finite double is an exact decimal), rounded to a double only when read.
 * Adding is then associative and commutative, so parts of a sum (blocks of samples, shards run in other pods)
 * give the same double however they were grouped and in whatever order they arrive. NaN and infinities follow
 * IEEE: once the sum is not finite its finite part no longer matters.
 */
final class ExactSum {
    private BigDecimal finite = BigDecimal.ZERO;
    private boolean nan;
    private boolean positiveInfinity;
    private boolean negativeInfinity;

    void add(double d) {
        if (Double.isNaN(d)) {
            nan = true;
        } else if (d == Double.POSITIVE_INFINITY) {
            positiveInfinity = true;
        } else if (d == Double.NEGATIVE_INFINITY) {
            negativeInfinity = true;
        } else if (d != 0) {
            finite = finite.add(new BigDecimal(d));
        }
    }

    void add(ExactSum other) {
        finite = finite.add(other.finite);
        nan |= other.nan;
        positiveInfinity |= other.positiveInfinity;
        negativeInfinity |= other.negativeInfinity;
    }

    /** The sum rounded to a double. */
    double value() {
        if (nan || (positiveInfinity && negativeInfinity)) {
            return Double.NaN;
        }
        if (positiveInfinity) {
            return Double.POSITIVE_INFINITY;
        }
        if (negativeInfinity) {
            return Double.NEGATIVE_INFINITY;
        }
        return finite.doubleValue();
    }

    /** Lossless text: the exact decimal, or NaN / Infinity / -Infinity. */
    String encode() {
        return nan || positiveInfinity || negativeInfinity ? Double.toString(value()) : finite.toString();
    }

    /** The sum {@link #encode} wrote; IllegalArgumentException when the text is not one. */
    static ExactSum decode(String text) {
        ExactSum s = new ExactSum();
        if (text == null) {
            throw new IllegalArgumentException("missing sum");
        }
        switch (text) {
            case "NaN" -> s.nan = true;
            case "Infinity" -> s.positiveInfinity = true;
            case "-Infinity" -> s.negativeInfinity = true;
            default -> {
                try {
                    s.finite = new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an exact sum: '" + text + "'");
                }
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactSum s
                && s.finite.compareTo(finite) == 0
                && s.nan == nan
                && s.positiveInfinity == positiveInfinity
                && s.negativeInfinity == negativeInfinity;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value());
    }
}
