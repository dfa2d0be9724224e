// Merging two contributions to the same neighbor (same ID): within one router or across configs.
import { sortedUnique } from "../collections.ts";
import type {
  IncomingModel,
  NeighborModel,
  Origin,
  OutgoingModel,
  PrefixSelectorModel,
  PropertyList,
  TimersModel,
} from "../model.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";
import { fieldAt, mergeField, type FieldRule, type FieldSide } from "./field.ts";

const seconds = (ms: number): string => `${ms / 1000}s`;

type ScalarKey =
  "port" | "password" | "sourceAddress" | "bfdProfile" | "ebgpMultiHop" | "gracefulRestart" | "localAsn";

interface Rule<K, T> {
  key: K;
  /** The API field, for paths. */
  field: string;
  rule: FieldRule<T>;
}

const rule = <K, T>(
  key: K,
  field: string,
  what: string,
  code: FieldRule<T>["code"],
  show?: (v: T) => string,
): Rule<K, T> => ({
  key,
  field,
  rule: { code, what, ...(show && { show }) },
});

const SCALAR_RULES: Rule<ScalarKey, string | number | boolean>[] = [
  rule("port", "port", "ports", "NEIGHBOR_PORT_CONFLICT", String),
  rule("password", "password", "passwords", "NEIGHBOR_PASSWORD_CONFLICT"),
  rule("sourceAddress", "sourceaddress", "source addresses", "NEIGHBOR_SOURCE_ADDRESS_CONFLICT", String),
  rule("bfdProfile", "bfdProfile", "bfd profiles", "NEIGHBOR_BFD_PROFILE_CONFLICT", String),
  rule("ebgpMultiHop", "ebgpMultiHop", "ebgpMultiHop values", "NEIGHBOR_EBGP_MULTIHOP_CONFLICT", String),
  rule(
    "gracefulRestart",
    "enableGracefulRestart",
    "enableGracefulRestart values",
    "NEIGHBOR_GRACEFUL_RESTART_CONFLICT",
    String,
  ),
  rule("localAsn", "localASN", "localASNs", "NEIGHBOR_LOCAL_ASN_CONFLICT", String),
];

const TIMER_RULES: Rule<keyof TimersModel, number>[] = [
  rule("holdTime", "holdTime", "hold times", "NEIGHBOR_HOLD_TIME_CONFLICT", seconds),
  rule("keepaliveTime", "keepaliveTime", "keepalive times", "NEIGHBOR_KEEPALIVE_TIME_CONFLICT", seconds),
  rule("connectTime", "connectTime", "connect times", "NEIGHBOR_CONNECT_TIME_CONFLICT", seconds),
];

function neighborOrigin(n: NeighborModel): Origin {
  return n.origins.neighbor as Origin;
}

/** A field of the neighbor with the place that set it (or would have). */
function side<T>(n: NeighborModel, key: string, value: T | undefined, field: string): FieldSide<T> {
  return { value, origin: n.origins[key] ?? fieldAt(neighborOrigin(n), field) };
}

const asnField = (n: NeighborModel): string =>
  n.asn === "internal" || n.asn === "external" ? "dynamicASN" : "asn";

/** Fields that identify the session must be equal on both sides. */
function identityMatches(kept: NeighborModel, incoming: NeighborModel, reporter: Reporter): boolean {
  const where = `${describeObject(neighborOrigin(kept).object)} at ${neighborOrigin(kept).path}`;
  if (kept.asn !== incoming.asn) {
    reporter.conflict(
      "NEIGHBOR_ASN_CONFLICT",
      fieldAt(neighborOrigin(incoming), asnField(incoming)),
      fieldAt(neighborOrigin(kept), asnField(kept)),
      `multiple asns specified for ${kept.id}: ${incoming.asn} here, ${kept.asn} in ${where}`,
    );
    return false;
  }
  if (kept.family !== incoming.family) {
    reporter.conflict(
      "NEIGHBOR_FAMILY_CONFLICT",
      fieldAt(neighborOrigin(incoming), "dualStackAddressFamily"),
      fieldAt(neighborOrigin(kept), "dualStackAddressFamily"),
      `conflicting address families for ${kept.id}: ${incoming.family} here, ${kept.family} in ${where}`,
    );
    return false;
  }
  return true;
}

function mergeScalars(kept: NeighborModel, incoming: NeighborModel, reporter: Reporter): NeighborModel {
  const merged: NeighborModel = { ...kept, origins: { ...kept.origins }, timers: { ...kept.timers } };
  for (const { key, field, rule } of SCALAR_RULES) {
    const result = mergeField(
      rule,
      side(kept, key, kept[key], field),
      side(incoming, key, incoming[key], field),
      reporter,
      kept.id,
    );
    if (result.value !== undefined) Object.assign(merged, { [key]: result.value });
    merged.origins[key] = result.origin;
  }
  for (const { key, field, rule } of TIMER_RULES) {
    const result = mergeField<number>(
      rule,
      side(kept, key, kept.timers[key], field),
      side(incoming, key, incoming.timers[key], field),
      reporter,
      kept.id,
    );
    if (result.value !== undefined) merged.timers[key] = result.value;
    merged.origins[key] = result.origin;
  }
  return merged;
}

