// Benchmark (not a test): convergence and apply time at 1 to 1000 BGP neighbors, for three pipelines
// on real FRR in network namespaces (needs root and FRR; see test/support/lab/README.md).
//
//   npm run bench:convergence                                   # all sizes, writes bench/results/convergence.json
//   npm run bench:convergence -- --sizes 1,10 --runs 2          # a quick run (results file untouched)
//   npm run bench:convergence -- --pipelines ours,upstream --sizes 100
//   (env: BENCH_SIZES, BENCH_RUNS, BENCH_PIPELINES do the same)
//
// The node has N neighbors: one real FRR peer (192.168.100.2, AS 64513) and N-1 "dead" ones,
// 10.99.x.y on a connected /16 veth whose other end has no address, so nothing ever answers
// (shared/docs/frr-lab.md, bench-reload.sh). Every neighbor advertises the same 10 prefixes
// (10.128.0-9.0/24), as frr-k8s renders them: a per-neighbor prefix-list, route-maps, `network`s.
//
// Pipelines, each on a fresh lab (node FRR started empty) per size:
// - ours: the real `frrk8s agent` (standalone, coalesce 200 ms) watching a directory of YAML, with
//   its default apply engine (vtysh -f of the planned difference);
// - ours-reload: the same agent with `--apply-mode reload` (frr-reload.py --test, then --reload);
// - upstream: what metallb/frr-k8s does on a change, reproduced here: render (our pipeline, so all
//   apply the same frr.conf), a fixed 3 s debounce started by the first change (its debouncer),
//   then `frr-reload.py --test` and `frr-reload.py --reload --overwrite` of the rendered file (its
//   frr-reloader.sh), with the instance options our ReloadApplier uses.
// The labs of one size live side by side and the changes take turns (see measureSize).
//
// Measured per size and pipeline:
// - initial apply: the first apply of the N-neighbor configuration to the empty FRR (the agent's
//   frrk8s_apply_duration_seconds; upstream: wall time of --test + --reload);
// - k times: the real peer's configuration file gets one more advertised prefix (10.200.r.0/24,
//   router prefixes + the real neighbor's allowed list: a 2-line diff, prefix-list entry and
//   `network`). Convergence = from writing the file to the prefix being in the peer's BGP table
//   (polled every 25 ms over the peer bgpd's vty socket, ~1-3 ms a query); apply = that change's
//   apply duration (as above). Before the first change: the real session is up, the peer has the
//   base prefixes, and bgpd gets a settle time (N × 20 ms, at least 2 s).
//
// The agent's periodic verify is set to 600 s so that its `show running-config` does not land in a
// measurement (default 30 s). Everything is torn down at the end and on Ctrl-C.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  watch,
  writeFileSync,
  type FSWatcher,
} from "node:fs";
import { availableParallelism, hostname, loadavg, tmpdir } from "node:os";
import { createConnection, type Socket } from "node:net";
import { join } from "node:path";
import { vtyshInstanceArgs } from "../src/adapters/frr/vtysh.ts";
import { directorySource } from "../src/cli/agent/directory-source.ts";
import { computeNodeConfig } from "../src/core/pipeline.ts";
import { onEmergencyExit } from "../test/support/emergency-cleanup.ts";
import { runChecked, sleep } from "../test/support/exec.ts";
import { frrPrerequisiteProblems } from "../test/support/frr-daemons.ts";
import { metricValue, nodeYaml, startAgent, type AgentProcess } from "../test/support/lab/agent-process.ts";
import { frrJson } from "../test/support/lab/frr-state.ts";
import type { FrrPeer } from "../test/support/lab/peer-frr.ts";
import { waitForEstablished, waitForReceived } from "../test/support/lab/peer.ts";
import { buildLab, type Lab } from "../test/support/lab/topology.ts";
import { waitFor } from "../test/support/lab/util.ts";
import { frrVersion, machineInfo } from "./machine.ts";

