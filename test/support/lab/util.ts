// Small helpers shared by the lab harness: bounded polling, address arithmetic, child daemons.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { isIPv4, isIPv6 } from "node:net";
import { onEmergencyExit } from "../emergency-cleanup.ts";
import { sleep, within } from "../exec.ts";
import { netnsCommand } from "../netns.ts";

export interface WaitOptions {
  /** Give up after this many ms (default 30 s). */
  timeoutMs?: number;
  /** Pause between checks (default 200 ms). */
  intervalMs?: number;
}

/**
 * Poll `check` until it returns something other than `undefined`/`false`, and resolve with that.
 * Bounded by time and, independently, by count. On timeout it rejects with `what`, the elapsed
 * time and `describe()` of the last state (e.g. the sessions seen), so a failure says why.
 * An exception thrown by `check` is remembered as the last state and polling goes on.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions & { describe?: () => string | Promise<string> } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const started = Date.now();
  const maxRounds = Math.ceil(timeoutMs / Math.max(1, intervalMs)) + 10;
  let lastError = "";
  for (let i = 0; i < maxRounds; i++) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      lastError = "";
    } catch (e) {
      lastError = (e as Error).message;
    }
    if (Date.now() - started >= timeoutMs) break;
    await sleep(intervalMs);
  }
  let state = lastError;
  if (options.describe !== undefined) {
    try {
      state = `${await options.describe()}${lastError === "" ? "" : `\n(last check failed: ${lastError})`}`;
    } catch (e) {
      state = `(cannot describe state: ${(e as Error).message}) ${lastError}`;
    }
  }
  throw new Error(
    `timed out after ${Date.now() - started} ms waiting for ${what}${state ? `:\n${state}` : ""}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Addresses

export type Family = "ipv4" | "ipv6";

export function familyOf(addressOrPrefix: string): Family {
  return addressOrPrefix.includes(":") ? "ipv6" : "ipv4";
}

/** "192.168.1.2/24" -> { address, prefixLen }; throws on anything else. */
export function parseCidr(cidr: string): { address: string; prefixLen: number; family: Family } {
  const [address = "", len = ""] = cidr.split("/");
  const family = familyOf(address);
  const max = family === "ipv4" ? 32 : 128;
  const prefixLen = Number(len);
  if (
    !(family === "ipv4" ? isIPv4(address) : isIPv6(address)) ||
    !/^\d+$/.test(len) ||
    prefixLen < 1 ||
    prefixLen > max
  ) {
    throw new Error(`not an address with prefix length: ${cidr}`);
  }
  return { address, prefixLen, family };
}

