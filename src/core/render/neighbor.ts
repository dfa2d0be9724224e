// Neighbor session lines and address-family activation inside `router bgp`.
import type { NeighborModel, RouterModel } from "../model.ts";
import { routeMapIn, routeMapOut } from "../names.ts";
import { wholeSeconds } from "../duration.ts";

/** The token FRR uses for the neighbor: its interface for unnumbered peers, else its address. */
export function peerToken(n: NeighborModel): string {
  return n.interface ?? n.address ?? n.id;
}

const BGP_PORT = 179;
const DEFAULT_KEEPALIVE_MS = 60_000;
const DEFAULT_HOLD_MS = 180_000;

/** Single-hop eBGP over IPv6 only: the link-local next hop would fail FRR's connected check. */
function mustDisableConnectedCheck(n: NeighborModel, routerAsn: number): boolean {
  if (n.family !== "ipv6" || n.ebgpMultiHop === true) return false;
  return n.asn === "external" || (n.asn !== "internal" && Number(n.asn) !== routerAsn);
}

function timerLines(p: string, n: NeighborModel): string[] {
  const lines: string[] = [];
  const { holdTime, keepaliveTime, connectTime } = n.timers;
  // Both values go on one line; a side set to FRR's default still needs the other one written.
  if (holdTime !== undefined || keepaliveTime !== undefined) {
    const keepalive = wholeSeconds(keepaliveTime ?? DEFAULT_KEEPALIVE_MS);
    const hold = wholeSeconds(holdTime ?? DEFAULT_HOLD_MS);
    lines.push(`neighbor ${p} timers ${keepalive} ${hold}`);
  }
  if (connectTime !== undefined) lines.push(`neighbor ${p} timers connect ${wholeSeconds(connectTime)}`);
  return lines;
}

export function sessionLines(n: NeighborModel, router: RouterModel): string[] {
  const p = peerToken(n);
  const lines = [
    n.interface ? `neighbor ${p} interface remote-as ${n.asn}` : `neighbor ${p} remote-as ${n.asn}`,
  ];
  if (n.ebgpMultiHop) lines.push(`neighbor ${p} ebgp-multihop`);
  if (n.localAsn !== undefined) lines.push(`neighbor ${p} local-as ${n.localAsn} no-prepend replace-as`);
  // 179 is BGP's own port: FRR neither needs nor shows the line.
  if (n.port !== undefined && n.port !== BGP_PORT) lines.push(`neighbor ${p} port ${n.port}`);
  lines.push(...timerLines(p, n));
  if (n.password !== undefined) lines.push(`neighbor ${p} password ${n.password}`);
  if (n.sourceAddress !== undefined) lines.push(`neighbor ${p} update-source ${n.sourceAddress}`);
  if (n.gracefulRestart) lines.push(`neighbor ${p} graceful-restart`);
  if (n.bfdProfile !== undefined)
    lines.push(`neighbor ${p} bfd`, `neighbor ${p} bfd profile ${n.bfdProfile}`);
  if (mustDisableConnectedCheck(n, router.asn)) lines.push(`neighbor ${p} disable-connected-check`);
  return lines;
}

/** Explicit activation: `no bgp default ipv4-unicast` would otherwise leave sessions idle. */
export function activatesUnicast(n: NeighborModel, family: "ipv4" | "ipv6"): boolean {
  const unicast = n.addressFamilies.length === 0 || n.addressFamilies.includes("unicast");
  return unicast && (n.family === "dual" || n.family === family);
}

export function activationLines(n: NeighborModel): string[] {
  const p = peerToken(n);
  return [
    `neighbor ${p} activate`,
    `neighbor ${p} route-map ${routeMapIn(n)} in`,
    `neighbor ${p} route-map ${routeMapOut(n)} out`,
  ];
}