const ALL_SIZES = [1, 10, 100, 500, 1000] as const;
const PIPELINES = ["ours", "ours-reload", "upstream"] as const;
type Pipeline = (typeof PIPELINES)[number];

const HOST = hostname(); // frr.conf's hostname must be the UTS name, or every diff has `no hostname` (lab pitfall 5)
const NODE_ASN = 64512;
const PEER_ASN = 64513;
const DEAD_ASN = 64600;
const PEER_IP = "192.168.100.2";
const ROUTER_ID = "192.168.100.1";
const BASE_PREFIXES = Array.from({ length: 10 }, (_, k) => `10.128.${k}.0/24`);
const UPSTREAM_DEBOUNCE_MS = 3_000;
const COALESCE_MS = 200; // the agent's default, not passed
const POLL_MS = 25;
const INITIAL_TIMEOUT_MS = 40 * 60_000;
const CHANGE_TIMEOUT_MS = 180_000;
const RELOAD_SCRIPT = "/usr/lib/frr/frr-reload.py";

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  sizes: number[];
  runs: number | undefined;
  pipelines: Pipeline[];
  full: boolean;
}

function flag(name: string, env: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? process.env[env] : process.argv[i + 1];
}

function parseOptions(): Options {
  const sizesText = flag("sizes", "BENCH_SIZES");
  const sizes = sizesText === undefined ? [...ALL_SIZES] : sizesText.split(",").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 2000)) {
    throw new Error(`--sizes: integers 1..2000, got ${String(sizesText)}`);
  }
  const runsText = flag("runs", "BENCH_RUNS");
  const runs = runsText === undefined ? undefined : Number(runsText);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1 || runs > 50)) {
    throw new Error(`--runs: an integer 1..50, got ${String(runsText)}`);
  }
  const pipelinesText = flag("pipelines", "BENCH_PIPELINES");
  const pipelines = (pipelinesText?.split(",") ?? [...PIPELINES]) as Pipeline[];
  if (pipelines.some((p) => !PIPELINES.includes(p))) {
    throw new Error(`--pipelines: ${PIPELINES.join(",")}, got ${String(pipelinesText)}`);
  }
  const full =
    sizes.join(",") === ALL_SIZES.join(",") && runs === undefined && pipelines.length === PIPELINES.length;
  return { sizes, runs, pipelines, full };
}

const runsFor = (size: number, options: Options): number => options.runs ?? (size <= 100 ? 5 : 3);

// ---------------------------------------------------------------------------------------------
// Inputs: node.yaml, dead.yaml (N-1 dead neighbors), peer.yaml (the real one; the file that changes)

function deadAddress(i: number): string {
  return `10.99.${Math.floor(i / 250)}.${(i % 250) + 2}`;
}

const list = (items: readonly string[]): string => `[${items.join(", ")}]`;

function deadYaml(n: number): string | undefined {
  if (n <= 1) return undefined;
  const neighbors = Array.from(
    { length: n - 1 },
    (_, i) =>
      `      - {address: ${deadAddress(i)}, asn: ${DEAD_ASN}, toAdvertise: {allowed: {prefixes: ${list(BASE_PREFIXES)}}}}`,
  );
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: dead-neighbors, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: ${NODE_ASN}
      id: ${ROUTER_ID}
      prefixes: ${list(BASE_PREFIXES)}
      neighbors:
${neighbors.join("\n")}
`;
}

function peerYaml(added: readonly string[]): string {
  const prefixes = list([...BASE_PREFIXES, ...added]);
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: real-peer, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: ${NODE_ASN}
      id: ${ROUTER_ID}
      prefixes: ${prefixes}
      neighbors:
      - address: ${PEER_IP}
        asn: ${PEER_ASN}
        connectTime: 2s
        toAdvertise: {allowed: {prefixes: ${prefixes}}}
`;
}

function inputFiles(n: number): Record<string, string> {
  const dead = deadYaml(n);
  return {
    "node.yaml": nodeYaml(HOST),
    "peer.yaml": peerYaml([]),
    ...(dead !== undefined && { "dead.yaml": dead }),
  };
}

