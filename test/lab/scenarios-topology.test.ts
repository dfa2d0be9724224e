// Agent scenarios on topologies beyond "every peer on a link of the node": the real `frrk8s agent`
// (standalone mode) applies FRRConfigurations to a real FRR node.
//
// 1. Unnumbered peering (`interface: n-<peer>`, no address) over IPv6 link-local only veths, with
//    an FRR and a BIRD peer (GoBGP sends no router advertisements, which FRR's interface peering
//    needs: buildLab rejects unnumbered GoBGP peers). IPv4 is carried with IPv6 next hops (RFC 8950
//    extended next hop): the peers' IPv4 prefixes land in the node's kernel via the peer's link-local.
// 2. True two-hop eBGP multihop: node — router — peers (test/support/lab/topology-extra.ts), the
//    router a plain namespace with forwarding and static routes. Without `ebgpMultiHop` the sessions
//    stay down (10 s observed; the peers are reachable, a ping goes through): the node's TTL-1
//    packets die at the router. With it they come up and routes go both ways, the peers' prefixes
//    installed via the router. The peers are passive (multihop 2 on their side), so the node's
//    configuration alone decides; an active peer would connect to the TTL-1 node during the
//    negative phase and keep that half-open session in OpenSent (the node's OPEN never arrives),
//    then win every collision against the node's multihop connections for minutes (seen here).
// 3. VRF and import VRF. This kernel has no VRF devices, so the node's FRR runs zebra's netns VRF
//    backend (`zebra -n`, topology-extra.ts): the VRF is a network namespace of the same name that
//    holds the node's link to the VRF peer (zebra sees only that namespace). What is real: the
//    agent's `router bgp ... vrf <vrf>` session in the VRF (Established, listed under the VRF in
//    /status), the VRF peer's prefix in the VRF's own kernel table only, and route leaking both ways
//    (`imports`) in BGP: the VRF peer's prefix valid and best in the default VRF's BGP table, the
//    default peer's prefix in the VRF's. What the netns backend cannot show, so not asserted:
//    - leaked routes are not installed in the kernel: their next hop is in another namespace, zebra
//      marks them rejected (`B>r`); with VRF devices they would be in the VRF's table.
//    - a locally originated prefix (a router's `prefixes`, a `network` statement) leaks with the
//      next hop 0.0.0.0 of the other VRF, which bgpd shows "inaccessible" (invalid), so the default
//      router does not advertise the VRF's own prefixes here (upstream's "advertise an imported
//      VRF's prefix"); only routes learned from a peer leak as valid.
//    - with `zebra -n` FRR's running config carries `vrf <vrf>` / ` netns /run/netns/<vrf>`. A
//      configuration without that block makes the agent remove it (frr-reload.py: `no netns`, which
//      detaches the VRF; the apply engine: `no vrf`, which FRR refuses for an active VRF), so the
//      configuration carries it as raw config (spec.raw), a lab-only necessity.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runCommand } from "../support/exec.ts";
import { frrPrerequisiteProblems } from "../support/frr-daemons.ts";
import { establishedPeers, nodeYaml, startAgent, type AgentProcess } from "../support/lab/agent-process.ts";
import { frrJson, frrReceivedRoutes, frrSessions } from "../support/lab/frr-state.ts";
import { kernelRoutes, waitForFrrEstablished, waitForKernelRoute } from "../support/lab/node-frr.ts";
import { birdPeerPrerequisiteProblems, type BirdPeer } from "../support/lab/peer-bird.ts";
import { waitForEstablished, waitForReceived, type Peer } from "../support/lab/peer.ts";
import { buildRoutedLab, buildVrfLab, type RoutedLab, type VrfLab } from "../support/lab/topology-extra.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { familyOf, waitFor } from "../support/lab/util.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const NODE = "topo-node";
const NODE_ASN = 64512;
const WAIT = { timeoutMs: 40_000 };

async function prerequisites(): Promise<void> {
  const problems = [...(await frrPrerequisiteProblems()), ...(await birdPeerPrerequisiteProblems())];
  assert.deepEqual(problems, [], "FRR and BIRD are needed (scripts/test-all.sh installs them)");
}

