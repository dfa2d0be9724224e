// Which established sessions a change makes FRR reset: users see these in status instead of a
// surprise flap. Everything else (policies, other neighbors, timers, BFD) applies in place.
import type { Command } from "./diff.ts";
import { definedNeighbor } from "./lines.ts";
import type { ConfigBlock } from "./parse.ts";

export interface SessionReset {
  /** "" for the default VRF. */
  vrf: string;
  /** Neighbor address or interface; "*" for every neighbor of the router. */
  neighbor: string;
  /** The command that causes it (passwords never included). */
  reason: string;
}

/** neighbor attributes whose change tears the session down (FRR 8.4 peer_flag/peer_*_set). */
const RESETTING =
  /^(?:no )?neighbor (\S+) (remote-as|interface remote-as|password|local-as|update-source|ebgp-multihop|port|capability \S+|disable-connected-check|ttl-security|activate)\b/;

export function sessionResets(commands: readonly Command[], running: ConfigBlock): SessionReset[] {
  const existing = new Map<string, Set<string>>();
  for (const router of running.blocks.filter((b) => b.header.startsWith("router bgp "))) {
    existing.set(router.header, new Set(router.lines.map(definedNeighbor).filter((n) => n !== undefined)));
  }
  const resets = new Map<string, SessionReset>();
  const add = (r: SessionReset): void => {
    resets.set(`${r.vrf}|${r.neighbor}|${r.reason}`, r);
  };
  for (const c of commands) {
    const router = c.path[0];
    if (router === undefined && c.text !== undefined && /^no router bgp \S+$/.test(c.text)) {
      if (existing.has(c.text.slice(3))) add({ vrf: "", neighbor: "*", reason: "router bgp removed" });
      continue;
    }
    const neighbors = router === undefined ? undefined : existing.get(router);
    if (router === undefined || neighbors === undefined || c.text === undefined) continue;
    const vrf = / vrf (\S+)$/.exec(router)?.[1] ?? "";
    if (/^(no )?bgp router-id/.test(c.text)) add({ vrf, neighbor: "*", reason: "bgp router-id" });
    const m = RESETTING.exec(c.text);
    const neighbor = m?.[1];
    if (neighbor === undefined || !neighbors.has(neighbor) || c.text === `no neighbor ${neighbor}`) continue;
    add({ vrf, neighbor, reason: `neighbor ${m?.[2] ?? ""}` });
  }
  return [...resets.values()];
}
