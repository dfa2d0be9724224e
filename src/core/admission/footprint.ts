// What a converted configuration can share with another one in a merge, and whether two
// configurations are independent: merged together, each reports exactly the issues it reports
// without the other (the union of both alone, in the same relative order).
//
// Why these keys are all (build-model.ts, merge/): routers merge by VRF (first router's ASN
// wins, the rest conflict; the first `id` set wins; EVPN sections merge; the `incomplete` flag
// and the merged neighbor list feed the post-merge EVPN rules); neighbors merge by id within a
// VRF and must have unique ids across VRFs; BFD profiles merge by name; VNIs must be unique
// across VRFs. Raw snippets, prefixes and imports only reach the rendered model. So two
// configurations are independent when, in every VRF where both have a router, all those routers
// share one ASN, at most one side sets a router id and neither has EVPN; and their neighbor ids,
// BFD profile names and VNIs are disjoint. Then every merge fold over a key sees the same
// sequence of values from each side as without the other (an unset id passes through).
import type { RouterModel } from "../model.ts";
import type { PreparedConfiguration } from "../model-issues.ts";

export interface VrfUse {
  asns: ReadonlySet<number>;
  setsId: boolean;
  hasEvpn: boolean;
}

export interface Footprint {
  vrfs: ReadonlyMap<string, VrfUse>;
  neighborIds: ReadonlySet<string>;
  bfdProfileNames: ReadonlySet<string>;
  vnis: ReadonlySet<number>;
}

function vnisOf(router: RouterModel): number[] {
  const evpn = router.evpn;
  if (!evpn) return [];
  return [...evpn.l2vnis.map((v) => v.vni), ...(evpn.l3vni ? [evpn.l3vni.vni] : [])];
}

function addVrfUse(uses: Map<string, VrfUse>, vrf: string, use: VrfUse): void {
  const known = uses.get(vrf);
  uses.set(
    vrf,
    known
      ? {
          asns: new Set([...known.asns, ...use.asns]),
          setsId: known.setsId || use.setsId,
          hasEvpn: known.hasEvpn || use.hasEvpn,
        }
      : use,
  );
}

export function footprintOf(configuration: PreparedConfiguration): Footprint {
  const { routers, bfdProfiles } = configuration.converted;
  const vrfs = new Map<string, VrfUse>();
  for (const r of routers) {
    addVrfUse(vrfs, r.vrf, {
      asns: new Set([r.asn]),
      setsId: r.id !== undefined,
      hasEvpn: r.evpn !== undefined,
    });
  }
  return {
    vrfs,
    neighborIds: new Set(routers.flatMap((r) => r.neighbors.map((n) => n.id))),
    bfdProfileNames: new Set(bfdProfiles.map((p) => p.name)),
    vnis: new Set(routers.flatMap(vnisOf)),
  };
}

function disjoint<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size > b.size) return disjoint(b, a);
  for (const value of a) if (b.has(value)) return false;
  return true;
}

/** Both sides' routers of the VRF use one single ASN. */
function oneAsn(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== 1 || b.size !== 1) return false;
  const [x] = a;
  return b.has(x!);
}

export function sameVrfIndependent(a: VrfUse, b: VrfUse): boolean {
  return !a.hasEvpn && !b.hasEvpn && !(a.setsId && b.setsId) && oneAsn(a.asns, b.asns);
}

export function independent(a: Footprint, b: Footprint): boolean {
  if (a.vrfs.size > b.vrfs.size) return independent(b, a);
  for (const [vrf, use] of a.vrfs) {
    const other = b.vrfs.get(vrf);
    if (other && !sameVrfIndependent(use, other)) return false;
  }
  return (
    disjoint(a.neighborIds, b.neighborIds) &&
    disjoint(a.bfdProfileNames, b.bfdProfileNames) &&
    disjoint(a.vnis, b.vnis)
  );
}
