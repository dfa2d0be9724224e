#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian 12 machine (root), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v vtysh >/dev/null 2>&1 || need_pkgs+=(frr frr-pythontools)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
npm test