function toBigInt(address: string): bigint {
  if (isIPv4(address)) return address.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
  // Expand "::" and read eight 16-bit groups (no embedded IPv4 in lab addresses).
  const [head = "", tail] = address.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function fromBigInt(value: bigint, family: Family): string {
  if (family === "ipv4") {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join(".");
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Canonical-enough compression: the longest run of zero groups becomes "::".
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.len).join(":")}`;
}

/**
 * The other end of a point-to-point subnet: the first host address of `cidr`'s subnet that is not
 * `cidr`'s own address, with the same prefix length ("192.168.1.2/24" -> "192.168.1.1/24",
 * "10.0.0.1/30" -> "10.0.0.2/30"; in a /31 or /127 the other of the two addresses).
 */
export function otherHost(cidr: string): string {
  const { address, prefixLen, family } = parseCidr(cidr);
  const bits = family === "ipv4" ? 32n : 128n;
  const hostBits = bits - BigInt(prefixLen);
  if (hostBits < 1n) throw new Error(`${cidr}: no room for a second host`);
  const value = toBigInt(address);
  const network = (value >> hostBits) << hostBits;
  // A /31 or /127 (point-to-point, RFC 3021/6164) has exactly two addresses.
  const candidate = hostBits === 1n ? value ^ 1n : network + 1n === value ? network + 2n : network + 1n;
  return `${fromBigInt(candidate, family)}/${prefixLen}`;
}

/** The address without the prefix length. */
export function addressOf(cidr: string): string {
  return cidr.split("/")[0] ?? cidr;
}

/** Community "A:B" (also the well-known names FRR prints) as "A:B" with decimal numbers. */
export function normalizeCommunity(c: string): string {
  const wellKnown: Record<string, string> = {
    "no-export": "65535:65281",
    noExport: "65535:65281",
    "no-advertise": "65535:65282",
    noAdvertise: "65535:65282",
    "local-AS": "65535:65283",
    localAs: "65535:65283",
    "no-peer": "65535:65284",
    noPeer: "65535:65284",
    blackhole: "65535:666",
    "graceful-shutdown": "65535:0",
    gracefulShutdown: "65535:0",
    "accept-own": "65535:1",
    acceptOwn: "65535:1",
    "llgr-stale": "65535:6",
    llgrStale: "65535:6",
    "no-llgr": "65535:7",
    noLlgr: "65535:7",
  };
  return wellKnown[c] ?? c;
}

/** A community as the 32-bit value BGP carries ("64512:100" -> 0xfc000064). */
export function communityToNumber(c: string): number {
  const [hi = "", lo = ""] = normalizeCommunity(c).split(":");
  return Number(hi) * 65536 + Number(lo);
}

/** The 32-bit community value as "A:B". */
export function communityFromNumber(n: number): string {
  return `${Math.floor(n / 65536)}:${n % 65536}`;
}

// ---------------------------------------------------------------------------------------------
// Daemons as child processes

export interface ChildDaemon {
  readonly name: string;
  readonly pid: number;
  /** Undefined while running; exit code and signal once it has exited. */
  status(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The last `maxBytes` of its stdout/stderr (written to `logFile`). */
  logTail(maxBytes?: number): string;
  /** SIGTERM, then SIGKILL; every wait bounded. Idempotent. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;
const KILL_GRACE_MS = 3_000;

/**
 * Start `file args` in network namespace `netns` as a foreground child (`ip netns exec` execs, so
 * the pid is the daemon's). Output goes to `logFile`. Killed on emergency exit until stopped.
 */
export function spawnDaemon(options: {
  name: string;
  netns: string;
  file: string;
  args: readonly string[];
  logFile: string;
}): ChildDaemon {
  const [file, argv] = netnsCommand(options.netns, options.file, options.args);
  const fd = openSync(options.logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(file, argv, { stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${options.name} (${options.file})`);
  let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      status = { code, signal };
      resolve();
    });
    child.once("error", () => {
      status ??= { code: null, signal: null };
      resolve();
    });
  });
  const unregister = onEmergencyExit(`${options.name} (pid ${pid}) in netns ${options.netns}`, () => {
    if (status === undefined) child.kill("SIGKILL");
  });
  const logTail = (maxBytes = 2000) => {
    try {
      return readFileSync(options.logFile, "utf8").slice(-maxBytes);
    } catch {
      return "";
    }
  };
  return {
    name: options.name,
    pid,
    status: () => status,
    logTail,
    stop: async () => {
      if (status === undefined) {
        child.kill("SIGTERM");
        if (!(await within(exit, STOP_GRACE_MS))) {
          child.kill("SIGKILL");
          if (!(await within(exit, KILL_GRACE_MS))) {
            throw new Error(`${options.name} (pid ${pid}) does not exit`);
          }
        }
      }
      unregister();
    },
  };
}

/** True if process `pid` exists and is not a zombie (lab pitfall 14: `kill -0` counts zombies). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3 (state) follows the parenthesised command name, which may contain spaces.
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/**
 * `stop()` for a peer daemon that owns a working directory: stops the daemon once, then removes the
 * directory (when the peer created it). The directory is also removed on an emergency exit,
 * registered after the daemon so that the daemon is killed first (newest first).
 */
export function stopperWithDir(
  label: string,
  dir: string,
  ownDir: boolean,
  daemon: { stop(): Promise<void> },
): () => Promise<void> {
  const removeDir = (): void => {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  const unregisterDir = onEmergencyExit(label, removeDir);
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    try {
      await daemon.stop();
    } finally {
      removeDir();
      unregisterDir();
    }
  };
}
