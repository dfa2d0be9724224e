// The stored configurations that are not independent of a footprint (footprint.ts), found
// through indexes instead of a check of every configuration: an object selecting all 3,000 nodes
// of the benchmark met ~6,000 configurations, and checking each one cost 40 % of the request.
// Two footprints depend on each other when they share a neighbor id, a BFD profile name or a
// VNI, or when one of their common VRFs is used in ways that do not merge independently; the
// last depends only on each side's use of the VRF, so configurations are grouped by it.
import { sameVrfIndependent, type Footprint, type VrfUse } from "./footprint.ts";

function useKey(use: VrfUse): string {
  return `${[...use.asns].sort((a, b) => a - b).join(",")}|${String(use.setsId)}|${String(use.hasEvpn)}`;
}

class SetIndex<K, T> {
  readonly #items = new Map<K, Set<T>>();

  add(key: K, item: T): void {
    const items = this.#items.get(key) ?? new Set<T>();
    items.add(item);
    this.#items.set(key, items);
  }

  delete(key: K, item: T): void {
    const items = this.#items.get(key);
    items?.delete(item);
    if (items?.size === 0) this.#items.delete(key);
  }

  get(key: K): ReadonlySet<T> {
    return this.#items.get(key) ?? new Set<T>();
  }
}

export class DependencyIndex<T> {
  readonly #byNeighbor = new SetIndex<string, T>();
  readonly #byBfdProfile = new SetIndex<string, T>();
  readonly #byVni = new SetIndex<number, T>();
  /** VRF → one use of it (by useKey) and the items using the VRF that way. */
  readonly #byVrf = new Map<string, Map<string, { use: VrfUse; items: Set<T> }>>();

  add(item: T, footprint: Footprint): void {
    for (const id of footprint.neighborIds) this.#byNeighbor.add(id, item);
    for (const name of footprint.bfdProfileNames) this.#byBfdProfile.add(name, item);
    for (const vni of footprint.vnis) this.#byVni.add(vni, item);
    for (const [vrf, use] of footprint.vrfs) {
      const uses = this.#byVrf.get(vrf) ?? new Map<string, { use: VrfUse; items: Set<T> }>();
      this.#byVrf.set(vrf, uses);
      const key = useKey(use);
      const entry = uses.get(key) ?? { use, items: new Set<T>() };
      entry.items.add(item);
      uses.set(key, entry);
    }
  }

  /** `footprint` must be the one `item` was added with. */
  delete(item: T, footprint: Footprint): void {
    for (const id of footprint.neighborIds) this.#byNeighbor.delete(id, item);
    for (const name of footprint.bfdProfileNames) this.#byBfdProfile.delete(name, item);
    for (const vni of footprint.vnis) this.#byVni.delete(vni, item);
    for (const [vrf, use] of footprint.vrfs) {
      const uses = this.#byVrf.get(vrf);
      const key = useKey(use);
      const entry = uses?.get(key);
      entry?.items.delete(item);
      if (entry?.items.size === 0) uses?.delete(key);
      if (uses?.size === 0) this.#byVrf.delete(vrf);
    }
  }

  /** Every item that is not independent of `footprint`. */
  dependentOn(footprint: Footprint): Set<T> {
    const found = new Set<T>();
    const addAll = (items: Iterable<T>): void => {
      for (const item of items) found.add(item);
    };
    for (const id of footprint.neighborIds) addAll(this.#byNeighbor.get(id));
    for (const name of footprint.bfdProfileNames) addAll(this.#byBfdProfile.get(name));
    for (const vni of footprint.vnis) addAll(this.#byVni.get(vni));
    for (const [vrf, use] of footprint.vrfs) {
      for (const entry of this.#byVrf.get(vrf)?.values() ?? []) {
        if (!sameVrfIndependent(use, entry.use)) addAll(entry.items);
      }
    }
    return found;
  }
}
