// EVPN rules that only make sense once every configuration is merged.
import type { Origin, RouterModel } from "../model.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";
import { fieldAt } from "./field.ts";

function checkRouter(router: RouterModel, reporter: Reporter): void {
  const evpn = router.evpn;
  // Rules about the neighbor set would only add noise when a neighbor failed conversion.
  if (!evpn || router.incomplete === true) return;
  const origin = evpn.origins.evpn as Origin;
  const needsNeighbor = evpn.advertiseVnis === "All" || evpn.advertiseSvi === true || evpn.l2vnis.length > 0;
  const hasEvpnNeighbor = router.neighbors.some((n) => n.addressFamilies.includes("evpn"));
  if (needsNeighbor && !hasEvpnNeighbor) {
    reporter.errorAt(
      "EVPN_NEEDS_EVPN_NEIGHBOR",
      origin,
      `invalid EVPN configuration for vrf "${router.vrf}": advertiseVNIs=All, advertiseSVI and l2vnis require at least one neighbor with the evpn address family`,
    );
  }
  // FRR takes a VNI's rd / route-target lines only on the EVPN instance (advertise-all-vni).
  const configured = evpn.l2vnis.find(
    (v) => v.rd !== undefined || v.importRts.length + v.exportRts.length > 0,
  );
  if (configured && evpn.advertiseVnis !== "All") {
    reporter.errorAt(
      "EVPN_VNI_NEEDS_ADVERTISE_ALL_VNI",
      configured.origin,
      `vni ${configured.vni} of vrf "${router.vrf}" has an rd or route targets: FRR accepts them only with advertiseVNIs: All`,
    );
  }
  const firstNeighbor = router.neighbors[0];
  if (evpn.l3vni && firstNeighbor) {
    reporter.conflict(
      "EVPN_L3VNI_WITH_NEIGHBORS",
      evpn.l3vni.origin,
      firstNeighbor.origins.neighbor ?? origin,
      `invalid EVPN configuration for vrf "${router.vrf}": l3vni can only be configured on routers with no neighbors`,
    );
  }
}

interface VniUse {
  kind: "l2vni" | "l3vni";
  vrf: string;
  origin: Origin;
}

function checkUniqueVnis(routers: readonly RouterModel[], reporter: Reporter): void {
  const seen = new Map<number, VniUse>();
  for (const router of routers) {
    const evpn = router.evpn;
    if (!evpn) continue;
    const uses: [number, VniUse][] = evpn.l2vnis.map((v) => [
      v.vni,
      { kind: "l2vni", vrf: router.vrf, origin: fieldAt(v.origin, "vni") },
    ]);
    if (evpn.l3vni) {
      uses.push([
        evpn.l3vni.vni,
        { kind: "l3vni", vrf: router.vrf, origin: fieldAt(evpn.l3vni.origin, "vni") },
      ]);
    }
    for (const [vni, use] of uses) {
      const first = seen.get(vni);
      if (!first) {
        seen.set(vni, use);
        continue;
      }
      reporter.conflict(
        "DUPLICATE_VNI",
        use.origin,
        first.origin,
        `duplicate VNI ${vni}: configured as ${first.kind} in vrf "${first.vrf}" (${describeObject(first.origin.object)}) and as ${use.kind} in vrf "${use.vrf}"`,
      );
    }
  }
}

export function validateMergedEvpn(routers: readonly RouterModel[], reporter: Reporter): void {
  for (const router of routers) checkRouter(router, reporter);
  checkUniqueVnis(routers, reporter);
}
