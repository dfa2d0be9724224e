// The common shape of a BGP peer in the lab (FRR, BIRD 2 or GoBGP in its own network namespace),
// the typed spec their configurations are generated from, and waits built on it.
import { familyOf, waitFor, type Family, type WaitOptions } from "./util.ts";

export type PeerKind = "frr" | "bird" | "gobgp";

/** Seconds between connection attempts unless a neighbor says otherwise (lab pitfall 9). */
export const DEFAULT_CONNECT_RETRY_SEC = 2;

/** One BGP neighbor of a peer (normally: the node). */
export interface PeerNeighbor {
  /**
   * The neighbor's address. May be omitted together with `interface` for interface ("unnumbered")
   * peering, which FRR supports natively (`neighbor IFACE interface`); BIRD and GoBGP need the
   * neighbor's IPv6 link-local address here plus `interface`.
   */
  address?: string;
  /** Interface for a link-local neighbor address, or the interface to peer over (FRR). */
  interface?: string;
  remoteAs: number;
  /** TCP MD5 password. */
  password?: string;
  /** BFD for this session (FRR, BIRD; GoBGP has no BFD and rejects this). */
  bfd?: boolean;
  /** eBGP multihop with this TTL. */
  multihop?: number;
  /** Never connect, only accept. */
  passive?: boolean;
  /** Local address the session is sourced from (FRR `update-source`, BIRD `local`, GoBGP `local-address`). */
  localAddress?: string;
  /** Address families exchanged. Default: the family of `address`; interface peering: both. */
  families?: readonly Family[];
  /** Connect-retry timer in seconds. Default DEFAULT_CONNECT_RETRY_SEC. */
  connectRetrySec?: number;
  /** Keepalive and hold time in seconds (default: each daemon's). */
  timers?: { keepaliveSec: number; holdSec: number };
}

/** A prefix the peer announces, with optional attributes the receiver can be checked for. */
export interface Announcement {
  prefix: string;
  /** Standard communities "A:B". */
  communities?: readonly string[];
  /** Large communities "A:B:C". */
  largeCommunities?: readonly string[];
}

/** What a peer daemon is configured with. */
export interface PeerBgpConfig {
  asn: number;
  routerId: string;
  neighbors: readonly PeerNeighbor[];
  /** Announced from the start. */
  announce?: readonly (string | Announcement)[];
}

/** Common options of the start functions. */
export interface StartPeerOptions extends PeerBgpConfig {
  /** Network namespace the daemon runs in (created by the caller). */
  netns: string;
  /** Working directory (config, sockets, logs). Default: a fresh temp dir, removed by stop(). */
  dir?: string;
  /** Bound for the start (daemon answering). Default 20 s. */
  startTimeoutMs?: number;
}

export interface SessionInfo {
  /** The neighbor as configured: its address, or the interface for FRR interface peering. */
  neighbor: string;
  /** The daemon's own name for the state (Established, Active, Idle, Connect, OpenSent, ...). */
  state: string;
  established: boolean;
  /** Seconds since the session was established (only while established, when the daemon says). */
  uptimeSec?: number;
}

/** A route the peer RECEIVED over BGP (not the ones it originates). */
export interface ReceivedRoute {
  prefix: string;
  family: Family;
  /** The BGP next hop (for IPv6 the global one when there is one, else the link-local). */
  nextHop: string;
  /** Standard communities, "A:B" in decimal (well-known ones too, e.g. no-export = 65535:65281). */
  communities: string[];
  /** Large communities, "A:B:C". */
  largeCommunities: string[];
  localPref?: number;
  asPath: number[];
  /** The neighbor it was received from, when the daemon says. */
  from?: string;
}

