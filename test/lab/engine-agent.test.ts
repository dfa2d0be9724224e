// The agent with the apply engine (its default) on FRR under watchfrr, as on a real node:
//   a. an agent restarted with an unchanged configuration sends FRR no configuration command
//      (frrk8s_apply_commands_total stays 0) and no session is reset;
//   b. bgpd killed in the middle of a large apply: watchfrr brings bgpd back from frr.conf, the
//      agent converges to the wanted configuration (every new neighbor configured, the peer's
//      session up, the new prefix advertised) without anyone touching the inputs.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { asWatchfrr, watchfrrPrerequisiteProblems, type WatchfrrInstance } from "../support/frr-watchfrr.ts";
import { metricValue, nodeYaml, startAgent, type AgentProcess } from "../support/lab/agent-process.ts";
import { frrJson } from "../support/lab/frr-state.ts";
import { waitForEstablished, waitForReceived } from "../support/lab/peer.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { waitFor } from "../support/lab/util.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const NODE = "eng-node";
const NODE_ASN = 64512;
const PEER = { name: "frr", kind: "frr" as const, asn: 64771, ip: "192.168.188.2" };
const WAIT = { timeoutMs: 60_000 };
/** Neighbors nobody answers for, on the peer's link (inside the lab's namespaces). */
const DEAD = Array.from({ length: 250 }, (_, i) => `192.168.188.${i + 3}`);

function configYaml(advertised: readonly string[], dead: readonly string[]): string {
  const deadNeighbors = dead.map((a) => `      - {address: ${a}, asn: 64799, connectTime: 30s}`).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: engine, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: ${NODE_ASN}
      prefixes: [${advertised.join(", ")}]
      neighbors:
      - address: ${PEER.ip}
        asn: ${PEER.asn}
        connectTime: 2s
        toAdvertise: {allowed: {prefixes: [${advertised.join(", ")}]}}
${deadNeighbors}
`;
}

describe("agent with the apply engine on FRR under watchfrr", { skip: SKIP }, () => {
  let lab: Lab | undefined;
  let frr: WatchfrrInstance | undefined;
  const agents: AgentProcess[] = [];

  before(async () => {
    assert.deepEqual(await watchfrrPrerequisiteProblems(), [], "FRR under watchfrr is needed");
    lab = await buildLab({
      node: { asn: NODE_ASN, supervisor: "watchfrr" },
      peers: [{ name: PEER.name, kind: PEER.kind, asn: PEER.asn, ipv4: `${PEER.ip}/24` }],
    });
    frr = asWatchfrr(lab.nodeFrr());
  });

  after(async () => {
    for (const a of agents) await a.stop();
    await lab?.destroy();
  });

  const start = async (files: Record<string, string>): Promise<AgentProcess> => {
    const agent = await startAgent(lab!, { node: NODE, files, verifySeconds: 2 });
    agents.push(agent);
    return agent;
  };

  const appliedOnce = (agent: AgentProcess): Promise<string> =>
    waitFor(
      "the agent's first apply",
      async () => {
        const m = await agent.metrics();
        return metricValue(m, "frrk8s_apply_results_total", 'outcome="applied"') >= 1 ? m : undefined;
      },
      WAIT,
    );

  test("a restarted agent with an unchanged configuration sends no configuration command", async () => {
    const files = { "node.yaml": nodeYaml(NODE), "config.yaml": configYaml(["10.77.0.0/24"], []) };
    const first = await start(files);
    const peer = lab!.peer(PEER.name).bgp;
    await waitForEstablished(peer, undefined, WAIT);
    await waitForReceived(peer, "10.77.0.0/24", () => true, WAIT);
    assert.ok(metricValue(await appliedOnce(first), "frrk8s_apply_commands_total", "") > 0);
    await first.stop();
    const transitions = await peer.establishedTransitions();
    const second = await start(files);
    const metrics = await appliedOnce(second);
    assert.equal(metricValue(metrics, "frrk8s_apply_commands_total", ""), 0, "no command sent");
    await waitFor(
      "the second agent's status",
      async () => (await second.status()).lastReloadResult === "success",
      WAIT,
    );
    assert.deepEqual(await peer.establishedTransitions(), transitions, "no session reset");
    await second.stop();
  });

  test("bgpd killed in the middle of a large apply: the agent converges to the wanted configuration", async () => {
    const f = frr!;
    const peer = lab!.peer(PEER.name).bgp;
    const agent = await start({
      "node.yaml": nodeYaml(NODE),
      "config.yaml": configYaml(["10.77.0.0/24"], []),
    });
    await appliedOnce(agent);
    await waitForEstablished(peer, undefined, WAIT);
    const oldBgpd = f.pids().bgpd;
    assert.ok(oldBgpd !== undefined);
    agent.write("config.yaml", configYaml(["10.77.0.0/24", "10.78.0.0/24"], DEAD));
    // Kill bgpd once the apply is under way: some, not all, of the new neighbors configured.
    await waitFor(
      "the large apply under way",
      async () => {
        const summary = (await frrJson(f, "show bgp summary json").catch(() => undefined)) as
          { ipv4Unicast?: { peerCount?: number } } | undefined;
        const peers = summary?.ipv4Unicast?.peerCount ?? 0;
        return peers > 1 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    process.kill(oldBgpd, "SIGKILL");
    await waitFor(
      "all 251 neighbors configured in the new bgpd, the peer's session up, the new prefix advertised",
      async () => {
        const bgpd = f.pids().bgpd;
        if (bgpd === undefined || bgpd === oldBgpd) return undefined;
        const summary = (await frrJson(f, "show bgp summary json").catch(() => undefined)) as
          { ipv4Unicast?: { peerCount?: number } } | undefined;
        if (summary?.ipv4Unicast?.peerCount !== DEAD.length + 1) return undefined;
        const routes = await peer.routes();
        return routes.some((r) => r.prefix === "10.78.0.0/24") ? true : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const status = await waitFor(
      "the agent reports success",
      async () => {
        const s = await agent.status();
        return s.lastReloadResult === "success" && !s.configStale ? s : undefined;
      },
      WAIT,
    );
    assert.equal(status.lastConversionResult, "success");
  });
});
