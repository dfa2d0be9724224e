// Merging EVPN sections of routers in the same VRF.
import { sortedUnique } from "../collections.ts";
import type { EvpnModel, L3VniModel, Origin, VniModel } from "../model.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";
import { fieldAt, mergeField } from "./field.ts";

function mergeRouteTargets(
  field: "importRTs" | "exportRTs",
  kept: VniModel,
  incoming: VniModel,
  reporter: Reporter,
): string[] | undefined {
  const key = field === "importRTs" ? "importRts" : "exportRts";
  const [a, b] = [kept[key], incoming[key]];
  if (a.length > 0 !== b.length > 0) {
    const kind = field === "importRTs" ? "import" : "export";
    const other = fieldAt(kept.origin, field);
    reporter.conflict(
      "EVPN_ROUTE_TARGETS_MIXED",
      fieldAt(incoming.origin, field),
      other,
      `conflicting ${kind} route targets for vni ${kept.vni}: mixing implicit and explicit route targets (the other side is in ${describeObject(other.object)} at ${other.path})`,
    );
    return undefined;
  }
  return sortedUnique([...a, ...b]);
}

/** Same VNI from two places: RD unset yields, route targets union (but never implicit + explicit). */
export function mergeVni<T extends VniModel>(kept: T, incoming: T, reporter: Reporter): T | undefined {
  const rd = mergeField(
    { code: "EVPN_RD_CONFLICT", what: "RD values", show: String },
    { value: kept.rd, origin: fieldAt(kept.origin, "rd") },
    { value: incoming.rd, origin: fieldAt(incoming.origin, "rd") },
    reporter,
    `vni ${kept.vni}`,
  );
  const importRts = mergeRouteTargets("importRTs", kept, incoming, reporter);
  const exportRts = mergeRouteTargets("exportRTs", kept, incoming, reporter);
  if (!importRts || !exportRts) return undefined;
  return { ...kept, ...(rd.value !== undefined && { rd: rd.value }), importRts, exportRts };
}

function mergeL3vni(kept: EvpnModel, incoming: EvpnModel, reporter: Reporter): L3VniModel | undefined {
  const a = kept.l3vni;
  const b = incoming.l3vni;
  if (!a || !b) return a ?? b;
  if (a.vni !== b.vni) {
    const other = fieldAt(a.origin, "vni");
    reporter.conflict(
      "EVPN_L3VNI_CONFLICT",
      fieldAt(b.origin, "vni"),
      other,
      `different l3vni numbers (${b.vni} here, ${a.vni} in ${describeObject(other.object)})`,
    );
    return a;
  }
  const merged = mergeVni(a, b, reporter) ?? a;
  return { ...merged, advertisePrefixes: sortedUnique([...a.advertisePrefixes, ...b.advertisePrefixes]) };
}

function mergeL2vnis(kept: EvpnModel, incoming: EvpnModel, reporter: Reporter): VniModel[] {
  const byVni = new Map(kept.l2vnis.map((v) => [v.vni, v]));
  for (const vni of incoming.l2vnis) {
    const existing = byVni.get(vni.vni);
    byVni.set(vni.vni, existing ? (mergeVni(existing, vni, reporter) ?? existing) : vni);
  }
  return [...byVni.values()].sort((x, y) => x.vni - y.vni);
}

export function mergeEvpn(
  kept: EvpnModel | undefined,
  incoming: EvpnModel | undefined,
  reporter: Reporter,
  vrf: string,
): EvpnModel | undefined {
  if (!kept || !incoming) return kept ?? incoming;
  const subject = `the EVPN configuration of vrf "${vrf}"`;
  const at = incoming.origins.evpn as Origin;
  const other = kept.origins.evpn as Origin;
  const vnis = mergeField(
    { code: "EVPN_ADVERTISE_VNIS_CONFLICT", what: "advertiseVNIs values", show: String },
    { value: kept.advertiseVnis, origin: kept.origins.advertiseVNIs ?? fieldAt(other, "advertiseVNIs") },
    { value: incoming.advertiseVnis, origin: fieldAt(at, "advertiseVNIs") },
    reporter,
    subject,
  );
  const svi = mergeField(
    { code: "EVPN_ADVERTISE_SVI_CONFLICT", what: "advertiseSVI values", show: String },
    { value: kept.advertiseSvi, origin: kept.origins.advertiseSVI ?? fieldAt(other, "advertiseSVI") },
    { value: incoming.advertiseSvi, origin: fieldAt(at, "advertiseSVI") },
    reporter,
    subject,
  );
  const l3vni = mergeL3vni(kept, incoming, reporter);
  return {
    ...(vnis.value !== undefined && { advertiseVnis: vnis.value }),
    ...(svi.value !== undefined && { advertiseSvi: svi.value }),
    l2vnis: mergeL2vnis(kept, incoming, reporter),
    ...(l3vni && { l3vni }),
    origins: { ...kept.origins, advertiseVNIs: vnis.origin, advertiseSVI: svi.origin },
  };
}
