// Benchmark (not a test): the apply engine against frr-reload.py and against the raw cost of the
// same commands, on a real FRR (8.4) in a network namespace (needs root and FRR).
//
//   npm run bench:apply                                   # everything, writes bench/results/apply.json
//   npm run bench:apply -- --sizes 10,100 --prefixes 10,1000 --reload-timeout 120   # a quicker run
//   npm run bench:apply -- --prefixes 10000 --sizes none --cases a,d --merge         # add rows to apply.json
//   (or: npm exec -- node bench/apply.bench.ts ...)
//
// Options: --sizes N,.. (neighbors, 10 prefixes each; default 10,100,500,1000), --prefixes P,..
// (one neighbor advertising P prefixes; default 10,1000,10000), --cases a,b,c,d,e, --runs K
// (default 3, and 1 for N>=500 or P>=1000; min and median are reported), --reload-timeout S
// (frr-reload.py's limit per apply, default 600), --plist K,.. (the prefix-list cost study; default
// 500,1000,2000, "none" skips it), --out FILE (default bench/results/apply.json, written after every
// method run; written only for a run without --sizes/--prefixes/--cases, or with --out or --merge),
// --merge (keep the rows of FILE that this run does not measure; with --methods, a re-measured
// row keeps the old runs of the methods left out), --methods ours,raw,reload (default all),
// --exit-study N,.. (the first
// apply's bgpd batch at N neighbors: as planned, with an `exit` after each route-map entry, and
// frr-reload.py's lines for the same adds; default 400, "none" skips it).
//
// The configurations are what our agent applies: FRRConfiguration objects built here, rendered by
// computeNodeConfig (one router, AS 64512). Every neighbor is "dead": 10.99.x.y (AS 64600) on a
// connected veth in our namespace whose other end has no address, so nothing ever answers (the
// lab's trick, shared/docs/frr-lab.md §3). Every neighbor advertises all the router's prefixes:
// its own prefix-list of every prefix, route-maps, and the prefixes as `network` statements.
//
// Cases: (a) no-op, the same configuration again; (b) one neighbor added; (c) half the neighbors
// removed (P sizes: half the prefixes); (d) one prefix-list entry changed (neighbor 0 advertises
// 10.254.0.0/24 instead of its last prefix); (e) first apply to an empty FRR.
//
// Methods, each from the same FRR state: the start state is loaded with the engine (not timed:
// a fresh EngineApplier reads FRR and plans the way back from what the previous method left;
// FRR is restarted for (e), after a failure and after a frr-reload.py time-out), then bgpd,
// zebra, staticd and bfdd are left to become idle (CPU), then:
// - ours: EngineApplier.apply() of the target, by the engine that loaded the start state (as in
//   the agent, it plans from what it read back after its last apply); "ours+check" runs until
//   `await engine.unconverged()` resolved (the read-back check runs after apply() resolved).
//   (a) uses a fresh EngineApplier, which must read FRR; and the agent itself (NodeAgent with the
//   real engine behind a call counter): its second pass over unchanged inputs. (e) uses a fresh
//   engine that has read FRR (prefetch(), not timed), as the agent does while its informers sync
//   at start-up, and as raw plans from views read before its timer.
// - raw: the engine's plan, planApply(target, views read from FRR before), each batch as one
//   `vtysh [-d target] -f` like the engine does; only the vtysh processes are timed.
// - frr-reload.py: ReloadApplier.apply() (`--test`, then `--reload` when there is a diff).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { batchErrors, formatErrors } from "../src/adapters/frr/batch-output.ts";
import { EngineApplier } from "../src/adapters/frr/engine-applier.ts";
import { ReloadApplier } from "../src/adapters/frr/reload-applier.ts";
import { Vtysh } from "../src/adapters/frr/vtysh.ts";
import type { FRRConfiguration, Neighbor } from "../src/api/types.ts";
import { NodeAgent } from "../src/controllers/node-agent.ts";
import { planApply, planSize, type RunningViews } from "../src/core/frr-diff/plan.ts";
import { computeNodeConfig } from "../src/core/pipeline.ts";
import type { ApplyOutcome, FrrApplier, FrrStatusReader } from "../src/ports/frr.ts";
import type { NodeInputs } from "../src/ports/node-source.ts";
import { runChecked, sleep } from "../test/support/exec.ts";
import { frrPrerequisiteProblems, startFrr, type FrrInstance } from "../test/support/frr-daemons.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../test/support/netns.ts";
import { machineInfo } from "./machine.ts";

const NODE = "bench-node";
const HOST = hostname(); // frr.conf's hostname must be the UTS name (lab pitfall 5)
const ROUTER_ASN = 64512;
const DEAD_ASN = 64600;
const PREFIXES_PER_NEIGHBOR = 10;
/** Sorts after every generated prefix (10.128.0.0 .. 10.167.x.0), so only the last entry changes. */
const REPLACEMENT = "10.254.0.0/24";
const ALL_CASES = ["a", "b", "c", "d", "e"] as const;
type CaseId = (typeof ALL_CASES)[number];
const METHODS = ["ours", "raw", "reload"] as const;
type Method = (typeof METHODS)[number];
const LONG_MS = 3_600_000; // engine batches and raw vtysh: 10,000-entry prefix-lists take minutes
const IDLE_WINDOW_MS = 500;
const IDLE_CPU_MS = 25; // all daemons together, per window: under 5 % of a core
const IDLE_MAX_MS = 60_000;

