// Run a program (vtysh, frr-reload.py) without a shell, with a hard time limit and bounded output.
// The child gets its own process group, so a timeout kills what it started too (frr-reload.py runs
// vtysh processes), not just the direct child.
import { spawn } from "node:child_process";

export interface ProcessResult {
  /** Exit code; null when killed by a signal or not started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The time limit was hit and the process group was killed. */
  timedOut: boolean;
  /** The program could not be started (e.g. ENOENT); `code` is null then. */
  startError?: string;
  /** Output beyond maxOutputBytes (per stream) was dropped. */
  truncated: boolean;
  durationMs: number;
}

export interface RunProcessOptions {
  timeoutMs: number;
  /** Per stream; the first bytes are kept. Default 16 MiB. */
  maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;
/** After SIGKILL, how long to wait for the pipes to close (a grandchild in another group may hold them). */
const CLOSE_GRACE_MS = 2_000;

/** Resolves (never rejects) with the outcome of `file args`. */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const started = performance.now();
  return new Promise((resolve) => {
    const out = new Collector(max);
    const err = new Collector(max);
    let timedOut = false;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, shell: false });
    const finish = (code: number | null, signal: NodeJS.Signals | null, startError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      resolve({
        code,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        ...(startError !== undefined && { startError }),
        truncated: out.truncated || err.truncated,
        durationMs: Math.round(performance.now() - started),
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(null, "SIGKILL");
      }, CLOSE_GRACE_MS);
    }, options.timeoutMs);
    child.stdout.on("data", (b: Buffer) => {
      out.add(b);
    });
    child.stderr.on("data", (b: Buffer) => {
      err.add(b);
    });
    child.on("error", (e) => {
      finish(null, null, e.message);
    });
    child.on("close", (code, signal) => {
      finish(code, signal);
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

class Collector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  add(chunk: Buffer): void {
    const room = this.max - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** One line for messages: how the process ended. */
export function describeEnd(r: ProcessResult, timeoutMs?: number): string {
  if (r.startError !== undefined) return `could not be started: ${r.startError}`;
  if (r.timedOut) return `timed out after ${timeoutMs ?? r.durationMs} ms`;
  if (r.code === null) return `was killed by ${r.signal ?? "a signal"}`;
  return `exited with status ${r.code}`;
}
