// Agent scenarios, configuration lifecycle: two FRRConfigurations merged for the same neighbors,
// node selectors matched against the Node's labels in the directory (a configuration selecting
// another node is ignored), raw configuration applied, and a removed configuration withdrawing
// its routes at every peer.
// One lab: FRR, BIRD and GoBGP peers.
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
const NODE = "lc-node";
const NODE_ASN = 64512;
const WAIT = { timeoutMs: 40_000 };

const PEERS = [
  { name: "frr", kind: "frr", asn: 64651, i: 1 },
  { name: "bird", kind: "bird", asn: 64652, i: 2 },
  { name: "gobgp", kind: "gobgp", asn: 64653, i: 3 },
].map((p) => ({
  ...p,
  kind: p.kind as "frr" | "bird" | "gobgp",
  ip: `192.168.17${p.i}.2`,
  announce: `10.87.${p.i}.0/24`,
}));

const A = "10.76.0.0/24";
const B = "10.77.0.0/24";
const OTHER_NODE = "10.78.0.0/24";
const SELECTED = "10.79.0.0/24";

/** A configuration advertising `prefix` to every peer (and receiving their prefix if `receive`). */
function configYaml(
  name: string,
  prefix: string,
  options: { receive?: boolean; selector?: string } = {},
): string {
  const neighbors = PEERS.map(
    (p) => `      - address: ${p.ip}
        asn: ${p.asn}
        connectTime: 2s
        toAdvertise: {allowed: {prefixes: [${prefix}]}}${
          options.receive === true
            ? `\n        toReceive: {allowed: {prefixes: [{prefix: ${p.announce}}]}}`
            : ""
        }`,
  ).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: ${name}, namespace: frr-k8s-system}
spec:${options.selector === undefined ? "" : `\n  nodeSelector: ${options.selector}`}
  bgp:
    routers:
    - asn: ${NODE_ASN}
      prefixes: [${prefix}]
      neighbors:
${neighbors}
`;
}

const RAW_LINE = "ip prefix-list lab-raw seq 5 permit 10.200.0.0/24";
const RAW_YAML = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: raw, namespace: frr-k8s-system}
spec:
  raw:
    priority: 5
    rawConfig: |
      ${RAW_LINE}
`;

describe(
  "agent scenarios: merge, node selector, raw config, removal (FRR, BIRD, GoBGP peers)",
  { skip: SKIP },
  () => {
    let lab: Lab | undefined;
    let agent: AgentProcess | undefined;

    before(async () => {
      assert.deepEqual(
        await frrPrerequisiteProblems(),
        [],
        "FRR is needed (scripts/test-all.sh installs it)",
      );
      lab = await buildLab({
        node: { asn: NODE_ASN },
        peers: PEERS.map((p) => ({
          name: p.name,
          kind: p.kind,
          asn: p.asn,
          ipv4: `${p.ip}/24`,
          announce: [p.announce],
        })),
      });
      agent = await startAgent(lab, {
        node: NODE,
        files: {
          "node.yaml": nodeYaml(NODE, { rack: "r1" }),
          "a.yaml": configYaml("a", A),
          "b.yaml": configYaml("b", B, { receive: true }),
        },
      });
    });

    after(async () => {
      await agent?.stop();
      await lab?.destroy();
    });

    test("two configurations for the same neighbors merge into one session each", async () => {
      const l = lab!;
      for (const p of PEERS) {
        const peer = l.peer(p.name).bgp;
        await waitForEstablished(peer, undefined, WAIT);
        await waitForReceived(peer, A, () => true, WAIT);
        await waitForReceived(peer, B, () => true, WAIT);
        await waitForKernelRoute(l.node.ns.name, p.announce, () => true, WAIT);
      }
      const status = await agent!.status();
      assert.equal(status.lastConversionResult, "success");
      assert.deepEqual(
        status.sessions.map((s) => s.peer).sort(),
        PEERS.map((p) => p.ip).sort(),
        "one session per neighbor",
      );
    });

    test("a configuration selecting another node is ignored; one selecting this node's labels applies", async () => {
      const l = lab!;
      agent!.write(
        "other.yaml",
        configYaml("other", OTHER_NODE, {
          selector: "{matchLabels: {kubernetes.io/hostname: another-node}}",
        }),
      );
      agent!.write(
        "selected.yaml",
        configYaml("selected", SELECTED, { selector: "{matchLabels: {rack: r1}}" }),
      );
      for (const p of PEERS) await waitForReceived(l.peer(p.name).bgp, SELECTED, () => true, WAIT);
      const status = await agent!.status();
      assert.ok(!status.runningConfig.includes("10.78.0.0"), "the other node's configuration was applied");
      for (const p of PEERS) {
        const got = (await l.peer(p.name).bgp.routes()).map((r) => r.prefix);
        assert.ok(!got.includes(OTHER_NODE), `${p.name} got ${OTHER_NODE}, selected for another node`);
      }
    });

    test("raw configuration is applied", async () => {
      const l = lab!;
      agent!.write("raw.yaml", RAW_YAML);
      await waitFor(
        "the raw line in the node's running config",
        async () => {
          const r = await l.nodeFrr().vtysh(["-c", "show running-config"], { timeoutMs: 15_000 });
          return r.stdout.includes(RAW_LINE);
        },
        WAIT,
      );
      await waitFor(
        "the raw line in /status",
        async () => (await agent!.status()).runningConfig.includes(RAW_LINE),
        WAIT,
      );
    });

    test("removing a configuration withdraws its routes at every peer", async () => {
      const l = lab!;
      agent!.remove("selected.yaml");
      agent!.remove("b.yaml");
      for (const p of PEERS) {
        const peer = l.peer(p.name).bgp;
        await waitFor(
          `${p.name}: ${SELECTED} and ${B} withdrawn`,
          async () => !(await peer.routes()).some((r) => r.prefix === SELECTED || r.prefix === B),
          { ...WAIT, describe: async () => JSON.stringify((await peer.routes()).map((r) => r.prefix)) },
        );
        // b.yaml also carried the receive policy: the peer's prefix leaves the kernel.
        await waitForKernelRouteGone(l.node.ns.name, p.announce, WAIT);
      }
      for (const p of PEERS) {
        const peer = l.peer(p.name).bgp;
        assert.ok(
          (await peer.routes()).some((r) => r.prefix === A),
          `${p.name} lost ${A} (a.yaml stays)`,
        );
        assert.ok(
          (await peer.sessions()).every((s) => s.established),
          `${p.name}: a session went down`,
        );
      }
      assert.ok(!(await kernelRoutes(l.node.ns.name)).some((r) => r.prefix.startsWith("10.87.")));
    });
  },
);
