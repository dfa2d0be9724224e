// BGPSessionState objects as upstream writes them (§1.3, §5.5), and the smallest set of writes that
// brings the existing objects to the sessions FRR reports. Pure: the writer does the I/O.
import { expandIpv6, parseIpv6 } from "../../core/ip.ts";
import type { SessionState } from "../../ports/frr.ts";
import type { KubeObject } from "./objects.ts";

export const LABEL_NODE = "frrk8s.metallb.io/node";
export const LABEL_PEER = "frrk8s.metallb.io/peer";
export const LABEL_VRF = "frrk8s.metallb.io/vrf";

export interface SessionStateStatus {
  node: string;
  peer: string;
  vrf: string;
  bgpStatus: string;
  bfdStatus: string;
}

export interface SessionStateObject extends KubeObject {
  status?: Partial<SessionStateStatus>;
}

/** An IPv4 address or interface name verbatim; IPv6 fully expanded, `:` written `-` (a label value). */
export function peerLabel(peer: string): string {
  if (!peer.includes(":")) return peer;
  const bytes = parseIpv6(peer);
  return bytes === undefined ? peer : expandIpv6({ family: "ipv6", bytes }).replaceAll(":", "-");
}

export function desiredStatus(node: string, session: SessionState): SessionStateStatus {
  return {
    node,
    peer: peerLabel(session.peer),
    vrf: session.vrf,
    bgpStatus: session.bgpState,
    bfdStatus: session.bfdStatus === "" ? "N/A" : session.bfdStatus,
  };
}

export function sessionLabels(status: SessionStateStatus): Record<string, string> {
  return { [LABEL_NODE]: status.node, [LABEL_PEER]: status.peer, [LABEL_VRF]: status.vrf };
}

export interface SessionStatePlan {
  create: SessionStateStatus[];
  /** Existing objects whose labels or status differ: patched to `status`. */
  update: { name: string; status: SessionStateStatus }[];
  /** Names of objects that match no session, or duplicates of one that does. */
  remove: string[];
}

const keyOf = (vrf: string, peer: string): string => `${vrf}\0${peer}`;

function sameStatus(object: SessionStateObject, want: SessionStateStatus): boolean {
  const have = object.status ?? {};
  const labels = object.metadata?.labels ?? {};
  const fields = ["node", "peer", "vrf", "bgpStatus", "bfdStatus"] as const;
  return (
    fields.every((f) => have[f] === want[f]) &&
    Object.entries(sessionLabels(want)).every(([k, v]) => labels[k] === v)
  );
}

/**
 * Existing objects are matched to sessions by their vrf and peer labels (upstream's grouping);
 * the oldest name wins when two objects claim the same session.
 */
export function planSessionStates(
  node: string,
  sessions: readonly SessionState[],
  existing: readonly SessionStateObject[],
): SessionStatePlan {
  const byKey = new Map<string, SessionStateObject>();
  const remove: string[] = [];
  const sorted = [...existing].sort((a, b) => age(a).localeCompare(age(b)));
  for (const object of sorted) {
    const labels = object.metadata?.labels ?? {};
    const key = keyOf(labels[LABEL_VRF] ?? "", labels[LABEL_PEER] ?? "");
    if (byKey.has(key)) remove.push(object.metadata?.name ?? "");
    else byKey.set(key, object);
  }
  const plan: SessionStatePlan = { create: [], update: [], remove };
  const wanted = new Set<string>();
  for (const session of sessions) {
    const want = desiredStatus(node, session);
    const key = keyOf(want.vrf, want.peer);
    if (wanted.has(key)) continue;
    wanted.add(key);
    const have = byKey.get(key);
    if (have === undefined) plan.create.push(want);
    else if (!sameStatus(have, want)) plan.update.push({ name: have.metadata?.name ?? "", status: want });
  }
  for (const [key, object] of byKey) if (!wanted.has(key)) plan.remove.push(object.metadata?.name ?? "");
  return plan;
}

/** Creation time, then name: a stable order to pick the survivor among duplicates. */
function age(object: SessionStateObject): string {
  return `${object.metadata?.creationTimestamp ?? ""}\0${object.metadata?.name ?? ""}`;
}
