// Lab topologies beyond buildLab (topology.ts), where a peer is not on a link of the node:
//
// - buildRoutedLab: node — router — peers. The router is a plain namespace (forwarding on, static
//   routes, no BGP); every peer hangs off the router on its own link, so it is two IP hops away
//   from the node (eBGP multihop).
//
//       node  n-rtr ───── eth0  rtr  r-<peer> ───── eth0  <peer>
//
// - buildVrfLab: the node's FRR runs with zebra's netns VRF backend (`zebra -n`: every namespace
//   named in /run/netns is a VRF of the same name), because this kernel has no VRF devices. The VRF
//   is a namespace `<vrf>` holding the node's link to the VRF peer; the default-VRF peer is linked
//   to the node namespace itself. zebra runs with a private /run/netns listing only the VRF, so
//   other namespaces on the machine (other labs, other tests) never become VRFs of this FRR.
//
//       <default peer> eth0 ───── n-<default peer>  node (default VRF)
//       <vrf peer>     eth0 ───── n-<vrf peer>      <vrf> (netns = VRF of the node's FRR)
//
// Both return an ExtraLab whose `lab` is a topology.ts Lab view (node, node FRR, namespaces, pids,
// destroy: what startAgent needs), without directly linked LabPeers. Namespaces, veths and
// daemons are removed by destroy() and, on interruption, by the emergency cleanup (netns.ts and
// the daemon starters register themselves).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onEmergencyExit } from "../emergency-cleanup.ts";
import { describeFailure, runChecked, runCommand } from "../exec.ts";
import { FRR_LIB_DIR, startFrr, VTYSH, type FrrDaemon, type FrrInstance } from "../frr-daemons.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../netns.ts";
import type { Announcement, Peer, PeerKind, PeerNeighbor } from "./peer.ts";
import { DEFAULT_NODE_ASN, PEER_IFACE, startPeer, type Lab, type LabNode } from "./topology.ts";
import { addressOf, otherHost, parseCidr, spawnDaemon, waitFor, type ChildDaemon } from "./util.ts";

/** A peer that is not on a link of the node (behind a router, or in a VRF). */
export interface ExtraPeerSpec {
  /** 1–12 characters [a-z0-9]; names its namespace and the interface at the other end of its link. */
  name: string;
  kind: PeerKind;
  asn: number;
  /** The peer's IPv4 address on its link, "A/len". */
  ipv4: string;
  /** The other end of the peer's link (router or node VRF); default: the first other host of the subnet. */
  gatewayIpv4?: string;
  /** The peer's BGP neighbors (the node's address, as seen from there). */
  neighbors: readonly PeerNeighbor[];
  announce?: readonly (string | Announcement)[];
}

export interface ExtraPeer {
  readonly name: string;
  readonly kind: PeerKind;
  readonly asn: number;
  readonly ns: Namespace;
  /** The peer's address. */
  readonly ipv4: string;
  /** The address of the other end of its link. */
  readonly gatewayIpv4: string;
  readonly bgp: Peer;
}

export interface ExtraLab {
  readonly id: string;
  readonly node: LabNode;
  /** A topology.ts Lab view for startAgent and the node-side helpers (its `peers` is empty). */
  readonly lab: Lab;
  peer(name: string): ExtraPeer;
  namespaces(): string[];
  pids(): number[];
  destroy(): Promise<void>;
}

export interface RoutedLab extends ExtraLab {
  readonly router: Namespace;
  /** The node's address on its link to the router. */
  readonly nodeIpv4: string;
  /** The router's address on its link to the node (the node's gateway to every peer). */
  readonly routerIpv4: string;
}

export interface VrfLab extends ExtraLab {
  /** The VRF name, which is also the name of its namespace (at most 15 characters). */
  readonly vrf: string;
  readonly vrfNs: Namespace;
  /** The node's address on its link to the default-VRF peer / to the VRF peer. */
  readonly nodeIpv4: string;
  readonly nodeVrfIpv4: string;
}

let seq = 0;

async function ip(args: readonly string[]): Promise<void> {
  await runChecked("ip", args, { timeoutMs: 10_000 });
}

async function sysctl(ns: string, settings: readonly string[]): Promise<void> {
  await runChecked("ip", ["netns", "exec", ns, "sysctl", "-q", "-w", ...settings], { timeoutMs: 10_000 });
}

/** One end of a link: interface `iface` in namespace `ns` with IPv4 address `cidr` ("A/len"). */
export interface LinkEnd {
  ns: string;
  iface: string;
  cidr: string;
}

