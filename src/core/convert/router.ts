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
): string[] | undefined {
  let ok = true;
  const vrfs: string[] = [];
  for (const [index, imp] of indexed(router.imports)) {
    const at = child(item(child(path, "imports"), index), "vrf");
    const name = imp.vrf ?? "";
    const key = name === "default" ? "" : name;
    if (!vrfPrefixes.has(key)) {
      const code = name === "default" ? "IMPORT_DEFAULT_VRF_NOT_DEFINED" : "IMPORT_VRF_NOT_DEFINED";
      const what = name === "default" ? "the default VRF" : `vrf "${name}"`;
      ctx.reporter.error(
        code,
        at,
        `router ${router.asn}-${router.vrf ?? ""} imports ${what}, which has no router in this configuration`,
      );
      ok = false;
      continue;
    }
    vrfs.push(name);
  }
  return ok ? sortedUnique(vrfs) : undefined;
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

function convertNeighbors(
  router: Router,
  routerCtx: RouterContext,
  ctx: ConfigContext,
): NeighborModel[] | undefined {
  let ok = true;
  const neighbors: NeighborModel[] = [];
  for (const [index, neighbor] of indexed(router.neighbors)) {
    const at = item(child(routerCtx.path, "neighbors"), index);
    if (ctx.isBroken(at)) {
      ok = false;
      continue;
    }
    const model = convertNeighbor(neighbor, at, routerCtx, ctx);
    if (model) neighbors.push(model);
    else ok = false;
  }
  return ok ? neighbors : undefined;
}

export interface RouterInput {
  router: Router;
  path: string;
  /** This router's own prefixes, already canonical (problems were reported when collecting them). */
  ownPrefixes: readonly string[];
}

export function convertRouter(
  input: RouterInput,
  vrfPrefixes: VrfPrefixes,
  ctx: ConfigContext,
  mergeVni: VniMerge,
): RouterModel | undefined {
  const { router, path, ownPrefixes } = input;
  const vrf = router.vrf ?? "";
  const vrfOk = vrf === "" || checkNetdevName(ctx.reporter, child(path, "vrf"), vrf, "vrf");
  const idOk = checkRouterId(router.id, path, ctx);
  const imports = importedVrfs(router, path, vrfPrefixes, ctx);
  if (!vrfOk || !imports) return undefined;
  const routerCtx: RouterContext = {
    asn: router.asn,
    vrf,
    path,
    advertisable: advertisable(vrf, imports, vrfPrefixes),
  };
  const neighbors = convertNeighbors(router, routerCtx, ctx);
  const evpn = router.evpn && convertEvpn(router.evpn, child(path, "evpn"), ctx.reporter, mergeVni);
  if (!idOk || !neighbors) return undefined;
  const origin = { object: ctx.reporter.object, path };
  return {
    asn: router.asn,
    ...(router.id && { id: router.id }),
    vrf,
    neighbors,
    ipv4Prefixes: ownPrefixes.filter((p) => !p.includes(":")),
    ipv6Prefixes: ownPrefixes.filter((p) => p.includes(":")),
    importVrfs: imports,
    ...(evpn && { evpn }),
    origins: { router: origin, ...(router.id && { id: { object: origin.object, path: child(path, "id") } }) },
  };
}
