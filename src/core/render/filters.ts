// Per-neighbor prefix-lists and route-maps. Default deny both ways: an empty outbound list is
// `deny any`, an empty inbound family is `deny any`; always-block denies come before permits.
import type { IpFamily } from "../ip.ts";
import type { AlwaysBlockModel, NeighborModel, PrefixSelectorModel, PropertyList } from "../model.ts";
import {
  afiKeyword,
  allowedOutList,
  deniedIncomingList,
  incomingList,
  propertyListName,
  routeMapIn,
  routeMapOut,
} from "../names.ts";
import type { Counters } from "./counters.ts";

interface Out {
  prefixLists: string[];
  routeMaps: string[];
}

function routeMapEntry(out: Out, name: string, action: "permit" | "deny", seq: number, body: string[]): void {
  out.routeMaps.push(`route-map ${name} ${action} ${seq}`, ...body.map((l) => ` ${l}`), "exit", "!");
}

function setLine(list: PropertyList): string {
  const action = list.action;
  if (action.kind === "localPref") return `set local-preference ${action.value}`;
  return action.large
    ? `set large-community ${action.value} additive`
    : `set community ${action.value} additive`;
}

/** `<list> seq <n> permit <prefix>` for each prefix, numbered from `firstSeq` (the hot loop). */
function permitEach(out: Out, list: string, prefixes: readonly string[], firstSeq: number): void {
  const head = `${list} seq `;
  for (let i = 0; i < prefixes.length; i++)
    out.prefixLists.push(`${head}${firstSeq + i} permit ${prefixes[i]!}`);
}

function renderProperties(n: NeighborModel, counters: Counters, out: Out): void {
  for (const list of n.outgoing.properties) {
    const name = propertyListName(n, list);
    const afi = afiKeyword(list.family);
    permitEach(
      out,
      `${afi} prefix-list ${name}`,
      list.prefixes,
      counters.takeRange(name, list.prefixes.length),
    );
    routeMapEntry(out, routeMapOut(n), "permit", counters.take(n.id), [
      `match ${afi} address prefix-list ${name}`,
      setLine(list),
      "on-match next",
    ]);
  }
}

function renderAllowedOut(n: NeighborModel, family: IpFamily, counters: Counters, out: Out): void {
  const name = allowedOutList(n, family);
  const afi = afiKeyword(family);
  const prefixes = n.outgoing[family];
  if (prefixes.length === 0)
    out.prefixLists.push(`${afi} prefix-list ${name} seq ${counters.take(name)} deny any`);
  permitEach(out, `${afi} prefix-list ${name}`, prefixes, counters.takeRange(name, prefixes.length));
  const nextHop = family === "ipv4" ? n.outgoing.nextHopIpv4 : n.outgoing.nextHopIpv6;
  const set =
    nextHop === undefined
      ? []
      : [family === "ipv4" ? `set ip next-hop ${nextHop}` : `set ipv6 next-hop global ${nextHop}`];
  routeMapEntry(out, routeMapOut(n), "permit", counters.take(n.id), [
    `match ${afi} address prefix-list ${name}`,
    ...set,
  ]);
}

function selectorLine(s: PrefixSelectorModel): string {
  return `permit ${s.prefix}${s.ge === undefined ? "" : ` ge ${s.ge}`}${s.le === undefined ? "" : ` le ${s.le}`}`;
}

function renderIncomingList(n: NeighborModel, counters: Counters, out: Out): void {
  const name = incomingList(n);
  const entry = (family: IpFamily, rest: string): void => {
    out.prefixLists.push(`${afiKeyword(family)} prefix-list ${name} seq ${counters.take(name)} ${rest}`);
  };
  if (n.incoming.all) {
    entry("ipv4", "permit any");
    entry("ipv6", "permit any");
    return;
  }
  // Upstream order (and so its sequence numbers): every filter, then the default denies.
  for (const s of [...n.incoming.ipv4, ...n.incoming.ipv6]) entry(s.family, selectorLine(s));
  for (const family of ["ipv4", "ipv6"] as const)
    if (n.incoming[family].length === 0) entry(family, "deny any");
}

function renderAlwaysBlock(
  n: NeighborModel,
  blocked: readonly AlwaysBlockModel[],
  counters: Counters,
  out: Out,
): void {
  if (blocked.length === 0) return;
  const name = deniedIncomingList(n);
  for (const b of blocked) {
    const max = b.family === "ipv4" ? 32 : 128;
    out.prefixLists.push(
      `${afiKeyword(b.family)} prefix-list ${name} seq ${counters.take(name)} permit ${b.prefix} le ${max}`,
    );
  }
  for (const afi of ["ip", "ipv6"]) {
    routeMapEntry(out, routeMapIn(n), "deny", counters.take(n.id), [
      `match ${afi} address prefix-list ${name}`,
    ]);
  }
}

/** Appends the neighbor's prefix-lists, then its route-maps, to `lines`. */
export function renderNeighborFilters(
  n: NeighborModel,
  blocked: readonly AlwaysBlockModel[],
  counters: Counters,
  lines: string[],
): void {
  const out: Out = { prefixLists: lines, routeMaps: [] };
  renderProperties(n, counters, out);
  renderAllowedOut(n, "ipv4", counters, out);
  renderAllowedOut(n, "ipv6", counters, out);
  renderIncomingList(n, counters, out);
  renderAlwaysBlock(n, blocked, counters, out);
  for (const afi of ["ip", "ipv6"]) {
    routeMapEntry(out, routeMapIn(n), "permit", counters.take(n.id), [
      `match ${afi} address prefix-list ${incomingList(n)}`,
    ]);
  }
  lines.push("!");
  for (const line of out.routeMaps) lines.push(line);
}
