// Benchmark of the pure pipeline (not a test): merge + render of N neighbors, each advertising
// its configuration's 100 prefixes (filtered mode, with local preferences and communities) and
// receiving a few filtered prefixes, spread over FRRConfigurations of 20 neighbors each.
//
//   npm run bench                       # all sizes, writes bench/results/pipeline.json
//   npm run bench -- --sizes 1000       # one size only (results file untouched)
//   npm exec -- node --cpu-prof --cpu-prof-dir=/tmp/prof bench/pipeline.bench.ts --sizes 1000
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { FRRConfiguration, Neighbor } from "../src/api/types.ts";
import { buildModel } from "../src/core/build-model.ts";
import { computeNodeConfig } from "../src/core/pipeline.ts";
import { renderFrrLines } from "../src/core/render/render.ts";
import type { NodeSnapshot } from "../src/core/snapshot.ts";

const PREFIXES_PER_CONFIG = 100;
const NEIGHBORS_PER_CONFIG = 20;
const FLOOR_MS = 100;
const FLOOR_CASE = 1000;

interface Case {
  neighbors: number;
  /**
   * plain: the case, each neighbor advertising its configuration's 100 prefixes.
   * rich: also password, timers, BFD, 2 local-prefs + 2 communities over 40 prefixes, 5 receive filters.
   */
  shape: "plain" | "rich";
  warmup: number;
  iterations: number;
}

const CASES: readonly Case[] = [
  { neighbors: 10, shape: "rich", warmup: 50, iterations: 300 },
  { neighbors: 100, shape: "rich", warmup: 20, iterations: 100 },
  { neighbors: 1000, shape: "plain", warmup: 5, iterations: 30 },
  { neighbors: 1000, shape: "rich", warmup: 5, iterations: 30 },
];

function prefixesOf(config: number): string[] {
  return Array.from({ length: PREFIXES_PER_CONFIG }, (_, p) => `10.${config}.${p}.0/24`);
}

function plainNeighborOf(n: number, prefixes: readonly string[]): Neighbor {
  return {
    address: `172.${16 + Math.floor(n / 250)}.${n % 250}.1`,
    asn: 65000 + (n % 100),
    toAdvertise: { allowed: { mode: "filtered", prefixes: [...prefixes] } },
  };
}

function richNeighborOf(n: number, prefixes: readonly string[]): Neighbor {
  return {
    address: `172.${16 + Math.floor(n / 250)}.${n % 250}.1`,
    asn: 65000 + (n % 100),
    holdTime: "90s",
    keepaliveTime: "30s",
    password: `bench-password-${n}`,
    bfdProfile: "bench",
    toAdvertise: {
      allowed: { mode: "filtered", prefixes: [...prefixes] },
      withLocalPref: [
        { localPref: 100, prefixes: prefixes.slice(0, 10) },
        { localPref: 200, prefixes: prefixes.slice(10, 20) },
      ],
      withCommunity: [
        { community: "65000:100", prefixes: prefixes.slice(0, 20) },
        { community: "large:65000:1:2", prefixes: prefixes.slice(20, 40) },
      ],
    },
    toReceive: {
      allowed: {
        prefixes: Array.from({ length: 5 }, (_, i) => ({ prefix: `192.168.${i}.0/24`, le: 32 })),
      },
    },
  };
}

function configsFor(neighbors: number, shape: Case["shape"]): FRRConfiguration[] {
  const neighborOf = shape === "plain" ? plainNeighborOf : richNeighborOf;
  const count = Math.max(1, Math.ceil(neighbors / NEIGHBORS_PER_CONFIG));
  return Array.from({ length: count }, (_, c) => {
    const prefixes = prefixesOf(c);
    const first = c * NEIGHBORS_PER_CONFIG;
    const own = Math.min(NEIGHBORS_PER_CONFIG, neighbors - first);
    return {
      apiVersion: "frrk8s.metallb.io/v1beta1",
      kind: "FRRConfiguration",
      metadata: { name: `bench-${String(c).padStart(2, "0")}`, namespace: "frr-k8s-system" },
      spec: {
        bgp: {
          routers: [
            {
              asn: 64512,
              prefixes,
              neighbors: Array.from({ length: own }, (_, k) => neighborOf(first + k, prefixes)),
            },
          ],
          bfdProfiles: [{ name: "bench", receiveInterval: 300, transmitInterval: 300, detectMultiplier: 3 }],
        },
      },
    };
  });
}

function snapshotFor(neighbors: number, shape: Case["shape"]): NodeSnapshot {
  return {
    nodeName: "node-1",
    nodeLabels: { "kubernetes.io/hostname": "node-1" },
    // Round-tripped through JSON, as the adapters hand the pipeline decoded YAML/JSON.
    configurations: JSON.parse(JSON.stringify(configsFor(neighbors, shape))) as unknown[],
    secrets: [],
    options: { hostname: "node-1", alwaysBlock: ["192.168.100.0/24"] },
  };
}

