// Generated FRR names must identify one session: upstream's scheme (`<address|interface>-<vrf>`)
// lets `eth0` in vrf `red` and an interface named `eth0-red` in the default VRF collide.
import type { NeighborModel, Origin, RouterModel } from "../model.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";

export function validateUniqueNeighborIds(routers: readonly RouterModel[], reporter: Reporter): void {
  const seen = new Map<string, NeighborModel>();
  for (const router of routers) {
    for (const neighbor of router.neighbors) {
      const first = seen.get(neighbor.id);
      if (!first) {
        seen.set(neighbor.id, neighbor);
        continue;
      }
      const at = neighbor.origins.neighbor as Origin;
      const other = first.origins.neighbor as Origin;
      reporter.conflict(
        "NEIGHBOR_ID_COLLISION",
        at,
        other,
        `neighbor ${neighbor.name} in vrf "${neighbor.vrf}" and neighbor ${first.name} in vrf "${first.vrf}" (${describeObject(other.object)}) would share the generated names ${neighbor.id}-in / ${neighbor.id}-out`,
      );
    }
  }
}
