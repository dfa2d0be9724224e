// vtysh for one FRR instance: which sockets, which pathspace, which config dir; time limits; no shell.
import { redactPasswords } from "../../core/redact.ts";
import { describeEnd, runProcess, type ProcessResult } from "./process.ts";

/** Where an FRR instance lives. Empty options mean vtysh's defaults (/var/run/frr, /etc/frr). */
export interface FrrInstanceOptions {
  /** The vtysh program. Default "vtysh" (looked up in PATH). */
  vtysh?: string;
  /** `--vty_socket DIR`: the daemons' *.vty sockets (FRR started with --vty_socket). */
  vtySocketDir?: string;
  /** `-N NAME`: pathspace (FRR started with -N; /var/run/frr/NAME, /etc/frr/NAME). */
  pathspace?: string;
  /** `--config_dir DIR`: where vtysh.conf and the integrated frr.conf live. */
  configDir?: string;
}

export const DEFAULT_VTYSH_TIMEOUT_MS = 30_000;

/** The instance-selecting arguments, shared with frr-reload.py's spelling where it has one. */
export function vtyshInstanceArgs(instance: FrrInstanceOptions): string[] {
  return [
    ...(instance.vtySocketDir === undefined ? [] : ["--vty_socket", instance.vtySocketDir]),
    ...(instance.pathspace === undefined ? [] : ["-N", instance.pathspace]),
    ...(instance.configDir === undefined ? [] : ["--config_dir", instance.configDir]),
  ];
}

/** A vtysh command that did not answer normally. The message is redacted (passwords). */
export class VtyshError extends Error {
  readonly result: ProcessResult;

  constructor(what: string, result: ProcessResult, timeoutMs: number) {
    const output = [result.stderr.trim(), result.stdout.trim()].filter((s) => s !== "").join("\n");
    const shown = output.length > 1000 ? `${output.slice(0, 1000)}...` : output;
    super(
      redactPasswords(`vtysh ${what} ${describeEnd(result, timeoutMs)}${shown === "" ? "" : `: ${shown}`}`),
    );
    this.name = "VtyshError";
    this.result = result;
  }
}

export class Vtysh {
  private readonly program: string;
  private readonly instanceArgs: string[];
  private readonly timeoutMs: number;

  constructor(instance: FrrInstanceOptions = {}, options: { timeoutMs?: number } = {}) {
    this.program = instance.vtysh ?? "vtysh";
    this.instanceArgs = vtyshInstanceArgs(instance);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VTYSH_TIMEOUT_MS;
  }

  /** `vtysh -c C1 -c C2 ...`; resolves with whatever happened (never rejects). */
  run(commands: readonly string[], options: { timeoutMs?: number } = {}): Promise<ProcessResult> {
    const args = [...this.instanceArgs, ...commands.flatMap((c) => ["-c", c])];
    return runProcess(this.program, args, { timeoutMs: options.timeoutMs ?? this.timeoutMs });
  }

  /** `vtysh [instance] ARGS...` (e.g. `-d bgpd -f FILE`); resolves with whatever happened. */
  runArgs(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<ProcessResult> {
    return runProcess(this.program, [...this.instanceArgs, ...args], {
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
    });
  }

  /** The output of one command; rejects with a VtyshError unless vtysh exits 0. */
  async show(command: string, options: { timeoutMs?: number } = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const r = await this.run([command], { timeoutMs });
    if (r.code !== 0 || r.truncated) throw new VtyshError(`-c '${command}'`, r, timeoutMs);
    return r.stdout;
  }
}
