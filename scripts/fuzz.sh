#!/usr/bin/env bash
# The long fuzz run (issue 15): seeded mutations of every shared model (read -> validate -> interpreter build with
# the int8 and float kernels -> invoke on zeros) and of each dataset format (npy, npz, gzip IDX, images, WAV) and of
# the example manifests (job run's reader), and of the float models through calibration, quantization, the writer and
# the int8 interpreter (target quantize), under a
# 512 MiB heap and 10 s per input at most. Prints counts by outcome and the peak heap per target; keeps each input
# that ended in a bug (anything but a run or a typed user error) under target/fuzz-failures. Exit code 1 if any.
#
#   scripts/fuzz.sh [model-mutations] [seed]        defaults: 100000, 1
#
# Environment: FUZZ_TARGETS (default "model quantize npy npz idx image wav manifest"), FUZZ_DATA_MUTATIONS (per dataset
# format and for quantize, default 10000), FUZZ_HEAP (default 512m), FUZZ_TIMEOUT_MS (default 10000), QUANTA_SHARED (default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SEED=${2:-1}
TARGETS=${FUZZ_TARGETS:-model quantize npy npz idx image wav manifest}
DATA_N=${FUZZ_DATA_MUTATIONS:-10000}
HEAP=${FUZZ_HEAP:-512m}
TIMEOUT=${FUZZ_TIMEOUT_MS:-10000}
SHARED=${QUANTA_SHARED:-$(cd .. && pwd)/shared}
OUT=target/fuzz-failures

# The short fuzz test of the build records the test classpath; run it when the classes are older than the sources.
if [ ! -f target/fuzz-classpath.txt ] || [ -n "$(find src pom.xml -newer target/fuzz-classpath.txt -print -quit)" ]; then
    ./mvnw -o -q -B test -Dtest=ModelFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dquanta.shared="$SHARED"
fi
CP=$(cat target/fuzz-classpath.txt)
status=0
for target in $TARGETS; do
    n=$N
    [ "$target" = model ] || n=$DATA_N
    java -Xmx"$HEAP" --add-modules jdk.incubator.vector -Dquanta.shared="$SHARED" -cp "$CP" \
        io.quanta.fuzz.FuzzMain "$target" "$n" "$SEED" "$TIMEOUT" "$OUT" 2> >(grep -v 'incubator' >&2) || status=1
done
exit $status
