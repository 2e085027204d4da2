#!/usr/bin/env bash
# Runs every test of Quanta: unit and conformance tests against the real TFLite 2.21 runtime, the build of
# the application, then (when present) the end-to-end tests on a real single-node Kubernetes cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

# flatc 2.0.8 lets GeneratedSchemaTest regenerate the flatbuffers classes and compare (Debian bookworm ships it);
# without it the test still compares the recorded digests.
if ! command -v flatc >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq flatbuffers-compiler) >/dev/null 2>&1 \
    || echo "test-all: flatbuffers-compiler not installed; the schema check uses the recorded digests" >&2
fi

# Debian's chromium and chromedriver: ReportPageInBrowserTest opens the HTML report pages in a real browser (it fails,
# naming them, when they are missing).
if ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
    || echo "test-all: chromium and chromium-driver not installed; the browser test of the report page will fail" >&2
fi

./mvnw -B -ntp verify

if [ -f k8s-tests/pom.xml ] && [ "${QUANTA_SKIP_K8S:-0}" != 1 ]; then
  scripts/k8s-e2e.sh
fi