export interface Peer {
  readonly kind: PeerKind;
  readonly netns: string;
  readonly asn: number;
  /** Working directory (config, logs). */
  readonly dir: string;
  sessions(): Promise<SessionInfo[]>;
  /** Routes received from the neighbors (the node), both families. */
  routes(): Promise<ReceivedRoute[]>;
  /** Start announcing (or re-announce with new attributes). Without a session reset. */
  announce(prefixes: readonly (string | Announcement)[]): Promise<void>;
  /** Stop announcing. */
  withdraw(prefixes: readonly string[]): Promise<void>;
  /** The prefixes announced now. */
  announced(): Announcement[];
  /**
   * How often each session has reached Established since the daemon started, by neighbor (as in
   * sessions()). FRR: `connectionsEstablished`; BIRD and GoBGP: counted in their logs. For
   * "no session reset" checks: compare two readings.
   */
  establishedTransitions(): Promise<Record<string, number>>;
  /** Pids of the daemon processes still running. */
  pids(): number[];
  /** Recent daemon log output, for failure messages. */
  logTail(maxBytes?: number): string;
  /** Stop the daemon(s) (bounded) and remove a temp dir the peer created. Idempotent. */
  stop(): Promise<void>;
}

export function toAnnouncement(a: string | Announcement): Announcement {
  return typeof a === "string" ? { prefix: a } : a;
}

/** The address families a neighbor exchanges. */
export function neighborFamilies(n: PeerNeighbor): Family[] {
  if (n.families !== undefined) return [...n.families];
  return n.address === undefined ? ["ipv4", "ipv6"] : [familyOf(n.address)];
}

/** The name a neighbor has in sessions() and establishedTransitions(). */
export function neighborKey(n: PeerNeighbor): string {
  const key = n.address ?? n.interface;
  if (key === undefined) throw new Error("a neighbor needs an address or an interface");
  return key;
}

/** Validate announcements: prefixes with a length, communities "A:B", large communities "A:B:C". */
export function checkAnnouncement(a: Announcement): void {
  if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(a.prefix)) throw new Error(`not a prefix: ${a.prefix}`);
  for (const c of a.communities ?? []) {
    if (!/^\d{1,5}:\d{1,5}$/.test(c)) throw new Error(`not a community A:B: ${c}`);
  }
  for (const c of a.largeCommunities ?? []) {
    if (!/^\d{1,10}:\d{1,10}:\d{1,10}$/.test(c)) throw new Error(`not a large community A:B:C: ${c}`);
  }
}

/** One line per session, for failure messages. */
export function describeSessions(sessions: readonly SessionInfo[]): string {
  return sessions.map((s) => `  ${s.neighbor}: ${s.state}`).join("\n") || "  (no sessions)";
}

/**
 * Wait until every session of `peer` (or the named ones) is Established; resolves with the
 * sessions. The rejection lists the session states and the end of the daemon's log.
 */
export async function waitForEstablished(
  peer: Peer,
  neighbors?: readonly string[],
  options: WaitOptions = {},
): Promise<SessionInfo[]> {
  let last: SessionInfo[] = [];
  return waitFor(
    `${peer.kind} peer in ${peer.netns}: sessions Established`,
    async () => {
      last = await peer.sessions();
      const wanted = neighbors ?? last.map((s) => s.neighbor);
      const ok =
        wanted.length > 0 && wanted.every((n) => last.some((s) => s.neighbor === n && s.established));
      return ok ? last : undefined;
    },
    { ...options, describe: () => `${describeSessions(last)}\nlog:\n${peer.logTail(1500)}` },
  );
}

/** Wait until `peer` has received `prefix` (and `match` holds for it); resolves with the route. */
export async function waitForReceived(
  peer: Peer,
  prefix: string,
  match: (r: ReceivedRoute) => boolean = () => true,
  options: WaitOptions = {},
): Promise<ReceivedRoute> {
  let last: ReceivedRoute[] = [];
  return waitFor(
    `${peer.kind} peer in ${peer.netns}: route ${prefix} received`,
    async () => {
      last = await peer.routes();
      return last.find((r) => r.prefix === prefix && match(r));
    },
    { ...options, describe: () => JSON.stringify(last, null, 1) },
  );
}
