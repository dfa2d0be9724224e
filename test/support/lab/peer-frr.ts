// An FRR BGP peer: zebra, bgpd and bfdd (frr-daemons.ts, foreground children) in the peer's
// namespace, configured from a PeerBgpConfig with `vtysh -f`. Announcements are `network`
// statements (no import-check, so no RIB route is needed), with a route-map per prefix that sets
// its communities; announce/withdraw change only those lines, so no session is reset.
import { frrPrerequisiteProblems, startFrr, type FrrInstance } from "../frr-daemons.ts";
import { applyFrrConfig, frrEstablishedTransitions, frrReceivedRoutes, frrSessions } from "./frr-state.ts";
import {
  checkAnnouncement,
  DEFAULT_CONNECT_RETRY_SEC,
  neighborFamilies,
  neighborKey,
  toAnnouncement,
  type Announcement,
  type Peer,
  type PeerBgpConfig,
  type StartPeerOptions,
} from "./peer.ts";
import { familyOf } from "./util.ts";

export interface FrrPeer extends Peer {
  readonly kind: "frr";
  /** The FRR instance, for anything the common interface does not cover (vtysh). */
  readonly frr: FrrInstance;
}

/** Things missing to run an FRR peer here (empty when all is there). */
export function frrPeerPrerequisiteProblems(): Promise<string[]> {
  return frrPrerequisiteProblems(["zebra", "bgpd", "bfdd"]);
}

/** A route-map name for an announcement's attributes (one per prefix). */
function routeMapName(prefix: string): string {
  return `LAB-ANN-${prefix.replace(/[^0-9a-fA-F]/g, "-")}`;
}

function announceLines(asn: number, a: Announcement): string[] {
  const af = familyOf(a.prefix) === "ipv4" ? "ipv4" : "ipv6";
  const withAttrs = (a.communities?.length ?? 0) > 0 || (a.largeCommunities?.length ?? 0) > 0;
  const rm = routeMapName(a.prefix);
  return [
    ...(withAttrs
      ? [
          `route-map ${rm} permit 10`,
          ...((a.communities?.length ?? 0) > 0 ? [` set community ${(a.communities ?? []).join(" ")}`] : []),
          ...((a.largeCommunities?.length ?? 0) > 0
            ? [` set large-community ${(a.largeCommunities ?? []).join(" ")}`]
            : []),
          "exit",
        ]
      : []),
    `router bgp ${asn}`,
    ` address-family ${af} unicast`,
    `  network ${a.prefix}${withAttrs ? ` route-map ${rm}` : ""}`,
    " exit-address-family",
    "exit",
  ];
}

function withdrawLines(asn: number, a: Announcement): string[] {
  const af = familyOf(a.prefix) === "ipv4" ? "ipv4" : "ipv6";
  const withAttrs = (a.communities?.length ?? 0) > 0 || (a.largeCommunities?.length ?? 0) > 0;
  return [
    `router bgp ${asn}`,
    ` address-family ${af} unicast`,
    `  no network ${a.prefix}`,
    " exit-address-family",
    "exit",
    ...(withAttrs ? [`no route-map ${routeMapName(a.prefix)}`] : []),
  ];
}

/** The FRR configuration for `config` (announcements not included: see announceLines). */
export function renderFrrPeerConfig(config: PeerBgpConfig): string {
  const lines = [
    `router bgp ${config.asn}`,
    ` bgp router-id ${config.routerId}`,
    " no bgp ebgp-requires-policy",
    " no bgp network import-check",
    " no bgp default ipv4-unicast",
  ];
  for (const n of config.neighbors) {
    const key = neighborKey(n);
    if (n.address === undefined) lines.push(` neighbor ${key} interface remote-as ${n.remoteAs}`);
    else lines.push(` neighbor ${key} remote-as ${n.remoteAs}`);
    if (n.password !== undefined) lines.push(` neighbor ${key} password ${n.password}`);
    if (n.bfd === true) lines.push(` neighbor ${key} bfd`);
    if (n.multihop !== undefined) lines.push(` neighbor ${key} ebgp-multihop ${n.multihop}`);
    if (n.passive === true) lines.push(` neighbor ${key} passive`);
    if (n.localAddress !== undefined) lines.push(` neighbor ${key} update-source ${n.localAddress}`);
    if (n.timers !== undefined) {
      lines.push(` neighbor ${key} timers ${n.timers.keepaliveSec} ${n.timers.holdSec}`);
    }
    lines.push(` neighbor ${key} timers connect ${n.connectRetrySec ?? DEFAULT_CONNECT_RETRY_SEC}`);
  }
  for (const af of ["ipv4", "ipv6"] as const) {
    const active = config.neighbors.filter((n) => neighborFamilies(n).includes(af));
    if (active.length === 0) continue;
    lines.push(` address-family ${af} unicast`);
    for (const n of active) lines.push(`  neighbor ${neighborKey(n)} activate`);
    lines.push(" exit-address-family");
  }
  lines.push("exit");
  return `${lines.join("\n")}\n`;
}

/** Start an FRR peer in `options.netns` and configure it. */
export async function startFrrPeer(options: StartPeerOptions): Promise<FrrPeer> {
  const frr = await startFrr({
    netns: options.netns,
    daemons: ["zebra", "bgpd", "bfdd"],
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
    ...(options.dir !== undefined && { dir: options.dir }),
  });
  const announced = new Map<string, Announcement>();
  const announce = async (prefixes: readonly (string | Announcement)[]) => {
    const lines: string[] = [];
    for (const a of prefixes.map(toAnnouncement)) {
      checkAnnouncement(a);
      const old = announced.get(a.prefix);
      if (old !== undefined) lines.push(...withdrawLines(options.asn, old));
      lines.push(...announceLines(options.asn, a));
      announced.set(a.prefix, a);
    }
    if (lines.length > 0) await applyFrrConfig(frr, lines.join("\n"));
  };
  try {
    await applyFrrConfig(frr, renderFrrPeerConfig(options));
    await announce(options.announce ?? []);
  } catch (e) {
    await frr.stop();
    throw e;
  }
  return {
    kind: "frr",
    netns: options.netns,
    asn: options.asn,
    dir: frr.dir,
    frr,
    sessions: () => frrSessions(frr),
    routes: () => frrReceivedRoutes(frr),
    announce,
    withdraw: async (prefixes) => {
      const lines: string[] = [];
      for (const p of prefixes) {
        const old = announced.get(p);
        if (old === undefined) continue;
        lines.push(...withdrawLines(options.asn, old));
        announced.delete(p);
      }
      if (lines.length > 0) await applyFrrConfig(frr, lines.join("\n"));
    },
    announced: () => [...announced.values()],
    establishedTransitions: () => frrEstablishedTransitions(frr),
    pids: () => Object.values(frr.pids()),
    logTail: (maxBytes = 2000) => frr.logTail("bgpd", maxBytes),
    stop: () => frr.stop(),
  };
}