const CASE_TEXT: Record<CaseId, string> = {
  a: "no-op (same config again)",
  b: "add one neighbor",
  c: "remove half",
  d: "change one prefix-list entry",
  e: "first apply to an empty FRR",
};

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  sizes: number[];
  prefixes: number[];
  cases: CaseId[];
  methods: Method[];
  runs: number | undefined;
  reloadTimeoutMs: number;
  plist: number[];
  exitStudy: number[];
  out: string | undefined;
  merge: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const numbers = (flag: string, fallback: number[]): number[] => {
    const v = value(flag);
    if (v === undefined) return fallback;
    if (v === "none") return [];
    const list = v.split(",").map(Number);
    if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${flag}: positive integers`);
    return list;
  };
  const cases = (value("--cases") ?? ALL_CASES.join(",")).split(",");
  const bad = cases.filter((c) => !(ALL_CASES as readonly string[]).includes(c));
  if (bad.length > 0) throw new Error(`--cases: unknown ${bad.join(",")} (a, b, c, d, e)`);
  const methods = (value("--methods") ?? METHODS.join(",")).split(",");
  const badMethods = methods.filter((m) => !(METHODS as readonly string[]).includes(m));
  if (badMethods.length > 0)
    throw new Error(`--methods: unknown ${badMethods.join(",")} (ours, raw, reload)`);
  const runs = value("--runs");
  const subset = ["--sizes", "--prefixes", "--cases", "--runs", "--methods"].some((f) => argv.includes(f));
  const merge = argv.includes("--merge");
  const defaultOut = join(import.meta.dirname, "results", "apply.json");
  return {
    sizes: numbers("--sizes", [10, 100, 500, 1000]),
    prefixes: numbers("--prefixes", [10, 1000, 10000]),
    cases: ALL_CASES.filter((c) => cases.includes(c)),
    methods: METHODS.filter((m) => methods.includes(m)),
    runs: runs === undefined ? undefined : Number(runs),
    reloadTimeoutMs: Number(value("--reload-timeout") ?? 600) * 1000,
    plist: numbers("--plist", [500, 1000, 2000]),
    exitStudy: numbers("--exit-study", [400]),
    out: value("--out") ?? (!subset || merge ? defaultOut : undefined),
    merge,
  };
}

// ---------------------------------------------------------------------------------------------
// Configurations, rendered by our own pipeline

interface NeighborSpec {
  index: number;
  prefixes: readonly string[];
}

function neighborAddress(index: number): string {
  return `10.99.${Math.floor(index / 250)}.${2 + (index % 250)}`;
}

/** `count` prefixes in the order the renderer lists them (UTF-16 code units). */
function prefixesOf(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `10.${128 + Math.floor(i / 256)}.${i % 256}.0/24`).sort();
}

function configurationOf(neighbors: readonly NeighborSpec[]): FRRConfiguration {
  const union = [...new Set(neighbors.flatMap((n) => n.prefixes))].sort();
  return {
    apiVersion: "frrk8s.metallb.io/v1beta1",
    kind: "FRRConfiguration",
    metadata: { name: "bench", namespace: "frr-k8s-system" },
    spec: {
      bgp: {
        routers: [
          {
            asn: ROUTER_ASN,
            prefixes: union,
            neighbors: neighbors.map((n): Neighbor => ({
              address: neighborAddress(n.index),
              asn: DEAD_ASN,
              toAdvertise: { allowed: { mode: "filtered", prefixes: [...n.prefixes] } },
            })),
          },
        ],
      },
    },
  };
}

function inputsOf(neighbors: readonly NeighborSpec[]): NodeInputs {
  return {
    nodeLabels: { "kubernetes.io/hostname": NODE },
    // As the adapters hand them over: decoded JSON.
    configurations: JSON.parse(JSON.stringify([configurationOf(neighbors)])) as unknown[],
    secrets: [],
    readProblems: [],
  };
}

function render(neighbors: readonly NeighborSpec[]): string {
  const inputs = inputsOf(neighbors);
  const result = computeNodeConfig({
    nodeName: NODE,
    nodeLabels: inputs.nodeLabels,
    configurations: inputs.configurations,
    secrets: [],
    options: { hostname: HOST },
  });
  const errors = result.issues.filter((i) => i.severity === "error");
  if (result.frrConfig === undefined || errors.length > 0) {
    throw new Error(`the benchmark configuration is invalid: ${JSON.stringify(errors.slice(0, 3))}`);
  }
  return result.frrConfig;
}

interface Size {
  label: string;
  kind: "neighbors" | "prefixes";
  neighbors: number;
  prefixes: number;
  runs: number;
}

interface CaseConfigs {
  /** undefined: an empty FRR (just started). */
  start: string | undefined;
  target: string;
  /** What the agent's inputs are for the target (case a's agent pass). */
  targetInputs: NodeInputs;
}

function caseConfigs(size: Size, id: CaseId): CaseConfigs {
  const prefixes = prefixesOf(size.prefixes);
  const base: NeighborSpec[] = Array.from({ length: size.neighbors }, (_, index) => ({ index, prefixes }));
  let target = base;
  if (id === "b") target = [...base, { index: size.neighbors, prefixes }];
  if (id === "c") {
    target =
      size.kind === "neighbors"
        ? base.slice(0, Math.ceil(size.neighbors / 2))
        : [{ index: 0, prefixes: prefixes.slice(0, Math.ceil(prefixes.length / 2)) }];
  }
  if (id === "d") {
    const changed = [...prefixes.slice(0, -1), REPLACEMENT];
    target = base.map((n) => (n.index === 0 ? { index: 0, prefixes: changed } : n));
  }
  return {
    start: id === "e" ? undefined : render(base),
    target: render(target),
    targetInputs: inputsOf(target),
  };
}

// ---------------------------------------------------------------------------------------------
// The FRR instance

interface Lab {
  ns: Namespace;
  frr: FrrInstance;
  /** vtysh options for the engine, frr-reload.py and raw vtysh. */
  instance: { vtySocketDir: string; configDir: string };
  /** FRR must be restarted before the next start state is loaded. */
  dirty: boolean;
}

async function startLab(): Promise<Lab> {
  // Forwarding on, as on a node: otherwise zebra shows `no ip forwarding` and every frr-reload.py
  // diff turns it on (lab pitfall 7).
  const ns = await createNamespace(uniqueNamespaceName("frrk8s-bapply"), { forwarding: true });
  try {
    const ip = (args: string[]): Promise<unknown> => runChecked("ip", ["-n", ns.name, ...args]);
    await ip(["link", "add", "dead0", "type", "veth", "peer", "name", "dead1"]);
    await ip(["addr", "add", "10.99.0.1/16", "dev", "dead0"]);
    await ip(["link", "set", "dead0", "up"]);
    await ip(["link", "set", "dead1", "up"]);
    const frr = await startFrr({ netns: ns.name, vtyshTimeoutMs: LONG_MS });
    return { ns, frr, instance: { vtySocketDir: frr.dir, configDir: frr.dir }, dirty: false };
  } catch (e) {
    await ns.delete();
    throw e;
  }
}

async function stopLab(lab: Lab): Promise<void> {
  try {
    await lab.frr.stop();
  } finally {
    await lab.ns.delete();
  }
}

function newEngine(lab: Lab): EngineApplier {
  return new EngineApplier({ ...lab.instance, configFile: false, batchTimeoutMs: LONG_MS });
}

/** CPU time (ms) used so far by each running daemon. */
function daemonCpu(frr: FrrInstance): Record<string, number> {
  const cpu: Record<string, number> = {};
  for (const [daemon, pid] of Object.entries(frr.pids())) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu[daemon] = (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
    } catch {
      cpu[daemon] = 0;
    }
  }
  return cpu;
}

const totalCpu = (cpu: Record<string, number>): number => Object.values(cpu).reduce((a, b) => a + b, 0);

/** Waits until the daemons use less than IDLE_CPU_MS per IDLE_WINDOW_MS; how long that took. */
async function waitIdle(frr: FrrInstance): Promise<number> {
  const started = performance.now();
  let last = totalCpu(daemonCpu(frr));
  for (let i = 0; i < IDLE_MAX_MS / IDLE_WINDOW_MS; i++) {
    await sleep(IDLE_WINDOW_MS);
    const now = totalCpu(daemonCpu(frr));
    if (now - last <= IDLE_CPU_MS) break;
    last = now;
  }
  return Math.round(performance.now() - started);
}

async function readViews(lab: Lab): Promise<RunningViews> {
  const vtysh = new Vtysh(lab.instance, { timeoutMs: 120_000 });
  const [bgpd, zebra, staticd, bfdd] = await Promise.all(
    (["bgpd", "zebra", "staticd", "bfdd"] as const).map((d) => vtysh.show(`show running-config ${d}`)),
  );
  return { bgpd: bgpd ?? "", zebra: zebra ?? "", staticd: staticd ?? "", bfdd: bfdd ?? "" };
}

/** How many commands FRR is still away from `config`, and the first few of them. */
async function residualOf(
  lab: Lab,
  config: string,
): Promise<{ residual: number; residualSample?: string[] }> {
  const plan = planApply(config, await readViews(lab));
  const residual = planSize(plan);
  if (residual === 0) return { residual };
  const lines = plan.batches.flatMap((b) => b.text.split("\n").map((l) => `${b.target}: ${l}`));
  return { residual, residualSample: lines.filter((l) => !l.endsWith(": ")).slice(0, 8) };
}

/**
 * Brings FRR to `start` (undefined: empty, just started) with the engine and waits for the
 * daemons to be idle; the engine that did it (it knows what FRR runs).
 */
async function prepare(lab: Lab, start: string | undefined, problems: string[]): Promise<EngineApplier> {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (lab.dirty || start === undefined || attempt > 0) {
      await lab.frr.restart();
      lab.dirty = false;
    }
    const engine = newEngine(lab);
    if (start === undefined) {
      await waitIdle(lab.frr);
      return engine;
    }
    const outcome = await engine.apply(start);
    const unconverged = await engine.unconverged();
    if (outcome.kind === "applied" && unconverged.length === 0) {
      await waitIdle(lab.frr);
      return engine;
    }
    problems.push(`loading the start state: ${describeOutcome(outcome)}${unconvergedText(unconverged)}`);
    await engine.close();
  }
  throw new Error(`cannot load the start state: ${problems.at(-1) ?? ""}`);
}

function describeOutcome(o: ApplyOutcome): string {
  if (o.kind === "applied") return `applied (${o.commands ?? "?"} commands)`;
  return `${o.kind}: ${(o.kind === "rejected" ? o.detail : o.error).slice(0, 2000)}`;
}

function unconvergedText(lines: readonly string[]): string {
  if (lines.length === 0) return "";
  const shown = lines.slice(0, 20).join("\n  ");
  return `; unconverged (${lines.length} lines):\n  ${shown}${lines.length > 20 ? "\n  ..." : ""}`;
}

// ---------------------------------------------------------------------------------------------
// The three methods

interface MethodRun {
  ms: number;
  /** ours: until unconverged() resolved. */
  checkMs?: number;
  /** ours/raw: planned commands; frr-reload.py: changed lines of its diff. */
  commands: number;
  ok: boolean;
  timedOut?: boolean;
  /** raw: per batch. */
  batches?: { target: string; commands: number; ms: number }[];
  /** Commands FRR was still away from the target afterwards (raw, frr-reload.py; not timed). */
  residual?: number;
  residualSample?: string[];
  detail?: string;
}

async function measureOurs(lab: Lab, c: CaseConfigs, id: CaseId, problems: string[]): Promise<MethodRun> {
  let engine = await prepare(lab, c.start, problems);
  if (id === "a") {
    await engine.close();
    engine = newEngine(lab); // must read FRR first
  }
  if (id === "e") await engine.prefetch(); // the agent's start-up read

  try {
    const started = performance.now();
    const outcome = await engine.apply(c.target);
    const ms = performance.now() - started;
    const unconverged = await engine.unconverged();
    const checkMs = performance.now() - started;
    const ok = outcome.kind === "applied" && unconverged.length === 0;
    const commands = outcome.kind === "applied" ? (outcome.commands ?? 0) : 0;
    const run: MethodRun = { ms, checkMs, commands, ok };
    if (!ok) {
      run.detail = `${describeOutcome(outcome)}${unconvergedText(unconverged)}`;
      problems.push(`ours: ${run.detail}`);
      lab.dirty = true;
    }
    return run;
  } finally {
    await engine.close();
  }
}

async function measureRaw(lab: Lab, c: CaseConfigs, problems: string[]): Promise<MethodRun> {
  const loader = await prepare(lab, c.start, problems);
  await loader.close();
  const plan = planApply(c.target, await readViews(lab));
  await waitIdle(lab.frr); // as for the other methods: the timed part starts after an idle window
  const vtysh = new Vtysh(lab.instance, { timeoutMs: LONG_MS });
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-bench-raw-"));
  const batches: NonNullable<MethodRun["batches"]> = [];
  const errors: string[] = [];
  try {
    for (const [i, batch] of plan.batches.entries()) {
      const file = join(dir, `batch-${i}.conf`);
      writeFileSync(file, batch.text, { mode: 0o600 });
      const args = [...(batch.target === "all" ? [] : ["-d", batch.target]), "-f", file];
      const r = await vtysh.runArgs(args);
      batches.push({ target: batch.target, commands: batch.commands.length, ms: r.durationMs });
      const refused = batchErrors(`${r.stderr}\n${r.stdout}`, batch.text, []);
      if (refused.length > 0) errors.push(formatErrors(refused));
      if (r.code === null) errors.push(`vtysh ${args.join(" ")} did not finish`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = batches.reduce((sum, b) => sum + b.ms, 0);
  const residual = plan.batches.length === 0 ? { residual: 0 } : await residualOf(lab, c.target);
  const run: MethodRun = { ms, commands: planSize(plan), ok: errors.length === 0, batches, ...residual };
  if (errors.length > 0) {
    run.detail = errors.join("\n").slice(0, 2000);
    problems.push(`raw: ${run.detail}`);
    lab.dirty = true;
  }
  return run;
}

async function measureReload(
  lab: Lab,
  c: CaseConfigs,
  limitMs: number,
  problems: string[],
): Promise<MethodRun> {
  const loader = await prepare(lab, c.start, problems);
  await loader.close();
  const reload = new ReloadApplier({ ...lab.instance, testTimeoutMs: limitMs, reloadTimeoutMs: limitMs });
  try {
    const started = performance.now();
    const outcome = await reload.apply(c.target);
    const ms = performance.now() - started;
    const timedOut = outcome.kind === "failed" && /timed out/.test(outcome.error);
    const commands = outcome.kind === "applied" ? (outcome.commands ?? 0) : 0;
    const run: MethodRun = { ms, commands, ok: outcome.kind === "applied" };
    if (timedOut) {
      run.timedOut = true;
      lab.dirty = true; // FRR runs part of the change; the killed run may have left work queued
    } else if (outcome.kind !== "applied") {
      run.detail = describeOutcome(outcome);
      problems.push(`frr-reload.py: ${run.detail}`);
      lab.dirty = true;
    } else {
      Object.assign(run, await residualOf(lab, c.target));
    }
    return run;
  } finally {
    await reload.close();
  }
}

/** Counts every call the agent makes to FRR; status reads return nothing (they would be FRR calls too). */
class CountingFrr implements FrrApplier, FrrStatusReader {
  calls = 0;
  private readonly inner: FrrApplier;

  constructor(inner: FrrApplier) {
    this.inner = inner;
  }
  apply(config: string): Promise<ApplyOutcome> {
    this.calls++;
    return this.inner.apply(config);
  }
  runningConfig(): Promise<string> {
    this.calls++;
    return this.inner.runningConfig();
  }
  drifted(config: string): Promise<boolean> {
    this.calls++;
    return this.inner.drifted(config);
  }
  sessions(): ReturnType<FrrStatusReader["sessions"]> {
    this.calls++;
    return Promise.resolve([]);
  }
  bfdPeers(): ReturnType<FrrStatusReader["bfdPeers"]> {
    this.calls++;
    return Promise.resolve([]);
  }
  daemons(): Promise<string[]> {
    this.calls++;
    return Promise.resolve([]);
  }
}

interface AgentRun {
  /** FRR calls of the second pass over unchanged inputs. */
  frrCalls: number;
  /** That pass: read inputs, render, compare with the last applied configuration. */
  passMs: number;
}

/** The agent over unchanged inputs: its first pass applies (FRR already runs it), the second is timed. */
async function measureAgent(lab: Lab, c: CaseConfigs, problems: string[]): Promise<AgentRun> {
  const engine = await prepare(lab, c.start, problems);
  const frr = new CountingFrr(engine);
  const agent = new NodeAgent(
    { nodeName: NODE, hostname: HOST },
    {
      source: {
        read: () => Promise.resolve(c.targetInputs),
        watch: () => ({ close: () => undefined }),
      },
      frr,
      frrStatus: frr,
      sink: { publish: () => Promise.resolve() },
      clock: { now: () => Date.now(), setTimeout: () => ({ cancel: () => undefined }) },
    },
  );
  try {
    const first = await agent.reconcile();
    if (first.kind !== "done") problems.push(`agent: first pass ${JSON.stringify(first)}`);
    const before = frr.calls;
    const started = performance.now();
    const second = await agent.reconcile();
    const passMs = performance.now() - started;
    if (second.kind !== "done") problems.push(`agent: second pass ${JSON.stringify(second)}`);
    return { frrCalls: frr.calls - before, passMs };
  } finally {
    await engine.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics, rows, floors

interface Summary {
  min: number;
  median: number;
}

function summary(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: round(sorted[0]!), median: round(median) };
}

function round(ms: number): number {
  return ms >= 100 ? Math.round(ms) : Math.round(ms * 10) / 10;
}

interface Floor {
  name: string;
  pass: boolean;
  detail: string;
}

interface CaseRow {
  size: string;
  neighbors: number;
  prefixesPerNeighbor: number;
  case: CaseId;
  description: string;
  runs: number;
  startLines: number;
  targetLines: number;
  agent?: AgentRun[];
  ours: MethodRun[];
  raw: MethodRun[];
  reload: MethodRun[];
  stats: {
    ours?: Summary;
    oursCheck?: Summary;
    raw?: Summary;
    /** undefined when every run timed out. */
    reload?: Summary;
    reloadTimedOut: boolean;
    oursOverRaw?: number;
    /** A lower bound when frr-reload.py timed out. */
    reloadOverOurs?: number;
  };
  floors: Floor[];
  problems: string[];
  date: string;
  loadAverage: number;
  /** Methods whose runs come from an earlier measurement of the row (--methods), with its date. */
  carried?: Partial<Record<Method, string>>;
}

function statsOf(row: Omit<CaseRow, "stats" | "floors">, limitMs: number): CaseRow["stats"] {
  const ms = (runs: readonly MethodRun[]): number[] => runs.map((r) => r.ms);
  const finished = row.reload.filter((r) => r.timedOut !== true);
  const reloadTimedOut = finished.length < row.reload.length;
  const ours = summary(ms(row.ours));
  const raw = summary(ms(row.raw));
  const reload = summary(ms(finished));
  const oursCheck = summary(row.ours.map((r) => r.checkMs ?? r.ms));
  const reloadMs = reloadTimedOut ? limitMs : reload?.median;
  return {
    ...(ours && { ours }),
    ...(oursCheck && { oursCheck }),
    ...(raw && { raw }),
    ...(reload && !reloadTimedOut && { reload }),
    reloadTimedOut,
    ...(ours && raw && raw.median > 0 && row.raw.some((r) => r.commands > 0)
      ? { oursOverRaw: Math.round((ours.median / raw.median) * 100) / 100 }
      : {}),
    ...(ours && reloadMs !== undefined && ours.median > 0
      ? { reloadOverOurs: Math.round((reloadMs / ours.median) * 10) / 10 }
      : {}),
  };
}

function floorsOf(row: Omit<CaseRow, "floors">): Floor[] {
  const floors: Floor[] = [];
  const s = row.stats;
  if (row.case === "a" && row.agent !== undefined) {
    const calls = Math.max(...row.agent.map((a) => a.frrCalls));
    floors.push({ name: "agent no-op runs no FRR command", pass: calls === 0, detail: `${calls} FRR calls` });
  }
  if (row.case !== "a" && s.oursOverRaw !== undefined) {
    floors.push({ name: "ours <= 1.5x raw", pass: s.oursOverRaw <= 1.5, detail: `${s.oursOverRaw}x` });
  }
  if (row.case === "c" && row.prefixesPerNeighbor === PREFIXES_PER_NEIGHBOR && row.neighbors >= 100) {
    const ratio = s.reloadOverOurs;
    floors.push({
      name: "frr-reload.py >= 100x ours",
      pass: ratio !== undefined && ratio >= 100,
      detail: `${s.reloadTimedOut ? ">" : ""}${ratio ?? "?"}x`,
    });
  }
  return floors;
}

// ---------------------------------------------------------------------------------------------
// Running a size

/**
 * The cases in the order they run: cheap ones first, so that a run stopped early (P=10000 takes
 * hours) has them. Tables list them a to e.
 */
const RUN_ORDER: readonly CaseId[] = ["a", "d", "c", "b", "e"];

/** Measures every case of `size`; `saved` gets the rows after every method run (partial rows too). */
async function runSize(
  lab: Lab,
  size: Size,
  opts: Options,
  saved: (rows: CaseRow[]) => void,
): Promise<CaseRow[]> {
  const rows: CaseRow[] = [];
  // Every size starts from a fresh FRR (bgpd does not give memory back).
  lab.dirty = true;
  for (const id of RUN_ORDER.filter((c) => opts.cases.includes(c))) {
    const c = caseConfigs(size, id);
    const problems: string[] = [];
    const base = {
      size: size.label,
      neighbors: size.neighbors,
      prefixesPerNeighbor: size.prefixes,
      case: id,
      description: CASE_TEXT[id],
      runs: size.runs,
      startLines: c.start === undefined ? 0 : c.start.split("\n").length - 1,
      targetLines: c.target.split("\n").length - 1,
      ours: [] as MethodRun[],
      raw: [] as MethodRun[],
      reload: [] as MethodRun[],
      problems,
      date: new Date().toISOString(),
      loadAverage: 0,
    };
    const agent: AgentRun[] = [];
    const rowNow = (): CaseRow => {
      base.loadAverage = Math.round((loadavg()[0] ?? 0) * 100) / 100;
      const withAgent = id === "a" ? { ...base, agent: [...agent] } : { ...base };
      const withStats = { ...withAgent, stats: statsOf(withAgent, opts.reloadTimeoutMs) };
      return { ...withStats, floors: floorsOf(withStats) };
    };
    for (let run = 0; run < size.runs; run++) {
      for (const method of opts.methods) {
        progress(`${size.label} (${id}) run ${run + 1}/${size.runs}: ${method}`);
        const r = await measure({ lab, c, id, reloadTimeoutMs: opts.reloadTimeoutMs, problems }, method);
        base[method].push(r);
        progress(`  ${methodCell([r])} ms, ${r.commands} commands${r.ok ? "" : " (NOT OK)"}`);
        saved([...rows, rowNow()]);
      }
      if (id === "a") agent.push(await measureAgent(lab, c, problems));
    }
    const row = rowNow();
    rows.push(row);
    saved(rows);
    console.log(tableRows([row], opts.reloadTimeoutMs).join("\n"));
  }
  return rows;
}

interface MeasureContext {
  lab: Lab;
  c: CaseConfigs;
  id: CaseId;
  reloadTimeoutMs: number;
  problems: string[];
}

async function measure(ctx: MeasureContext, method: Method): Promise<MethodRun> {
  const { lab, c, id, problems } = ctx;
  try {
    if (method === "ours") return await measureOurs(lab, c, id, problems);
    if (method === "raw") return await measureRaw(lab, c, problems);
    return await measureReload(lab, c, ctx.reloadTimeoutMs, problems);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    problems.push(`${method}: ${detail}`);
    lab.dirty = true;
    return { ms: NaN, commands: 0, ok: false, detail };
  }
}

function progress(text: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

// ---------------------------------------------------------------------------------------------
// The prefix-list cost study: one K-entry prefix-list, `vtysh -d bgpd -f` against `vtysh -f`

interface PlistRow {
  entries: number;
  /** bgpd: `vtysh -d bgpd -f`; all: `vtysh -f` (every daemon that knows the command); lists-of-10: bgpd, K/10 lists. */
  mode: "bgpd" | "all" | "lists-of-10";
  ms: number;
  timedOut: boolean;
  /** CPU used by each daemon meanwhile. */
  cpuMs: Record<string, number>;
}

async function prefixListStudy(lab: Lab, sizes: readonly number[], limitMs: number): Promise<PlistRow[]> {
  const rows: PlistRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-bench-plist-"));
  try {
    for (const k of sizes) {
      const prefixes = prefixesOf(k);
      for (const mode of ["bgpd", "all", "lists-of-10"] as const) {
        const list = (i: number): string => (mode === "lists-of-10" ? `PL${Math.floor(i / 10)}` : "PL");
        const seq = (i: number): number => (mode === "lists-of-10" ? (i % 10) + 1 : i + 1);
        const text = prefixes.map((p, i) => `ip prefix-list ${list(i)} seq ${seq(i)} permit ${p}\n`).join("");
        const file = join(dir, `plist-${k}-${mode}.conf`);
        writeFileSync(file, text);
        progress(`prefix-list study: ${k} entries, ${mode}`);
        await lab.frr.restart();
        await waitIdle(lab.frr);
        const before = daemonCpu(lab.frr);
        const args = mode === "all" ? ["-f", file] : ["-d", "bgpd", "-f", file];
        const r = await lab.frr.vtysh(args, { timeoutMs: limitMs });
        const after = daemonCpu(lab.frr);
        const cpuMs = Object.fromEntries(
          Object.keys(after).map((d) => [d, (after[d] ?? 0) - (before[d] ?? 0)]),
        );
        rows.push({ entries: k, mode, ms: r.durationMs, timedOut: r.timedOut, cpuMs });
        progress(`  ${r.durationMs} ms${r.timedOut ? " (timed out)" : ""}, CPU ${JSON.stringify(cpuMs)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    lab.dirty = true;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The exit study: the same first apply (an empty FRR, N neighbors), three spellings of the file.
// `exit` is not a YANG command: bgpd commits the northbound changes it has batched before running
// one (nb_cli_pending_commit_check), and each commit costs the size of the whole configuration.

interface ExitRow {
  neighbors: number;
  /**
   * planned: the engine's bgpd batch as planned now; exit-per-route-map: the same with an `exit`
   * closing every route-map entry (the engine's spelling before 9294ad3); frr-reload: its adds.
   */
  file: "planned" | "exit-per-route-map" | "frr-reload";
  lines: number;
  ms: number;
  timedOut: boolean;
  /** `show running-config bgpd` afterwards equals the planned file's. */
  sameResult: boolean;
}

async function exitStudy(lab: Lab, sizes: readonly number[], limitMs: number): Promise<ExitRow[]> {
  const rows: ExitRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-bench-exit-"));
  try {
    for (const n of sizes) {
      const config = render(Array.from({ length: n }, (_, index) => ({ index, prefixes: prefixesOf(10) })));
      const planned = planApply(config, { bgpd: "", zebra: "", staticd: "", bfdd: "" }).batches.find(
        (b) => b.target === "bgpd",
      );
      if (planned === undefined) throw new Error("no bgpd batch");
      const lines = planned.text.split("\n");
      const withExits: string[] = [];
      let inRouteMap = false;
      for (const l of lines) {
        const topLevel = l !== "" && !l.startsWith(" ");
        if (topLevel && inRouteMap && l !== "exit") withExits.push("exit");
        if (topLevel) inRouteMap = l.startsWith("route-map ");
        withExits.push(l);
      }
      const desired = join(dir, "desired.conf");
      writeFileSync(desired, config);
      await lab.frr.restart();
      const test = spawnSync(
        "python3",
        ["/usr/lib/frr/frr-reload.py", "--test", "--stdout", "--log-level", "error"].concat([
          "--vty_socket",
          lab.frr.dir,
          "--confdir",
          lab.frr.dir,
          desired,
        ]),
        { encoding: "utf8", timeout: limitMs, maxBuffer: 1 << 28 },
      );
      const adds = (test.stdout.split("Lines To Add\n============\n")[1] ?? "").replace(
        /^(log|hostname|ip nht|ipv6 nht).*\n/gm,
        "",
      );
      const files = {
        planned: planned.text,
        "exit-per-route-map": withExits.join("\n"),
        "frr-reload": adds,
      } as const;
      let reference = "";
      for (const [name, text] of Object.entries(files) as [ExitRow["file"], string][]) {
        const file = join(dir, `${name}.conf`);
        writeFileSync(file, text);
        progress(`exit study: ${n} neighbors, ${name}`);
        await lab.frr.restart();
        await waitIdle(lab.frr);
        const r = await lab.frr.vtysh(["-d", "bgpd", "-f", file], { timeoutMs: limitMs });
        const running = (await lab.frr.vtysh(["-c", "show running-config bgpd"])).stdout;
        if (name === "planned") reference = running;
        rows.push({
          neighbors: n,
          file: name,
          lines: text.split("\n").length,
          ms: r.durationMs,
          timedOut: r.timedOut,
          sameResult: running === reference,
        });
        progress(`  ${r.durationMs} ms`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    lab.dirty = true;
  }
  return rows;
}

function exitTable(rows: readonly ExitRow[]): string[] {
  return [
    "| neighbors | file (`vtysh -d bgpd -f`) | lines | wall ms | same running config |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.neighbors} | ${r.file} | ${r.lines} | ${r.timedOut ? ">" : ""}${fmtMs(r.ms)} | ${r.sameResult ? "yes" : "NO"} |`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Output

function fmtMs(ms: number): string {
  if (Number.isNaN(ms)) return "–";
  return ms >= 100 ? Math.round(ms).toLocaleString("en-US") : String(round(ms));
}

function cell(s: Summary | undefined, runs: number): string {
  if (s === undefined) return "–";
  return runs > 1 ? `${fmtMs(s.min)} / ${fmtMs(s.median)}` : fmtMs(s.median);
}

function methodCell(runs: readonly MethodRun[]): string {
  return runs.map((r) => (r.timedOut === true ? "timeout" : fmtMs(r.ms))).join(", ");
}

function commandsCell(runs: readonly MethodRun[]): string {
  const counts = [
    ...new Set(runs.filter((r) => r.timedOut !== true && !Number.isNaN(r.ms)).map((r) => r.commands)),
  ];
  return counts.length === 0 ? "–" : counts.join("/");
}

const HEADER = [
  "| size | case | commands (ours) | changed lines (frr-reload.py) | ours ms | ours+check ms | raw vtysh ms | frr-reload.py ms | ours/raw | frr-reload.py/ours | floors |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
];

/** Rows of one size in case order (they run in RUN_ORDER). */
function sortedRows(rows: readonly CaseRow[]): CaseRow[] {
  return [...rows].sort((x, y) => ALL_CASES.indexOf(x.case) - ALL_CASES.indexOf(y.case));
}

function tableRows(rows: readonly CaseRow[], limitMs: number): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const s = r.stats;
    const floors = r.floors.map((f) => `${f.pass ? "PASS" : "FAIL"} ${f.name} (${f.detail})`).join("; ");
    const reloadCell = s.reloadTimedOut ? `>${limitMs / 1000} s` : cell(s.reload, r.runs);
    const reloadLines = s.reloadTimedOut ? "?" : commandsCell(r.reload);
    if (r.agent !== undefined) {
      const pass = summary(r.agent.map((a) => a.passMs));
      const calls = Math.max(...r.agent.map((a) => a.frrCalls));
      out.push(
        `| ${r.size} | (a) agent: unchanged render | ${calls} | – | 0 (pass ${cell(pass, r.runs)}) | – | – | – | – | – | ${floors} |`,
      );
    }
    const label = r.case === "a" ? "(a) fresh engine (reads FRR)" : `(${r.case}) ${r.description}`;
    const problems = r.problems.length > 0 ? ` ⚠ ${r.problems.length} problem(s)` : "";
    out.push(
      `| ${r.size} | ${label} | ${commandsCell(r.ours)} | ${reloadLines} | ${cell(s.ours, r.runs)} | ${cell(s.oursCheck, r.runs)} | ${r.case === "a" ? "0 (no command)" : cell(s.raw, r.runs)} | ${reloadCell} | ${s.oursOverRaw === undefined ? "–" : `${s.oursOverRaw}`} | ${s.reloadOverOurs === undefined ? "–" : `${s.reloadTimedOut ? ">" : ""}${s.reloadOverOurs}`} | ${r.case === "a" ? "" : floors}${problems} |`,
    );
  }
  return out;
}

function plistTable(rows: readonly PlistRow[]): string[] {
  const cpu = (r: PlistRow, d: string): string => fmtMs(r.cpuMs[d] ?? 0);
  return [
    "| entries | how | wall ms | CPU ms bgpd | zebra | bfdd | staticd |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.entries} | ${r.mode === "bgpd" ? "`vtysh -d bgpd -f` (one list)" : r.mode === "all" ? "`vtysh -f` (one list)" : `\`vtysh -d bgpd -f\` (${r.entries / 10} lists of 10)`} | ${r.timedOut ? ">" : ""}${fmtMs(r.ms)} | ${cpu(r, "bgpd")} | ${cpu(r, "zebra")} | ${cpu(r, "bfdd")} | ${cpu(r, "staticd")} |`,
    ),
  ];
}

interface Report {
  date: string;
  finished?: string;
  machine: Record<string, unknown>;
  options: Record<string, unknown>;
  rows: CaseRow[];
  prefixListStudy: PlistRow[];
  exitStudy: ExitRow[];
  /** With --merge: the invocations whose rows the file holds (the first one's machine info is kept). */
  history?: { date: string; finished?: string; options: Record<string, unknown> }[];
}

/**
 * A row re-measured with some methods left out (--methods) keeps the earlier runs of those, marked
 * in `carried` with the date they were measured; stats and floors are computed again.
 */
function withCarriedRuns(row: CaseRow, old: CaseRow | undefined, report: Report): CaseRow {
  if (old === undefined) return row;
  const missing = METHODS.filter((m) => row[m].length === 0 && old[m].length > 0);
  if (missing.length === 0) return row;
  const carried = { ...row.carried };
  const merged: Omit<CaseRow, "stats" | "floors"> = { ...row };
  for (const m of missing) {
    merged[m] = old[m];
    carried[m] = old.carried?.[m] ?? old.date;
  }
  merged.carried = carried;
  const limitMs = Number(report.options.reloadTimeoutS ?? 600) * 1000;
  const withStats = { ...merged, stats: statsOf(merged, limitMs) };
  return { ...withStats, floors: floorsOf(withStats) };
}

function writeReport(file: string, report: Report, merge: boolean): void {
  let rows = report.rows;
  let study = report.prefixListStudy;
  let exits = report.exitStudy;
  let extra: Partial<Report> = {};
  if (merge && existsSync(file)) {
    const old = JSON.parse(readFileSync(file, "utf8")) as Report;
    const key = (r: CaseRow): string => `${r.size}/${r.case}`;
    const fresh = new Set(rows.map(key));
    const before = new Map(old.rows.map((r) => [key(r), r]));
    rows = [
      ...old.rows.filter((r) => !fresh.has(key(r))),
      ...rows.map((r) => withCarriedRuns(r, before.get(key(r)), report)),
    ];
    const studyKey = (r: PlistRow): string => `${r.entries}/${r.mode}`;
    const freshStudy = new Set(study.map(studyKey));
    study = [...old.prefixListStudy.filter((r) => !freshStudy.has(studyKey(r))), ...study];
    if (exits.length === 0 && Array.isArray(old.exitStudy)) exits = old.exitStudy; // older files have none
    const earlier = old.history ?? [
      { date: old.date, options: old.options, ...(old.finished && { finished: old.finished }) },
    ];
    const now = {
      date: report.date,
      options: report.options,
      ...(report.finished && { finished: report.finished }),
    };
    extra = { history: [...earlier.filter((h) => h.date !== report.date), now] };
  }
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ ...report, ...extra, rows, prefixListStudy: study, exitStudy: exits }, null, 2)}\n`,
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const problems = await frrPrerequisiteProblems();
  if (problems.length > 0) throw new Error(`cannot run: ${problems.join("; ")}`);
  const runsFor = (big: boolean): number => opts.runs ?? (big ? 1 : 3);
  const sizes: Size[] = [
    ...opts.sizes.map((n): Size => ({
      label: `N=${n}`,
      kind: "neighbors",
      neighbors: n,
      prefixes: PREFIXES_PER_NEIGHBOR,
      runs: runsFor(n >= 500),
    })),
    ...opts.prefixes.map((p): Size => ({
      label: `P=${p}`,
      kind: "prefixes",
      neighbors: 1,
      prefixes: p,
      runs: runsFor(p >= 1000),
    })),
  ];
  const report: Report = {
    date: new Date().toISOString(),
    machine: {
      ...machineInfo(),
      loadAverageAtStart: loadavg()[0] ?? 0,
    },
    options: {
      command: `npm exec -- node bench/apply.bench.ts ${process.argv.slice(2).join(" ")}`.trim(),
      sizes: opts.sizes,
      prefixes: opts.prefixes,
      cases: opts.cases,
      methods: opts.methods,
      runs: opts.runs ?? "3 (1 for N>=500, P>=1000)",
      reloadTimeoutS: opts.reloadTimeoutMs / 1000,
      plist: opts.plist,
      exitStudy: opts.exitStudy,
    },
    rows: [],
    prefixListStudy: [],
    exitStudy: [],
  };
  const save = (): void => {
    if (opts.out !== undefined) writeReport(opts.out, report, opts.merge);
  };
  const lab = await startLab();
  try {
    if (opts.plist.length > 0) {
      report.prefixListStudy = await prefixListStudy(lab, opts.plist, opts.reloadTimeoutMs);
      console.log(`${plistTable(report.prefixListStudy).join("\n")}\n`);
      save();
    }
    if (opts.exitStudy.length > 0) {
      report.exitStudy = await exitStudy(lab, opts.exitStudy, opts.reloadTimeoutMs);
      console.log(`${exitTable(report.exitStudy).join("\n")}\n`);
      save();
    }
    console.log(HEADER.join("\n"));
    for (const size of sizes) {
      const done = report.rows.length;
      await runSize(lab, size, opts, (rows) => {
        report.rows.splice(done, report.rows.length - done, ...sortedRows(rows));
        save();
      });
    }
  } finally {
    await stopLab(lab);
  }
  report.finished = new Date().toISOString();
  save();
  console.log(`\n${HEADER.join("\n")}\n${tableRows(report.rows, opts.reloadTimeoutMs).join("\n")}`);
  if (report.prefixListStudy.length > 0) console.log(`\n${plistTable(report.prefixListStudy).join("\n")}`);
  if (report.exitStudy.length > 0) console.log(`\n${exitTable(report.exitStudy).join("\n")}`);
  const withProblems = report.rows.filter((r) => r.problems.length > 0);
  for (const r of withProblems)
    console.log(`\nproblems in ${r.size} (${r.case}):\n- ${r.problems.join("\n- ")}`);
  console.log(
    `\n${report.machine.cores as number} cores, FRR ${report.machine.frr as string}, load average ${(report.machine.loadAverageAtStart as number).toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end; ${report.date} to ${report.finished}`,
  );
  if (opts.out !== undefined) console.log(`wrote ${opts.out}`);
}

await main();
