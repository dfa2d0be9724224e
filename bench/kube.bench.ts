// Benchmark (not a test): the Kubernetes layer at cluster scale, on a real kube-apiserver + etcd.
//
//   npm run bench:kube                                   # 3,000 Nodes, 6,000 FRRConfigurations; writes bench/results/kube.json
//   npm run bench:kube -- --nodes 300 --configs 600      # a quick run (results file untouched)
//
// The apiserver holds N Nodes and M FRRConfigurations in the frr-k8s namespace. Configuration i
// selects node i mod N by its hostname label (so most select other nodes than the agent's); each
// has one router, two neighbors and five prefixes. Every 50th configuration instead selects a
// rack (label rack=r<k>, 30 racks), one in 500 selects every node.
//
// Agent and webhook run the CLI compiled by `npm run build`'s tsconfig, as in the image.
//
// Measured:
// - agent: the real `frrk8s agent` process for node-0000 on real FRR (in a network namespace):
//   time from start to its first applied configuration, RSS after that and its peak (VmHWM) at
//   the end; reconcile latency = from the API write to the change being in FRR's running config
//   (polled on /status every 20 ms), for changes to a configuration selecting the node; and the
//   cost of changes to configurations of other nodes (FRR commands sent: must stay 0).
// - webhook: the real `frrk8s webhook` process (its caches synced), AdmissionReview POSTs sent to
//   it directly over HTTPS, one at a time: latency p50/p99 for a configuration selecting one node,
//   a rack (100 nodes) and every node; its RSS.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { buildCompiledCli } from "../test/support/compiled-cli.ts";
import { onEmergencyExit } from "../test/support/emergency-cleanup.ts";
import { sleep } from "../test/support/exec.ts";
import { startFrr, type FrrInstance } from "../test/support/frr-daemons.ts";
import { startControlPlane, type ControlPlane } from "../test/support/kube/control-plane.ts";
import { freePort, metricValue, startAgent, type AgentProcess } from "../test/support/lab/agent-process.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../test/support/netns.ts";
import { machineInfo } from "./machine.ts";

const NAMESPACE = "frr-k8s-system";
const AGENT_NODE = "node-0000";
const RACKS = 30;
const ROOT = join(import.meta.dirname, "..");

const { values: flags } = parseArgs({
  options: {
    nodes: { type: "string", default: "3000" },
    configs: { type: "string", default: "6000" },
    changes: { type: "string", default: "20" },
    requests: { type: "string", default: "300" },
  },
});
const NODES = Number(flags.nodes);
const CONFIGS = Number(flags.configs);
const CHANGES = Number(flags.changes);
const REQUESTS = Number(flags.requests);
const FULL_SIZE = NODES === 3000 && CONFIGS === 6000;

const nodeName = (i: number): string => `node-${String(i).padStart(4, "0")}`;

function nodeObject(i: number): object {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: nodeName(i),
      labels: {
        "kubernetes.io/hostname": nodeName(i),
        rack: `r${String(i % RACKS)}`,
        "kubernetes.io/os": "linux",
      },
    },
  };
}

function selectorOf(i: number): object {
  if (i % 500 === 499) return {};
  if (i % 50 === 49) return { matchLabels: { rack: `r${String(i % RACKS)}` } };
  return { matchLabels: { "kubernetes.io/hostname": nodeName(i % NODES) } };
}

/** Configuration i; `extra` more prefixes (a change). Neighbor addresses are unique per config. */
function configObject(i: number, extra = 0, name = `cfg-${String(i)}`): Record<string, unknown> {
  // Unique per index up to 187,500 (the webhook's objects use indexes above CONFIGS).
  const block = Math.floor(i / 62_500);
  const a = Math.floor(i / 250) % 250;
  const b = i % 250;
  const prefixes = [...Array(5 + extra).keys()].map((k) => `10.${String(100 + (i % 100))}.${String(k)}.0/24`);
  return {
    apiVersion: "frrk8s.metallb.io/v1beta1",
    kind: "FRRConfiguration",
    metadata: { name, namespace: NAMESPACE },
    spec: {
      nodeSelector: selectorOf(i),
      bgp: {
        routers: [
          {
            asn: 64512,
            prefixes,
            neighbors: [1, 2].map((n) => ({
              address: `172.${String(16 + n * 3 + block)}.${String(a)}.${String(b + 1)}`,
              asn: 64600 + n,
              toAdvertise: { allowed: { prefixes } },
            })),
          },
        ],
      },
    },
  };
}

