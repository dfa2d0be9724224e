// The lab: one "node" network namespace (running FRR, where the agent under test applies its
// configuration) and one namespace per BGP peer (FRR, BIRD 2 or GoBGP), each joined to the node
// by its own veth pair, built from a small declarative spec:
//
//   const lab = await buildLab({
//     node: { asn: 64512 },
//     peers: [{ name: "r1", kind: "bird", asn: 64513, ipv4: "192.168.101.2/24", ipv6: "fd00:101::2/64",
//               announce: [{ prefix: "10.30.0.0/24", communities: ["64513:7"] }] }],
//   });
//   await applyFrrConfig(lab.node.frr!, "router bgp 64512 ...");
//   await waitForEstablished(lab.peer("r1").bgp);
//   ...
//   await lab.destroy();
//
// Every veth end gets accept_dad=0 and global IPv6 addresses are added with `nodad` (a tentative
// address makes the first IPv6 BGP attempt fail: lab pitfall 11); forwarding is on in every
// namespace (pitfall 7). An `unnumbered` peer gets no global addresses: only IPv6 link-locals,
// for interface peering. Names are unique per process and lab (`frrk8s-lab-<pid>-<n>-...`), so
// labs may run in parallel; everything is removed by destroy(), and by the emergency cleanup if
// the process is interrupted (namespaces and daemons register themselves there).
import { runChecked } from "../exec.ts";
import { startFrr, type FrrDaemon, type FrrInstance } from "../frr-daemons.ts";
import { startWatchfrr } from "../frr-watchfrr.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../netns.ts";
import { applyFrrConfig } from "./frr-state.ts";
import type { Announcement, Peer, PeerBgpConfig, PeerKind, PeerNeighbor, StartPeerOptions } from "./peer.ts";
import { startBirdPeer } from "./peer-bird.ts";
import { startFrrPeer } from "./peer-frr.ts";
import { startGobgpPeer } from "./peer-gobgp.ts";
import { addressOf, otherHost, parseCidr, waitFor } from "./util.ts";

/** The interface name of every peer's end of its link (each peer has its own namespace). */
export const PEER_IFACE = "eth0";
export const DEFAULT_NODE_ASN = 64512;

export interface LabPeerSpec {
  /** 1–12 characters [a-z0-9]; names the peer's namespace and the node's interface `n-<name>`. */
  name: string;
  kind: PeerKind;
  asn: number;
  /** The peer's IPv4 address on its link, "A/len". */
  ipv4?: string;
  /** The peer's IPv6 address on its link, "A/len" (added with nodad). */
  ipv6?: string;
  /** The node's address on this link; default: the first other host of the peer's subnet. */
  nodeIpv4?: string;
  nodeIpv6?: string;
  /** No global addresses on this link: IPv6 link-local only (interface peering). */
  unnumbered?: boolean;
  /** Default: the peer's IPv4 address, else 10.255.255.<index+1>. */
  routerId?: string;
  /**
   * The peer's BGP neighbors. Default: the node on this link, with `neighborOptions` — one
   * neighbor per address family (node's IPv4 and IPv6 address); unnumbered: the node's link-local
   * (FRR: interface peering), both families.
   */
  neighbors?: readonly PeerNeighbor[];
  /** Applied to the default neighbors (password, bfd, passive, multihop, timers, ...). */
  neighborOptions?: Omit<PeerNeighbor, "address" | "interface" | "remoteAs" | "families">;
  /** Announced from the start. */
  announce?: readonly (string | Announcement)[];
  /** Start the daemon in buildLab (default true); else call `lab.peer(name).start()` later. */
  start?: boolean;
}

export interface LabNodeSpec {
  /** The node's AS: the default neighbors' remote AS (default 64512). */
  asn?: number;
  /** Start FRR in the node namespace (default true). */
  frr?: boolean;
  /** FRR daemons (default zebra, bgpd, staticd, bfdd). */
  daemons?: readonly FrrDaemon[];
  /** Configuration loaded into the node's FRR right after it started (vtysh -f, checked). */
  frrConfig?: string;
  /**
   * How the node's FRR runs: "direct" (default), daemons as children of the test with their own
   * socket directory; "watchfrr", under watchfrr with pathspace `-N <node namespace name>`
   * (/etc/frr/<name>, /var/run/frr/<name>; frr-watchfrr.ts), restarting daemons that die.
   */
  supervisor?: "direct" | "watchfrr";
}

