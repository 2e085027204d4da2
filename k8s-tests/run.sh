#!/usr/bin/env bash
# End-to-end tests on the cluster in $KUBECONFIG: builds the application (Quarkus fast-jar), turns it into the
# image the chart and the engine pods use, and runs this Maven project's tests.
#   eval "$(../../shared/k8s/up.sh)" && ./run.sh && ../../shared/k8s/down.sh
# QUANTA_IMAGE overrides the image name (default localhost/quanta:e2e); QUANTA_SKIP_PACKAGE=1 reuses target/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="${QUANTA_SHARED:-$root/../shared}"
image="${QUANTA_IMAGE:-localhost/quanta:e2e}"
: "${KUBECONFIG:?set KUBECONFIG (e.g. eval \"\$($shared/k8s/up.sh)\")}"

if [ "${QUANTA_SKIP_PACKAGE:-0}" != 1 ] || [ ! -f "$root/target/quarkus-app/quarkus-run.jar" ]; then
  (cd "$root" && ./mvnw -B -q -o package -DskipTests)
fi
"$shared/k8s/image.sh" "$image" "$root/target/quarkus-app"
cd "$here"
exec "$root/mvnw" -B -o test -Dquanta.image="$image" "$@"