async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function populate(cp: ControlPlane, kc: KubeConfig): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const started = performance.now();
  await cp.kubectlChecked(["create", "namespace", NAMESPACE]);
  await inParallel([...Array(NODES).keys()], 16, (i) => core.createNode({ body: nodeObject(i) }));
  await inParallel([...Array(CONFIGS).keys()], 16, (i) =>
    custom.createNamespacedCustomObject({
      group: "frrk8s.metallb.io",
      version: "v1beta1",
      namespace: NAMESPACE,
      plural: "frrconfigurations",
      body: configObject(i),
    }),
  );
  return performance.now() - started;
}

function memoryKiB(pid: number): { rss: number; peak: number } {
  const text = readFileSync(`/proc/${String(pid)}/status`, "utf8");
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rss: field("VmRSS"), peak: field("VmHWM") };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(20);
  }
  throw new Error(`timed out after ${String(timeoutMs)} ms: ${what}`);
}

interface AgentResult {
  startToAppliedMs: number;
  /** VmHWM when the first apply was seen: the start-up's share of the peak. */
  peakByFirstApplyMiB: number;
  rssAfterStartMiB: number;
  peakRssMiB: number;
  /** API write → the change in FRR's running configuration (polled with vtysh). */
  ownChangeMs: { p50: number; max: number; samples: number[] };
  /** API write → the change in the agent's /status (after its post-apply status reads). */
  ownChangeStatusMs: { p50: number; max: number };
  /** Mean of the agent's own apply duration over those changes (frrk8s_apply_duration_seconds). */
  applyMeanMs: number;
  otherChanges: number;
  commandsForOtherChanges: number;
}

async function measureAgent(
  cp: ControlPlane,
  kc: KubeConfig,
  frr: FrrInstance,
  script: string,
): Promise<AgentResult> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const started = performance.now();
  const agent: AgentProcess = await startAgent(
    { nodeFrr: () => frr },
    {
      node: AGENT_NODE,
      kube: { kubeconfig: cp.kubeconfig, namespace: NAMESPACE },
      verifySeconds: 600,
      script,
    },
  );
  try {
    await waitUntil("the agent's first apply", 300_000, async () =>
      (await agent.status()).lastAppliedAt !== undefined ? true : undefined,
    );
    const startToAppliedMs = performance.now() - started;
    const atFirstApply = memoryKiB(agent.pid);
    await sleep(2_000);
    const afterStart = memoryKiB(agent.pid);
    const own: number[] = [];
    const ownStatus: number[] = [];
    const applyBefore = applyDuration(await agent.metrics());
    for (let k = 0; k < CHANGES; k++) {
      // Configuration 0 selects node-0000: one more prefix each time.
      const marker = `network 10.100.${String(5 + k)}.0/24`;
      const metadata = await resourceVersionOf(custom, "cfg-0");
      const t0 = performance.now();
      await custom.replaceNamespacedCustomObject({
        group: "frrk8s.metallb.io",
        version: "v1beta1",
        namespace: NAMESPACE,
        plural: "frrconfigurations",
        name: "cfg-0",
        body: { ...configObject(0, k + 1), metadata },
      });
      // FRR itself, polled with vtysh (~30-50 ms a query), then the agent's /status.
      await waitUntil(`${marker} in FRR`, 60_000, async () => {
        const r = await frr.vtysh(["-d", "bgpd", "-c", "show running-config"]);
        return r.stdout.includes(marker) ? true : undefined;
      });
      own.push(performance.now() - t0);
      await waitUntil(`${marker} in /status`, 60_000, async () =>
        (await agent.status()).runningConfig.includes(marker) ? true : undefined,
      );
      ownStatus.push(performance.now() - t0);
    }
    const applyAfter = applyDuration(await agent.metrics());
    const applyMeanMs = ((applyAfter.sum - applyBefore.sum) / (applyAfter.count - applyBefore.count)) * 1000;
    const commandsBefore = metricValue(await agent.metrics(), "frrk8s_apply_commands_total");
    const others = Math.min(CHANGES * 5, CONFIGS - 1);
    for (let k = 1; k <= others; k++) {
      const i = k * Math.floor(CONFIGS / (others + 1)) + 1; // selects node i mod N, not node-0000
      if (i % NODES === 0 || i % 50 === 49 || i % 500 === 499) continue;
      const name = `cfg-${String(i)}`;
      await custom.replaceNamespacedCustomObject({
        group: "frrk8s.metallb.io",
        version: "v1beta1",
        namespace: NAMESPACE,
        plural: "frrconfigurations",
        name,
        body: { ...configObject(i, 1), metadata: await resourceVersionOf(custom, name) },
      });
    }
    await sleep(2_000);
    const commandsAfter = metricValue(await agent.metrics(), "frrk8s_apply_commands_total");
    const end = memoryKiB(agent.pid);
    const sorted = [...own].sort((x, y) => x - y);
    const sortedStatus = [...ownStatus].sort((x, y) => x - y);
    return {
      startToAppliedMs: round(startToAppliedMs),
      rssAfterStartMiB: round(afterStart.rss / 1024),
      peakRssMiB: round(end.peak / 1024),
      peakByFirstApplyMiB: round(atFirstApply.peak / 1024),
      ownChangeMs: {
        p50: round(percentile(sorted, 50)),
        max: round(sorted.at(-1) ?? NaN),
        samples: own.map(round),
      },
      ownChangeStatusMs: { p50: round(percentile(sortedStatus, 50)), max: round(sortedStatus.at(-1) ?? NaN) },
      applyMeanMs: round(applyMeanMs),
      otherChanges: others,
      commandsForOtherChanges: commandsAfter - commandsBefore,
    };
  } finally {
    if (process.env["BENCH_AGENT_LOG"] === "1") process.stdout.write(agent.output());
    await agent.stop();
  }
}

