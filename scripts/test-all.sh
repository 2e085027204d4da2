#!/usr/bin/env bash
# Runs every test of Quanta: unit and conformance tests against the real TFLite 2.21 runtime, the build of
# the application, then (when present) the end-to-end tests on a real single-node Kubernetes cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -ntp verify

if [ -f k8s-tests/pom.xml ] && [ "${QUANTA_SKIP_K8S:-0}" != 1 ]; then
  scripts/k8s-e2e.sh
fi
