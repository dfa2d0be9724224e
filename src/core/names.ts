// Generated FRR object names, exactly as upstream frr-k8s names them: users' raw configs refer
// to them (e.g. `route-map 192.0.2.1-in permit 20`), so they are part of the API.
import type { IpFamily } from "./ip.ts";
import type { NeighborModel, PropertyList } from "./model.ts";

type Named = Pick<NeighborModel, "id" | "family">;

/** FRR's AFI keyword for prefix-lists: `ip` or `ipv6`. */
export function afiKeyword(family: IpFamily): "ip" | "ipv6" {
  return family === "ipv4" ? "ip" : "ipv6";
}

export const routeMapIn = (n: Named): string => `${n.id}-in`;
export const routeMapOut = (n: Named): string => `${n.id}-out`;
export const allowedOutList = (n: Named, family: IpFamily): string => `${n.id}-allowed-${family}`;
export const incomingList = (n: Named): string => `${n.id}-inpl-${n.family}`;
export const deniedIncomingList = (n: Named): string => `${n.id}-denied-inpl-${n.family}`;

export function propertyListName(n: Named, list: PropertyList): string {
  const afi = afiKeyword(list.family);
  return list.action.kind === "localPref"
    ? `${n.id}-${list.action.value}-${afi}-localpref-prefixes`
    : `${n.id}-${list.action.key}-${afi}-community-prefixes`;
}