// ---------------------------------------------------------------------------------------------
// Processes we start ourselves (frr-reload.py): own process group, killed on emergency exit

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(file: string, args: readonly string[], timeoutMs: number): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    const pid = child.pid;
    if (pid === undefined) {
      reject(new Error(`cannot start ${file}`));
      return;
    }
    const killGroup = (): void => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const unregister = onEmergencyExit(`${file} (pid ${pid})`, killGroup);
    const timer = setTimeout(killGroup, timeoutMs);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", (e) => {
      clearTimeout(timer);
      unregister();
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      unregister();
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Upstream's pipeline: render on every change, debounce 3 s from the first change, then
// frr-reload.py --test and --reload of the rendered file.

interface UpstreamApply {
  /** performance.now() at the start and end of the frr-reload.py runs. */
  startedAt: number;
  endedAt: number;
  testMs: number;
  reloadMs: number;
}

class UpstreamPipeline {
  readonly dir: string;
  readonly applies: UpstreamApply[] = [];
  readonly errors: string[] = [];
  readonly #frrDir: string;
  readonly #workDir: string;
  readonly #unregister: () => void;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The latest rendered configuration, and the one last handed to frr-reload.py. */
  #latest: string | undefined;
  #applied: string | undefined;
  #dirty = false;
  #rendering: Promise<void> | undefined;
  #applying: Promise<void> = Promise.resolve();

