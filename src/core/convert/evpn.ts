// routers[].evpn → EvpnModel. Duplicate L2VNIs inside one configuration merge like across configs.
import type { EVPNConfig, L2VNI, VNIProperties } from "../../api/types.ts";
import { indexed, sortedUnique } from "../collections.ts";
import type { EvpnModel, Origin, VniModel } from "../model.ts";
import { child, item } from "../path.ts";
import type { Reporter } from "./reporter.ts";

function vniModel(vni: number, props: VNIProperties, origin: Origin): VniModel {
  return {
    vni,
    origin,
    ...(props.rd && { rd: props.rd }),
    importRts: sortedUnique(indexed(props.importRTs).map(([, rt]) => rt)),
    exportRts: sortedUnique(indexed(props.exportRTs).map(([, rt]) => rt)),
  };
}

/** Merges two declarations of the same VNI (each carries its own origin). */
export type VniMerge = (kept: VniModel, incoming: VniModel) => VniModel | undefined;

function collectL2vnis(
  l2vnis: readonly (L2VNI | undefined)[] | undefined,
  path: string,
  reporter: Reporter,
  mergeVni: VniMerge,
): VniModel[] {
  const byVni = new Map<number, VniModel>();
  for (const [index, l2] of indexed(l2vnis)) {
    const model = vniModel(l2.vni, l2, { object: reporter.object, path: item(child(path, "l2vnis"), index) });
    const existing = byVni.get(l2.vni);
    byVni.set(l2.vni, existing ? (mergeVni(existing, model) ?? existing) : model);
  }
  return [...byVni.values()].sort((a, b) => a.vni - b.vni);
}

export function convertEvpn(
  evpn: EVPNConfig,
  path: string,
  reporter: Reporter,
  mergeVni: VniMerge,
): EvpnModel {
  const l3 = evpn.l3vni;
  const l3Origin: Origin = { object: reporter.object, path: child(path, "l3vni") };
  return {
    ...(evpn.advertiseVNIs !== undefined && { advertiseVnis: evpn.advertiseVNIs }),
    ...(evpn.advertiseSVI !== undefined && { advertiseSvi: evpn.advertiseSVI }),
    l2vnis: collectL2vnis(evpn.l2vnis, path, reporter, mergeVni),
    ...(l3 && {
      l3vni: {
        ...vniModel(l3.vni, l3, l3Origin),
        advertisePrefixes: sortedUnique(indexed(l3.advertisePrefixes).map(([, p]) => p)),
      },
    }),
    origins: { evpn: { object: reporter.object, path } },
  };
}
