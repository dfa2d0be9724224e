// One API router → RouterModel (its neighbors included), within one configuration.
import type { Router } from "../../api/types.ts";
import { indexed, sortedUnique } from "../collections.ts";
import { parseIpv4 } from "../ip.ts";
import type { NeighborModel, RouterModel } from "../model.ts";
import { child, item } from "../path.ts";
import type { ConfigContext, RouterContext } from "./context.ts";
import type { VniMerge } from "./evpn.ts";
import { convertEvpn } from "./evpn.ts";
import { checkNetdevName } from "./names-check.ts";
import { convertNeighbor } from "./neighbor.ts";

/** Canonical prefixes per VRF across all routers of one configuration (for `mode: all` and imports). */
export type VrfPrefixes = ReadonlyMap<string, readonly string[]>;

function importedVrfs(
  router: Router,
  path: string,
  vrfPrefixes: VrfPrefixes,
  ctx: ConfigContext,
): { vrfs: string[]; complete: boolean } {
  const vrfs: string[] = [];
  let complete = true;
  for (const [index, imp] of indexed(router.imports)) {
    const at = child(item(child(path, "imports"), index), "vrf");
    const name = imp.vrf ?? "";
    if (name === "" || (name !== "default" && !checkNetdevName(ctx.reporter, at, name, "imported vrf"))) {
      if (name === "")
        ctx.reporter.error("INVALID_NAME", at, 'an import needs a vrf name ("default" for the default VRF)');
      complete = false;
      continue;
    }
    const key = name === "default" ? "" : name;
    if (!vrfPrefixes.has(key)) {
      const code = name === "default" ? "IMPORT_DEFAULT_VRF_NOT_DEFINED" : "IMPORT_VRF_NOT_DEFINED";
      const what = name === "default" ? "the default VRF" : `vrf "${name}"`;
      ctx.reporter.error(
        code,
        at,
        `router ${router.asn}-${router.vrf ?? ""} imports ${what}, which has no router in this configuration`,
      );
      complete = false;
      continue;
    }
    vrfs.push(name);
  }
  return { vrfs: sortedUnique(vrfs), complete };
}

function checkRouterId(id: string | undefined, path: string, ctx: ConfigContext): boolean {
  if (id === undefined || id === "" || parseIpv4(id)) return true;
  ctx.reporter.error(
    "INVALID_ROUTER_ID",
    child(path, "id"),
    `router id "${id}" must be an IPv4 address (FRR accepts nothing else, also on IPv6-only nodes)`,
  );
  return false;
}

function advertisable(vrf: string, imports: readonly string[], vrfPrefixes: VrfPrefixes): Set<string> {
  const out = new Set(vrfPrefixes.get(vrf) ?? []);
  for (const name of imports)
    for (const p of vrfPrefixes.get(name === "default" ? "" : name) ?? []) out.add(p);
  return out;
}

/** The neighbors that converted, and whether any was left out (it was reported). */
function convertNeighbors(
  router: Router,
  routerCtx: RouterContext,
  ctx: ConfigContext,
): { neighbors: NeighborModel[]; complete: boolean } {
  const entries = indexed(router.neighbors);
  const neighbors = entries.flatMap(([index, neighbor]) => {
    const at = item(child(routerCtx.path, "neighbors"), index);
    return ctx.isBroken(at) ? [] : (convertNeighbor(neighbor, at, routerCtx, ctx) ?? []);
  });
  return { neighbors, complete: neighbors.length === (router.neighbors ?? []).length };
}

export interface RouterInput {
  router: Router;
  path: string;
  /** This router's own prefixes, already canonical (problems were reported when collecting them). */
  ownPrefixes: readonly string[];
  /** False when the router's identity (asn, vrf) is broken: its neighbors are checked, it is not merged. */
  mergeable: boolean;
}

export function convertRouter(
  input: RouterInput,
  vrfPrefixes: VrfPrefixes,
  ctx: ConfigContext,
  mergeVni: VniMerge,
): RouterModel | undefined {
  const { router, path, ownPrefixes, mergeable } = input;
  const vrf = router.vrf ?? "";
  // A router with errors is still merged (its errors block the output anyway) so that conflicts
  // with other configurations are reported in the same pass.
  const vrfOk = vrf === "" || checkNetdevName(ctx.reporter, child(path, "vrf"), vrf, "vrf");
  const id = checkRouterId(router.id, path, ctx) ? router.id : undefined;
  const { vrfs: imports, complete: importsComplete } = importedVrfs(router, path, vrfPrefixes, ctx);
  const routerCtx: RouterContext = {
    asn: router.asn,
    vrf,
    path,
    advertisable: advertisable(vrf, imports, vrfPrefixes),
  };
  const { neighbors, complete } = convertNeighbors(router, routerCtx, ctx);
  const evpn = router.evpn && convertEvpn(router.evpn, child(path, "evpn"), ctx.reporter, mergeVni);
  if (!vrfOk || !mergeable) return undefined;
  const incomplete = !complete || !importsComplete || id !== router.id;
  const origin = { object: ctx.reporter.object, path };
  return {
    asn: router.asn,
    ...(id && { id }),
    vrf,
    neighbors,
    ipv4Prefixes: ownPrefixes.filter((p) => !p.includes(":")),
    ipv6Prefixes: ownPrefixes.filter((p) => p.includes(":")),
    importVrfs: imports,
    ...(evpn && { evpn }),
    ...(incomplete && { incomplete }),
    origins: { router: origin, ...(id && { id: { object: origin.object, path: child(path, "id") } }) },
  };
}