  constructor(frrDir: string, files: Readonly<Record<string, string>>) {
    this.#frrDir = frrDir;
    this.dir = mkdtempSync(join(tmpdir(), "frrk8s-bench-upstream-"));
    this.#workDir = mkdtempSync(join(tmpdir(), "frrk8s-bench-reload-"));
    const dir = this.dir;
    const workDir = this.#workDir;
    this.#unregister = onEmergencyExit("upstream pipeline dirs", () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(workDir, { recursive: true, force: true });
    });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.dir, name), text);
  }

  /** Render what the directory holds now (upstream reads its informer cache: no settle delay). */
  async render(): Promise<string> {
    const inputs = await directorySource({ dir: this.dir, nodeName: HOST, settleMs: 0 }).read();
    if (inputs.readProblems.length > 0) throw new Error(inputs.readProblems.join("; "));
    const result = computeNodeConfig({
      nodeName: HOST,
      nodeLabels: inputs.nodeLabels,
      configurations: inputs.configurations,
      secrets: inputs.secrets,
      options: { hostname: HOST },
    });
    if (result.frrConfig === undefined) throw new Error(`invalid input: ${JSON.stringify(result.issues)}`);
    return result.frrConfig;
  }

  /** Apply now, without debounce (the initial configuration). */
  async applyNow(): Promise<UpstreamApply> {
    this.#latest = await this.render();
    await this.#apply();
    const last = this.applies.at(-1);
    if (last === undefined || this.errors.length > 0) throw new Error(this.errors.join("\n"));
    return last;
  }

  watch(): void {
    this.#watcher = watch(this.dir, () => {
      this.#changed();
    });
    this.#watcher.on("error", () => undefined);
  }

  /** Like upstream's reconcile + debouncer: an equal configuration is dropped, a new one starts the timer. */
  #changed(): void {
    this.#dirty = true;
    this.#rendering ??= (async () => {
      for (let i = 0; i < 100 && this.#dirty; i++) {
        this.#dirty = false;
        try {
          const config = await this.render();
          if (config === this.#latest) continue;
          this.#latest = config;
          this.#timer ??= setTimeout(() => {
            this.#timer = undefined;
            this.#applying = this.#applying.then(() => this.#apply());
          }, UPSTREAM_DEBOUNCE_MS);
        } catch {
          // a half-written file: the event of the complete write follows
        }
      }
      this.#rendering = undefined;
    })();
  }

  async #apply(): Promise<void> {
    const config = this.#latest;
    if (config === undefined || config === this.#applied) return;
    const file = join(this.#workDir, "frr.conf");
    writeFileSync(file, config, { mode: 0o600 });
    const common = [
      ...["--stdout", "--log-level", "warning"],
      ...vtyshInstanceArgs({ vtySocketDir: this.#frrDir }),
      ...["--confdir", this.#frrDir, "--rundir", this.#workDir],
      file,
    ];
    const startedAt = performance.now();
    const test = await run("python3", [RELOAD_SCRIPT, "--test", ...common], 120_000);
    if (test.code !== 0) {
      this.errors.push(`--test exited ${String(test.code)}: ${test.stderr.slice(-2000)}`);
      return;
    }
    const reload = await run("python3", [RELOAD_SCRIPT, "--reload", "--overwrite", ...common], 900_000);
    const endedAt = performance.now();
    if (reload.code !== 0) {
      this.errors.push(`--reload exited ${String(reload.code)}: ${reload.stdout.slice(-2000)}`);
      return;
    }
    this.#applied = config;
    this.applies.push({ startedAt, endedAt, testMs: test.ms, reloadMs: reload.ms });
  }

  async stop(): Promise<void> {
    this.#watcher?.close();
    clearTimeout(this.#timer);
    await this.#rendering;
    await this.#applying;
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.#workDir, { recursive: true, force: true });
    this.#unregister();
  }
}

// ---------------------------------------------------------------------------------------------
// The lab: node FRR, one FRR peer, and the dead /16 link

async function labWithDeadLink(): Promise<Lab> {
  const lab = await buildLab({
    node: { asn: NODE_ASN },
    peers: [{ name: "peer", kind: "frr", asn: PEER_ASN, ipv4: `${PEER_IP}/24` }],
  });
  try {
    const node = lab.node.ns.name;
    const peer = lab.peer("peer").ns.name;
    const ip = (args: string[]) => runChecked("ip", args, { timeoutMs: 10_000 });
    // The far end goes to the peer's namespace without an address: ARP for 10.99.x.y is never answered.
    await ip(["-n", node, "link", "add", "n-dead", "type", "veth", "peer", "name", "dead", "netns", peer]);
    await ip(["-n", node, "addr", "add", "10.99.0.1/16", "dev", "n-dead"]);
    await ip(["-n", node, "link", "set", "n-dead", "up"]);
    await ip(["-n", peer, "link", "set", "dead", "up"]);
    return lab;
  } catch (e) {
    await lab.destroy();
    throw e;
  }
}

function peerFrr(lab: Lab): FrrPeer {
  return lab.peer("peer").bgp as FrrPeer;
}

const pollDurations: number[] = [];

/**
 * A read-only connection to one FRR daemon's vty socket, the protocol vtysh speaks: a command
 * ended by NUL; the answer is its output, then three NULs and a status byte. A poll costs ~1 ms
 * instead of ~40-90 ms for a vtysh process, so the convergence resolution is the poll interval.
 */
class VtyClient {
  readonly #socket: Socket;
  readonly #unregister: () => void;
  #buffer = Buffer.alloc(0);
  #pending: { resolve: (text: string) => void; reject: (e: Error) => void } | undefined;
  #error: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#unregister = onEmergencyExit("vty connection", () => socket.destroy());
    socket.on("data", (d: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, d]);
      const end = this.#buffer.indexOf(VTY_END);
      if (end === -1 || this.#buffer.length < end + VTY_END.length + 1) return;
      const text = this.#buffer.subarray(0, end).toString("utf8");
      this.#buffer = this.#buffer.subarray(end + VTY_END.length + 1);
      const p = this.#pending;
      this.#pending = undefined;
      p?.resolve(text);
    });
    const fail = (e: Error): void => {
      this.#error = e;
      this.#pending?.reject(e);
      this.#pending = undefined;
    };
    socket.on("error", fail);
    socket.on("close", () => {
      fail(new Error("vty connection closed"));
    });
  }

  static async open(path: string): Promise<VtyClient> {
    const socket = createConnection(path);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new VtyClient(socket);
  }

  /** One command; rejects after 5 s. */
  ask(command: string): Promise<string> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#pending !== undefined) return Promise.reject(new Error("one command at a time"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        reject(new Error(`vty: no answer to "${command}" within 5 s`));
      }, 5_000);
      this.#pending = {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#socket.write(`${command}\0`);
    });
  }

  close(): void {
    this.#socket.destroy();
    this.#unregister();
  }
}

