// Agent scenarios, routing policy: advertise filtered vs all; local preference and standard +
// large communities as the peers see them; receive filtered with ge/le (checked in the node's
// kernel table); --always-block dropping a prefix even with receive mode all.
// One lab: eBGP FRR, BIRD and GoBGP peers (communities), and iBGP FRR and GoBGP peers (local
// preference travels only over iBGP).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { frrPrerequisiteProblems } from "../support/frr-daemons.ts";
import { nodeYaml, startAgent, type AgentProcess } from "../support/lab/agent-process.ts";
import { kernelRoutes, waitForKernelRoute, waitForKernelRouteGone } from "../support/lab/node-frr.ts";
import { waitForEstablished, waitForReceived } from "../support/lab/peer.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { waitFor } from "../support/lab/util.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const NODE = "pol-node";
const NODE_ASN = 64512;
const WAIT = { timeoutMs: 40_000 };
const ALWAYS_BLOCK = "172.20.0.0/16";

const PEERS = [
  { name: "frr", kind: "frr", asn: 64631, i: 1 },
  { name: "bird", kind: "bird", asn: 64632, i: 2 },
  { name: "gobgp", kind: "gobgp", asn: 64633, i: 3 },
  { name: "ifrr", kind: "frr", asn: NODE_ASN, i: 4 },
  { name: "igobgp", kind: "gobgp", asn: NODE_ASN, i: 5 },
].map((p) => ({
  ...p,
  kind: p.kind as "frr" | "bird" | "gobgp",
  ibgp: p.asn === NODE_ASN,
  ip: `192.168.15${p.i}.2`,
  // Received with ge 24 / le 26 out of 10.8i.0.0/16: the /24 and the /26, not the /16 or the /28.
  inRange: [`10.8${p.i}.1.0/24`, `10.8${p.i}.2.0/26`],
  outOfRange: [`10.8${p.i}.0.0/16`, `10.8${p.i}.3.0/28`],
  blocked: `172.20.${p.i}.0/24`,
  unblocked: `172.21.${p.i}.0/24`,
}));

const P1 = "10.70.0.0/24";
const P2 = "10.71.0.0/24";
const P3 = "10.72.0.0/24";
const COMMUNITY = "64512:700";
const LARGE = "64512:7:70";
const LOCAL_PREF = 250;

interface Policy {
  advertise: "filtered" | "all";
  receive: "filtered" | "all";
}

