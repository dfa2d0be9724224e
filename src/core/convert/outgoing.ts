// toAdvertise → what one neighbor may announce, with local-pref / community / next-hop actions.
import type { Advertise, CommunityPrefixes, LocalPrefPrefixes } from "../../api/types.ts";
import { communityKey, communityValue, parseCommunity } from "../community.ts";
import { indexed, sortedUnique } from "../collections.ts";
import { formatIp, ipFamilyOf, parseIp, type IpFamily } from "../ip.ts";
import type { NeighborFamily, OutgoingModel, PropertyList } from "../model.ts";
import { child, item } from "../path.ts";
import type { ConfigContext, RouterContext } from "./context.ts";
import { canonicalPrefix, familyAllows, maskedForm } from "./prefix.ts";

interface NeighborSide {
  name: string;
  family: NeighborFamily;
}

interface Advertised extends Record<IpFamily, Set<string>> {
  /** Listed under allowed but refused (and reported): not reported again by property checks. */
  refused: Set<string>;
}

function advertisedPrefixes(
  adv: Advertise | undefined,
  path: string,
  n: NeighborSide,
  router: RouterContext,
  ctx: ConfigContext,
): Advertised {
  const out: Advertised = { ipv4: new Set(), ipv6: new Set(), refused: new Set() };
  const allowedPath = child(child(path, "allowed"), "prefixes");
  if (adv?.allowed?.mode === "all") {
    for (const prefix of router.advertisable) {
      const family = prefix.includes(":") ? "ipv6" : "ipv4";
      if (familyAllows(n.family, family)) out[family].add(prefix);
    }
    if (adv.allowed.prefixes?.length)
      ctx.reporter.warning(
        "IGNORED_FIELD",
        allowedPath,
        "prefixes are ignored when mode is all: every prefix of the router is advertised",
      );
    return out;
  }
  const allowed = adv?.allowed?.prefixes ?? [];
  for (let index = 0; index < allowed.length; index++) {
    const text = allowed[index];
    if (text === undefined) continue;
    const canonical = canonicalPrefix(ctx.reporter, allowedPath, text, index);
    const at = (): string => item(allowedPath, index); // only called for an issue
    if (!canonical) {
      out.refused.add(maskedForm(text) ?? text);
      continue;
    }
    if (!familyAllows(n.family, canonical.family)) {
      out.refused.add(canonical.prefix);
      ctx.reporter.error(
        "PREFIX_FAMILY_MISMATCH",
        at(),
        `prefix ${text} is not compatible with the ${n.family} neighbor ${n.name} (set dualStackAddressFamily to advertise both families)`,
      );
    } else if (!router.advertisable.has(canonical.prefix)) {
      out.refused.add(canonical.prefix);
      ctx.reporter.error(
        "ADVERTISED_PREFIX_NOT_IN_ROUTER",
        at(),
        `trying to advertise non configured prefix ${text} to neighbor ${n.name}, vrf "${router.vrf}": add it to the router's prefixes (or an imported VRF's) in this configuration`,
      );
    } else {
      out[canonical.family].add(canonical.prefix);
    }
  }
  return out;
}

function nextHop(
  value: string | undefined,
  family: IpFamily,
  path: string,
  n: NeighborSide,
  ctx: ConfigContext,
): string | undefined | false {
  if (!value) return undefined;
  const ip = parseIp(value);
  if (!ip || ipFamilyOf(value) !== family) {
    ctx.reporter.error(
      "INVALID_IP_ADDRESS",
      path,
      `invalid ${family} next hop "${value}" for neighbor ${n.name}`,
    );
    return false;
  }
  if (!familyAllows(n.family, family)) {
    ctx.reporter.error(
      "NEXT_HOP_FAMILY_MISMATCH",
      path,
      `${family} next hop "${value}" set for neighbor ${n.name} without an ${family} address family`,
    );
    return false;
  }
  return formatIp(ip);
}

interface PropertyCheck {
  notAdvertised: "LOCAL_PREF_PREFIX_NOT_ADVERTISED" | "COMMUNITY_PREFIX_NOT_ADVERTISED";
  what: string;
}

/** What the property-list checks share for one neighbor. */
interface Scope {
  n: NeighborSide;
  ctx: ConfigContext;
  advertised: Advertised;
  lists: Map<string, PropertyList>;
}

/** Canonical prefixes of one withLocalPref/withCommunity entry that the neighbor advertises. */
function propertyPrefixes(
  prefixes: readonly (string | undefined)[] | undefined,
  path: string,
  check: PropertyCheck,
  scope: Scope,
): [IpFamily, string][] {
  const { n, ctx, advertised: adv } = scope;
  const out: [IpFamily, string][] = [];
  const list = prefixes ?? [];
  for (let index = 0; index < list.length; index++) {
    const text = list[index];
    if (text === undefined) continue;
    const canonical = canonicalPrefix(ctx.reporter, path, text, index);
    const at = (): string => item(path, index);
    if (!canonical) continue;
    if (!familyAllows(n.family, canonical.family)) {
      ctx.reporter.error(
        "PREFIX_FAMILY_MISMATCH",
        at(),
        `prefix ${text} for ${check.what} is not compatible with the ${n.family} neighbor ${n.name}`,
      );
    } else if (adv.refused.has(canonical.prefix)) {
      continue;
    } else if (!adv[canonical.family].has(canonical.prefix)) {
      ctx.reporter.error(
        check.notAdvertised,
        at(),
        `prefix ${text} has ${check.what} but is not advertised to neighbor ${n.name}`,
      );
    } else {
      out.push([canonical.family, canonical.prefix]);
    }
  }
  return out;
}