const VTY_END = Buffer.from([0, 0, 0]);

/** Is `prefix` in the peer's BGP table (with a path)? */
async function peerHas(vty: VtyClient, prefix: string): Promise<boolean> {
  const started = performance.now();
  const data = JSON.parse(await vty.ask(`show bgp ipv4 unicast ${prefix} json`)) as {
    prefix?: string;
    paths?: unknown[];
  };
  pollDurations.push(performance.now() - started);
  return data.prefix === prefix && (data.paths?.length ?? 0) > 0;
}

/** Resolves with performance.now() of the first poll that saw `prefix` at the peer. */
async function whenPeerHas(vty: VtyClient, lab: Lab, prefix: string): Promise<number> {
  const seen = await waitFor(
    `${prefix} in the peer's BGP table`,
    async () => ((await peerHas(vty, prefix)) ? performance.now() : undefined),
    { timeoutMs: CHANGE_TIMEOUT_MS, intervalMs: POLL_MS },
  );
  // Cross-check the socket reading with vtysh itself.
  const check = (await frrJson(peerFrr(lab).frr, `show bgp ipv4 unicast ${prefix} json`)) as {
    prefix?: string;
  };
  if (check.prefix !== prefix) throw new Error(`vtysh does not show ${prefix} at the peer`);
  return seen;
}

async function openPeerVty(lab: Lab): Promise<VtyClient> {
  return VtyClient.open(join(peerFrr(lab).frr.dir, "bgpd.vty"));
}

/** After the initial apply: the real session is up and the peer has the base prefixes. */
async function waitForPeer(lab: Lab): Promise<void> {
  const peer = lab.peer("peer").bgp;
  await waitForEstablished(peer, undefined, { timeoutMs: 120_000 });
  await waitForReceived(peer, BASE_PREFIXES.at(-1)!, () => true, { timeoutMs: 120_000 });
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface Change {
  prefix: string;
  /** Writing the file → the prefix in the peer's BGP table. */
  convergenceMs: number;
  /** The apply itself. */
  applyMs: number;
  /** Writing the file → the apply finished (ours: status lastAppliedAt). */
  applyDoneMs: number;
}

interface Stats {
  min: number;
  p50: number;
  max: number;
}

interface CaseResult {
  size: number;
  pipeline: Pipeline;
  configLines: number;
  initialApplyMs: number;
  /** Upstream only: the --test and --reload parts of the initial apply. */
  initialParts?: { testMs: number; reloadMs: number };
  changes: Change[];
  convergence: Stats;
  apply: Stats;
  applyDone: Stats;
  wallSec: number;
  /** 1-min load average at the start and end of the case (the machine may be shared). */
  load: [number, number];
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)] ?? Number.NaN;
  return { min: Math.round(sorted[0] ?? Number.NaN), p50: Math.round(p50), max: Math.round(sorted.at(-1)!) };
}

const APPLIED = 'outcome="applied"';

async function appliedSeconds(agent: AgentProcess): Promise<{ count: number; sum: number }> {
  const m = await agent.metrics();
  const count = metricValue(m, "frrk8s_apply_duration_seconds_count", APPLIED);
  const sum = metricValue(m, "frrk8s_apply_duration_seconds_sum", APPLIED);
  return { count: Number.isNaN(count) ? 0 : count, sum: Number.isNaN(sum) ? 0 : sum };
}

async function waitApplied(agent: AgentProcess, count: number, timeoutMs: number) {
  return waitFor(
    `the agent's apply number ${count}`,
    async () => {
      if (agent.exitCode() !== undefined)
        throw new Error(`the agent exited:\n${agent.output().slice(-3000)}`);
      const a = await appliedSeconds(agent);
      return a.count >= count ? a : undefined;
    },
    { timeoutMs, intervalMs: 100, describe: () => agent.output().slice(-3000) },
  );
}

