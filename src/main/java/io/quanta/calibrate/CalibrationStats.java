package io.quanta.calibrate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The calibration statistics of one model: for every float tensor seen (model inputs and op outputs), keyed
 * by tensor index, its {@link TensorStats}; and how many samples went in. Serializes to JSON and merges
 * exactly, so calibration can be split into shards (pods) and combined: merge(stats(A), stats(B)) equals
 * stats(A ∪ B).
 */
public final class CalibrationStats {
    /** Bumped when the JSON layout changes. */
    public static final int FORMAT_VERSION = 2;

    private final int bins;
    private long samples;
    private final TreeMap<Integer, TensorStats> tensors = new TreeMap<>();

    public CalibrationStats(int bins) {
        this.bins = bins;
    }

    public CalibrationStats() {
        this(Histogram.DEFAULT_BINS);
    }

    public int bins() {
        return bins;
    }

    public long samples() {
        return samples;
    }

    void addSample() {
        samples++;
    }

    /** The stats of a tensor, created empty on first use. */
    TensorStats tensor(int index, String name) {
        return tensors.computeIfAbsent(index, k -> new TensorStats(k, name, bins));
    }

    /** The stats of tensor {@code index}, or null when it was not recorded. */
    public TensorStats get(int index) {
        return tensors.get(index);
    }

    /** The stats of the tensor with this name, or null. */
    public TensorStats get(String name) {
        for (TensorStats t : tensors.values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Every tensor's stats, by tensor index. */
    public Collection<TensorStats> tensors() {
        return java.util.Collections.unmodifiableCollection(tensors.values());
    }

    /** A new object holding this and another shard's statistics (neither is changed). */
    public CalibrationStats merge(CalibrationStats other) {
        CalibrationStats m = copy();
        m.mergeIn(other);
        return m;
    }

    /** Adds another shard's statistics to this one. */
    public void mergeIn(CalibrationStats other) {
        if (other.bins != bins) {
            throw new IllegalArgumentException(
                    "cannot merge statistics with " + bins + " and " + other.bins + " histogram bins");
        }
        for (TensorStats t : other.tensors.values()) {
            TensorStats mine = tensors.get(t.tensorIndex());
            if (mine == null) {
                tensors.put(t.tensorIndex(), t.copy());
            } else {
                mine.merge(t);
            }
        }
        samples += other.samples;
    }

    public CalibrationStats copy() {
        CalibrationStats c = new CalibrationStats(bins);
        c.samples = samples;
        tensors.forEach((k, v) -> c.tensors.put(k, v.copy()));
        return c;
    }

    // ---------------------------------------------------------------- JSON

    /** The serialized form: plain records so the layout is explicit and stable. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Json(int formatVersion, int bins, long samples, List<TensorJson> tensors) {}

    record TensorJson(
            int index,
            String name,
            long count,
            long nonFinite,
            String min,
            String max,
            int exponent,
            long offset,
            long[] counts) {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String toJson() {
        List<TensorJson> list = new ArrayList<>();
        for (TensorStats t : tensors.values()) {
            Histogram h = t.histogram();
            boolean empty = h.count() == 0;
            list.add(new TensorJson(
                    t.tensorIndex(),
                    t.name(),
                    h.count(),
                    t.nonFinite(),
                    empty ? null : Float.toHexString(h.min()),
                    empty ? null : Float.toHexString(h.max()),
                    h.exponent(),
                    h.offset(),
                    h.counts()));
        }
        try {
            return MAPPER.writeValueAsString(new Json(FORMAT_VERSION, bins, samples, list));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CalibrationStats fromJson(String json) {
        Json j;
        try {
            j = MAPPER.readValue(json, Json.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not calibration statistics JSON ("
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                                            && p.getLocation() != null
                                    ? "malformed at line " + p.getLocation().getLineNr() + ", column "
                                            + p.getLocation().getColumnNr()
                                    : "unreadable")
                            + ")",
                    e);
        }
        if (j == null || j.bins() < 0 || j.samples() < 0) {
            throw new IllegalArgumentException("not calibration statistics JSON (no bins or samples)");
        }
        if (j.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "calibration statistics format " + j.formatVersion() + ", this version reads " + FORMAT_VERSION);
        }
        CalibrationStats s = new CalibrationStats(j.bins());
        s.samples = j.samples();
        for (TensorJson t : j.tensors() == null ? List.<TensorJson>of() : j.tensors()) {
            Histogram h = t.count() == 0
                    ? new Histogram(j.bins())
                    : Histogram.restore(
                            j.bins(),
                            t.count(),
                            parseFloat(t.min(), t.index()),
                            parseFloat(t.max(), t.index()),
                            t.exponent(),
                            t.offset(),
                            t.counts() == null ? new long[0] : t.counts());
            s.tensors.put(t.index(), new TensorStats(t.index(), t.name() == null ? "" : t.name(), h, t.nonFinite()));
        }
        return s;
    }

    /** A float written by {@link Float#toHexString} (lossless), or a plain decimal. */
    private static float parseFloat(String text, int tensor) {
        if (text == null) {
            throw new IllegalArgumentException("tensor " + tensor + " has values but no min or max");
        }
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tensor " + tensor + ": not a number: '" + text + "'");
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    public static CalibrationStats read(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalibrationStats c && c.bins == bins && c.samples == samples && c.tensors.equals(tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "CalibrationStats[" + samples + " samples, " + tensors.size() + " tensors]";
    }
}
