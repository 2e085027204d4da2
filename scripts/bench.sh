#!/usr/bin/env bash
# Inference benchmark (JMH, one thread): Quanta beside TFLite 2.21's default kernels and XNNPACK on the
# shared float models, printing ms per inference and Quanta's ratios. Builds the test classes first.
# Args go to BenchMain: an optional JMH include pattern. Shorter runs while iterating:
#   BENCH_WARMUPS=2 BENCH_ITERATIONS=3 BENCH_SECONDS=1 scripts/bench.sh
# On a loaded machine JMH's one-engine-after-another trials drift with the load; the engines taking turns in
# short bursts in one JVM give steadier ratios (best/median burst), for the float models and the int8 ones
# (the converter's <name>_int8 from models/int8_ref, and ours:<name> quantized here):
#   scripts/bench.sh --interleaved [model ...]
# With BENCH_CPU=1 each burst is timed in the thread's CPU time (steadier when the cores are oversubscribed).
# Issue 14's figures beside the kernels (ThreadsBench, engines taking turns likewise): calibration per sample against a
# plain float pass, calibration and evaluation throughput on 1 and N threads, end-to-end wall times through ./quanta
# (JVM start included; CPU seconds beside wall seconds, since wall time on a shared machine says little) and peak RSS
# (whole, anonymous, file-backed) of quantize for 100 and 1 000 samples under a 512Mi pod's heap.
# Parts: calibration threads e2e memory (default all):
#   scripts/bench.sh --threads [part ...]
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
    -Dmdep.includeScope=test

main=io.quanta.bench.BenchMain
if [ "${1:-}" = "--interleaved" ]; then
    main=io.quanta.bench.InterleavedBench
    shift
elif [ "${1:-}" = "--threads" ]; then
    main=io.quanta.bench.ThreadsBench
    shift
fi
exec java --add-modules jdk.incubator.vector -Dquanta.shared=../shared \
    -Dbench.warmups="${BENCH_WARMUPS:-3}" -Dbench.iterations="${BENCH_ITERATIONS:-5}" \
    -Dbench.seconds="${BENCH_SECONDS:-2}" -Dbench.cpu="${BENCH_CPU:+true}" \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "$main" "$@"