function propertyKey(list: PropertyList): string {
  return `${list.action.kind === "localPref" ? `lp:${list.action.value}` : `c:${list.action.key}`}|${list.family}`;
}

function mergeProperties(kept: readonly PropertyList[], incoming: readonly PropertyList[]): PropertyList[] {
  const byKey = new Map<string, PropertyList>();
  for (const list of [...kept, ...incoming]) {
    const existing = byKey.get(propertyKey(list));
    byKey.set(
      propertyKey(list),
      existing ? { ...existing, prefixes: sortedUnique([...existing.prefixes, ...list.prefixes]) } : list,
    );
  }
  return [...byKey.values()];
}

function localPrefConflicts(kept: NeighborModel, incoming: NeighborModel, reporter: Reporter): void {
  const keptPrefs = new Map<string, PropertyList>();
  for (const list of kept.outgoing.properties) {
    if (list.action.kind === "localPref") for (const p of list.prefixes) keptPrefs.set(p, list);
  }
  for (const list of incoming.outgoing.properties) {
    if (list.action.kind !== "localPref") continue;
    for (const p of list.prefixes) {
      const previous = keptPrefs.get(p);
      if (previous?.action.kind !== "localPref" || previous.action.value === list.action.value) continue;
      const other = fieldAt(previous.origin, "localPref");
      reporter.conflict(
        "LOCAL_PREF_CONFLICT",
        fieldAt(list.origin, "localPref"),
        other,
        `multiple local prefs (${list.action.value} here, ${previous.action.value} in ${describeObject(other.object)}) specified for prefix ${p} of neighbor ${kept.id}`,
      );
    }
  }
}

interface Merging {
  kept: NeighborModel;
  incoming: NeighborModel;
  reporter: Reporter;
  /** Where the merged neighbor's fields come from, updated as fields merge. */
  origins: Record<string, Origin>;
}

function mergeNextHop(m: Merging, family: "ipv4" | "ipv6"): string | undefined {
  const key = family === "ipv4" ? "nextHopIpv4" : "nextHopIpv6";
  const field = `toAdvertise.nextHop.${family}`;
  const what: FieldRule<string> = { code: "NEXT_HOP_CONFLICT", what: `${family} next hops`, show: String };
  const kept = side(m.kept, key, m.kept.outgoing[key], field);
  const result = mergeField(
    what,
    kept,
    side(m.incoming, key, m.incoming.outgoing[key], field),
    m.reporter,
    m.kept.id,
  );
  m.origins[key] = result.origin;
  return result.value;
}

function mergeOutgoing(m: Merging): OutgoingModel {
  const { kept, incoming } = m;
  localPrefConflicts(kept, incoming, m.reporter);
  const v4 = mergeNextHop(m, "ipv4");
  const v6 = mergeNextHop(m, "ipv6");
  return {
    ipv4: sortedUnique([...kept.outgoing.ipv4, ...incoming.outgoing.ipv4]),
    ipv6: sortedUnique([...kept.outgoing.ipv6, ...incoming.outgoing.ipv6]),
    ...(v4 !== undefined && { nextHopIpv4: v4 }),
    ...(v6 !== undefined && { nextHopIpv6: v6 }),
    properties: mergeProperties(kept.outgoing.properties, incoming.outgoing.properties),
  };
}

export function selectorKey(s: PrefixSelectorModel): string {
  return `${s.prefix}|${s.le ?? ""}|${s.ge ?? ""}`;
}

function uniqueSelectors(list: readonly PrefixSelectorModel[]): PrefixSelectorModel[] {
  return [...new Map(list.map((s) => [selectorKey(s), s])).values()];
}

/** Receive-all dominates; otherwise filters are unioned. */
function mergeIncoming(kept: IncomingModel, incoming: IncomingModel): IncomingModel {
  if (kept.all || incoming.all) return { all: true, ipv4: [], ipv6: [] };
  return {
    all: false,
    ipv4: uniqueSelectors([...kept.ipv4, ...incoming.ipv4]),
    ipv6: uniqueSelectors([...kept.ipv6, ...incoming.ipv6]),
  };
}

export function mergeNeighbors(
  kept: NeighborModel,
  incoming: NeighborModel,
  reporter: Reporter,
): NeighborModel {
  if (!identityMatches(kept, incoming, reporter)) return kept;
  const merged = mergeScalars(kept, incoming, reporter);
  return {
    ...merged,
    addressFamilies: sortedUnique([...kept.addressFamilies, ...incoming.addressFamilies]),
    outgoing: mergeOutgoing({ kept, incoming, reporter, origins: merged.origins }),
    incoming: mergeIncoming(kept.incoming, incoming.incoming),
  };
}
