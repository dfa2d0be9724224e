// Run an external command with a hard time limit and collect its output.
// Shared by the FRR tests and (later) the lab harness. No shell is involved: arguments are passed as-is.
import { spawn } from "node:child_process";

export interface CommandResult {
  /** `file args...`, for messages. */
  command: string;
  /** Exit code, or null when the process was killed by a signal (e.g. on timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the time limit was hit and the process was killed. */
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  /** Kill the process (SIGKILL) after this many ms. Default 30 s. */
  timeoutMs?: number;
  /** Written to stdin, which is then closed. Default: empty stdin. */
  input?: string;
  cwd?: string;
}

/**
 * Run `file args` and resolve with its exit status and output; a non-zero exit does not reject.
 * Rejects only when the process cannot be started at all (e.g. ENOENT: the program is missing).
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const command = [file, ...args].join(" ");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.stdin.on("error", () => undefined); // EPIPE when the program does not read stdin
    child.stdin.end(options.input ?? "");
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        command,
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}

/** Like runCommand, but rejects unless the command exits 0 (message includes its output). */
export async function runChecked(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const r = await runCommand(file, args, options);
  if (r.code !== 0) throw new Error(describeFailure(r));
  return r;
}

/** One-paragraph description of a failed command, for assertion and error messages. */
export function describeFailure(r: CommandResult): string {
  const how = r.timedOut
    ? `timed out after ${r.durationMs} ms`
    : r.code === null
      ? `was killed by ${r.signal ?? "a signal"}`
      : `exited ${r.code}`;
  const output = [r.stdout.trim(), r.stderr.trim()].filter((s) => s !== "").join("\n");
  return `\`${r.command}\` ${how}${output === "" ? " (no output)" : `:\n${output}`}`;
}

/** Sleep for ms milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolve true if `p` settles within ms, false otherwise. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