function applyDuration(metrics: string): { sum: number; count: number } {
  return {
    sum: metricValue(metrics, "frrk8s_apply_duration_seconds_sum", 'outcome="applied"'),
    count: metricValue(metrics, "frrk8s_apply_duration_seconds_count", 'outcome="applied"'),
  };
}

async function resourceVersionOf(custom: CustomObjectsApi, name: string): Promise<object> {
  const current = (await custom.getNamespacedCustomObject({
    group: "frrk8s.metallb.io",
    version: "v1beta1",
    namespace: NAMESPACE,
    plural: "frrconfigurations",
    name,
  })) as { metadata: { resourceVersion: string } };
  return { name, namespace: NAMESPACE, resourceVersion: current.metadata.resourceVersion };
}

interface WebhookResult {
  cases: {
    case: string;
    nodes: number;
    p50: number;
    p99: number;
    max: number;
    allowed: number;
    firstDenial?: string;
  }[];
  rssMiB: number;
  peakRssMiB: number;
}

function startWebhook(kubeconfig: string, port: number, script: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      script,
      "webhook",
      "--kubeconfig",
      kubeconfig,
      "--namespace",
      NAMESPACE,
      "--listen",
      `127.0.0.1:${String(port)}`,
      "--cert-extra-san",
      "127.0.0.1",
      "--log-level",
      "error",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  onEmergencyExit(`frrk8s webhook (pid ${String(child.pid)})`, () => child.kill("SIGKILL"));
  return child;
}

function post(port: number, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        rejectUnauthorized: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function admissionReview(object: object, uid: string): string {
  return JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid,
      kind: { group: "frrk8s.metallb.io", version: "v1beta1", kind: "FRRConfiguration" },
      resource: { group: "frrk8s.metallb.io", version: "v1beta1", resource: "frrconfigurations" },
      operation: "CREATE",
      namespace: NAMESPACE,
      name: (object as { metadata: { name: string } }).metadata.name,
      object,
      userInfo: { username: "bench" },
    },
  });
}