/** One pipeline on its own lab: set up with the initial configuration, then one change at a time. */
interface Subject {
  readonly pipeline: Pipeline;
  readonly lab: Lab;
  readonly initialApplyMs: number;
  readonly initialParts?: { testMs: number; reloadMs: number };
  readonly configLines: number;
  /** Add `prefix` to the real peer's configuration file; resolves once it is at the peer and applied. */
  change(added: readonly string[], vty: VtyClient): Promise<Change>;
  stop(): Promise<void>;
}

async function oursSubject(lab: Lab, size: number, pipeline: "ours" | "ours-reload"): Promise<Subject> {
  const agent = await startAgent(lab, {
    node: HOST,
    files: inputFiles(size),
    verifySeconds: 600,
    extraArgs: ["--apply-mode", pipeline === "ours" ? "engine" : "reload"],
  });
  try {
    const initial = await waitApplied(agent, 1, INITIAL_TIMEOUT_MS);
    const status = await waitFor(
      "the agent's status to show the initial apply",
      async () => {
        const s = await agent.status();
        return s.lastReloadResult === "" ? undefined : s;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, intervalMs: 50 },
    );
    if (status.lastReloadResult !== "success") throw new Error(`initial apply: ${status.lastReloadResult}`);
    let previous = initial;
    return {
      pipeline,
      lab,
      initialApplyMs: initial.sum * 1000,
      configLines: lineCount(status.runningConfig),
      change: async (added, vty) => {
        const prefix = added.at(-1)!;
        const epoch = Date.now();
        const t0 = performance.now();
        agent.write("peer.yaml", peerYaml(added));
        const seen = await whenPeerHas(vty, lab, prefix);
        const now = await waitApplied(agent, previous.count + 1, CHANGE_TIMEOUT_MS);
        // The metric is counted before the status is rebuilt (which reads FRR): wait for that too.
        const appliedAt = await waitFor(
          "the agent's status to show the apply",
          async () => {
            const at = (await agent.status()).lastAppliedAt;
            return at !== undefined && at >= epoch ? at : undefined;
          },
          { timeoutMs: CHANGE_TIMEOUT_MS, intervalMs: 50 },
        );
        if (now.count !== previous.count + 1) throw new Error(`${now.count - previous.count} applies`);
        const applyMs = (now.sum - previous.sum) * 1000;
        previous = now;
        return { prefix, convergenceMs: seen - t0, applyMs, applyDoneMs: appliedAt - epoch };
      },
      stop: () => agent.stop(),
    };
  } catch (e) {
    log(`agent output (tail):\n${agent.output().slice(-3000)}`);
    await agent.stop();
    throw e;
  }
}

async function upstreamSubject(lab: Lab, size: number): Promise<Subject> {
  const up = new UpstreamPipeline(lab.nodeFrr().dir, inputFiles(size));
  try {
    const initial = await up.applyNow();
    const configLines = lineCount(await lab.nodeFrr().runningConfig());
    up.watch();
    return {
      pipeline: "upstream",
      lab,
      initialApplyMs: initial.endedAt - initial.startedAt,
      initialParts: { testMs: Math.round(initial.testMs), reloadMs: Math.round(initial.reloadMs) },
      configLines,
      change: async (added, vty) => {
        const prefix = added.at(-1)!;
        const before = up.applies.length;
        const t0 = performance.now();
        writeFileSync(join(up.dir, "peer.yaml"), peerYaml(added));
        const seen = await whenPeerHas(vty, lab, prefix);
        const apply = await waitFor(
          `upstream apply number ${before + 1}`,
          () => {
            if (up.errors.length > 0) throw new Error(up.errors.join("\n"));
            return up.applies[before];
          },
          { timeoutMs: CHANGE_TIMEOUT_MS, intervalMs: 50 },
        );
        return {
          prefix,
          convergenceMs: seen - t0,
          applyMs: apply.endedAt - apply.startedAt,
          applyDoneMs: apply.endedAt - t0,
        };
      },
      stop: () => up.stop(),
    };
  } catch (e) {
    await up.stop();
    throw e;
  }
}

