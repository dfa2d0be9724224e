#!/usr/bin/env bash
# The demo on a fresh Debian 12 machine (root): installs FRR and the npm packages if missing,
# then renders examples/demo with frrk8s and runs it on real FRR against a real BGP router.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v vtysh >/dev/null 2>&1 || [ ! -x /usr/lib/frr/bgpd ] || ! command -v ip >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq frr frr-pythontools iproute2 >/dev/null
fi
[ -x node_modules/.bin/node ] || npm ci --no-audit --no-fund >/dev/null

exec npm run -s demo -- "$@"
