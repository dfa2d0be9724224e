// e2e tier: a real kube-apiserver, two nodes (each a network namespace running FRR, with a real
// `frrk8s agent` process given its node name) and an external router peering with both. Users act
// through kubectl only; what they get is checked at the router (sessions, routes), in the nodes'
// kernels, and in the status objects.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { buildFabric, type Fabric } from "../support/e2e/fabric.ts";
import { type ControlPlane, startControlPlane } from "../support/kube/control-plane.ts";
import { startAgent, type AgentProcess } from "../support/lab/agent-process.ts";
import { buildCompiledCli, type CompiledCli } from "../support/compiled-cli.ts";
import { waitForKernelRoute } from "../support/lab/node-frr.ts";
import { waitForEstablished, waitForReceived } from "../support/lab/peer.ts";
import { waitFor } from "../support/lab/util.ts";

const NAMESPACE = "frr-k8s-system";
const NODES = ["node-a", "node-b"] as const;
const NODE_ASN = 64512;
const ROUTER_ASN = 64600;
const PASSWORD = "e2e-Rtr-S3cret";
const ROUTER_PREFIX = "10.100.0.0/24";
const RACK_A_PREFIX = "10.10.1.0/24";
const WAIT = { timeoutMs: 60_000 };

function nodeObject(name: string, rack: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: { kubernetes.io/hostname: ${name}, rack: ${rack} }
`;
}

/** Each node peers with the router on its own link, password from a Secret, accepting everything. */
function peeringConfig(node: string, routerIpv4: string): string {
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: { name: peer-${node}, namespace: ${NAMESPACE} }
spec:
  nodeSelector: { matchLabels: { kubernetes.io/hostname: ${node} } }
  bgp:
    routers:
      - asn: ${String(NODE_ASN)}
        neighbors:
          - address: ${routerIpv4}
            asn: ${String(ROUTER_ASN)}
            passwordSecret: { name: router-password, namespace: ${NAMESPACE} }
            toReceive: { allowed: { mode: all } }
`;
}

