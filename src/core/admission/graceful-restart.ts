// Upstream's update warning: FRR applies a changed `enableGracefulRestart` only when the session
// restarts. Neighbors are paired as upstream does (same router VRF, same ASN, same address), and
// also by interface for unnumbered neighbors.
import type { FRRConfiguration, Neighbor } from "../../api/types.ts";
import { indexed } from "../collections.ts";
import { child, item } from "../path.ts";

export const GRACEFUL_RESTART_CHANGED =
  "Graceful restart configuration changed, it will be available on the next restart";

function neighborKey(vrf: string | undefined, n: Neighbor): string | undefined {
  const peer = n.address ?? (n.interface === undefined ? undefined : `interface ${n.interface}`);
  return peer === undefined ? undefined : `${vrf ?? ""}\u0000${String(n.asn)}\u0000${peer}`;
}

function oldSettings(old: FRRConfiguration): Map<string, boolean> {
  const settings = new Map<string, boolean>();
  for (const [, router] of indexed(old.spec?.bgp?.routers)) {
    for (const [, n] of indexed(router.neighbors)) {
      const key = neighborKey(router.vrf, n);
      if (key !== undefined) settings.set(key, n.enableGracefulRestart ?? false);
    }
  }
  return settings;
}

/** Paths (in the new object) of the neighbors whose graceful restart setting changed. */
export function gracefulRestartChanges(updated: FRRConfiguration, old: FRRConfiguration): string[] {
  const before = oldSettings(old);
  const paths: string[] = [];
  for (const [r, router] of indexed(updated.spec?.bgp?.routers)) {
    for (const [i, n] of indexed(router.neighbors)) {
      const key = neighborKey(router.vrf, n);
      const was = key === undefined ? undefined : before.get(key);
      if (was !== undefined && was !== (n.enableGracefulRestart ?? false)) {
        const at = item(child(item("spec.bgp.routers", r), "neighbors"), i);
        paths.push(child(at, "enableGracefulRestart"));
      }
    }
  }
  return paths;
}
