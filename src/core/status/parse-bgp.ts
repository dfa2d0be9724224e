// BGP session state from FRR 8.4's vtysh JSON. Pure; never throws: malformed input gives an empty
// or partial result. Shapes (checked on FRR 8.4.4, fixtures in test/fixtures/frr-json/):
//
//   show bgp vrf all neighbors json   {"default": {"vrfId": 0, "vrfName": "default", "<peer>": {...}}, "red": {...}}
//   show bgp vrf <v> neighbors json   {"<peer>": {...}}                       (one VRF, no VRF level)
//   show bgp vrf all json             {"default": {"vrfId": 0, "routerId": ..., "routes": ...}, ...}
//
// A peer key is an address or an interface name (unnumbered). A neighbor is an object with a string
// `bgpState`; the scalar siblings (vrfId, vrfName) and anything else are skipped.
import {
  canonicalPeer,
  compareText,
  count,
  isRecord,
  optionalNumber,
  optionalString,
  parseJsonText,
  portVrf,
  type JsonRecord,
} from "./json.ts";
import type { BgpMessageCounters, BgpSessionStatus } from "./types.ts";

/** `show bgp vrf all neighbors json` text → every session of every VRF, sorted by VRF, then peer. */
export function parseBgpVrfAllNeighbors(text: string): BgpSessionStatus[] {
  return bgpSessionsFromVrfAll(parseJsonText(text));
}

/** Same, from the already parsed JSON. */
export function bgpSessionsFromVrfAll(json: unknown): BgpSessionStatus[] {
  if (!isRecord(json)) return [];
  const sessions: BgpSessionStatus[] = [];
  for (const [vrfName, vrf] of Object.entries(json)) {
    if (isRecord(vrf)) sessions.push(...sessionsOfVrf(vrf, portVrf(vrfName)));
  }
  return sortSessions(sessions);
}

/** `show bgp vrf <vrf> neighbors json` text (FRR's VRF name, "default" allowed) → its sessions. */
export function parseBgpNeighbors(text: string, vrf: string): BgpSessionStatus[] {
  return bgpSessionsFromNeighbors(parseJsonText(text), vrf);
}

export function bgpSessionsFromNeighbors(json: unknown, vrf: string): BgpSessionStatus[] {
  return isRecord(json) ? sortSessions(sessionsOfVrf(json, portVrf(vrf))) : [];
}

/** `show bgp vrf all json` text → FRR's VRF names ("default" included), sorted. */
export function parseBgpVrfNames(text: string): string[] {
  const json = parseJsonText(text);
  if (!isRecord(json)) return [];
  return Object.entries(json)
    .filter(([, v]) => isRecord(v))
    .map(([name]) => name)
    .sort(compareText);
}

function sessionsOfVrf(vrf: JsonRecord, portVrfName: string): BgpSessionStatus[] {
  const sessions: BgpSessionStatus[] = [];
  for (const [key, value] of Object.entries(vrf)) {
    if (!isRecord(value)) continue;
    const session = sessionFrom(key, value, portVrfName);
    if (session !== undefined) sessions.push(session);
  }
  return sessions;
}

function sessionFrom(key: string, n: JsonRecord, vrf: string): BgpSessionStatus | undefined {
  const bgpState = optionalString(n.bgpState);
  if (bgpState === undefined) return undefined;
  const bfd = isRecord(n.peerBfdInfo) ? optionalString(n.peerBfdInfo.status) : undefined;
  const remoteAs = asNumber(n.remoteAs);
  const localAs = asNumber(n.localAs);
  const uptimeMs = uptimeOf(n, bgpState);
  const prefixes = prefixCounts(n.addressFamilyInfo);
  return {
    vrf,
    peer: canonicalPeer(key),
    bgpState,
    bfdStatus: bfd ?? "N/A",
    ...(remoteAs !== undefined && { remoteAs }),
    ...(localAs !== undefined && { localAs }),
    ...(uptimeMs !== undefined && { uptimeMs }),
    prefixesSent: prefixes.sent,
    prefixesReceived: prefixes.received,
    messages: messageCounters(n.messageStats),
  };
}

/** An AS number; FRR prints 0 while it does not know it (`remote-as external` before the OPEN). */
function asNumber(value: unknown): number | undefined {
  const n = optionalNumber(value);
  return n === undefined || n <= 0 ? undefined : n;
}

/**
 * Time in the current state: `bgpTimerUpMsec` when Established (FRR only prints it then);
 * otherwise `lastResetTimerMsecs`, the time since the session was last reset (went down).
 */
function uptimeOf(n: JsonRecord, bgpState: string): number | undefined {
  const value = bgpState === "Established" ? n.bgpTimerUpMsec : n.lastResetTimerMsecs;
  const ms = optionalNumber(value);
  return ms === undefined || ms < 0 ? undefined : ms;
}

/** Sums over the address families (`addressFamilyInfo.<afi>.sentPrefixCounter / acceptedPrefixCounter`). */
function prefixCounts(families: unknown): { sent: number; received: number } {
  let sent = 0;
  let received = 0;
  if (isRecord(families)) {
    for (const family of Object.values(families)) {
      if (!isRecord(family)) continue;
      sent += count(family.sentPrefixCounter);
      received += count(family.acceptedPrefixCounter);
    }
  }
  return { sent, received };
}

function messageCounters(stats: unknown): BgpMessageCounters {
  const s: JsonRecord = isRecord(stats) ? stats : {};
  return {
    opensSent: count(s.opensSent),
    opensReceived: count(s.opensRecv),
    notificationsSent: count(s.notificationsSent),
    updatesSent: count(s.updatesSent),
    updatesReceived: count(s.updatesRecv),
    keepalivesSent: count(s.keepalivesSent),
    keepalivesReceived: count(s.keepalivesRecv),
    routeRefreshSent: count(s.routeRefreshSent),
    totalSent: count(s.totalSent),
    totalReceived: count(s.totalRecv),
  };
}

function sortSessions(sessions: BgpSessionStatus[]): BgpSessionStatus[] {
  return sessions.sort((a, b) => compareText(a.vrf, b.vrf) || compareText(a.peer, b.peer));
}
