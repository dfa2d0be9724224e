// FrrApplier through our own apply engine (src/core/frr-diff): read what each daemon runs, plan the
// smallest ordered set of commands, send them in one `vtysh [-d daemon] -f` per batch, read back
// and check that FRR runs what was wanted.
//
// - Reads: `show running-config <daemon>` for bgpd, zebra, staticd and bfdd, in parallel. After a
//   successful apply the views read back are kept, so the next apply plans without reading first;
//   drifted() (the agent's periodic check) reads again and drops them if FRR changed meanwhile.
// - Errors: vtysh's per-command complaints (batch-output.ts). On any, the configuration FRR ran
//   before is planned back and applied, and the outcome is "rejected" with each command's error.
// - Convergence check: right after the batches were accepted, the touched daemons are read back and
//   a plan computed from them must be empty; what is left is tried once more (an order FRR needed
//   differently), and what still differs is kept as `unconverged()` (FRR rewrites some raw config).
//   It runs after apply() resolved, before anything else the applier does: vtysh reports refused
//   commands itself, and reading bgpd back costs as much as the change (0.4 s at 1000 neighbors),
//   which the caller need not wait for.
// - frr.conf: written by us (atomically, 0640) so a supervisor restarting a daemon (watchfrr:
//   `vtysh -b -d bgpd`) brings the configuration back. No `write memory` round trip.
// - Secrets: batch files live in a private 0700 directory and are deleted; everything surfaced is
//   redacted (passwords of the new and the previous configuration).
import { chownSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { redactSecrets } from "../../core/redact.ts";
import {
  planApply,
  planRestore,
  planSize,
  VIEW_DAEMONS,
  type ApplyPlan,
  type RunningViews,
  type ViewDaemon,
} from "../../core/frr-diff/plan.ts";
import type { ApplyOutcome, FrrApplier } from "../../ports/frr.ts";
import { batchErrors, formatErrors, type CommandError } from "./batch-output.ts";
import { describeEnd } from "./process.ts";
import { passwordsIn } from "./reload-output.ts";
import { Vtysh, type FrrInstanceOptions } from "./vtysh.ts";

export interface EngineApplierOptions extends FrrInstanceOptions {
  /** Private directory for batch files. Default: a fresh one under os.tmpdir(), removed by close(). */
  workDir?: string;
  /**
   * Where frr.conf is kept for restarts. Default: <configDir>/frr.conf, /etc/frr/<pathspace>/frr.conf
   * or /etc/frr/frr.conf, written only if that directory exists. `false`: never written.
   */
  configFile?: string | false;
  /** Daemons that must answer; default zebra, bgpd, staticd, bfdd (frr-k8s's set). */
  requiredDaemons?: readonly string[];
  /** Bound for reads. Default 60 s. */
  readTimeoutMs?: number;
  /** Bound for one batch. Default 15 min (10,000-entry prefix-lists are slow inside FRR). */
  batchTimeoutMs?: number;
}

/** The daemons whose configuration a plan changes. */
function touched(plan: ApplyPlan): ViewDaemon[] {
  const targets = new Set(plan.batches.map((b) => b.target));
  return targets.has("all") ? [...VIEW_DAEMONS] : VIEW_DAEMONS.filter((d) => targets.has(d));
}

/** `vtysh -c 'show running-config A' -c 'show running-config B'` output, one text per command. */
function splitRunningConfigs(stdout: string): string[] {
  return stdout
    .split(/^(?=Building configuration\.\.\.$)/m)
    .filter((section) => section.startsWith("Building configuration..."));
}

interface AppliedResult {
  /** What the daemons ran before the plan. */
  views: RunningViews;
  durationMs: number;
  plan: ApplyPlan;
}

interface PendingCheck {
  config: string;
  plan: ApplyPlan;
  before: RunningViews;
  secrets: readonly string[];
}

const DEFAULT_REQUIRED: readonly string[] = ["zebra", "bgpd", "staticd", "bfdd"];
/** How long a prefetch() read stands in for FRR's state. */
const PREFETCH_MAX_AGE_MS = 10_000;

export class EngineApplier implements FrrApplier {
  private readonly options: EngineApplierOptions;
  private readonly vtysh: Vtysh;
  private readonly workDir: string;
  private readonly ownWorkDir: boolean;
  /** What the daemons ran right after the last successful apply; undefined: read before planning. */
  private known: RunningViews | undefined;
  /** The configuration `known` belongs to. */
  private knownConfig: string | undefined;
  private previousSecrets: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Set by a successful apply that sent commands: what the check after it needs. */
  private unchecked: PendingCheck | undefined;
  private lastUnconverged: string[] = [];
  private batchNumber = 0;
  /** Views read by prefetch(), for the next apply when nothing newer is known. */
  private prefetched: { views: RunningViews; at: number } | undefined;

  constructor(options: EngineApplierOptions = {}) {
    this.options = options;
    this.vtysh = new Vtysh(options, { timeoutMs: options.readTimeoutMs ?? 60_000 });
    this.ownWorkDir = options.workDir === undefined;
    this.workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "frrk8s-engine-"));
    mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
  }

  apply(config: string): Promise<ApplyOutcome> {
    return this.serialised(() => this.applyNow(config));
  }

  /**
   * Reads FRR ahead of an apply that has nothing to plan from (the agent's first pass calls it
   * while its inputs load and the configuration is computed). Views older than
   * PREFETCH_MAX_AGE_MS are not used. Should FRR have changed since, the apply's commands are
   * refused (then it re-plans from a fresh read) or the check after it finds and sends the rest.
   */
  prefetch(): Promise<void> {
    return this.serialised(async () => {
      if (this.known !== undefined) return;
      this.prefetched = { views: await this.readViews(), at: performance.now() };
    }).catch(() => undefined); // FRR not answering: the apply reads again and reports it
  }

  private takePrefetched(): RunningViews | undefined {
    const p = this.prefetched;
    this.prefetched = undefined;
    return p !== undefined && performance.now() - p.at <= PREFETCH_MAX_AGE_MS ? p.views : undefined;
  }

  runningConfig(): Promise<string> {
    return this.vtysh.show("show running-config");
  }

  /**
   * Reads FRR again; true when it no longer runs `config` (then the next apply plans from what it
   * reads). FRR unchanged since our last apply of `config` is not drift, even if FRR shows some raw
   * config its own way (reported as `unconverged` by that apply, not re-applied forever).
   */
  drifted(config: string): Promise<boolean> {
    return this.serialised(async () => {
      const views = await this.readViews();
      const known = this.knownConfig === config ? this.known : undefined;
      if (known !== undefined && VIEW_DAEMONS.every((d) => known[d] === views[d])) return false;
      const needed = planSize(planApply(config, views)) > 0;
      this.remember(needed ? undefined : config, views);
      return needed;
    });
  }

  /**
   * Waits for the check after the last apply; the lines FRR shows differently from what was sent
   * (redacted), empty when FRR runs exactly the configuration.
   */
  unconverged(): Promise<string[]> {
    return this.serialised(() => Promise.resolve([...this.lastUnconverged]));
  }

  close(): Promise<void> {
    if (this.ownWorkDir) rmSync(this.workDir, { recursive: true, force: true });
    return Promise.resolve();
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.then(() => this.checkLastApply()).catch(() => undefined);
    return run;
  }

  /** The read-back after an apply (see the top of the file). */
  private async checkLastApply(): Promise<void> {
    const check = this.unchecked;
    this.unchecked = undefined;
    if (check === undefined) return;
    const { config, plan, before, secrets } = check;
    try {
      let after = await this.readViews(touched(plan), before);
      let residual = planApply(config, after);
      if (planSize(residual) > 0) {
        await this.runPlan(residual, secrets);
        after = await this.readViews(touched(residual), after);
        residual = planApply(config, after);
      }
      const lines = residual.batches.flatMap((b) => b.text.split("\n").filter((l) => l.trim() !== ""));
      this.lastUnconverged = lines.map((l) => redactSecrets(l, secrets));
      this.remember(config, after);
    } catch {
      this.remember(undefined, undefined); // the next apply reads FRR first
    }
  }

  private async applyNow(config: string): Promise<ApplyOutcome> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const secrets = [...new Set([...passwordsIn(config), ...this.previousSecrets])].sort(
      (a, b) => b.length - a.length,
    );
    try {
      const cached = this.known ?? this.takePrefetched();
      const lastGood = this.knownConfig;
      this.remember(undefined, undefined); // until this apply is known to have succeeded
      let before = cached ?? (await this.readViews());
      let plan = planApply(config, before);
      if (planSize(plan) === 0) return this.succeeded(config, { views: before, durationMs: elapsed(), plan });
      this.previousSecrets = secrets;
      let errors = await this.runPlan(plan, secrets);
      if (errors.length > 0) {
        // Plan again from what FRR runs now, once: someone may have changed FRR since the views
        // were read, or a daemon restarted in the middle (watchfrr brings it back with frr.conf).
        // A daemon still down makes the read fail: "failed", retried. Refused twice: "rejected".
        before = await this.readViews();
        plan = planApply(config, before);
        errors = await this.runPlan(plan, secrets);
      }
      if (errors.length > 0) {
        await this.restore(lastGood, before, secrets);
        const detail = `FRR refused ${errors.length} command${errors.length === 1 ? "" : "s"}:\n${formatErrors(errors)}`;
        return { kind: "rejected", durationMs: elapsed(), detail };
      }
      this.unchecked = { config, plan, before, secrets };
      return this.succeeded(config, { views: before, durationMs: elapsed(), plan });
    } catch (e) {
      const message = e instanceof Error ? e.message : JSON.stringify(e);
      return {
        kind: "failed",
        durationMs: elapsed(),
        error: redactSecrets(`cannot apply: ${message}`, secrets),
      };
    }
  }

  private succeeded(config: string, result: AppliedResult): ApplyOutcome {
    const { views, durationMs, plan } = result;
    // Until the check after this apply ran, FRR is known to run only what it ran before.
    this.remember(planSize(plan) === 0 ? config : undefined, views);
    this.lastUnconverged = [];
    this.previousSecrets = passwordsIn(config);
    this.persist(config);
    return {
      kind: "applied",
      durationMs,
      commands: planSize(plan),
      ...(plan.resets.length > 0 && { resets: plan.resets }),
    };
  }

  private remember(config: string | undefined, views: RunningViews | undefined): void {
    this.knownConfig = config;
    this.known = config === undefined ? undefined : views;
  }

  /**
   * After a refused apply: back to the last configuration applied successfully, or else to what
   * FRR ran before (best effort; the refusal is what gets reported).
   */
  private async restore(
    lastGood: string | undefined,
    before: RunningViews,
    secrets: readonly string[],
  ): Promise<void> {
    const current = await this.readViews();
    const back = lastGood === undefined ? planRestore(before, current) : planApply(lastGood, current);
    if (planSize(back) > 0) await this.runPlan(back, secrets);
  }

  /** Sends every batch; the errors vtysh reported. */
  private async runPlan(plan: ApplyPlan, secrets: readonly string[]): Promise<CommandError[]> {
    const errors: CommandError[] = [];
    for (const batch of plan.batches) {
      const file = join(this.workDir, `batch-${++this.batchNumber}.conf`);
      writeFileSync(file, batch.text, { mode: 0o600, flag: "w" });
      try {
        const args = [...(batch.target === "all" ? [] : ["-d", batch.target]), "-f", file];
        const r = await this.vtysh.runArgs(args, { timeoutMs: this.options.batchTimeoutMs ?? 900_000 });
        errors.push(...batchErrors(`${r.stderr}\n${r.stdout}`, batch.text, secrets));
        if (r.code === null || r.truncated) {
          errors.push({ message: `vtysh -f ${describeEnd(r, r.durationMs)}` });
        }
      } finally {
        rmSync(file, { force: true });
      }
    }
    return errors;
  }

  /**
   * The running config of `daemons` (default all), the others taken from `base`; rejects when a
   * required daemon does not answer. One vtysh process for all of them (a process costs ~40 ms).
   */
  private async readViews(
    daemons: readonly ViewDaemon[] = VIEW_DAEMONS,
    base?: RunningViews,
  ): Promise<RunningViews> {
    const required = new Set(this.options.requiredDaemons ?? DEFAULT_REQUIRED);
    const views: RunningViews =
      base === undefined ? { bgpd: "", zebra: "", staticd: "", bfdd: "" } : { ...base };
    const r = await this.vtysh.run(daemons.map((d) => `show running-config ${d}`));
    const sections = splitRunningConfigs(r.stdout);
    const complete = r.code === 0 && !r.truncated && sections.length === daemons.length;
    daemons.forEach((d, i) => {
      const text = complete ? (sections[i] ?? "") : "";
      // vtysh prints an empty configuration, exit 0, for a daemon that is down; a daemon that
      // answered always prints its `frr version` line.
      if (/^frr version /m.test(text)) views[d] = text;
      else if (required.has(d)) throw new Error(`FRR daemon ${d} does not answer (vtysh ${describeEnd(r)})`);
      else views[d] = "";
    });
    return views;
  }

  private persist(config: string): void {
    const file = this.configFile();
    if (file === undefined) return;
    try {
      const dir = dirname(file);
      const owner = statSync(dir);
      const temp = join(dir, `.frr.conf.${process.pid}.tmp`);
      writeFileSync(temp, config, { mode: 0o640 });
      try {
        chownSync(temp, owner.uid, owner.gid); // FRR's user reads it at restart, as the package sets it up
      } catch {
        // not root: the file stays ours, readable by vtysh run as us
      }
      renameSync(temp, file);
    } catch {
      // No config directory (e.g. FRR in a test without one): restarts then start empty and the
      // agent's periodic check re-applies.
    }
  }

  private configFile(): string | undefined {
    const o = this.options;
    if (o.configFile === false) return undefined;
    if (o.configFile !== undefined) return o.configFile;
    if (o.configDir !== undefined) return join(o.configDir, "frr.conf");
    if (o.pathspace !== undefined) return join("/etc/frr", o.pathspace, "frr.conf");
    return "/etc/frr/frr.conf";
  }
}
