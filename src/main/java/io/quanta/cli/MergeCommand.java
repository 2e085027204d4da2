package io.quanta.cli;

import io.quanta.eval.EvaluationResult;
import io.quanta.pipeline.ShardFiles;
import io.quanta.pipeline.ShardSteps;
import io.quanta.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code quanta merge FLOAT.tflite QUANT.tflite T0.json ...}: the evaluation tallies of every shard of a sharded
 * {@code quanta eval} turned into the result the unsharded eval gives (the merge phase of the operator's runs).
 */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Merge the evaluation tallies of 'quanta eval FLOAT QUANT --shard I/N --tally-out T.json' for I = 0..N-1 "
                    + "into the comparison an unsharded 'quanta eval' prints and writes: top-1, agreement, output "
                    + "errors and SQNR, per-layer errors, exactly equal.",
            "The tallies must be one complete set (every shard once, same N, same samples) of these two models."
        })
public final class MergeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FLOAT.tflite", description = "The float model the shards compared.")
    String floatModel;

    @Parameters(index = "1", paramLabel = "QUANT.tflite", description = "The quantized model the shards compared.")
    String quantModel;

    @Parameters(
            index = "2..*",
            arity = "1..*",
            paramLabel = "T.json",
            description = "The tallies of every shard, in any order (paths, file:// or s3://).")
    List<String> tallies;

    @Option(
            names = "--report",
            paramLabel = "REPORT.json",
            description = "Also write the comparison as JSON, as 'quanta eval --report' does (a path, file:// or "
                    + "s3://, written atomically).")
    String report;

    @Mixin
    StorageFlags storage;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (Storage store = storage.open(main.environment())) {
            Path cache = storage.cacheDir();
            List<ShardSteps.EvaluationShard> shards = ShardOption.read(store, cache, tallies, ShardFiles::evaluation);
            Path floatFile = store.fetch(floatModel, cache);
            Path quantFile = store.fetch(quantModel, cache);
            EvaluationResult result =
                    ShardOption.typed(() -> ShardSteps.mergeComparison(floatFile, quantFile, shards, tallies));
            EvalCommand.show(out, result, floatModel, quantModel, report, store, storage.workDir());
        }
        out.flush();
        return 0;
    }
}