function policyYaml(policy: Policy): string {
  const neighbors = PEERS.map(
    (p) => `      - address: ${p.ip}
        asn: ${p.asn}
        connectTime: 2s
        toAdvertise:
          allowed: ${policy.advertise === "all" ? "{mode: all}" : `{prefixes: [${P1}]}`}
          withCommunity:
          - {community: "${COMMUNITY}", prefixes: [${P1}]}
          - {community: "large:${LARGE}", prefixes: [${P1}]}${
            p.ibgp ? `\n          withLocalPref: [{localPref: ${LOCAL_PREF}, prefixes: [${P1}]}]` : ""
          }
        toReceive:
          allowed: ${
            policy.receive === "all"
              ? "{mode: all}"
              : `{prefixes: [{prefix: 10.8${p.i}.0.0/16, ge: 24, le: 26}]}`
          }`,
  ).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: policy, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: ${NODE_ASN}
      prefixes: [${P1}, ${P2}, ${P3}]
      neighbors:
${neighbors}
`;
}

describe("agent scenarios: advertise and receive policy (FRR, BIRD, GoBGP peers)", { skip: SKIP }, () => {
  let lab: Lab | undefined;
  let agent: AgentProcess | undefined;

  before(async () => {
    assert.deepEqual(await frrPrerequisiteProblems(), [], "FRR is needed (scripts/test-all.sh installs it)");
    lab = await buildLab({
      node: { asn: NODE_ASN },
      peers: PEERS.map((p) => ({
        name: p.name,
        kind: p.kind,
        asn: p.asn,
        ipv4: `${p.ip}/24`,
        announce: [...p.inRange, ...p.outOfRange, p.blocked, p.unblocked],
      })),
    });
    agent = await startAgent(lab, {
      node: NODE,
      alwaysBlock: [ALWAYS_BLOCK],
      files: {
        "node.yaml": nodeYaml(NODE),
        "policy.yaml": policyYaml({ advertise: "filtered", receive: "filtered" }),
      },
    });
  });

  after(async () => {
    await agent?.stop();
    await lab?.destroy();
  });

  test("filtered advertises only the allowed prefix; all advertises every prefix", async () => {
    const l = lab!;
    for (const p of PEERS) {
      const peer = l.peer(p.name).bgp;
      await waitForEstablished(peer, undefined, WAIT);
      await waitForReceived(peer, P1, () => true, WAIT);
    }
    for (const p of PEERS) {
      const got = (await l.peer(p.name).bgp.routes()).map((r) => r.prefix);
      assert.ok(!got.includes(P2) && !got.includes(P3), `${p.name} got ${got.join(", ")} with filtered mode`);
    }
    agent!.write("policy.yaml", policyYaml({ advertise: "all", receive: "filtered" }));
    for (const p of PEERS) {
      await waitForReceived(l.peer(p.name).bgp, P2, () => true, WAIT);
      await waitForReceived(l.peer(p.name).bgp, P3, () => true, WAIT);
    }
  });

  test("communities (standard and large) and local preference, as the peers see them", async () => {
    const l = lab!;
    for (const p of PEERS) {
      const route = await waitForReceived(
        l.peer(p.name).bgp,
        P1,
        (r) => r.communities.includes(COMMUNITY) && r.largeCommunities.includes(LARGE),
        WAIT,
      );
      if (p.ibgp) assert.equal(route.localPref, LOCAL_PREF, `${p.name}: local preference of ${P1}`);
      const other = (await l.peer(p.name).bgp.routes()).find((r) => r.prefix === P2);
      assert.ok(other !== undefined, `${p.name}: ${P2} missing`);
      assert.ok(!other.communities.includes(COMMUNITY), `${p.name}: ${P2} carries ${COMMUNITY}`);
      if (p.ibgp) assert.notEqual(other.localPref, LOCAL_PREF, `${p.name}: ${P2} has the local preference`);
    }
  });

  test("receive filtered with ge/le: only the prefixes in range reach the kernel", async () => {
    const l = lab!;
    const ns = l.node.ns.name;
    for (const p of PEERS)
      for (const prefix of p.inRange) await waitForKernelRoute(ns, prefix, () => true, WAIT);
    const kernel = (await kernelRoutes(ns)).map((r) => r.prefix);
    for (const p of PEERS) {
      for (const prefix of [...p.outOfRange, p.unblocked, p.blocked])
        assert.ok(!kernel.includes(prefix), `${prefix} (from ${p.name}) installed though outside ge/le`);
    }
  });

  test("--always-block drops a prefix even with receive mode all", async () => {
    const l = lab!;
    const ns = l.node.ns.name;
    agent!.write("policy.yaml", policyYaml({ advertise: "all", receive: "all" }));
    for (const p of PEERS) {
      await waitForKernelRoute(ns, p.unblocked, () => true, WAIT);
      for (const prefix of p.outOfRange) await waitForKernelRoute(ns, prefix, () => true, WAIT);
    }
    // Give the blocked prefixes the time the others took (they arrive in the same updates).
    await new Promise((r) => setTimeout(r, 2_000));
    const kernel = (await kernelRoutes(ns)).map((r) => r.prefix);
    for (const p of PEERS)
      assert.ok(!kernel.includes(p.blocked), `${p.blocked} installed despite --always-block`);
    const status = await agent!.status();
    assert.match(
      status.runningConfig,
      /172\.20\.0\.0\/16/,
      "the always-block prefix is not in the running config",
    );
    // Back to filtered: the out-of-range prefixes leave the kernel again.
    agent!.write("policy.yaml", policyYaml({ advertise: "all", receive: "filtered" }));
    for (const p of PEERS) for (const prefix of p.outOfRange) await waitForKernelRouteGone(ns, prefix, WAIT);
    await waitFor("the in-range prefixes stay", async () => {
      const now = (await kernelRoutes(ns)).map((r) => r.prefix);
      return PEERS.every((p) => p.inRange.every((x) => now.includes(x)));
    });
  });
});
