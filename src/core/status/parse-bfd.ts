// BFD peer state from FRR 8.4's vtysh JSON. Pure; never throws: malformed input gives an empty or
// partial result. Shapes (checked on FRR 8.4.4, fixtures in test/fixtures/frr-json/):
//
//   show bfd [vrf <v>] peers json            [{"multihop": false, "peer": "192.0.2.2", "local": ...,
//                                              "vrf": "default", "interface": "eth0", "status": "up", ...}]
//   show bfd [vrf <v>] peers counters json   [{... same keys ..., "control-packet-input": 56, ...}]
//
// Without `vrf <v>` bfdd lists the peers of every VRF. The peer list is authoritative: counters are
// joined to it by (multihop, vrf, peer, local, interface), and a peer without counters gets zeros.
import {
  canonicalPeer,
  compareText,
  count,
  isRecord,
  optionalString,
  parseJsonText,
  portVrf,
} from "./json.ts";
import type { JsonRecord } from "./json.ts";
import type { BfdCounters, BfdPeerStatus } from "./types.ts";

/** `show bfd peers json` and `show bfd peers counters json` texts → the peers, sorted by VRF, then peer. */
export function parseBfdPeers(peersText: string, countersText: string): BfdPeerStatus[] {
  return bfdPeersFromJson(parseJsonText(peersText), parseJsonText(countersText));
}

/** Same, from the already parsed JSON. */
export function bfdPeersFromJson(peers: unknown, counters: unknown): BfdPeerStatus[] {
  if (!Array.isArray(peers)) return [];
  const countersByKey = new Map<string, JsonRecord>();
  if (Array.isArray(counters)) {
    for (const c of counters as unknown[]) {
      const key = isRecord(c) ? sessionKey(c) : undefined;
      if (key !== undefined && isRecord(c)) countersByKey.set(key, c);
    }
  }
  const result: BfdPeerStatus[] = [];
  for (const p of peers as unknown[]) {
    if (!isRecord(p)) continue;
    const key = sessionKey(p);
    const peer = optionalString(p.peer);
    if (key === undefined || peer === undefined) continue;
    result.push({
      vrf: portVrf(optionalString(p.vrf) ?? "default"),
      peer: canonicalPeer(peer),
      status: optionalString(p.status) ?? "unknown",
      counters: countersFrom(countersByKey.get(key)),
    });
  }
  return result.sort((a, b) => compareText(a.vrf, b.vrf) || compareText(a.peer, b.peer));
}

/** What identifies one BFD session in both listings; undefined without a peer address. */
function sessionKey(entry: JsonRecord): string | undefined {
  const peer = optionalString(entry.peer);
  if (peer === undefined) return undefined;
  const parts = [
    entry.multihop === true ? "multihop" : "singlehop",
    optionalString(entry.vrf) ?? "default",
    canonicalPeer(peer),
    optionalString(entry.local) ?? "",
    optionalString(entry.interface) ?? "",
  ];
  return parts.join("|");
}

function countersFrom(c: JsonRecord | undefined): BfdCounters {
  const s: JsonRecord = c ?? {};
  return {
    controlPacketInput: count(s["control-packet-input"]),
    controlPacketOutput: count(s["control-packet-output"]),
    echoPacketInput: count(s["echo-packet-input"]),
    echoPacketOutput: count(s["echo-packet-output"]),
    sessionUpEvents: count(s["session-up"]),
    sessionDownEvents: count(s["session-down"]),
    zebraNotifications: count(s["zebra-notifications"]),
  };
}