/** A veth pair between `a` and `b`, addresses set, up. */
export async function link(a: LinkEnd, b: LinkEnd): Promise<void> {
  await ip(["-n", a.ns, "link", "add", a.iface, "type", "veth", "peer", "name", b.iface, "netns", b.ns]);
  for (const end of [a, b]) {
    await sysctl(end.ns, [`net.ipv6.conf.${end.iface}.accept_dad=0`]);
    await ip(["-n", end.ns, "addr", "add", end.cidr, "dev", end.iface]);
    await ip(["-n", end.ns, "link", "set", end.iface, "up"]);
  }
}

function checkPeer(p: ExtraPeerSpec, names: Set<string>): void {
  if (!/^[a-z0-9]{1,12}$/.test(p.name)) throw new Error(`peer name ${p.name}: 1-12 characters [a-z0-9]`);
  if (names.has(p.name)) throw new Error(`duplicate peer name ${p.name}`);
  names.add(p.name);
  if (parseCidr(p.ipv4).family !== "ipv4") throw new Error(`peer ${p.name}: ${p.ipv4} is not IPv4`);
}

/** Namespaces, daemons and teardown shared by both builders. */
class Builder {
  readonly id: string;
  readonly seq: number;
  readonly namespaces: Namespace[] = [];
  readonly peers = new Map<string, ExtraPeer>();
  nodeFrr: FrrInstance | undefined;
  private destroyed = false;

  constructor() {
    this.seq = ++seq;
    this.id = `${process.pid}-${this.seq}`;
  }

  async namespace(name: string): Promise<Namespace> {
    const ns = await createNamespace(name, { forwarding: true });
    this.namespaces.push(ns);
    await sysctl(ns.name, ["net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"]);
    return ns;
  }

  labNamespace(suffix: string): Promise<Namespace> {
    return this.namespace(uniqueNamespaceName("frrk8s-lab", `${this.seq}-${suffix}`));
  }

  async startPeers(specs: readonly (ExtraPeerSpec & { ns: Namespace })[]): Promise<void> {
    const results = await Promise.allSettled(
      specs.map(async (p) => {
        const bgp = await startPeer(p.kind, {
          netns: p.ns.name,
          asn: p.asn,
          routerId: addressOf(p.ipv4),
          neighbors: p.neighbors,
          ...(p.announce !== undefined && { announce: p.announce }),
        });
        this.peers.set(p.name, {
          name: p.name,
          kind: p.kind,
          asn: p.asn,
          ns: p.ns,
          ipv4: addressOf(p.ipv4),
          gatewayIpv4: addressOf(p.gatewayIpv4 ?? otherHost(p.ipv4)),
          bgp,
        });
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map((f) => f.reason as unknown),
        "peer start failed",
      );
    }
  }

  destroy = async (): Promise<void> => {
    if (this.destroyed) return;
    this.destroyed = true;
    const errors: unknown[] = [];
    await Promise.all(
      [...this.peers.values()].map((p) => p.bgp.stop().catch((e: unknown) => errors.push(e))),
    );
    await this.nodeFrr?.stop().catch((e: unknown) => errors.push(e));
    for (const ns of [...this.namespaces].reverse()) await ns.delete().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, `lab ${this.id}: cleanup failed`);
  };

  result(asn: number): ExtraLab {
    const frr = this.nodeFrr;
    if (frr === undefined) throw new Error("the node's FRR is not started");
    const node: LabNode = { ns: this.namespaces[0]!, asn, frr };
    const namespaces = () => this.namespaces.map((n) => n.name);
    const pids = () => [
      ...Object.values(frr.pids()),
      ...[...this.peers.values()].flatMap((p) => p.bgp.pids()),
    ];
    const lab: Lab = {
      id: this.id,
      node,
      peers: [],
      peer: (name) => {
        throw new Error(`${name}: this lab has no peer on a link of the node (see ExtraLab.peer)`);
      },
      nodeFrr: () => frr,
      namespaces,
      pids,
      destroy: this.destroy,
    };
    return {
      id: this.id,
      node,
      lab,
      peer: (name) => {
        const p = this.peers.get(name);
        if (p === undefined) throw new Error(`no peer ${name} in lab ${this.id}`);
        return p;
      },
      namespaces,
      pids,
      destroy: this.destroy,
    };
  }
}