export interface LabSpec {
  peers: readonly LabPeerSpec[];
  node?: LabNodeSpec;
  /** Bound for each daemon's start. Default 20 s. */
  startTimeoutMs?: number;
}

export interface LabLink {
  /** The node's end (in the node namespace). */
  nodeIface: string;
  /** The peer's end (in the peer namespace): PEER_IFACE. */
  peerIface: string;
  nodeIpv4?: string;
  peerIpv4?: string;
  nodeIpv6?: string;
  peerIpv6?: string;
  nodeLinkLocal: string;
  peerLinkLocal: string;
}

export interface LabPeer {
  readonly name: string;
  readonly kind: PeerKind;
  readonly asn: number;
  readonly ns: Namespace;
  readonly link: LabLink;
  /** The configuration the daemon is (or will be) started with. */
  readonly config: PeerBgpConfig;
  /** The running daemon; throws if it was not started. */
  readonly bgp: Peer;
  readonly started: boolean;
  /** Start the daemon (when the spec said `start: false`, or after stop()). */
  start(): Promise<Peer>;
  /** Stop the daemon; the namespace and link stay. */
  stop(): Promise<void>;
}

export interface LabNode {
  readonly ns: Namespace;
  readonly asn: number;
  /** The node's FRR (undefined with `node.frr: false`). */
  readonly frr: FrrInstance | undefined;
}

export interface Lab {
  /** `<pid>-<n>`: part of every name the lab made. */
  readonly id: string;
  readonly node: LabNode;
  readonly peers: readonly LabPeer[];
  peer(name: string): LabPeer;
  /** The node's FRR; throws with `node.frr: false`. */
  nodeFrr(): FrrInstance;
  /** Every namespace the lab created. */
  namespaces(): string[];
  /** Pids of every daemon of the lab still running. */
  pids(): number[];
  /** Stop every daemon (each removes its temp dir) and delete every namespace (with the veths). Idempotent. */
  destroy(): Promise<void>;
}

/** Start a peer daemon of `kind` (without a lab: the caller provides namespace and config). */
export function startPeer(kind: PeerKind, options: StartPeerOptions): Promise<Peer> {
  switch (kind) {
    case "frr":
      return startFrrPeer(options);
    case "bird":
      return startBirdPeer(options);
    case "gobgp":
      return startGobgpPeer(options);
  }
}

let labSeq = 0;

async function ip(args: readonly string[]): Promise<string> {
  return (await runChecked("ip", args, { timeoutMs: 10_000 })).stdout;
}

async function sysctl(ns: string, settings: readonly string[]): Promise<void> {
  await runChecked("ip", ["netns", "exec", ns, "sysctl", "-q", "-w", ...settings], { timeoutMs: 10_000 });
}