/** Waits until the agent applied its configuration (FRR accepted it). */
async function waitForApplied(agent: AgentProcess, contains: readonly string[]): Promise<void> {
  await waitFor(
    "the agent's configuration applied",
    async () => {
      const s = await agent.status();
      return (
        s.lastConversionResult === "success" &&
        s.lastReloadResult === "success" &&
        contains.every((c) => s.runningConfig.includes(c))
      );
    },
    {
      ...WAIT,
      describe: async () => {
        const s = await agent.status();
        return `${s.lastConversionResult} / ${s.lastReloadResult}\n${JSON.stringify(s.issues)}\n${agent.output().slice(-2000)}`;
      },
    },
  );
}

// ---------------------------------------------------------------------------------------------

const UN_PEERS = [
  { name: "frr", kind: "frr", asn: 64661, v4: "10.66.1.0/24", v6: "fd00:66:1::/64" },
  { name: "bird", kind: "bird", asn: 64662, v4: "10.66.2.0/24", v6: "fd00:66:2::/64" },
] as const;
const UN_NODE4 = "10.65.0.0/24";
const UN_NODE6 = "fd00:65::/64";
const UN_ROUTER_ID = "10.255.65.1";

function unnumberedYaml(): string {
  const neighbors = UN_PEERS.map(
    (p) => `      - interface: n-${p.name}
        asn: ${p.asn}
        connectTime: 2s
        toAdvertise: {allowed: {mode: all}}
        toReceive: {allowed: {mode: all}}`,
  ).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: unnumbered, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    # The node has no IPv4 address at all (link-local IPv6 only): without an explicit ID FRR's
    # router ID is 0.0.0.0, and no session comes up.
    - asn: ${NODE_ASN}
      id: ${UN_ROUTER_ID}
      prefixes: [${UN_NODE4}, ${UN_NODE6}]
      neighbors:
${neighbors}
`;
}

/**
 * Every next hop a peer holds for `prefix`. BIRD shows an IPv6 next hop without a global address as
 * `BGP.next_hop: :: fe80::...` (its route parser keeps the first word, "::"): read all of them.
 */
async function nextHops(peer: Peer, prefix: string, parsed: string): Promise<string[]> {
  if (peer.kind !== "bird") return [parsed];
  const text = await (peer as BirdPeer).birdc("show", "route", "for", prefix, "all");
  const line = /BGP\.next_hop:\s*(.*)/.exec(text)?.[1] ?? "";
  return line.split(/\s+/).filter((h) => h !== "" && h !== "::");
}

describe("agent scenarios: unnumbered peering over IPv6 link-local (FRR, BIRD)", { skip: SKIP }, () => {
  let lab: Lab | undefined;
  let agent: AgentProcess | undefined;

  before(async () => {
    await prerequisites();
    lab = await buildLab({
      node: { asn: NODE_ASN },
      peers: UN_PEERS.map((p) => ({
        name: p.name,
        kind: p.kind,
        asn: p.asn,
        unnumbered: true,
        announce: [p.v4, p.v6],
      })),
    });
    agent = await startAgent(lab, {
      node: NODE,
      files: { "node.yaml": nodeYaml(NODE), "config.yaml": unnumberedYaml() },
    });
  });

  after(async () => {
    await agent?.stop();
    await lab?.destroy();
  });

  test("the node's interface neighbors are rendered without an address; the links have none", async () => {
    await waitForApplied(agent!, [`neighbor n-frr interface remote-as ${UN_PEERS[0].asn}`]);
    const running = (await agent!.status()).runningConfig;
    for (const p of UN_PEERS) {
      assert.match(running, new RegExp(`neighbor n-${p.name} interface remote-as ${p.asn}\\n`));
      const r = await runCommand("ip", ["-j", "-n", lab!.node.ns.name, "addr", "show", "dev", `n-${p.name}`]);
      const addrs = (JSON.parse(r.stdout) as { addr_info?: { local?: string }[] }[]).flatMap((i) =>
        (i.addr_info ?? []).map((a) => a.local ?? ""),
      );
      assert.deepEqual(addrs, [lab!.peer(p.name).link.nodeLinkLocal], `n-${p.name}: ${addrs.join(", ")}`);
    }
  });

  test("sessions Established on both ends and in /status", async () => {
    const l = lab!;
    await waitForFrrEstablished(
      l.nodeFrr(),
      UN_PEERS.map((p) => `n-${p.name}`),
      WAIT,
    );
    for (const p of UN_PEERS) await waitForEstablished(l.peer(p.name).bgp, undefined, WAIT);
    await waitFor(
      "the interface sessions Established in /status",
      async () => {
        const s = await agent!.status();
        return UN_PEERS.every((p) => establishedPeers(s).includes(`n-${p.name}`));
      },
      { ...WAIT, describe: async () => JSON.stringify((await agent!.status()).sessions, null, 1) },
    );
  });

  test("the node's prefixes at the peers, IPv4 with the node's link-local as next hop", async () => {
    const l = lab!;
    for (const p of UN_PEERS) {
      const peer = l.peer(p.name);
      const v4 = await waitForReceived(peer.bgp, UN_NODE4, () => true, WAIT);
      const v6 = await waitForReceived(peer.bgp, UN_NODE6, () => true, WAIT);
      assert.deepEqual(v4.asPath, [NODE_ASN]);
      assert.deepEqual(v6.asPath, [NODE_ASN]);
      for (const [prefix, route] of [
        [UN_NODE4, v4],
        [UN_NODE6, v6],
      ] as const) {
        const hops = await nextHops(peer.bgp, prefix, route.nextHop);
        assert.ok(
          hops.includes(peer.link.nodeLinkLocal),
          `${p.name}: ${prefix} next hops ${hops.join(" ")}, not the node's ${peer.link.nodeLinkLocal}`,
        );
        assert.ok(
          hops.every((h) => familyOf(h) === "ipv6"),
          `${p.name}: ${prefix} via ${hops.join(" ")}`,
        );
      }
    }
  });

  test("the peers' prefixes in the node's kernel: IPv4 via the peer's IPv6 link-local (RFC 8950)", async () => {
    const l = lab!;
    const nodeNs = l.node.ns.name;
    for (const p of UN_PEERS) {
      const link = l.peer(p.name).link;
      for (const prefix of [p.v4, p.v6]) {
        const r = await waitForKernelRoute(nodeNs, prefix, (k) => k.devs.includes(link.nodeIface), WAIT);
        assert.deepEqual(r.gateways, [link.peerLinkLocal], `${prefix}: ${JSON.stringify(r)}`);
      }
    }
    const atNode = await frrReceivedRoutes(l.nodeFrr());
    for (const p of UN_PEERS) {
      const r = atNode.find((x) => x.prefix === p.v4);
      assert.ok(r !== undefined, `${p.v4} not in the node's BGP table`);
      assert.deepEqual(r.asPath, [p.asn]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

const MH_PEERS = [
  { name: "frr", kind: "frr", asn: 64671, ip: "192.168.172.2", announce: "10.67.1.0/24" },
  { name: "bird", kind: "bird", asn: 64672, ip: "192.168.173.2", announce: "10.67.2.0/24" },
] as const;
const MH_NODE_IP = "192.168.171.1";
const MH_ROUTER_IP = "192.168.171.2";
const MH_NODE_PREFIX = "10.67.0.0/24";
const NEGATIVE_MS = 10_000;

/** A Node script printing how a TCP connect to host:port ends (error code, "connected" or "timeout"). */
function connectProbe(host: string, port: number): string {
  return `const s = require("node:net").connect(${port}, ${JSON.stringify(host)});
s.on("connect", () => { console.log("connected"); process.exit(0); });
s.on("error", (e) => { console.log(e.code); process.exit(0); });
setTimeout(() => { console.log("timeout"); process.exit(0); }, 3000);`;
}

function multihopYaml(multihop: boolean): string {
  const neighbors = MH_PEERS.map(
    (p) => `      - address: ${p.ip}
        asn: ${p.asn}
        connectTime: 2s${multihop ? "\n        ebgpMultiHop: true" : ""}
        toAdvertise: {allowed: {mode: all}}
        toReceive: {allowed: {mode: all}}`,
  ).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: multihop, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: ${NODE_ASN}
      prefixes: [${MH_NODE_PREFIX}]
      neighbors:
${neighbors}
`;
}

describe("agent scenarios: eBGP multihop two hops away, through a router (FRR, BIRD)", { skip: SKIP }, () => {
  let lab: RoutedLab | undefined;
  let agent: AgentProcess | undefined;

  before(async () => {
    await prerequisites();
    lab = await buildRoutedLab({
      node: { asn: NODE_ASN },
      nodeIpv4: `${MH_NODE_IP}/24`,
      routerIpv4: `${MH_ROUTER_IP}/24`,
      peers: MH_PEERS.map((p) => ({
        name: p.name,
        kind: p.kind,
        asn: p.asn,
        ipv4: `${p.ip}/24`,
        // The peers allow 2 hops and wait for the node: only the node's configuration decides.
        neighbors: [{ address: MH_NODE_IP, remoteAs: NODE_ASN, multihop: 2, passive: true }],
        announce: [p.announce],
      })),
    });
    agent = await startAgent(lab.lab, {
      node: NODE,
      files: { "node.yaml": nodeYaml(NODE), "config.yaml": multihopYaml(false) },
    });
  });

  after(async () => {
    await agent?.stop();
    await lab?.destroy();
  });

  test("the peers are two hops away: reachable through the router only", async () => {
    const l = lab!;
    for (const p of MH_PEERS) {
      const route = await runCommand("ip", ["-n", l.node.ns.name, "-j", "route", "get", p.ip]);
      const got = JSON.parse(route.stdout) as { gateway?: string; dev?: string }[];
      assert.equal(got[0]?.gateway, MH_ROUTER_IP, `route to ${p.ip}: ${route.stdout}`);
      // Reachable: a TCP connection to a closed port is refused by the peer itself (no ping here;
      // not port 179, which would open a BGP connection).
      const probe = await runCommand(
        "ip",
        ["netns", "exec", l.node.ns.name, process.execPath, "-e", connectProbe(p.ip, 9)],
        { timeoutMs: 10_000 },
      );
      assert.equal(probe.stdout.trim(), "ECONNREFUSED", `TCP to ${p.ip}:9: ${probe.stdout}${probe.stderr}`);
    }
  });

  test(`without ebgpMultiHop no session comes up (${NEGATIVE_MS / 1000} s)`, async () => {
    const l = lab!;
    await waitForApplied(agent!, [`neighbor ${MH_PEERS[0].ip} remote-as ${MH_PEERS[0].asn}`]);
    const running = (await agent!.status()).runningConfig;
    assert.doesNotMatch(running, /ebgp-multihop/);
    const started = Date.now();
    const seen = new Map<string, Set<string>>();
    for (let i = 0; i < 100 && Date.now() - started < NEGATIVE_MS; i++) {
      const node = await frrSessions(l.node.frr!);
      for (const p of MH_PEERS) {
        const s = node.find((x) => x.neighbor === p.ip);
        assert.ok(s !== undefined, `no neighbor ${p.ip} at the node`);
        assert.ok(!s.established, `${p.ip} Established at the node without ebgpMultiHop`);
        seen.set(p.ip, (seen.get(p.ip) ?? new Set()).add(s.state));
        const atPeer = await l.peer(p.name).bgp.sessions();
        assert.ok(!atPeer.some((x) => x.established), `${p.name}: Established without ebgpMultiHop`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(Date.now() - started >= NEGATIVE_MS, "observed for the whole period");
    const status = await agent!.status();
    for (const p of MH_PEERS) assert.ok(!establishedPeers(status).includes(p.ip), `${p.ip} in /status`);
    assert.ok(seen.size === MH_PEERS.length, JSON.stringify([...seen]));
  });

  test("with ebgpMultiHop the sessions come up and routes go both ways", async () => {
    const l = lab!;
    agent!.write("config.yaml", multihopYaml(true));
    await waitForApplied(agent!, [`neighbor ${MH_PEERS[0].ip} ebgp-multihop`]);
    await waitForFrrEstablished(
      l.node.frr!,
      MH_PEERS.map((p) => p.ip),
      WAIT,
    );
    for (const p of MH_PEERS) {
      const peer = l.peer(p.name).bgp;
      await waitForEstablished(peer, [MH_NODE_IP], WAIT);
      const r = await waitForReceived(peer, MH_NODE_PREFIX, () => true, WAIT);
      assert.deepEqual(r.asPath, [NODE_ASN]);
      assert.equal(r.nextHop, MH_NODE_IP);
      // The BGP next hop is the peer, two hops away: the kernel route resolves it via the router.
      const k = await waitForKernelRoute(l.node.ns.name, p.announce, () => true, WAIT);
      assert.deepEqual(k.gateways, [MH_ROUTER_IP], JSON.stringify(k));
      assert.deepEqual(k.devs, ["n-rtr"]);
    }
    await waitFor(
      "the multihop sessions Established in /status",
      async () => {
        const s = await agent!.status();
        return MH_PEERS.every((p) => establishedPeers(s).includes(p.ip));
      },
      { ...WAIT, describe: async () => JSON.stringify((await agent!.status()).sessions, null, 1) },
    );
  });
});

// ---------------------------------------------------------------------------------------------

const VRF_DEFAULT_PEER = {
  name: "dflt",
  kind: "bird",
  asn: 64681,
  ip: "192.168.181.2",
  announce: "10.68.1.0/24",
} as const;
const VRF_PEER = {
  name: "vrfp",
  kind: "frr",
  asn: 64682,
  ip: "192.168.182.2",
  announce: "10.68.2.0/24",
} as const;
const VRF_NODE_DEFAULT = "10.68.10.0/24";
const VRF_NODE_VRF = "10.68.20.0/24";

function vrfYaml(vrf: string): string {
  const neighbor = (p: { ip: string; asn: number }) => `      - address: ${p.ip}
        asn: ${p.asn}
        connectTime: 2s
        toAdvertise: {allowed: {mode: all}}
        toReceive: {allowed: {mode: all}}`;
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: vrf, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: ${NODE_ASN}
      prefixes: [${VRF_NODE_DEFAULT}]
      neighbors:
${neighbor(VRF_DEFAULT_PEER)}
      imports: [{vrf: ${vrf}}]
    - asn: ${NODE_ASN}
      vrf: ${vrf}
      prefixes: [${VRF_NODE_VRF}]
      neighbors:
${neighbor(VRF_PEER)}
      imports: [{vrf: default}]
  # Lab only (netns VRF backend, see the top of this file): keep the VRF bound to its namespace.
  raw:
    rawConfig: |
      vrf ${vrf}
       netns /run/netns/${vrf}
      exit-vrf
`;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

interface BgpPath {
  valid: boolean;
  best: boolean;
  nextHops: string[];
}

/** `show bgp vrf all ipv4 unicast json`: paths by VRF name ("default" for the default VRF) and prefix. */
async function bgpTables(lab: VrfLab): Promise<Map<string, Map<string, BgpPath[]>>> {
  const data = await frrJson(lab.node.frr!, "show bgp vrf all ipv4 unicast json");
  const out = new Map<string, Map<string, BgpPath[]>>();
  if (!isObject(data)) return out;
  for (const [vrf, table] of Object.entries(data)) {
    if (!isObject(table) || !isObject(table.routes)) continue;
    const routes = new Map<string, BgpPath[]>();
    for (const [prefix, paths] of Object.entries(table.routes)) {
      if (!Array.isArray(paths)) continue;
      routes.set(
        prefix,
        paths.filter(isObject).map((p) => ({
          valid: p.valid === true,
          best: p.bestpath === true,
          nextHops: (Array.isArray(p.nexthops) ? p.nexthops.filter(isObject) : [])
            .map((h) => h.ip)
            .filter((x): x is string => typeof x === "string"),
        })),
      );
    }
    out.set(vrf, routes);
  }
  return out;
}

describe("agent scenarios: a router in a VRF and import VRF (netns VRF backend)", { skip: SKIP }, () => {
  let lab: VrfLab | undefined;
  let agent: AgentProcess | undefined;

  before(async () => {
    await prerequisites();
    lab = await buildVrfLab({
      node: { asn: NODE_ASN },
      defaultPeer: {
        name: VRF_DEFAULT_PEER.name,
        kind: VRF_DEFAULT_PEER.kind,
        asn: VRF_DEFAULT_PEER.asn,
        ipv4: `${VRF_DEFAULT_PEER.ip}/24`,
        neighbors: [{ address: "192.168.181.1", remoteAs: NODE_ASN }],
        announce: [VRF_DEFAULT_PEER.announce],
      },
      vrfPeer: {
        name: VRF_PEER.name,
        kind: VRF_PEER.kind,
        asn: VRF_PEER.asn,
        ipv4: `${VRF_PEER.ip}/24`,
        neighbors: [{ address: "192.168.182.1", remoteAs: NODE_ASN }],
        announce: [VRF_PEER.announce],
      },
    });
    agent = await startAgent(lab.lab, {
      node: NODE,
      files: { "node.yaml": nodeYaml(NODE), "config.yaml": vrfYaml(lab.vrf) },
    });
  });

  after(async () => {
    await agent?.stop();
    await lab?.destroy();
  });

  test("the VRF router and the imports are in FRR's running configuration", async () => {
    const vrf = lab!.vrf;
    await waitForApplied(agent!, [
      `router bgp ${NODE_ASN} vrf ${vrf}`,
      `import vrf ${vrf}`,
      "import vrf default",
    ]);
    const running = (await agent!.status()).runningConfig;
    assert.match(
      running,
      new RegExp(`router bgp ${NODE_ASN} vrf ${vrf}\\n(?: .*\\n)* neighbor ${VRF_PEER.ip} remote-as`),
    );
    assert.match(running, new RegExp(`vrf ${vrf}\\n netns /run/netns/${vrf}\\n`));
  });

  test("the session in the VRF is Established, and listed under the VRF in /status", async () => {
    const l = lab!;
    await waitForEstablished(l.peer(VRF_PEER.name).bgp, ["192.168.182.1"], WAIT);
    await waitForEstablished(l.peer(VRF_DEFAULT_PEER.name).bgp, ["192.168.181.1"], WAIT);
    const status = await waitFor(
      "both sessions Established in /status",
      async () => {
        const s = await agent!.status();
        const inVrf = s.sessions.find((x) => x.peer === VRF_PEER.ip);
        const inDefault = s.sessions.find((x) => x.peer === VRF_DEFAULT_PEER.ip);
        return inVrf?.bgpState === "Established" && inDefault?.bgpState === "Established" ? s : undefined;
      },
      { ...WAIT, describe: async () => JSON.stringify((await agent!.status()).sessions, null, 1) },
    );
    assert.equal(status.sessions.find((x) => x.peer === VRF_PEER.ip)?.vrf, l.vrf);
    assert.equal(status.sessions.find((x) => x.peer === VRF_DEFAULT_PEER.ip)?.vrf, "");
    // The default VRF of the node knows nothing of the VRF's neighbor.
    const defaultSessions = await frrSessions(l.node.frr!);
    assert.deepEqual(
      defaultSessions.map((s) => s.neighbor),
      [VRF_DEFAULT_PEER.ip],
    );
  });

  test("routes in the VRF stay in the VRF's kernel table", async () => {
    const l = lab!;
    await waitForReceived(l.peer(VRF_PEER.name).bgp, VRF_NODE_VRF, (r) => r.asPath[0] === NODE_ASN, WAIT);
    await waitForReceived(l.peer(VRF_DEFAULT_PEER.name).bgp, VRF_NODE_DEFAULT, () => true, WAIT);
    const inVrf = await waitForKernelRoute(l.vrfNs.name, VRF_PEER.announce, () => true, WAIT);
    assert.deepEqual(inVrf.gateways, [VRF_PEER.ip]);
    assert.deepEqual(inVrf.devs, [`n-${VRF_PEER.name}`]);
    await waitForKernelRoute(l.node.ns.name, VRF_DEFAULT_PEER.announce, () => true, WAIT);
    const nodeKernel = await kernelRoutes(l.node.ns.name);
    assert.ok(
      !nodeKernel.some((r) => r.prefix === VRF_PEER.announce),
      `the VRF's ${VRF_PEER.announce} in the default table: ${JSON.stringify(nodeKernel)}`,
    );
    const vrfKernel = await kernelRoutes(l.vrfNs.name);
    assert.ok(
      !vrfKernel.some((r) => r.prefix === VRF_DEFAULT_PEER.announce),
      `a leaked route in the VRF's kernel table (netns backend): ${JSON.stringify(vrfKernel)}`,
    );
  });

  test("import vrf leaks the peers' routes both ways (BGP tables)", async () => {
    const l = lab!;
    const tables = await waitFor(
      "leaked routes valid in both BGP tables",
      async () => {
        const t = await bgpTables(l);
        const intoDefault = t.get("default")?.get(VRF_PEER.announce) ?? [];
        const intoVrf = t.get(l.vrf)?.get(VRF_DEFAULT_PEER.announce) ?? [];
        return intoDefault.some((p) => p.valid && p.best) && intoVrf.some((p) => p.valid && p.best)
          ? t
          : undefined;
      },
      {
        ...WAIT,
        describe: async () =>
          JSON.stringify(
            [...(await bgpTables(l))].map(([v, r]) => [v, [...r]]),
            null,
            1,
          ).slice(0, 3000),
      },
    );
    const intoDefault = tables.get("default")?.get(VRF_PEER.announce) ?? [];
    const intoVrf = tables.get(l.vrf)?.get(VRF_DEFAULT_PEER.announce) ?? [];
    // Leaked paths keep the original next hop (in the other VRF).
    assert.ok(
      intoDefault.some((p) => p.nextHops.includes(VRF_PEER.ip)),
      JSON.stringify(intoDefault),
    );
    assert.ok(
      intoVrf.some((p) => p.nextHops.includes(VRF_DEFAULT_PEER.ip)),
      JSON.stringify(intoVrf),
    );
  });
});
