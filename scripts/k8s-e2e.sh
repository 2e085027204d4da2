#!/usr/bin/env bash
# End-to-end tests on a real single-node Kubernetes v1.20.2 (../shared/k8s): build the cluster binaries if they
# are not cached yet, start the cluster, turn the packaged application (target/quarkus-app, produced by the
# preceding `./mvnw verify`) into the image the chart and the engine pods use, run the k8s-tests Maven project,
# and always stop the cluster again. Exits with the tests' exit code.
#   QUANTA_SHARED   the shared folder (default ../shared next to the repository)
#   QUANTA_IMAGE    image name (default localhost/quanta:e2e)
#   extra arguments go to Maven, e.g. scripts/k8s-e2e.sh -Dtest=QuantizationScenariosTest
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${QUANTA_SHARED:-$root/../shared}"
k8s="$shared/k8s"
image="${QUANTA_IMAGE:-localhost/quanta:e2e}"
cd "$root"

stamp() { date +%s; }
phase() { echo "k8s-e2e: $1 ($(( $(stamp) - $2 )) s)" >&2; }

app="$root/target/quarkus-app"
if [ ! -f "$app/quarkus-run.jar" ]; then
  echo "k8s-e2e: $app/quarkus-run.jar is missing; run ./mvnw verify (or package) first" >&2
  exit 2
fi
[ -x "$k8s/up.sh" ] || { echo "k8s-e2e: no cluster harness at $k8s" >&2; exit 2; }

t=$(stamp)
"$k8s/install.sh" </dev/null >&2
phase "install.sh done" "$t"

# From here on the cluster may be (partly) running: stop it whatever happens, keep the tests' exit code.
cleanup() {
  local rc=$?
  if [ "$rc" != 0 ] && [ -n "${KUBECONFIG:-}" ]; then
    # What is still in the cluster helps to tell a product failure from a cluster problem.
    echo "k8s-e2e: exit code $rc; cluster state before down.sh:" >&2
    "${QUANTA_K8S_KUBECTL:-kubectl}" get nodes,quantizationjobs,jobs,pods -A -o wide >&2 2>&1 || true
  fi
  t=$(stamp)
  "$k8s/down.sh" </dev/null >&2 || echo "k8s-e2e: down.sh failed" >&2
  phase "down.sh done" "$t"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t=$(stamp)
eval "$("$k8s/up.sh" </dev/null)"
export KUBECONFIG
phase "cluster up" "$t"

# The version-matched kubectl that install.sh builds (the tests call kubectl for `kubectl get qj`).
cache="${QUANTA_K8S_CACHE:-$HOME/.cache/quanta-k8s}"
if [ -z "${QUANTA_K8S_KUBECTL:-}" ] && [ -x "$cache/v1.20.2/bin/kubectl" ]; then
  export QUANTA_K8S_KUBECTL="$cache/v1.20.2/bin/kubectl"
fi

t=$(stamp)
"$k8s/image.sh" "$image" "$app" </dev/null >&2
phase "image $image built" "$t"

t=$(stamp)
set +e
./mvnw -B -ntp -f k8s-tests/pom.xml test -Dquanta.image="$image" -Dquanta.shared="$shared" "$@" </dev/null
rc=$?
set -e
phase "k8s-tests done, exit code $rc" "$t"
exit "$rc"