export interface RoutedLabSpec {
  node?: { asn?: number };
  /** The node's address on its link to the router, "A/len". */
  nodeIpv4: string;
  /** The router's address on that link; default: the first other host of the subnet. */
  routerIpv4?: string;
  /** Peers behind the router, each on its own link (`gatewayIpv4` is the router's end). */
  peers: readonly ExtraPeerSpec[];
}

/**
 * node — router — peers: the node's FRR (default daemons, empty) and the peers (started, with
 * their neighbors as given). Static routes: the node reaches each peer subnet via the router, each
 * peer the node's subnet via the router. On failure, removes what it made.
 */
export async function buildRoutedLab(spec: RoutedLabSpec): Promise<RoutedLab> {
  const names = new Set<string>();
  for (const p of spec.peers) checkPeer(p, names);
  const routerCidr = spec.routerIpv4 ?? otherHost(spec.nodeIpv4);
  const b = new Builder();
  try {
    const node = await b.labNamespace("node");
    const router = await b.labNamespace("rtr");
    const peerNs = await Promise.all(spec.peers.map((p) => b.labNamespace(p.name)));
    await link(
      { ns: node.name, iface: "n-rtr", cidr: spec.nodeIpv4 },
      { ns: router.name, iface: PEER_IFACE, cidr: routerCidr },
    );
    const nodeSubnet = parseCidr(spec.nodeIpv4);
    for (const [i, p] of spec.peers.entries()) {
      const ns = peerNs[i]!;
      const gateway = p.gatewayIpv4 ?? otherHost(p.ipv4);
      await link(
        { ns: router.name, iface: `r-${p.name}`, cidr: gateway },
        { ns: ns.name, iface: PEER_IFACE, cidr: p.ipv4 },
      );
      await ip(["-n", node.name, "route", "add", subnetOf(parseCidr(p.ipv4)), "via", addressOf(routerCidr)]);
      await ip(["-n", ns.name, "route", "add", subnetOf(nodeSubnet), "via", addressOf(gateway)]);
    }
    throwFirstFailure(
      await Promise.allSettled([
        startFrr({ netns: node.name }).then((f) => (b.nodeFrr = f)),
        b.startPeers(spec.peers.map((p, i) => ({ ...p, ns: peerNs[i]! }))),
      ]),
    );
    return {
      ...b.result(spec.node?.asn ?? DEFAULT_NODE_ASN),
      router,
      nodeIpv4: addressOf(spec.nodeIpv4),
      routerIpv4: addressOf(routerCidr),
    };
  } catch (e) {
    await b.destroy().catch(() => undefined);
    throw e;
  }
}

export interface VrfLabSpec {
  node?: { asn?: number };
  /** Peer linked to the node namespace (default VRF); `gatewayIpv4` is the node's address. */
  defaultPeer: ExtraPeerSpec;
  /** Peer linked to the VRF namespace; `gatewayIpv4` is the node's address in the VRF. */
  vrfPeer: ExtraPeerSpec;
}

/**
 * The node's FRR with the netns VRF backend, a VRF (namespace) holding the link to `vrfPeer`, and
 * `defaultPeer` on a link of the node. The node's FRR starts empty; the VRF name is
 * `fk<pid>v<n>` (a VRF name is an interface name: 15 characters at most).
 */
