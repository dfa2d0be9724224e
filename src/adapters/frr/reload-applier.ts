// FrrApplier through FRR's own frr-reload.py, like upstream's reloader (frr-reloader.sh):
//
//   python3 /usr/lib/frr/frr-reload.py --test   --stdout [instance options] FILE   → the diff, or "rejected"
//   python3 /usr/lib/frr/frr-reload.py --reload --overwrite --stdout [instance options] FILE
//
// Differences from upstream, each for a lab finding (shared/docs/frr-lab.md §4):
// - `show daemons` first: with bgpd down, --test and --reload both exit 0, nothing reaches bgpd,
//   and --overwrite then saves a frr.conf without `router bgp` (seen on FRR 8.4.4). A missing
//   required daemon is "failed" (retried), and frr-reload.py is not run at all.
// - The diff of --test is read (it exits 0 with or without one, pitfall 6); an empty diff skips
//   --reload, so a no-op apply costs one --test. `commands` is the number of changed lines.
// - The file goes to a private directory (0700, file 0600), which is also frr-reload.py's
//   --rundir (its reload-XXXX.txt, pitfall 12), and is deleted after each apply. --stdout keeps
//   its log out of /var/log/frr/frr-reload.log, and --log-level warning keeps the whole config
//   (passwords included) out of the log output.
// - --overwrite (as upstream) makes FRR write <config dir>/frr.conf, so a restarted FRR comes back
//   with the configuration (pitfall 13: frr-reload.py writes it even without --overwrite).
// - Everything surfaced is redacted: redactPasswords, plus the password values of the config
//   being applied and of the previous one (they appear in `no neighbor X password ...` lines).
// - FRR compares the hostname with the UTS name: render `hostname <os.hostname()>` or every diff
//   has `no hostname ...` (pitfall 5). That is the renderer's job; nothing is filtered here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseDaemons } from "../../core/status/parse-daemons.ts";
import type { ApplyOutcome, FrrApplier } from "../../ports/frr.ts";
import { describeEnd, runProcess, type ProcessResult } from "./process.ts";
import { classifyFailure, failureDetail, parseTestDiff, passwordsIn } from "./reload-output.ts";
import { Vtysh, vtyshInstanceArgs, type FrrInstanceOptions } from "./vtysh.ts";

export interface ReloadApplierOptions extends FrrInstanceOptions {
  /** Python interpreter. Default "python3" (PATH), as upstream. */
  python?: string;
  /** Default /usr/lib/frr/frr-reload.py (Debian's frr-pythontools). */
  reloadScript?: string;
  /**
   * Private directory for the config file and frr-reload.py's temp files. Created 0700 if missing
   * (an existing one is used as it is: it must not be readable by others).
   * Default: a fresh directory under os.tmpdir(), removed by close().
   */
  workDir?: string;
  /** Checked with `show daemons` before each apply. Default zebra, bgpd, staticd, bfdd (frr-k8s's set). */
  requiredDaemons?: readonly string[];
  /** Bound for `--test`. Default 2 min. */
  testTimeoutMs?: number;
  /** Bound for `--reload` (it deletes one line per vtysh process, ~55 ms each). Default 15 min. */
  reloadTimeoutMs?: number;
  /** Bound for vtysh calls (show daemons, show running-config). Default 30 s. */
  vtyshTimeoutMs?: number;
}

export const DEFAULT_REQUIRED_DAEMONS: readonly string[] = ["zebra", "bgpd", "staticd", "bfdd"];
const CONFIG_FILE = "frr.conf.desired";

export class ReloadApplier implements FrrApplier {
  private readonly options: ReloadApplierOptions;
  private readonly vtysh: Vtysh;
  private readonly workDir: string;
  private readonly ownWorkDir: boolean;
  /** Passwords of the last configuration handed to FRR (they can show up in deletions). */
  private previousSecrets: string[] = [];
  /** Applies run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ReloadApplierOptions = {}) {
    this.options = options;
    this.vtysh = new Vtysh(options, { timeoutMs: options.vtyshTimeoutMs ?? 30_000 });
    this.ownWorkDir = options.workDir === undefined;
    this.workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "frrk8s-reload-"));
    mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
  }

  apply(config: string): Promise<ApplyOutcome> {
    const run = this.queue.then(() => this.applyNow(config));
    this.queue = run.catch(() => undefined);
    return run;
  }

  runningConfig(): Promise<string> {
    return this.vtysh.show("show running-config");
  }

  /**
   * Cheap check that FRR still runs `config`: every `router bgp` of it is in the running config.
   * A restarted bgpd comes back empty (unless a supervisor re-read frr.conf).
   */
  async drifted(config: string): Promise<boolean> {
    const running = await this.runningConfig();
    const routers = config.split("\n").filter((l) => l.startsWith("router bgp "));
    const present = new Set(running.split("\n").map((l) => l.trim()));
    return !routers.every((r) => present.has(r));
  }

