// The last normalisation before rendering: everything sorted, so output never depends on the
// order objects arrived in.
import { compareStrings, sortBy, sortedUnique } from "./collections.ts";
import type { NeighborModel, PrefixSelectorModel, RouterModel } from "./model.ts";
import { propertyListName } from "./names.ts";

function compareSelectors(a: PrefixSelectorModel, b: PrefixSelectorModel): number {
  return compareStrings(a.prefix, b.prefix) || (a.le ?? 0) - (b.le ?? 0) || (a.ge ?? 0) - (b.ge ?? 0);
}

function finalizeNeighbor(n: NeighborModel): NeighborModel {
  return {
    ...n,
    outgoing: {
      ...n.outgoing,
      properties: sortBy(n.outgoing.properties, (list) => propertyListName(n, list)),
    },
    incoming: {
      ...n.incoming,
      ipv4: [...n.incoming.ipv4].sort(compareSelectors),
      ipv6: [...n.incoming.ipv6].sort(compareSelectors),
    },
  };
}

export function finalizeRouter(router: RouterModel, fallbackId: string | undefined): RouterModel {
  const id = router.id ?? fallbackId;
  return {
    ...router,
    ...(id !== undefined && { id }),
    ipv4Prefixes: sortedUnique(router.ipv4Prefixes),
    ipv6Prefixes: sortedUnique(router.ipv6Prefixes),
    importVrfs: sortedUnique(router.importVrfs),
    neighbors: sortBy(router.neighbors, (n) => n.id).map(finalizeNeighbor),
  };
}
