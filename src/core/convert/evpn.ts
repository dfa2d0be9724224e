// routers[].evpn → EvpnModel. Duplicate L2VNIs inside one configuration merge like across configs.
import type { EVPNConfig, L2VNI, VNIProperties } from "../../api/types.ts";
import { indexed, sortedUnique } from "../collections.ts";
import type { EvpnModel, Origin, VniModel } from "../model.ts";
import { child, item } from "../path.ts";
import type { Reporter } from "./reporter.ts";

function vniModel(vni: number, props: VNIProperties): VniModel {
  return {
    vni,
    ...(props.rd && { rd: props.rd }),
    importRts: sortedUnique(indexed(props.importRTs).map(([, rt]) => rt)),
    exportRts: sortedUnique(indexed(props.exportRTs).map(([, rt]) => rt)),
  };
}

export type VniMerge = (into: VniModel, from: VniModel, at: Origin, other: Origin) => VniModel | undefined;

function collectL2vnis(
  l2vnis: readonly (L2VNI | undefined)[] | undefined,
  path: string,
  reporter: Reporter,
  mergeVni: VniMerge,
): VniModel[] {
  const byVni = new Map<number, { model: VniModel; origin: Origin }>();
  for (const [index, l2] of indexed(l2vnis)) {
    const origin: Origin = { object: reporter.object, path: item(child(path, "l2vnis"), index) };
    const model = vniModel(l2.vni, l2);
    const existing = byVni.get(l2.vni);
    const merged = existing ? mergeVni(existing.model, model, origin, existing.origin) : model;
    if (merged) byVni.set(l2.vni, { model: merged, origin: existing?.origin ?? origin });
  }
  return [...byVni.values()].map((v) => v.model).sort((a, b) => a.vni - b.vni);
}

export function convertEvpn(
  evpn: EVPNConfig,
  path: string,
  reporter: Reporter,
  mergeVni: VniMerge,
): EvpnModel {
  const origin: Origin = { object: reporter.object, path };
  const l3 = evpn.l3vni;
  return {
    ...(evpn.advertiseVNIs !== undefined && { advertiseVnis: evpn.advertiseVNIs }),
    ...(evpn.advertiseSVI !== undefined && { advertiseSvi: evpn.advertiseSVI }),
    l2vnis: collectL2vnis(evpn.l2vnis, path, reporter, mergeVni),
    ...(l3 && {
      l3vni: {
        ...vniModel(l3.vni, l3),
        advertisePrefixes: sortedUnique(indexed(l3.advertisePrefixes).map(([, p]) => p)),
      },
    }),
    origins: { evpn: origin, ...(l3 && { l3vni: { object: reporter.object, path: child(path, "l3vni") } }) },
  };
}