interface Stats {
  min: number;
  p50: number;
  p90: number;
  max: number;
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return { min: round(sorted[0]!), p50: round(at(0.5)), p90: round(at(0.9)), max: round(sorted.at(-1)!) };
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** CPU time of the process (all threads, GC helpers included): less sensitive to other load. */
function cpuTime(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

interface CaseResult {
  neighbors: number;
  shape: Case["shape"];
  prefixesPerNeighbor: number;
  configurations: number;
  iterations: number;
  inputBytes: number;
  output: { lines: number; bytes: number };
  computeNodeConfigMs: Stats;
  computeNodeConfigCpuMs: Stats;
  buildModelMs: Stats;
  renderMs: Stats;
  /** buildModel + renderFrrLines: the configuration as lines, what the apply path consumes. */
  toLinesMs: Stats;
  /** Joining those lines into one string (the CLI's output; the agent never needs it). */
  joinMs: Stats;
}

function runCase(c: Case): CaseResult {
  const snapshot = snapshotFor(c.neighbors, c.shape);
  const check = computeNodeConfig(snapshot);
  if (check.frrConfig === undefined) {
    throw new Error(`benchmark input is invalid: ${JSON.stringify(check.issues.slice(0, 3))}`);
  }
  for (let i = 0; i < c.warmup; i++) computeNodeConfig(snapshot);
  const total: number[] = [];
  const cpu: number[] = [];
  const merge: number[] = [];
  const render: number[] = [];
  const toLines: number[] = [];
  const join: number[] = [];
  for (let i = 0; i < c.iterations; i++) {
    total.push(time(() => computeNodeConfig(snapshot)));
    cpu.push(cpuTime(() => computeNodeConfig(snapshot)));
    let model: ReturnType<typeof buildModel>["model"];
    let lines: string[] = [];
    merge.push(
      time(() => {
        model = buildModel(snapshot).model;
      }),
    );
    render.push(time(() => (lines = renderFrrLines(model!))));
    toLines.push(merge.at(-1)! + render.at(-1)!);
    join.push(time(() => `${lines.join("\n")}\n`));
  }
  const text = check.frrConfig;
  return {
    neighbors: c.neighbors,
    shape: c.shape,
    prefixesPerNeighbor: PREFIXES_PER_CONFIG,
    configurations: snapshot.configurations.length,
    iterations: c.iterations,
    inputBytes: Buffer.byteLength(JSON.stringify(snapshot.configurations)),
    output: { lines: text.split("\n").length - 1, bytes: Buffer.byteLength(text) },
    computeNodeConfigMs: stats(total),
    computeNodeConfigCpuMs: stats(cpu),
    buildModelMs: stats(merge),
    renderMs: stats(render),
    toLinesMs: stats(toLines),
    joinMs: stats(join),
  };
}

function table(results: readonly CaseResult[]): string {
  const fmt = (s: Stats): string => `${s.min} / ${s.p50} / ${s.p90} / ${s.max}`;
  const rows = results.map(
    (r) =>
      `| ${r.neighbors} × ${r.prefixesPerNeighbor} ${r.shape} | ${r.configurations} | ${r.iterations} | ${fmt(r.toLinesMs)} | ${fmt(r.buildModelMs)} | ${fmt(r.renderMs)} | ${fmt(r.joinMs)} | ${fmt(r.computeNodeConfigMs)} | ${fmt(r.computeNodeConfigCpuMs)} | ${r.output.lines} | ${r.output.bytes} |`,
  );
  return [
    "| neighbors × prefixes | configs | runs | merge + render to lines ms (min / p50 / p90 / max) | of which merge | of which render | + join to one string | computeNodeConfig (all, string) | computeNodeConfig CPU | output lines | output bytes |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function selectedCases(): Case[] {
  const flag = process.argv.indexOf("--sizes");
  if (flag === -1) return [...CASES];
  const wanted = new Set((process.argv[flag + 1] ?? "").split(",").map(Number));
  return CASES.filter((c) => wanted.has(c.neighbors));
}

const cases = selectedCases();
const loadBefore = loadavg()[0] ?? 0;
const results = cases.map(runCase);
const loadAfter = loadavg()[0] ?? 0;
console.log(table(results));
console.log(
  `\n${cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (other load inflates wall times; the CPU column is less affected)`,
);
const floorCase = results.find((r) => r.neighbors === FLOOR_CASE && r.shape === "plain");
if (floorCase) {
  const verdict = (ms: number): string => (ms <= FLOOR_MS ? "meets" : "misses");
  const lines = floorCase.toLinesMs;
  const whole = floorCase.computeNodeConfigMs;
  console.log(
    `\nfloor ${FLOOR_MS} ms for ${FLOOR_CASE} × ${PREFIXES_PER_CONFIG}: merge + render to lines p50 ${lines.p50} ms (${verdict(lines.p50)}); ` +
      `including the join into one ${(floorCase.output.bytes / 1e6).toFixed(1)} MB string p50 ${whole.p50} ms (${verdict(whole.p50)})`,
  );
}

if (cases.length === CASES.length) {
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    loadAverage: { before: loadBefore, after: loadAfter },
    floor: {
      case: `${FLOOR_CASE} neighbors × ${PREFIXES_PER_CONFIG} prefixes (plain)`,
      ms: FLOOR_MS,
      toLinesP50: floorCase?.toLinesMs.p50,
      toLinesP90: floorCase?.toLinesMs.p90,
      meetsToLines: floorCase !== undefined && floorCase.toLinesMs.p50 <= FLOOR_MS,
      withJoinP50: floorCase?.computeNodeConfigMs.p50,
      meetsWithJoin: floorCase !== undefined && floorCase.computeNodeConfigMs.p50 <= FLOOR_MS,
    },
    results,
  };
  writeFileSync(join(dir, "pipeline.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${join("bench", "results", "pipeline.json")}`);
}
