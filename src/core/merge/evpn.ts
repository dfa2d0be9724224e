// Merging EVPN sections of routers in the same VRF.
import { sortedUnique } from "../collections.ts";
import type { EvpnModel, L3VniModel, Origin, VniModel } from "../model.ts";
import { child } from "../path.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";
import { mergeField } from "./field.ts";

interface Sides {
  at: Origin;
  other: Origin;
  reporter: Reporter;
}

function mergeRouteTargets(
  kind: "import" | "export",
  kept: string[],
  incoming: string[],
  sides: Sides,
): string[] | undefined {
  const { at, other, reporter } = sides;
  if (kept.length > 0 !== incoming.length > 0) {
    const field = kind === "import" ? "importRTs" : "exportRTs";
    reporter.conflict(
      "EVPN_ROUTE_TARGETS_MIXED",
      { object: at.object, path: child(at.path, field) },
      { object: other.object, path: child(other.path, field) },
      `conflicting ${kind} route targets: mixing implicit and explicit route targets (the other side is in ${describeObject(other.object)} at ${other.path})`,
    );
    return undefined;
  }
  return sortedUnique([...kept, ...incoming]);
}

/** Same VNI from two places: RD unset yields, route targets union (but never implicit + explicit). */
export function mergeVni<T extends VniModel>(
  kept: T,
  incoming: T,
  at: Origin,
  other: Origin,
  reporter: Reporter,
): T | undefined {
  const rd = mergeField(
    { field: "rd", code: "EVPN_RD_CONFLICT", what: `RD values for vni ${kept.vni}`, show: String },
    { value: kept.rd, origin: other },
    { value: incoming.rd, origin: at },
    reporter,
    `vni ${kept.vni}`,
  );
  const sides = { at, other, reporter };
  const importRts = mergeRouteTargets("import", kept.importRts, incoming.importRts, sides);
  const exportRts = mergeRouteTargets("export", kept.exportRts, incoming.exportRts, sides);
  if (!importRts || !exportRts) return undefined;
  return { ...kept, ...(rd.value !== undefined && { rd: rd.value }), importRts, exportRts };
}

function mergeL3vni(kept: EvpnModel, incoming: EvpnModel, reporter: Reporter): L3VniModel | undefined {
  const a = kept.l3vni;
  const b = incoming.l3vni;
  if (!a || !b) return a ?? b;
  const at = incoming.origins.l3vni as Origin;
  const other = kept.origins.l3vni as Origin;
  if (a.vni !== b.vni) {
    reporter.conflict(
      "EVPN_L3VNI_CONFLICT",
      { object: at.object, path: child(at.path, "vni") },
      { object: other.object, path: child(other.path, "vni") },
      `different l3vni numbers (${b.vni} here, ${a.vni} in ${describeObject(other.object)})`,
    );
    return a;
  }
  const merged = mergeVni(a, b, at, other, reporter) ?? a;
  return { ...merged, advertisePrefixes: sortedUnique([...a.advertisePrefixes, ...b.advertisePrefixes]) };
}

function mergeL2vnis(kept: EvpnModel, incoming: EvpnModel, reporter: Reporter): VniModel[] {
  const byVni = new Map(kept.l2vnis.map((v) => [v.vni, v]));
  const at = incoming.origins.evpn as Origin;
  const other = kept.origins.evpn as Origin;
  for (const vni of incoming.l2vnis) {
    const existing = byVni.get(vni.vni);
    byVni.set(vni.vni, existing ? (mergeVni(existing, vni, at, other, reporter) ?? existing) : vni);
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
    {
      field: "advertiseVNIs",
      code: "EVPN_ADVERTISE_VNIS_CONFLICT",
      what: "advertiseVNIs values",
      show: String,
    },
    { value: kept.advertiseVnis, origin: other },
    { value: incoming.advertiseVnis, origin: at },
    reporter,
    subject,
  );
  const svi = mergeField(
    { field: "advertiseSVI", code: "EVPN_ADVERTISE_SVI_CONFLICT", what: "advertiseSVI values", show: String },
    { value: kept.advertiseSvi, origin: other },
    { value: incoming.advertiseSvi, origin: at },
    reporter,
    subject,
  );
  const l3vni = mergeL3vni(kept, incoming, reporter);
  return {
    ...(vnis.value !== undefined && { advertiseVnis: vnis.value }),
    ...(svi.value !== undefined && { advertiseSvi: svi.value }),
    l2vnis: mergeL2vnis(kept, incoming, reporter),
    ...(l3vni && { l3vni }),
    origins: { ...incoming.origins, ...kept.origins },
  };
}