export async function buildVrfLab(spec: VrfLabSpec): Promise<VrfLab> {
  checkPeer(spec.vrfPeer, checkPeerNames(spec.defaultPeer));
  const b = new Builder();
  const vrf = `fk${process.pid}v${b.seq}`;
  if (vrf.length > 15) throw new Error(`VRF name ${vrf} is longer than 15 characters`);
  try {
    const node = await b.labNamespace("node");
    const vrfNs = await b.namespace(vrf);
    const [defaultNs, vrfPeerNs] = await Promise.all([
      b.labNamespace(spec.defaultPeer.name),
      b.labNamespace(spec.vrfPeer.name),
    ]);
    const nodeCidr = spec.defaultPeer.gatewayIpv4 ?? otherHost(spec.defaultPeer.ipv4);
    const nodeVrfCidr = spec.vrfPeer.gatewayIpv4 ?? otherHost(spec.vrfPeer.ipv4);
    await link(
      { ns: node.name, iface: `n-${spec.defaultPeer.name}`, cidr: nodeCidr },
      { ns: defaultNs.name, iface: PEER_IFACE, cidr: spec.defaultPeer.ipv4 },
    );
    await link(
      { ns: vrfNs.name, iface: `n-${spec.vrfPeer.name}`, cidr: nodeVrfCidr },
      { ns: vrfPeerNs.name, iface: PEER_IFACE, cidr: spec.vrfPeer.ipv4 },
    );
    throwFirstFailure(
      await Promise.allSettled([
        startNetnsVrfFrr({ netns: node.name, vrfs: [vrf] }).then((f) => (b.nodeFrr = f)),
        b.startPeers([
          { ...spec.defaultPeer, ns: defaultNs },
          { ...spec.vrfPeer, ns: vrfPeerNs },
        ]),
      ]),
    );
    const frr = b.nodeFrr!;
    // zebra makes the VRF once it has read the namespace: wait for it.
    await waitFor(
      `VRF ${vrf} active in the node's zebra`,
      async () => {
        const r = await frr.vtysh(["-c", "show vrf"], { timeoutMs: 10_000 });
        return r.code === 0 && new RegExp(`^vrf ${vrf} id \\d+ netns`, "m").test(r.stdout);
      },
      {
        timeoutMs: 10_000,
        describe: async () => (await frr.vtysh(["-c", "show vrf"])).stdout,
      },
    );
    return {
      ...b.result(spec.node?.asn ?? DEFAULT_NODE_ASN),
      vrf,
      vrfNs,
      nodeIpv4: addressOf(nodeCidr),
      nodeVrfIpv4: addressOf(nodeVrfCidr),
    };
  } catch (e) {
    await b.destroy().catch(() => undefined);
    throw e;
  }
}

function checkPeerNames(p: ExtraPeerSpec): Set<string> {
  const names = new Set<string>();
  checkPeer(p, names);
  return names;
}

