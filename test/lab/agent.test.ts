// The standalone agent end to end: a real `frrk8s agent` process applies a directory of
// FRRConfigurations to the node's real FRR, which peers with FRR, BIRD 2 and GoBGP routers in
// their own namespaces. Checks sessions, routes both ways (communities as seen by the peers,
// filtered reception in the node's kernel), that an unchanged file runs no apply, that a change
// resets no session, that a bad file keeps the last good configuration and shows the error, that
// a restarted FRR gets its configuration back, and that the password never leaves FRR.
//
// The test rewrites advertise.yaml in place (writeFileSync: truncate, then write), as an editor or
// `cat >` does. It was flaky (1 run in 3) until the agent's directory source waited for files to be
// complete: a read between the truncate and the write saw advertise.yaml empty, a valid input
// without the advertising neighbors' settings, and the agent applied it. frr-reload.py then ran
// `no neighbor 192.168.111.2 password ...` (the MD5 peer's session reset, Cease/Other Configuration
// Change) and withdrew 10.51.0.0/24 until the next read put them back.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { frrPrerequisiteProblems } from "../support/frr-daemons.ts";
import { kernelRoutes, waitForKernelRoute } from "../support/lab/node-frr.ts";
import { waitForEstablished, waitForReceived } from "../support/lab/peer.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { waitFor } from "../support/lab/util.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const ROOT = join(import.meta.dirname, "../..");
const NODE = "lab-node";
const PASSWORD = "agent-lab-Secr3t";
const WAIT = { timeoutMs: 40_000 };

const PEERS = [
  {
    name: "frr",
    kind: "frr",
    asn: 64601,
    ip: "192.168.111.2",
    net: "192.168.111.2/24",
    announce: "10.41.1.0/24",
  },
  {
    name: "bird",
    kind: "bird",
    asn: 64602,
    ip: "192.168.112.2",
    net: "192.168.112.2/24",
    announce: "10.42.1.0/24",
  },
  {
    name: "gobgp",
    kind: "gobgp",
    asn: 64603,
    ip: "192.168.113.2",
    net: "192.168.113.2/24",
    announce: "10.43.1.0/24",
  },
] as const;

function nodeYaml(): string {
  return `apiVersion: v1
kind: Node
metadata: {name: ${NODE}, labels: {kubernetes.io/hostname: ${NODE}, rack: r1}}
---
apiVersion: v1
kind: Secret
metadata: {name: frr-peer-password, namespace: frr-k8s-system}
type: kubernetes.io/basic-auth
stringData: {password: ${PASSWORD}}
`;
}

/** One configuration per concern, as MetalLB and a user would split them. */
function advertiseYaml(prefixes: readonly string[], asn: number | string = 64512): string {
  const neighbors = PEERS.map(
    (p) => `      - address: ${p.ip}
        asn: ${p.asn}
        connectTime: 2s${p.name === "frr" ? "\n        passwordSecret: {name: frr-peer-password}" : ""}
        toAdvertise:
          allowed: {prefixes: [${prefixes.join(", ")}]}
          withCommunity: [{community: "64512:100", prefixes: [10.50.0.0/24]}]`,
  ).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: metallb-${NODE}, namespace: frr-k8s-system}
spec:
  nodeSelector: {matchLabels: {rack: r1}}
  bgp:
    routers:
    - asn: ${asn}
      prefixes: [10.50.0.0/24, 10.51.0.0/24]
      neighbors:
${neighbors}
`;
}

function receiveYaml(): string {
  const neighbors = PEERS.map(
    (p) => `      - address: ${p.ip}
        asn: ${p.asn}
        toReceive: {allowed: {prefixes: [{prefix: 10.40.0.0/13, le: 24}]}}`,
  ).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: receive, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: 64512
      neighbors:
${neighbors}
`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === "object" && address) resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, text: await response.text() };
}

function metricValue(metrics: string, name: string, labels: string): number {
  const line = metrics.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? Number.NaN : Number(line.split(" ").at(-1));
}

