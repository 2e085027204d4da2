package io.quanta.pipeline;

import io.quanta.interp.SampleBlocks;
import io.quanta.report.RunResult.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks that partial results (calibration statistics, evaluation tallies) form one complete set before they are
 * merged: the same model(s), the same shard count and sample count, every shard 0..N-1 exactly once, each covering
 * its own slice. Pure; a failure is a one-line {@link PipelineException} naming the files.
 */
final class ShardSets {
    private ShardSets() {}

    /** What a partial says about itself. {@code quantizedSha256} is null for calibration statistics. */
    record Header(String modelSha256, String quantizedSha256, int samples, int index, int count, int from, int to) {}

    /**
     * The positions of {@code headers} in shard order (0..N-1), when they are one complete set; {@code names} name
     * them (file names) in messages, {@code what} is what they hold.
     */
    static List<Integer> check(List<Header> headers, List<String> names, String what, Stage stage) {
        if (headers.isEmpty()) {
            throw new PipelineException(stage, "ShardMissing", "no " + what + " given", null);
        }
        Header first = headers.get(0);
        String firstName = names.get(0);
        for (int k = 1; k < headers.size(); k++) {
            Header h = headers.get(k);
            String name = names.get(k);
            if (!Objects.equals(h.modelSha256(), first.modelSha256())) {
                throw mismatch(
                        stage,
                        name + " is of model sha256 " + h.modelSha256() + " but " + firstName + " of "
                                + first.modelSha256() + ": " + what + " of different models");
            }
            if (!Objects.equals(h.quantizedSha256(), first.quantizedSha256())) {
                throw mismatch(
                        stage,
                        name + " is of quantized model sha256 " + h.quantizedSha256() + " but " + firstName + " of "
                                + first.quantizedSha256() + ": " + what + " of different models");
            }
            if (h.count() != first.count()) {
                throw mismatch(
                        stage,
                        name + " is shard " + h.index() + " of " + h.count() + " but " + firstName + " is of "
                                + first.count() + " shards");
            }
            if (h.samples() != first.samples()) {
                throw mismatch(
                        stage,
                        name + " is of " + h.samples() + " samples but " + firstName + " of " + first.samples()
                                + ": the shards read different data or settings");
            }
        }
        int n = first.count();
        Integer[] at = new Integer[n];
        for (int k = 0; k < headers.size(); k++) {
            Header h = headers.get(k);
            if (h.index() < 0 || h.index() >= n) {
                throw new PipelineException(
                        stage, "PartialInvalid", names.get(k) + " claims shard " + h.index() + " of " + n, null);
            }
            if (at[h.index()] != null) {
                throw new PipelineException(
                        stage,
                        "ShardDuplicate",
                        "shard " + h.index() + " of " + n + " given twice: " + names.get(at[h.index()]) + " and "
                                + names.get(k),
                        null);
            }
            int[] slice = SampleBlocks.shard(h.samples(), h.index(), n);
            if (h.from() != slice[0] || h.to() != slice[1]) {
                throw new PipelineException(
                        stage,
                        "PartialInvalid",
                        names.get(k) + " covers samples " + h.from() + ".." + h.to() + " but shard " + h.index()
                                + " of " + n + " is " + slice[0] + ".." + slice[1],
                        null);
            }
            at[h.index()] = k;
        }
        List<Integer> order = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (at[i] == null) {
                missing.add(i);
            } else {
                order.add(at[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new PipelineException(
                    stage,
                    "ShardMissing",
                    what + " of shard" + (missing.size() > 1 ? "s " : " ") + join(missing) + " of " + n + " missing",
                    null);
        }
        return order;
    }

    private static String join(List<Integer> l) {
        return String.join(", ", l.stream().map(String::valueOf).toList());
    }

    private static PipelineException mismatch(Stage stage, String message) {
        return new PipelineException(stage, "PartialMismatch", message, null);
    }
}
