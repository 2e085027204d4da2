package io.quanta.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Maps raw values (pixels 0..255, say) to what a float model expects: y = (x - mean[c]) / std[c], with one
 * mean and std for all channels or one per channel (c = index along the last axis).
 */
public record Normalization(float[] mean, float[] std) {
    /** Values passed through unchanged. */
    public static final Normalization NONE = new Normalization(new float[] {0f}, new float[] {1f});
    /** x / 255: pixels to [0, 1]. */
    public static final Normalization UNIT = new Normalization(new float[] {0f}, new float[] {255f});
    /** (x - 127.5) / 127.5: pixels to [-1, 1]. */
    public static final Normalization SIGNED = new Normalization(new float[] {127.5f}, new float[] {127.5f});

    public Normalization {
        if (mean.length == 0 || std.length == 0 || (mean.length != std.length && mean.length != 1 && std.length != 1)) {
            throw new IllegalArgumentException("mean and std need one value, or one per channel of equal count: mean "
                    + Arrays.toString(mean) + ", std " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s != 0f) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("std must be finite and non-zero, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Parses a declared normalization: {@code none}/{@code raw}, {@code x/255} (also {@code unit},
     * {@code 0..1}), {@code (x-127.5)/127.5} (also {@code signed}, {@code -1..1}), {@code x/S},
     * {@code (x-M)/S}, or {@code mean=M1[,M2,M3];std=S1[,S2,S3]} (also {@code mean=..:std=..}).
     */
    public static Normalization parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        switch (t) {
            case "none", "raw", "identity", "x" -> {
                return NONE;
            }
            case "unit", "0..1", "[0,1]" -> {
                return UNIT;
            }
            case "signed", "-1..1", "[-1,1]" -> {
                return SIGNED;
            }
            default -> {}
        }
        try {
            if (t.startsWith("mean=")) {
                int sep = t.contains(";") ? t.indexOf(';') : t.indexOf(':');
                if (sep < 0 || !t.startsWith("std=", sep + 1)) {
                    throw new IllegalArgumentException();
                }
                return new Normalization(floats(t.substring(5, sep)), floats(t.substring(sep + 5)));
            }
            if (t.startsWith("x/")) {
                return new Normalization(new float[] {0f}, new float[] {Float.parseFloat(t.substring(2))});
            }
            if (t.startsWith("(x-") && t.contains(")/")) {
                int close = t.indexOf(")/");
                return new Normalization(
                        new float[] {Float.parseFloat(t.substring(3, close))},
                        new float[] {Float.parseFloat(t.substring(close + 2))});
            }
        } catch (IllegalArgumentException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("cannot read normalization '" + text
                + "': use none, x/255, (x-127.5)/127.5, x/S, (x-M)/S or mean=M[,M,M];std=S[,S,S]");
    }

    private static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] v = new float[parts.length];
        for (int k = 0; k < parts.length; k++) {
            v[k] = Float.parseFloat(parts[k]);
        }
        return v;
    }

    public boolean isIdentity() {
        for (float m : mean) {
            if (m != 0f) {
                return false;
            }
        }
        for (float s : std) {
            if (s != 1f) {
                return false;
            }
        }
        return true;
    }

    /** Number of channels this normalization is specific to (1 when it applies to all alike). */
    public int channels() {
        return Math.max(mean.length, std.length);
    }

    public double apply(double x, int channel) {
        double m = mean[mean.length == 1 ? 0 : channel];
        double s = std[std.length == 1 ? 0 : channel];
        return (x - m) / s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        if (isIdentity()) {
            return "none";
        }
        if (mean.length == 1 && std.length == 1) {
            return mean[0] == 0f ? "x/" + std[0] : "(x-" + mean[0] + ")/" + std[0];
        }
        return "mean=" + Arrays.toString(mean) + ";std=" + Arrays.toString(std);
    }
}