  /** Removes the work directory if this applier created it. */
  close(): Promise<void> {
    if (this.ownWorkDir) rmSync(this.workDir, { recursive: true, force: true });
    return Promise.resolve();
  }

  private async applyNow(config: string): Promise<ApplyOutcome> {
    const started = performance.now();
    const secrets = [...new Set([...passwordsIn(config), ...this.previousSecrets])].sort(
      (a, b) => b.length - a.length,
    );
    const elapsed = (): number => Math.round(performance.now() - started);
    const file = join(this.workDir, CONFIG_FILE);
    try {
      const missing = await this.missingDaemons();
      if (missing !== undefined) return { kind: "failed", durationMs: elapsed(), error: missing };
      // An empty file is refused by frr-reload.py; "!" is an empty configuration it accepts.
      rmSync(file, { force: true }); // "wx" below then always creates it, with mode 0600
      writeFileSync(file, config.trim() === "" ? "!\n" : config, { mode: 0o600, flag: "wx" });
      const test = await this.reload("--test", file);
      if (test.code !== 0 || test.truncated) return this.problem("--test", test, secrets, elapsed());
      const diff = parseTestDiff(test.stdout);
      const commands = diff.added + diff.deleted;
      if (commands > 0) {
        // From here FRR may run parts of either configuration.
        this.previousSecrets = secrets;
        const reload = await this.reload("--reload", file);
        if (reload.code !== 0) return this.problem("--reload", reload, secrets, elapsed());
      }
      this.previousSecrets = passwordsIn(config);
      return { kind: "applied", durationMs: elapsed(), commands };
    } catch (e) {
      const message = e instanceof Error ? e.message : JSON.stringify(e);
      const error = failureDetail("", `cannot apply: ${message}`, secrets);
      return { kind: "failed", durationMs: elapsed(), error };
    } finally {
      removeQuietly(file);
    }
  }

  /** Undefined when every required daemon answers; otherwise why not. */
  private async missingDaemons(): Promise<string | undefined> {
    const required = this.options.requiredDaemons ?? DEFAULT_REQUIRED_DAEMONS;
    if (required.length === 0) return undefined;
    const r = await this.vtysh.run(["show daemons"]);
    if (r.code !== 0) {
      const output = failureDetail(r.stdout, r.stderr, []);
      return `FRR is not reachable: vtysh ${describeEnd(r)}${output === "" ? "" : `: ${output}`}`;
    }
    const running = new Set(parseDaemons(r.stdout));
    const missing = required.filter((d) => !running.has(d));
    return missing.length === 0 ? undefined : `FRR daemons not running: ${missing.join(", ")}`;
  }

  private reload(mode: "--test" | "--reload", file: string): Promise<ProcessResult> {
    const o = this.options;
    const vtysh = o.vtysh;
    const args = [
      o.reloadScript ?? "/usr/lib/frr/frr-reload.py",
      mode,
      ...(mode === "--reload" ? ["--overwrite"] : []),
      ...["--stdout", "--log-level", "warning"],
      // frr-reload.py runs <bindir>/vtysh; our vtyshInstanceArgs spelling matches its options.
      ...(vtysh !== undefined && vtysh.includes("/") ? ["--bindir", dirname(vtysh)] : []),
      ...frrReloadInstanceArgs(o),
      ...["--rundir", this.workDir],
      file,
    ];
    const timeoutMs = mode === "--test" ? (o.testTimeoutMs ?? 120_000) : (o.reloadTimeoutMs ?? 900_000);
    return runProcess(o.python ?? "python3", args, { timeoutMs });
  }

  private problem(
    step: string,
    r: ProcessResult,
    secrets: readonly string[],
    durationMs: number,
  ): ApplyOutcome {
    // --test prints a diff on stdout even when it fails, against the part of the file it could
    // read: misleading, so only its log (stderr) is shown. --reload prints vtysh's complaints there.
    const output = failureDetail(step === "--test" ? "" : r.stdout, r.stderr, secrets);
    const kind = r.code === null || r.truncated ? "failed" : classifyFailure(`${r.stderr}\n${r.stdout}`);
    const end = `frr-reload.py ${step} ${describeEnd(r, r.durationMs)}${r.truncated ? " (output truncated)" : ""}`;
    const text = output === "" ? end : `${end}:\n${output}`;
    return kind === "rejected"
      ? { kind, durationMs, detail: text }
      : { kind: "failed", durationMs, error: text };
  }
}

/** apply() never rejects: a file that cannot be removed is left for the next apply (which removes it first). */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // the next apply's rmSync reports it, as a failed outcome
  }
}

/** frr-reload.py spells the options like vtysh, except the config dir (--confdir). */
function frrReloadInstanceArgs(o: FrrInstanceOptions): string[] {
  const { configDir, ...rest } = o;
  const args = vtyshInstanceArgs(rest);
  return configDir === undefined ? args : [...args, "--confdir", configDir];
}
