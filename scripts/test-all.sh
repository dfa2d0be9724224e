#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian 12 machine (root), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
# FRR tier (test/frr): vtysh + the daemons in /usr/lib/frr (and the frr user) come with frr;
# `ip` (network namespaces for the daemons) with iproute2.
command -v vtysh >/dev/null 2>&1 && [ -x /usr/lib/frr/bgpd ] || need_pkgs+=(frr frr-pythontools)
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
# Lab tier (test/lab): BIRD 2 and GoBGP as BGP peers of the node's FRR.
[ -x /usr/sbin/bird ] && [ -x /usr/sbin/birdc ] || need_pkgs+=(bird2)
command -v gobgpd >/dev/null 2>&1 && command -v gobgp >/dev/null 2>&1 || need_pkgs+=(gobgpd)
# Kube and e2e tiers (test/kube, test/e2e): etcd for the real kube-apiserver; python3 unpacks kubectl.
[ -x /usr/bin/etcd ] || need_pkgs+=(etcd-server)
[ -x /usr/bin/python3 ] || need_pkgs+=(python3)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
# kube-apiserver from the Go module proxy: built once per machine, cached outside the repo.
./scripts/kube-bins.sh
npm test
