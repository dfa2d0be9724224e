// Merging two contributions to the same neighbor (same ID): within one router or across configs.
import { sortedUnique } from "../collections.ts";
import type {
  IncomingModel,
  NeighborModel,
  Origin,
  OutgoingModel,
  PrefixSelectorModel,
  PropertyList,
} from "../model.ts";
import { child } from "../path.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";
import { mergeField, type FieldRule } from "./field.ts";

const seconds = (ms: number): string => `${ms / 1000}s`;

type ScalarKey =
  "port" | "password" | "sourceAddress" | "bfdProfile" | "ebgpMultiHop" | "gracefulRestart" | "localAsn";

const SCALAR_RULES: { key: ScalarKey; rule: FieldRule<string | number | boolean> }[] = [
  { key: "port", rule: { field: "port", code: "NEIGHBOR_PORT_CONFLICT", what: "ports", show: String } },
  { key: "password", rule: { field: "password", code: "NEIGHBOR_PASSWORD_CONFLICT", what: "passwords" } },
  {
    key: "sourceAddress",
    rule: {
      field: "sourceaddress",
      code: "NEIGHBOR_SOURCE_ADDRESS_CONFLICT",
      what: "source addresses",
      show: String,
    },
  },
  {
    key: "bfdProfile",
    rule: { field: "bfdProfile", code: "NEIGHBOR_BFD_PROFILE_CONFLICT", what: "bfd profiles", show: String },
  },
  {
    key: "ebgpMultiHop",
    rule: {
      field: "ebgpMultiHop",
      code: "NEIGHBOR_EBGP_MULTIHOP_CONFLICT",
      what: "ebgpMultiHop values",
      show: String,
    },
  },
  {
    key: "gracefulRestart",
    rule: {
      field: "enableGracefulRestart",
      code: "NEIGHBOR_GRACEFUL_RESTART_CONFLICT",
      what: "enableGracefulRestart values",
      show: String,
    },
  },
  {
    key: "localAsn",
    rule: { field: "localASN", code: "NEIGHBOR_LOCAL_ASN_CONFLICT", what: "localASNs", show: String },
  },
];

const TIMER_RULES = [
  {
    key: "holdTime",
    rule: { field: "holdTime", code: "NEIGHBOR_HOLD_TIME_CONFLICT", what: "hold times", show: seconds },
  },
  {
    key: "keepaliveTime",
    rule: {
      field: "keepaliveTime",
      code: "NEIGHBOR_KEEPALIVE_TIME_CONFLICT",
      what: "keepalive times",
      show: seconds,
    },
  },
  {
    key: "connectTime",
    rule: {
      field: "connectTime",
      code: "NEIGHBOR_CONNECT_TIME_CONFLICT",
      what: "connect times",
      show: seconds,
    },
  },
] as const;

function originOf(n: NeighborModel, field: string): Origin {
  return n.origins[field] ?? (n.origins.neighbor as Origin);
}

/** Fields that identify the session must be equal on both sides. */
function identityMatches(kept: NeighborModel, incoming: NeighborModel, reporter: Reporter): boolean {
  const at = originOf(incoming, "neighbor");
  const other = originOf(kept, "neighbor");
  const where = `${describeObject(other.object)} at ${other.path}`;
  if (kept.asn !== incoming.asn) {
    const o = { object: other.object, path: child(other.path, "asn") };
    reporter.conflict(
      "NEIGHBOR_ASN_CONFLICT",
      { object: at.object, path: child(at.path, "asn") },
      o,
      `multiple asns specified for ${kept.id}: ${incoming.asn} here, ${kept.asn} in ${where}`,
    );
    return false;
  }
  if (kept.family !== incoming.family) {
    reporter.conflict(
      "NEIGHBOR_FAMILY_CONFLICT",
      { object: at.object, path: child(at.path, "dualStackAddressFamily") },
      other,
      `conflicting address families for ${kept.id}: ${incoming.family} here, ${kept.family} in ${where}`,
    );
    return false;
  }
  return true;
}

function mergeScalars(kept: NeighborModel, incoming: NeighborModel, reporter: Reporter): NeighborModel {
  const merged: NeighborModel = { ...kept, origins: { ...kept.origins }, timers: { ...kept.timers } };
  for (const { key, rule } of SCALAR_RULES) {
    const result = mergeField(
      rule,
      { value: kept[key], origin: originOf(kept, key) },
      { value: incoming[key], origin: originOf(incoming, key) },
      reporter,
      kept.id,
    );
    if (result.value !== undefined) Object.assign(merged, { [key]: result.value });
    merged.origins[key] = result.origin;
  }
  for (const { key, rule } of TIMER_RULES) {
    const result = mergeField<number>(
      rule,
      { value: kept.timers[key], origin: originOf(kept, key) },
      { value: incoming.timers[key], origin: originOf(incoming, key) },
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
  const keptPrefs = new Map<string, number>();
  for (const l of kept.outgoing.properties)
    if (l.action.kind === "localPref") for (const p of l.prefixes) keptPrefs.set(p, l.action.value);
  for (const l of incoming.outgoing.properties) {
    if (l.action.kind !== "localPref") continue;
    for (const p of l.prefixes) {
      const previous = keptPrefs.get(p);
      if (previous === undefined || previous === l.action.value) continue;
      const at = {
        object: originOf(incoming, "neighbor").object,
        path: child(originOf(incoming, "neighbor").path, "toAdvertise.withLocalPref"),
      };
      const other = {
        object: originOf(kept, "neighbor").object,
        path: child(originOf(kept, "neighbor").path, "toAdvertise.withLocalPref"),
      };
      reporter.conflict(
        "LOCAL_PREF_CONFLICT",
        at,
        other,
        `multiple local prefs (${l.action.value} != ${previous}) specified for prefix ${p} of neighbor ${kept.id}, the other in ${describeObject(other.object)}`,
      );
    }
  }
}

function mergeOutgoing(kept: NeighborModel, incoming: NeighborModel, reporter: Reporter): OutgoingModel {
  localPrefConflicts(kept, incoming, reporter);
  const next = (family: "Ipv4" | "Ipv6"): string | undefined => {
    const key = `nextHop${family}` as const;
    const rule: FieldRule<string> = {
      field: `toAdvertise.nextHop.${family.toLowerCase()}`,
      code: "NEXT_HOP_CONFLICT",
      what: `${family.toLowerCase()} next hops`,
      show: String,
    };
    return mergeField(
      rule,
      { value: kept.outgoing[key], origin: originOf(kept, "neighbor") },
      { value: incoming.outgoing[key], origin: originOf(incoming, "neighbor") },
      reporter,
      kept.id,
    ).value;
  };
  const v4 = next("Ipv4");
  const v6 = next("Ipv6");
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
    outgoing: mergeOutgoing(kept, incoming, reporter),
    incoming: mergeIncoming(kept.incoming, incoming.incoming),
  };
}
