#!/usr/bin/env bash
# Regenerates the Java classes of the TFLite flatbuffer schema (src/main/fbs/tflite_schema.fbs) into
# src/main/java/io/quanta/tflite/schema. The generated sources are committed, so a normal build needs no flatc;
# run this only after editing the schema.
#
# Needs flatc 2.0.8, the version matching the com.google.flatbuffers:flatbuffers-java dependency in pom.xml
# (generated code calls Constants.FLATBUFFERS_2_0_8()). On Debian/Ubuntu: sudo apt-get install flatbuffers-compiler
# (Debian bookworm ships 2.0.8); elsewhere build it from https://github.com/google/flatbuffers/releases/tag/v2.0.8.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
schema="$root/src/main/fbs/tflite_schema.fbs"
out="$root/src/main/java/io/quanta/tflite/schema"
want="2.0.8"

if ! command -v flatc >/dev/null 2>&1; then
  echo "flatc not found. Install flatc $want: 'sudo apt-get install flatbuffers-compiler' on Debian/Ubuntu," >&2
  echo "or build it from https://github.com/google/flatbuffers/releases/tag/v$want" >&2
  exit 1
fi
have="$(flatc --version | awk '{print $3}')"
if [ "$have" != "$want" ]; then
  echo "flatc $have found, but $want is needed (it must match flatbuffers-java $want in pom.xml)" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
flatc --java -o "$tmp" "$schema"
rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/io/quanta/tflite/schema/*.java "$out"/
echo "generated $(ls "$out" | wc -l) classes into ${out#$root/}"

# The digests GeneratedSchemaTest compares, so that neither the schema nor the classes can change alone.
{
  echo "schema $(sha256sum "$schema" | cut -d' ' -f1)"
  echo "generated $(cd "$out" && for f in $(ls *.java | LC_ALL=C sort); do echo "$f $(sha256sum "$f" | cut -d' ' -f1)"; done | sha256sum | cut -d' ' -f1)"
  echo "# written by scripts/gen-flatbuffers.sh with flatc $want"
} > "$root/src/main/fbs/tflite_schema.sha256"
