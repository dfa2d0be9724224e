// What every benchmark records about the machine it ran on, so results stay comparable.
import { spawnSync } from "node:child_process";
import { availableParallelism, cpus, release, totalmem } from "node:os";

/** The Debian `frr` package's version, or "unknown". */
export function frrVersion(): string {
  const r = spawnSync("dpkg-query", ["-W", "-f", "${Version}", "frr"], { encoding: "utf8", timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}

export function machineInfo(): Record<string, string | number> {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    frr: frrVersion(),
    node: process.version,
  };
}