function subnetOf(c: { address: string; prefixLen: number }): string {
  const parts = c.address.split(".").map(Number);
  const bits = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  const mask = c.prefixLen === 0 ? 0 : (0xffffffff << (32 - c.prefixLen)) >>> 0;
  const n = (bits & mask) >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefixLen}`;
}

function throwFirstFailure(results: readonly PromiseSettledResult<unknown>[]): void {
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length === 1) throw failed[0]!.reason;
  if (failed.length > 1) {
    throw new AggregateError(
      failed.map((f) => f.reason as unknown),
      "lab start failed",
    );
  }
}

// ---------------------------------------------------------------------------------------------
// FRR with the netns VRF backend

const NETNS_VRF_DAEMONS = ["zebra", "bgpd", "staticd", "bfdd"] as const satisfies readonly FrrDaemon[];

/**
 * zebra sees the namespaces named in /run/netns. It runs in a private mount namespace where
 * /run/netns is a tmpfs holding only `vrfs` (bind mounts of the real entries), so it neither
 * makes VRFs of other tests' namespaces nor keeps them open; `$@` is zebra and its arguments.
 */
const ZEBRA_NETNS_VIEW = `set -e
keep="$FRRK8S_VRF_KEEP"
mkdir -p "$keep"
for n in $FRRK8S_VRFS; do touch "$keep/$n"; mount --bind "/run/netns/$n" "$keep/$n"; done
mount -t tmpfs -o size=64k,mode=0755 frrk8s-vrfs /run/netns
for n in $FRRK8S_VRFS; do touch "/run/netns/$n"; mount --bind "$keep/$n" "/run/netns/$n"; done
exec "$@"`;

/**
 * FRR (zebra, bgpd, staticd, bfdd as foreground children) in `netns`, with zebra's netns VRF
 * backend (`zebra -n`): each of `vrfs` (names of existing namespaces) is a VRF of the same name;
 * zebra sees no other namespace (ZEBRA_NETNS_VIEW). Same flags and directory layout as
 * frr-daemons.ts' startFrr, which cannot pass extra daemon arguments. `reset()` restarts the daemons.
 */
export async function startNetnsVrfFrr(options: {
  netns: string;
  vrfs: readonly string[];
  startTimeoutMs?: number;
}): Promise<FrrInstance> {
  for (const v of options.vrfs) {
    if (!/^[A-Za-z0-9_-]{1,15}$/.test(v)) throw new Error(`VRF name ${v}: 1-15 characters [A-Za-z0-9_-]`);
  }
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-frr-vrfnetns-"));
  const unregisterDir = onEmergencyExit(`FRR dir ${dir}`, () => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, "vtysh.conf"), "service integrated-vtysh-config\n");
  await runChecked("chown", ["frr:frr", dir], { timeoutMs: 10_000 });
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  let running: { daemon: FrrDaemon; child: ChildDaemon }[] = [];

  const args = (d: FrrDaemon): string[] => [
    ...(d === "zebra" ? ["-n"] : []),
    ...["-F", "traditional", "-P", "0", "--vty_socket", dir, "-i", join(dir, `${d}.pid`)],
    ...["-z", join(dir, "zserv.api"), "-f", "/dev/null", "--log", "stdout"],
    ...(d === "bfdd" ? ["--bfdctl", join(dir, "bfdd.sock")] : []),
  ];
  const vtysh: FrrInstance["vtysh"] = (a, o = {}) =>
    runCommand(VTYSH, ["--vty_socket", dir, "--config_dir", dir, ...a], { timeoutMs: o.timeoutMs ?? 60_000 });
  const logTail = (d: FrrDaemon, maxBytes = 2000) =>
    running.find((r) => r.daemon === d)?.child.logTail(maxBytes) ?? "";
  const dead = () =>
    running
      .filter((r) => r.child.status() !== undefined)
      .map((r) => `${r.daemon} exited (${JSON.stringify(r.child.status())}):\n${r.child.logTail(1500)}`)
      .join("\n");
  const stopDaemons = async () => {
    const errors: unknown[] = [];
    for (const r of [...running].reverse()) await r.child.stop().catch((e: unknown) => errors.push(e));
    running = [];
    if (errors.length > 0) throw new AggregateError(errors, `FRR in ${options.netns}: stop failed`);
  };
  const start = async () => {
    for (const d of NETNS_VRF_DAEMONS) rmSync(join(dir, `${d}.vty`), { force: true });
    rmSync(join(dir, "zserv.api"), { force: true });
    try {
      for (const d of NETNS_VRF_DAEMONS) {
        const binary = join(FRR_LIB_DIR, d);
        // unshare and sh exec (no fork): the pid is zebra's.
        const [file, argv] =
          d === "zebra"
            ? [
                "env",
                [
                  `FRRK8S_VRFS=${options.vrfs.join(" ")}`,
                  `FRRK8S_VRF_KEEP=${join(dir, "netns-view")}`,
                  ...[
                    "unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    ZEBRA_NETNS_VIEW,
                    "zebra",
                  ],
                  binary,
                  ...args(d),
                ],
              ]
            : [binary, args(d)];
        const child = spawnDaemon({
          name: `${d} (netns VRF backend)`,
          netns: options.netns,
          file,
          args: argv,
          logFile: join(dir, `${d}.out`),
        });
        running.push({ daemon: d, child });
        if (d === "zebra") {
          await waitFor("zebra's zserv socket", () => existsSync(join(dir, "zserv.api")) || dead() !== "", {
            timeoutMs,
            intervalMs: 50,
          });
        }
      }
      let last = "";
      await waitFor(
        `FRR (netns VRF backend) answering in ${options.netns}`,
        async () => {
          if (dead() !== "") return true;
          if (!NETNS_VRF_DAEMONS.every((d) => existsSync(join(dir, `${d}.vty`)))) return false;
          const r = await vtysh(["-c", "show running-config"], { timeoutMs: 5_000 });
          last = describeFailure(r);
          return r.code === 0;
        },
        { timeoutMs, intervalMs: 100, describe: () => last },
      );
      if (dead() !== "") throw new Error(`FRR did not start in netns ${options.netns}:\n${dead()}`);
    } catch (e) {
      await stopDaemons().catch(() => undefined);
      throw e;
    }
  };

  try {
    await start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    unregisterDir();
    throw e;
  }
  const instance: FrrInstance = {
    netns: options.netns,
    dir,
    daemons: NETNS_VRF_DAEMONS,
    pids: () =>
      Object.fromEntries(
        running.filter((r) => r.child.status() === undefined).map((r) => [r.daemon, r.child.pid]),
      ),
    exited: () =>
      running.flatMap((r) => {
        const s = r.child.status();
        return s === undefined ? [] : [{ daemon: r.daemon, ...s }];
      }),
    vtysh,
    loadFile: (file, o) => vtysh(["-f", file], o),
    runningConfig: async () => {
      const r = await vtysh(["-c", "show running-config"]);
      if (r.code !== 0) throw new Error(describeFailure(r));
      return r.stdout;
    },
    reset: async () => {
      await instance.restart();
      return "restarted";
    },
    restart: async () => {
      await stopDaemons();
      await start();
    },
    logTail,
    stop: async () => {
      try {
        await stopDaemons();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        unregisterDir();
      }
    },
  };
  return instance;
}