/** One withLocalPref / withCommunity entry: where its prefixes go. */
interface ListTarget {
  key: string;
  action: PropertyList["action"];
  origin: PropertyList["origin"];
}

function addToList(
  lists: Map<string, PropertyList>,
  target: ListTarget,
  family: IpFamily,
  prefix: string,
): void {
  const listKey = family === "ipv4" ? `${target.key}|4` : `${target.key}|6`;
  const list = lists.get(listKey);
  if (list) list.prefixes.push(prefix);
  else lists.set(listKey, { family, action: target.action, origin: target.origin, prefixes: [prefix] });
}

function localPrefLists(
  entries: readonly (LocalPrefPrefixes | undefined)[] | undefined,
  path: string,
  scope: Scope,
): void {
  const { ctx, lists } = scope;
  const seen = new Map<string, { value: number; path: string }>();
  for (const [index, entry] of indexed(entries)) {
    const value = entry.localPref ?? 0;
    const at = item(path, index);
    const target: ListTarget = {
      key: `lp:${value}`,
      action: { kind: "localPref", value },
      origin: { object: ctx.reporter.object, path: at },
    };
    const check: PropertyCheck = {
      notAdvertised: "LOCAL_PREF_PREFIX_NOT_ADVERTISED",
      what: `local preference ${value}`,
    };
    for (const [family, prefix] of propertyPrefixes(entry.prefixes, child(at, "prefixes"), check, scope)) {
      const previous = seen.get(prefix);
      if (previous !== undefined && previous.value !== value) {
        ctx.reporter.conflict(
          "LOCAL_PREF_CONFLICT",
          { object: ctx.reporter.object, path: child(at, "localPref") },
          { object: ctx.reporter.object, path: child(previous.path, "localPref") },
          `prefix ${prefix} is configured with both local preference ${previous.value} and ${value}`,
        );
        continue;
      }
      seen.set(prefix, { value, path: at });
      addToList(lists, target, family, prefix);
    }
  }
}

function communityLists(
  entries: readonly (CommunityPrefixes | undefined)[] | undefined,
  path: string,
  scope: Scope,
): void {
  const { ctx, lists } = scope;
  for (const [index, entry] of indexed(entries)) {
    const at = item(path, index);
    const parsed = parseCommunity(entry.community ?? "");
    if (!parsed.ok) {
      ctx.reporter.error(
        "INVALID_COMMUNITY",
        child(at, "community"),
        `invalid community "${entry.community ?? ""}": ${parsed.reason}`,
      );
      continue;
    }
    const key = communityKey(parsed.community);
    const action = {
      kind: "community",
      key,
      value: communityValue(parsed.community),
      large: parsed.community.kind === "large",
    } as const;
    const check: PropertyCheck = {
      notAdvertised: "COMMUNITY_PREFIX_NOT_ADVERTISED",
      what: `community ${key}`,
    };
    const target: ListTarget = { key: `c:${key}`, action, origin: { object: ctx.reporter.object, path: at } };
    for (const [family, prefix] of propertyPrefixes(entry.prefixes, child(at, "prefixes"), check, scope)) {
      addToList(lists, target, family, prefix);
    }
  }
}

export function convertOutgoing(
  adv: Advertise | undefined,
  path: string,
  n: NeighborSide,
  router: RouterContext,
  ctx: ConfigContext,
): OutgoingModel | undefined {
  const errorsBefore = ctx.reporter.issues.filter((i) => i.severity === "error").length;
  const advertised = advertisedPrefixes(adv, path, n, router, ctx);
  const nextHopPath = child(path, "nextHop");
  const v4 = nextHop(adv?.nextHop?.ipv4, "ipv4", child(nextHopPath, "ipv4"), n, ctx);
  const v6 = nextHop(adv?.nextHop?.ipv6, "ipv6", child(nextHopPath, "ipv6"), n, ctx);
  const lists = new Map<string, PropertyList>();
  const scope: Scope = { n, ctx, advertised, lists };
  localPrefLists(adv?.withLocalPref, child(path, "withLocalPref"), scope);
  communityLists(adv?.withCommunity, child(path, "withCommunity"), scope);
  const errorsAfter = ctx.reporter.issues.filter((i) => i.severity === "error").length;
  if (errorsAfter > errorsBefore) return undefined;
  const properties = [...lists.values()].map((list) => ({ ...list, prefixes: sortedUnique(list.prefixes) }));
  return {
    ipv4: sortedUnique(advertised.ipv4),
    ipv6: sortedUnique(advertised.ipv6),
    ...(v4 && { nextHopIpv4: v4 }),
    ...(v6 && { nextHopIpv6: v6 }),
    properties,
  };
}