/**
 * One size: a fresh lab per pipeline, initial applies one after the other, then the changes
 * alternate between the pipelines (who goes first rotates by round), so that all see the same
 * machine load (this machine may be shared).
 */
async function measureSize(
  size: number,
  pipelines: readonly Pipeline[],
  runs: number,
): Promise<CaseResult[]> {
  const started = performance.now();
  const loadStart = loadavg()[0] ?? 0;
  const subjects: Subject[] = [];
  const vtys: VtyClient[] = [];
  const labs: Lab[] = [];
  try {
    for (const pipeline of pipelines) {
      const lab = await labWithDeadLink();
      labs.push(lab);
      const subject =
        pipeline === "upstream" ? await upstreamSubject(lab, size) : await oursSubject(lab, size, pipeline);
      subjects.push(subject);
      log(
        `  ${size} ${pipeline}: initial apply ${Math.round(subject.initialApplyMs)} ms (${subject.configLines} running-config lines)`,
      );
    }
    for (const subject of subjects) {
      await waitForPeer(subject.lab);
      vtys.push(await openPeerVty(subject.lab));
    }
    // bgpd keeps working for a while after loading many neighbors (lab doc §3 (c), footnote 1).
    await sleep(Math.max(2_000, size * 20));
    const changes = subjects.map((): Change[] => []);
    const added: string[] = [];
    for (let r = 1; r <= runs; r++) {
      added.push(`10.200.${r}.0/24`);
      // Rotate who goes first, round by round.
      const order = subjects.map((_, i) => (i + r - 1) % subjects.length);
      for (const i of order) {
        const subject = subjects[i]!;
        const change = await subject.change(added, vtys[i]!);
        changes[i]!.push(change);
        log(`  ${size} ${subject.pipeline} #${r}: ${describe(change)}`);
        await sleep(1_000);
      }
    }
    const wallSec = Math.round((performance.now() - started) / 1000);
    const load: [number, number] = [round2(loadStart), round2(loadavg()[0] ?? 0)];
    return subjects.map((s, i) => ({
      size,
      pipeline: s.pipeline,
      configLines: s.configLines,
      initialApplyMs: s.initialApplyMs,
      ...(s.initialParts !== undefined && { initialParts: s.initialParts }),
      changes: changes[i]!,
      ...summarise(changes[i]!),
      wallSec,
      load,
    }));
  } finally {
    for (const vty of vtys) vty.close();
    for (const subject of subjects) {
      await subject.stop().catch((e: unknown) => {
        log(`stop: ${String(e)}`);
      });
    }
    for (const lab of labs) await lab.destroy();
  }
}