async function measureWebhook(cp: ControlPlane, script: string): Promise<WebhookResult> {
  const port = await freePort();
  const child = startWebhook(cp.kubeconfig, port, script);
  const path = "/validate-frrk8s-metallb-io-v1beta1-frrconfiguration";
  try {
    // Ready = caches synced: an admission of a configuration selecting a node is answered.
    await waitUntil("the webhook answering", 120_000, async () => {
      const r = await post(port, path, admissionReview(configObject(CONFIGS + 1, 0, "probe"), "probe"));
      return r.status === 200 ? true : undefined;
    });
    const cases = [
      { case: "selects one node", nodes: 1, index: (k: number) => CONFIGS + 2 + k * 500 },
      {
        case: "selects a rack",
        nodes: Math.ceil(NODES / RACKS),
        index: (k: number) => CONFIGS + 49 + k * 50,
      },
      { case: "selects every node", nodes: NODES, index: (k: number) => CONFIGS + 499 + k * 500 },
    ];
    const out: WebhookResult["cases"] = [];
    for (const c of cases) {
      const times: number[] = [];
      let allowed = 0;
      let firstDenial: string | undefined;
      for (let k = 0; k < REQUESTS; k++) {
        const body = admissionReview(configObject(c.index(k), 0, `new-${String(k)}`), `u-${String(k)}`);
        const t0 = performance.now();
        const r = await post(port, path, body);
        times.push(performance.now() - t0);
        if (r.status !== 200)
          throw new Error(`webhook answered ${String(r.status)}: ${r.text.slice(0, 300)}`);
        const { response } = JSON.parse(r.text) as {
          response?: { allowed?: boolean; status?: { message?: string } };
        };
        if (response?.allowed === true) allowed++;
        else firstDenial ??= response?.status?.message?.slice(0, 600);
      }
      const sorted = times.sort((x, y) => x - y);
      out.push({
        case: c.case,
        nodes: c.nodes,
        p50: round(percentile(sorted, 50)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? NaN),
        allowed,
        ...(firstDenial !== undefined && { firstDenial }),
      });
    }
    const mem = memoryKiB(child.pid ?? 0);
    return { cases: out, rssMiB: round(mem.rss / 1024), peakRssMiB: round(mem.peak / 1024) };
  } finally {
    child.kill("SIGTERM");
  }
}

async function main(): Promise<void> {
  // Agent and webhook run compiled, as the image ships them (no type stripping in the process).
  const [cp, compiled] = await Promise.all([startControlPlane(), buildCompiledCli()]);
  let ns: Namespace | undefined;
  let frr: FrrInstance | undefined;
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfig);
    const populateMs = await populate(cp, kc);
    console.log(
      `populated ${String(NODES)} Nodes and ${String(CONFIGS)} FRRConfigurations in ${String(Math.round(populateMs / 1000))} s`,
    );
    ns = await createNamespace(uniqueNamespaceName("frrk8s-bkube"));
    frr = await startFrr({ netns: ns.name });
    const agent = await measureAgent(cp, kc, frr, compiled.main);
    const webhook = await measureWebhook(cp, compiled.main);
    printTables(agent, webhook);
    const result = {
      date: new Date().toISOString(),
      machine: machineInfo(),
      load: loadavg().map((l) => Math.round(l * 100) / 100),
      nodes: NODES,
      configs: CONFIGS,
      agent,
      webhook,
    };
    if (FULL_SIZE)
      writeFileSync(join(ROOT, "bench/results/kube.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await frr?.stop();
    await ns?.delete();
    await cp.stop();
    compiled.remove();
  }
}

function printTables(agent: AgentResult, webhook: WebhookResult): void {
  console.log(`\nAgent (node ${AGENT_NODE}; ${String(NODES)} Nodes, ${String(CONFIGS)} FRRConfigurations)`);
  console.log(
    "| start → first apply | RSS after start | peak RSS (by first apply) | own change → FRR p50 / max | → /status p50 / max | apply (agent) mean | other nodes' changes | FRR commands for them |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  console.log(
    `| ${String(agent.startToAppliedMs)} ms | ${String(agent.rssAfterStartMiB)} MiB | ${String(agent.peakRssMiB)} (${String(agent.peakByFirstApplyMiB)}) MiB | ${String(agent.ownChangeMs.p50)} / ${String(agent.ownChangeMs.max)} ms | ${String(agent.ownChangeStatusMs.p50)} / ${String(agent.ownChangeStatusMs.max)} ms | ${String(agent.applyMeanMs)} ms | ${String(agent.otherChanges)} | ${String(agent.commandsForOtherChanges)} |`,
  );
  console.log(
    `\nWebhook (${String(REQUESTS)} AdmissionReviews per case, one at a time; RSS ${String(webhook.rssMiB)} MiB, peak ${String(webhook.peakRssMiB)} MiB)`,
  );
  console.log("| case | nodes merged | p50 ms | p99 ms | max ms | allowed |");
  console.log("|---|---|---|---|---|---|");
  for (const c of webhook.cases.filter((x) => x.firstDenial !== undefined))
    console.log(`first denial (${c.case}): ${c.firstDenial ?? ""}`);
  for (const c of webhook.cases)
    console.log(
      `| ${c.case} | ${String(c.nodes)} | ${String(c.p50)} | ${String(c.p99)} | ${String(c.max)} | ${String(c.allowed)}/${String(REQUESTS)} |`,
    );
}

await main();