describe("standalone agent on real FRR with FRR, BIRD and GoBGP peers", { skip: SKIP }, () => {
  let lab: Lab;
  let dir: string;
  let agent: ChildProcess;
  let output = "";
  let url = "";

  before(async () => {
    const problems = await frrPrerequisiteProblems();
    assert.deepEqual(problems, [], "FRR is needed (scripts/test-all.sh installs it)");
    lab = await buildLab({
      node: { asn: 64512 },
      peers: PEERS.map((p) => ({
        name: p.name,
        kind: p.kind,
        asn: p.asn,
        ipv4: p.net,
        announce: [{ prefix: p.announce }, { prefix: "10.99.0.0/24" }],
        ...(p.name === "frr" && { neighborOptions: { password: PASSWORD } }),
      })),
    });
    dir = mkdtempSync(join(tmpdir(), "frrk8s-agent-lab-"));
    writeFileSync(join(dir, "node.yaml"), nodeYaml());
    writeFileSync(join(dir, "advertise.yaml"), advertiseYaml(["10.50.0.0/24"]));
    writeFileSync(join(dir, "receive.yaml"), receiveYaml());
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const frrDir = lab.nodeFrr().dir;
    agent = spawn(
      process.execPath,
      [
        join(ROOT, "bin/frrk8s.js"),
        "agent",
        "--config-dir",
        dir,
        "--node",
        NODE,
        "--hostname",
        NODE,
        "--vty-socket",
        frrDir,
        "--frr-config-dir",
        frrDir,
        "--listen",
        `127.0.0.1:${port}`,
        "--verify-seconds",
        "2",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    agent.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    agent.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  });

  after(async () => {
    if (agent.exitCode === null) {
      agent.kill("SIGTERM");
      await waitFor("agent exit", () => agent.exitCode !== null, { timeoutMs: 10_000 }).catch(() =>
        agent.kill("SIGKILL"),
      );
    }
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("sessions come up and routes flow both ways, as configured", async () => {
    for (const p of PEERS) {
      const peer = lab.peer(p.name).bgp;
      await waitForEstablished(peer, undefined, WAIT);
      await waitForReceived(peer, "10.50.0.0/24", (r) => r.communities.includes("64512:100"), WAIT);
      await waitForKernelRoute(lab.node.ns.name, p.announce, () => true, WAIT);
    }
    const routes = await kernelRoutes(lab.node.ns.name);
    assert.ok(!routes.some((r) => r.prefix === "10.99.0.0/24"), "10.99.0.0/24 is outside toReceive");
    for (const p of PEERS) {
      const received = await lab.peer(p.name).bgp.routes();
      assert.ok(
        !received.some((r) => r.prefix === "10.51.0.0/24"),
        `${p.name} got 10.51.0.0/24, not allowed`,
      );
    }
  });

  test("status and metrics report the sessions", async () => {
    const status = await waitFor(
      "all sessions Established in /status",
      async () => {
        const answer = await get(`${url}/status`);
        const parsed = JSON.parse(answer.text) as { sessions?: { peer: string; bgpState: string }[] };
        return (parsed.sessions ?? []).filter((s) => s.bgpState === "Established").length === PEERS.length
          ? parsed
          : undefined;
      },
      WAIT,
    );
    assert.ok(status.sessions);
    assert.equal((await get(`${url}/readyz`)).status, 200);
    const metrics = (await get(`${url}/metrics`)).text;
    for (const p of PEERS)
      assert.equal(metricValue(metrics, "frrk8s_bgp_session_up", `peer="${p.ip}",vrf="default"`), 1);
  });

  /** What to print when a session check fails: both ends of the password session and the agent. */
  const diagnostics = async (): Promise<string> => {
    const node = lab.nodeFrr();
    const shown = await node.vtysh(["-c", "show bgp neighbors 192.168.111.2"]);
    return [
      `agent output:\n${output}`,
      `node: show bgp neighbors 192.168.111.2:\n${shown.stdout}`,
      `node bgpd log:\n${node.logTail("bgpd", 3000)}`,
      `FRR peer bgpd log:\n${lab.peer("frr").bgp.logTail(3000)}`,
    ].join("\n\n");
  };

  test("an unchanged file runs no apply; a change resets no session", async () => {
    const applied = (): Promise<number> =>
      get(`${url}/metrics`).then((m) =>
        metricValue(m.text, "frrk8s_apply_results_total", 'outcome="applied"'),
      );
    const before = await applied();
    const transitions = await Promise.all(PEERS.map((p) => lab.peer(p.name).bgp.establishedTransitions()));
    writeFileSync(join(dir, "advertise.yaml"), advertiseYaml(["10.50.0.0/24"]));
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(await applied(), before, "the same configuration was applied again");
    writeFileSync(join(dir, "advertise.yaml"), advertiseYaml(["10.50.0.0/24", "10.51.0.0/24"]));
    for (const p of PEERS) await waitForReceived(lab.peer(p.name).bgp, "10.51.0.0/24", () => true, WAIT);
    const after = await Promise.all(PEERS.map((p) => lab.peer(p.name).bgp.establishedTransitions()));
    if (JSON.stringify(after) !== JSON.stringify(transitions)) {
      assert.deepEqual(
        after,
        transitions,
        `a session was reset by an unrelated change\n${await diagnostics()}`,
      );
    }
    assert.equal(await applied(), before + 1, "the change was not applied exactly once");
  });

  test("a bad file keeps the last good configuration and shows the error", async () => {
    writeFileSync(
      join(dir, "advertise.yaml"),
      advertiseYaml(["10.50.0.0/24", "10.51.0.0/24"], "not-a-number"),
    );
    const status = await waitFor(
      "conversion failure in /status",
      async () => {
        const parsed = JSON.parse((await get(`${url}/status`)).text) as {
          lastConversionResult: string;
          issues: { path: string }[];
        };
        return parsed.lastConversionResult.startsWith("failed") ? parsed : undefined;
      },
      WAIT,
    );
    assert.equal(status.issues[0]?.path, "spec.bgp.routers[0].asn");
    const received = await lab.peer("bird").bgp.routes();
    assert.ok(
      received.some((r) => r.prefix === "10.51.0.0/24"),
      "the last good configuration was dropped",
    );
    writeFileSync(join(dir, "advertise.yaml"), advertiseYaml(["10.50.0.0/24"]));
    await waitFor(
      "10.51.0.0/24 withdrawn",
      async () => !(await lab.peer("bird").bgp.routes()).some((r) => r.prefix === "10.51.0.0/24"),
      WAIT,
    );
  });

  test("a restarted FRR gets its configuration back", async () => {
    await lab.nodeFrr().restart();
    for (const p of PEERS) {
      await waitForEstablished(lab.peer(p.name).bgp, undefined, WAIT).catch(async (e: unknown) => {
        throw new Error(`${p.name}: ${String(e)}\n${await diagnostics()}`);
      });
      await waitForReceived(lab.peer(p.name).bgp, "10.50.0.0/24", () => true, WAIT);
    }
  });

  test("the password never appears in status, metrics or logs", async () => {
    for (const path of ["/status", "/metrics"])
      assert.ok(!(await get(`${url}${path}`)).text.includes(PASSWORD), path);
    assert.ok(!output.includes(PASSWORD), "the agent's output contains the password");
    agent.kill("SIGTERM");
    await waitFor("agent exit", () => agent.exitCode !== null, { timeoutMs: 10_000 });
    assert.equal(agent.exitCode, 0);
  });
});