function summarise(changes: readonly Change[]): Pick<CaseResult, "convergence" | "apply" | "applyDone"> {
  return {
    convergence: stats(changes.map((c) => c.convergenceMs)),
    apply: stats(changes.map((c) => c.applyMs)),
    applyDone: stats(changes.map((c) => c.applyDoneMs)),
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function lineCount(text: string): number {
  return text.split("\n").filter((l) => l.trim() !== "").length;
}

function describe(c: Change): string {
  const f = (ms: number): string => `${Math.round(ms)} ms`;
  return `converged ${f(c.convergenceMs)}, apply ${f(c.applyMs)}, apply done ${f(c.applyDoneMs)} after the write`;
}

function log(text: string): void {
  process.stdout.write(`${text}\n`);
}

// ---------------------------------------------------------------------------------------------
// Report

function table(results: readonly CaseResult[]): string {
  const s = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
  const mmm = (x: Stats): string => `${x.min} / ${x.p50} / ${x.max}`;
  return [
    "| neighbors | pipeline | initial apply s | apply p50 ms | write → applied p50 ms | convergence ms (min / p50 / max) | runs | 1-min load |",
    "|---|---|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.size} | ${r.pipeline} | ${s(r.initialApplyMs)} | ${r.apply.p50} | ${r.applyDone.p50} | ${mmm(r.convergence)} | ${r.changes.length} | ${r.load[0].toFixed(1)}–${r.load[1].toFixed(1)} |`,
    ),
  ].join("\n");
}

/**
 * `python3` on PATH can be a pyenv shim (bash scripts: 0.2-1 s per call on this machine, twice per
 * frr-reload.py apply); upstream's container runs the system Python. Both frr-reload.py pipelines
 * (the agent inherits our PATH) get /usr/bin/python3 first on PATH.
 */
function preferSystemPython(): string {
  const system = "/usr/bin/python3";
  if (!existsSync(system)) return "python3 (PATH)";
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-bench-python-"));
  symlinkSync(system, join(dir, "python3"));
  process.env.PATH = `${dir}:${process.env.PATH ?? ""}`;
  onEmergencyExit("python3 link", () => {
    rmSync(dir, { recursive: true, force: true });
  });
  return system;
}

interface RunInfo {
  python: string;
  started: number;
  loadBefore: number;
}

/** The results file; written after every size of a full run (`complete` false until the end). */
function writeReport(results: readonly CaseResult[], info: RunInfo, complete: boolean): void {
  const meanPoll = pollDurations.reduce((a, b) => a + b, 0) / Math.max(1, pollDurations.length);
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    complete,
    machine: {
      ...machineInfo(),
      loadAverage: { before: info.loadBefore, after: loadavg()[0] ?? 0 },
    },
    settings: {
      basePrefixesPerNeighbor: BASE_PREFIXES.length,
      change: "one more prefix for the real peer (router prefixes + its allowed list): 2 lines in frr.conf",
      oursCoalesceMs: COALESCE_MS,
      oursVerifySeconds: 600,
      upstreamDebounceMs: UPSTREAM_DEBOUNCE_MS,
      pollIntervalMs: POLL_MS,
      python: info.python,
      meanPollQueryMs: Math.round(meanPoll * 10) / 10,
    },
    totalSec: Math.round((performance.now() - info.started) / 1000),
    results: results.map((r) => ({
      ...r,
      initialApplyMs: Math.round(r.initialApplyMs),
      changes: r.changes.map((c) => ({
        prefix: c.prefix,
        convergenceMs: Math.round(c.convergenceMs),
        applyMs: Math.round(c.applyMs),
        applyDoneMs: Math.round(c.applyDoneMs),
      })),
    })),
  };
  writeFileSync(join(dir, "convergence.json"), `${JSON.stringify(report, null, 2)}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const problems = await frrPrerequisiteProblems();
  if (problems.length > 0) throw new Error(`cannot run: ${problems.join("; ")}`);
  const info: RunInfo = {
    python: preferSystemPython(),
    started: performance.now(),
    loadBefore: loadavg()[0] ?? 0,
  };
  const results: CaseResult[] = [];
  for (const size of options.sizes) {
    log(`== ${size} neighbors: ${options.pipelines.join(", ")}`);
    results.push(...(await measureSize(size, options.pipelines, runsFor(size, options))));
    if (options.full) writeReport(results, info, false);
  }
  const totalSec = Math.round((performance.now() - info.started) / 1000);
  const meanPoll = pollDurations.reduce((a, b) => a + b, 0) / Math.max(1, pollDurations.length);
  log(`\n${table(results)}\n`);
  log(
    `${availableParallelism()} cores, FRR ${frrVersion()}, ${totalSec} s in all; peer polled every ${POLL_MS} ms ` +
      `(one query on its bgpd vty socket, mean ${meanPoll.toFixed(1)} ms); ` +
      `1-min load ${info.loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after`,
  );
  if (!options.full) return;
  writeReport(results, info, true);
  log(`wrote ${join("bench", "results", "convergence.json")}`);
}

await main();
