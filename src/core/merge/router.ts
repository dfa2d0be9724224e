// Routers are keyed by VRF alone; same-VRF routers (from one configuration or several) merge.
import type { NeighborModel, Origin, RouterModel } from "../model.ts";
import { child } from "../path.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";
import { fieldAt, mergeField } from "./field.ts";
import { mergeEvpn } from "./evpn.ts";
import { mergeNeighbors } from "./neighbor.ts";

function mergeNeighborLists(
  kept: readonly NeighborModel[],
  incoming: readonly NeighborModel[],
  reporter: Reporter,
): NeighborModel[] {
  const byId = new Map<string, NeighborModel>();
  for (const neighbor of [...kept, ...incoming]) {
    const existing = byId.get(neighbor.id);
    byId.set(neighbor.id, existing ? mergeNeighbors(existing, neighbor, reporter) : neighbor);
  }
  return [...byId.values()];
}

export function mergeRouters(kept: RouterModel, incoming: RouterModel, reporter: Reporter): RouterModel {
  const at = incoming.origins.router as Origin;
  const other = kept.origins.router as Origin;
  if (kept.asn !== incoming.asn) {
    reporter.conflict(
      "ROUTER_ASN_CONFLICT",
      { object: at.object, path: child(at.path, "asn") },
      { object: other.object, path: child(other.path, "asn") },
      `different asns (${incoming.asn} here, ${kept.asn} in ${describeObject(other.object)}) specified for the same vrf "${kept.vrf}"`,
    );
    return kept;
  }
  const id = mergeField(
    { code: "ROUTER_ID_CONFLICT", what: "router ids", show: String },
    { value: kept.id, origin: kept.origins.id ?? fieldAt(other, "id") },
    { value: incoming.id, origin: fieldAt(at, "id") },
    reporter,
    `vrf "${kept.vrf}"`,
  );
  const evpn = mergeEvpn(kept.evpn, incoming.evpn, reporter, kept.vrf);
  return {
    ...kept,
    ...(id.value !== undefined && { id: id.value }),
    origins: { ...kept.origins, id: id.origin },
    neighbors: mergeNeighborLists(kept.neighbors, incoming.neighbors, reporter),
    // Sorted and de-duplicated once, in finalizeRouter: re-sorting on every merge is quadratic.
    ipv4Prefixes: [...kept.ipv4Prefixes, ...incoming.ipv4Prefixes],
    ipv6Prefixes: [...kept.ipv6Prefixes, ...incoming.ipv6Prefixes],
    importVrfs: [...kept.importVrfs, ...incoming.importVrfs],
    ...(evpn && { evpn }),
    ...((kept.incomplete === true || incoming.incomplete === true) && { incomplete: true }),
  };
}

/** Duplicate neighbors inside one router merge by the same rules as across routers. */
export function selfMergeRouter(router: RouterModel, reporter: Reporter): RouterModel {
  return { ...router, neighbors: mergeNeighborLists([], router.neighbors, reporter) };
}