/** Advertised by the nodes of rack a only (a second configuration merged with the peering one). */
function rackAdvertisement(routerIpv4: string): string {
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: { name: advertise-rack-a, namespace: ${NAMESPACE} }
spec:
  nodeSelector: { matchLabels: { rack: a } }
  bgp:
    routers:
      - asn: ${String(NODE_ASN)}
        prefixes: [${RACK_A_PREFIX}]
        neighbors:
          - address: ${routerIpv4}
            asn: ${String(ROUTER_ASN)}
            toAdvertise: { allowed: { prefixes: [${RACK_A_PREFIX}] } }
`;
}

describe("e2e: two nodes, an external router, configured with kubectl", { timeout: 900_000 }, () => {
  let cp: ControlPlane;
  let fabric: Fabric;
  let compiled: CompiledCli;
  const agents: AgentProcess[] = [];

  before(async () => {
    [cp, fabric, compiled] = await Promise.all([
      startControlPlane(),
      buildFabric({
        nodeNames: NODES,
        nodeAsn: NODE_ASN,
        routerAsn: ROUTER_ASN,
        announce: [ROUTER_PREFIX],
        password: PASSWORD,
      }),
      buildCompiledCli(),
    ]);
    await cp.kubectlChecked(["create", "namespace", NAMESPACE]);
    await cp.kubectlChecked(["apply", "-f", "-"], {
      input: [nodeObject("node-a", "a"), nodeObject("node-b", "b")].join("---\n"),
    });
    await cp.kubectlChecked([
      "create",
      "secret",
      "generic",
      "router-password",
      "-n",
      NAMESPACE,
      "--type=kubernetes.io/basic-auth",
      `--from-literal=password=${PASSWORD}`,
    ]);
    // node-a runs the compiled agent (what the image ships), node-b the TypeScript sources.
    for (const node of fabric.nodes) {
      const script = node.name === "node-a" ? { script: compiled.main } : {};
      agents.push(
        await startAgent(
          { nodeFrr: () => node.frr },
          { node: node.name, kube: { kubeconfig: cp.kubeconfig, namespace: NAMESPACE }, ...script },
        ),
      );
    }
  });

  after(async () => {
    const stops = agents.map((a) => a.stop());
    await Promise.allSettled(stops);
    await Promise.allSettled([fabric.destroy(), cp.stop()]);
    compiled.remove();
  });

  it("peers each node with the router, password from a Secret, routes received into the kernel", async () => {
    const input = fabric.nodes.map((n) => peeringConfig(n.name, n.routerIpv4)).join("---\n");
    await cp.kubectlChecked(["apply", "-f", "-"], { input });
    await waitForEstablished(
      fabric.router,
      fabric.nodes.map((n) => n.ipv4),
      WAIT,
    );
    for (const node of fabric.nodes) await waitForKernelRoute(node.ns.name, ROUTER_PREFIX, () => true, WAIT);
  });

  it("selects nodes by label: rack a's prefix reaches the router from node-a only", async () => {
    const a = fabric.node("node-a");
    await cp.kubectlChecked(["apply", "-f", "-"], { input: rackAdvertisement(a.routerIpv4) });
    const route = await waitForReceived(fabric.router, RACK_A_PREFIX, () => true, WAIT);
    assert.equal(route.nextHop, a.ipv4);
    const all = await fabric.router.routes();
    assert.deepEqual(
      all.filter((r) => r.prefix === RACK_A_PREFIX).map((r) => r.nextHop),
      [a.ipv4],
      "node-b (rack b) does not advertise it",
    );
  });

  it("a deleted configuration withdraws its routes", async () => {
    await cp.kubectlChecked(["delete", "frrconfiguration", "-n", NAMESPACE, "advertise-rack-a"]);
    await waitFor(
      `router: ${RACK_A_PREFIX} withdrawn`,
      async () => ((await fabric.router.routes()).some((r) => r.prefix === RACK_A_PREFIX) ? undefined : true),
      WAIT,
    );
    const sessions = await fabric.router.sessions();
    assert.ok(
      sessions.every((s) => s.established),
      `the peering stays up: ${JSON.stringify(sessions)}`,
    );
  });

  it("writes correct status objects for both nodes, without the password", async () => {
    for (const node of fabric.nodes) {
      const state = await waitFor(
        `FRRNodeState ${node.name} success`,
        async () => {
          const r = await cp.kubectl(["get", "frrnodestate", node.name, "-o", "json"]);
          if (r.code !== 0) return undefined;
          const status = (JSON.parse(r.stdout) as { status?: Record<string, string> }).status ?? {};
          return status["lastConversionResult"] === "success" && status["lastReloadResult"] === "success"
            ? status
            : undefined;
        },
        WAIT,
      );
      assert.match(
        state["runningConfig"] ?? "",
        new RegExp(`neighbor ${node.routerIpv4.replace(/\./g, "\\.")} remote-as ${String(ROUTER_ASN)}`),
      );
      const session = await waitFor(
        `BGPSessionState of ${node.name} Established`,
        async () => {
          const r = await cp.kubectl([
            "get",
            "bgpsessionstates",
            "-n",
            NAMESPACE,
            "-l",
            `frrk8s.metallb.io/node=${node.name}`,
            "-o",
            "json",
          ]);
          if (r.code !== 0) return undefined;
          const items = (
            JSON.parse(r.stdout) as {
              items: { metadata: { labels: Record<string, string> }; status?: Record<string, string> }[];
            }
          ).items;
          const [only] = items;
          return items.length === 1 && only?.status?.["bgpStatus"] === "Established" ? only : undefined;
        },
        WAIT,
      );
      assert.equal(session.metadata.labels["frrk8s.metallb.io/peer"], node.routerIpv4);
      const status = session.status ?? {};
      assert.equal(status["peer"], node.routerIpv4);
      assert.equal(status["node"], node.name);
    }
    const everything = await cp.kubectlChecked(
      ["get", "frrnodestates,bgpsessionstates,events", "-A", "-o", "yaml"],
      { timeoutMs: 30_000 },
    );
    assert.ok(!everything.stdout.includes(PASSWORD), "no password in any status object or Event");
    for (const agent of agents)
      assert.ok(!agent.output().includes(PASSWORD), "no password in the agents' logs");
  });
});