async function linkLocal(ns: string, iface: string): Promise<string> {
  return waitFor(
    `an IPv6 link-local address on ${iface} in ${ns}`,
    async () => {
      const data = JSON.parse(
        await ip(["-j", "-n", ns, "-6", "addr", "show", "dev", iface, "scope", "link"]),
      ) as {
        addr_info?: { local?: string; tentative?: boolean }[];
      }[];
      return data
        .flatMap((d) => d.addr_info ?? [])
        .find((a) => a.local?.startsWith("fe80:") === true && a.tentative !== true)?.local;
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
}

function validate(spec: LabSpec): void {
  const names = new Set<string>();
  for (const p of spec.peers) {
    if (!/^[a-z0-9]{1,12}$/.test(p.name)) throw new Error(`peer name ${p.name}: 1-12 characters [a-z0-9]`);
    if (names.has(p.name)) throw new Error(`duplicate peer name ${p.name}`);
    names.add(p.name);
    if (p.unnumbered === true && (p.ipv4 !== undefined || p.ipv6 !== undefined)) {
      throw new Error(`peer ${p.name}: unnumbered peers have no ipv4/ipv6 addresses`);
    }
    if (p.unnumbered === true && p.kind === "gobgp" && p.neighbors === undefined) {
      // FRR's interface peering learns the peer's link-local address from router advertisements,
      // which GoBGP does not send (BIRD peers run `protocol radv` for this).
      throw new Error(`peer ${p.name}: unnumbered GoBGP peers are not supported`);
    }
    if (p.unnumbered !== true && p.ipv4 === undefined && p.ipv6 === undefined) {
      throw new Error(`peer ${p.name}: give ipv4 and/or ipv6, or unnumbered: true`);
    }
    for (const [cidr, family] of [
      [p.ipv4, "ipv4"],
      [p.ipv6, "ipv6"],
      [p.nodeIpv4, "ipv4"],
      [p.nodeIpv6, "ipv6"],
    ] as const) {
      if (cidr !== undefined && parseCidr(cidr).family !== family)
        throw new Error(`peer ${p.name}: ${cidr} is not ${family}`);
    }
  }
}

/** The default neighbors of a peer: the node on its link. */
function defaultNeighbors(spec: LabPeerSpec, link: LabLink, nodeAsn: number): PeerNeighbor[] {
  const base = { ...spec.neighborOptions, remoteAs: nodeAsn };
  if (spec.unnumbered === true) {
    return spec.kind === "frr"
      ? [{ ...base, interface: link.peerIface }]
      : [{ ...base, address: link.nodeLinkLocal, interface: link.peerIface, families: ["ipv4", "ipv6"] }];
  }
  return [
    ...(link.nodeIpv4 === undefined ? [] : [{ ...base, address: link.nodeIpv4 }]),
    ...(link.nodeIpv6 === undefined ? [] : [{ ...base, address: link.nodeIpv6 }]),
  ];
}

/** Build the lab (namespaces, links, node FRR, peer daemons). On failure, removes what it made. */
export async function buildLab(spec: LabSpec): Promise<Lab> {
  validate(spec);
  const seq = ++labSeq;
  const id = `${process.pid}-${seq}`;
  const nodeAsn = spec.node?.asn ?? DEFAULT_NODE_ASN;
  const namespaces: Namespace[] = [];
  const peers: LabPeer[] = [];
  let nodeFrr: FrrInstance | undefined;
  let destroyed = false;

  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    const errors: unknown[] = [];
    // Daemons first (in parallel; each stop is bounded), then the namespaces, which takes the veths along.
    await Promise.all(peers.map((p) => p.stop().catch((e: unknown) => errors.push(e))));
    await nodeFrr?.stop().catch((e: unknown) => errors.push(e));
    for (const ns of [...namespaces].reverse()) await ns.delete().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, `lab ${id}: cleanup failed`);
  };

  try {
    const nsName = (suffix: string) => uniqueNamespaceName("frrk8s-lab", `${seq}-${suffix}`);
    const nodeNs = await createNamespace(nsName("node"), { forwarding: true });
    namespaces.push(nodeNs);
    const peerNs = await Promise.all(
      spec.peers.map(async (p) => {
        const ns = await createNamespace(nsName(p.name), { forwarding: true });
        namespaces.push(ns);
        return ns;
      }),
    );
    const dadOff = ["net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"];
    await Promise.all([nodeNs, ...peerNs].map((ns) => sysctl(ns.name, dadOff)));

    const links = await Promise.all(
      spec.peers.map(async (p, i): Promise<LabLink> => {
        const ns = peerNs[i]!;
        const nodeIface = `n-${p.name}`;
        await ip([
          "-n",
          nodeNs.name,
          "link",
          "add",
          nodeIface,
          "type",
          "veth",
          "peer",
          "name",
          PEER_IFACE,
          "netns",
          ns.name,
        ]);
        await sysctl(nodeNs.name, [`net.ipv6.conf.${nodeIface}.accept_dad=0`]);
        await sysctl(ns.name, [`net.ipv6.conf.${PEER_IFACE}.accept_dad=0`]);
        const link: Partial<LabLink> & { nodeIface: string; peerIface: string } = {
          nodeIface,
          peerIface: PEER_IFACE,
        };
        if (p.ipv4 !== undefined) {
          const nodeCidr = p.nodeIpv4 ?? otherHost(p.ipv4);
          await ip(["-n", ns.name, "addr", "add", p.ipv4, "dev", PEER_IFACE]);
          await ip(["-n", nodeNs.name, "addr", "add", nodeCidr, "dev", nodeIface]);
          link.peerIpv4 = addressOf(p.ipv4);
          link.nodeIpv4 = addressOf(nodeCidr);
        }
        if (p.ipv6 !== undefined) {
          const nodeCidr = p.nodeIpv6 ?? otherHost(p.ipv6);
          await ip(["-n", ns.name, "addr", "add", p.ipv6, "dev", PEER_IFACE, "nodad"]);
          await ip(["-n", nodeNs.name, "addr", "add", nodeCidr, "dev", nodeIface, "nodad"]);
          link.peerIpv6 = addressOf(p.ipv6);
          link.nodeIpv6 = addressOf(nodeCidr);
        }
        await ip(["-n", nodeNs.name, "link", "set", nodeIface, "up"]);
        await ip(["-n", ns.name, "link", "set", PEER_IFACE, "up"]);
        const [nodeLinkLocal, peerLinkLocal] = await Promise.all([
          linkLocal(nodeNs.name, nodeIface),
          linkLocal(ns.name, PEER_IFACE),
        ]);
        return { ...link, nodeLinkLocal, peerLinkLocal };
      }),
    );

    spec.peers.forEach((p, i) => {
      const ns = peerNs[i]!;
      const link = links[i]!;
      const config: PeerBgpConfig = {
        asn: p.asn,
        routerId: p.routerId ?? link.peerIpv4 ?? `10.255.255.${i + 1}`,
        neighbors: p.neighbors ?? defaultNeighbors(p, link, nodeAsn),
        ...(p.announce !== undefined && { announce: p.announce }),
      };
      let daemon: Peer | undefined;
      let starting: Promise<Peer> | undefined;
      peers.push({
        name: p.name,
        kind: p.kind,
        asn: p.asn,
        ns,
        link,
        config,
        get bgp(): Peer {
          if (daemon === undefined) throw new Error(`peer ${p.name} is not started`);
          return daemon;
        },
        get started() {
          return daemon !== undefined;
        },
        start: async () => {
          if (daemon !== undefined) return daemon;
          starting ??= startPeer(p.kind, {
            ...config,
            netns: ns.name,
            ...(spec.startTimeoutMs !== undefined && { startTimeoutMs: spec.startTimeoutMs }),
          }).finally(() => {
            starting = undefined;
          });
          daemon = await starting;
          return daemon;
        },
        stop: async () => {
          const d = daemon ?? (await starting?.catch(() => undefined));
          daemon = undefined;
          await d?.stop();
        },
      });
    });

    const startNode = async () => {
      if (spec.node?.frr === false) return;
      const options = {
        netns: nodeNs.name,
        ...(spec.node?.daemons !== undefined && { daemons: spec.node.daemons }),
        ...(spec.startTimeoutMs !== undefined && { startTimeoutMs: spec.startTimeoutMs }),
      };
      nodeFrr = await (spec.node?.supervisor === "watchfrr" ? startWatchfrr(options) : startFrr(options));
      if (spec.node?.frrConfig !== undefined) await applyFrrConfig(nodeFrr, spec.node.frrConfig);
    };
    // Settle all (not Promise.all): a failed start must not leave another one running unseen.
    const results = await Promise.allSettled([
      startNode(),
      ...peers.filter((_, i) => spec.peers[i]?.start !== false).map((p) => p.start()),
    ]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) {
      throw failed.length === 1
        ? failed[0]!.reason
        : new AggregateError(
            failed.map((f) => f.reason as unknown),
            "lab start failed",
          );
    }
  } catch (e) {
    await destroy().catch(() => undefined);
    throw e;
  }

  const node: LabNode = {
    ns: namespaces[0]!,
    asn: nodeAsn,
    get frr() {
      return nodeFrr;
    },
  };
  return {
    id,
    node,
    peers,
    peer: (name) => {
      const p = peers.find((x) => x.name === name);
      if (p === undefined) throw new Error(`no peer ${name} in lab ${id}`);
      return p;
    },
    nodeFrr: () => {
      if (nodeFrr === undefined) throw new Error(`lab ${id} runs no FRR on the node`);
      return nodeFrr;
    },
    namespaces: () => namespaces.map((n) => n.name),
    pids: () => [
      ...Object.values(nodeFrr?.pids() ?? {}),
      ...peers.flatMap((p) => (p.started ? p.bgp.pids() : [])),
    ],
    destroy,
  };
}
