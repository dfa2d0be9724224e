// The node side of the lab: its kernel routing table (what FRR installed), and waits on it.
// The node runs FRR (frr-daemons.ts); BGP/BFD state readers for it are in frr-state.ts.
import { runChecked } from "../exec.ts";
import type { FrrInstance } from "../frr-daemons.ts";
import { frrSessions } from "./frr-state.ts";
import { describeSessions, type SessionInfo } from "./peer.ts";
import { waitFor, type Family, type WaitOptions } from "./util.ts";

export interface KernelRoute {
  prefix: string;
  family: Family;
  /** Gateways (one per nexthop; empty for a directly connected or blackhole route). */
  gateways: string[];
  /** Devices, one per nexthop. */
  devs: string[];
  protocol: string;
  metric?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parse `ip -j route show` output. */
export function parseIpRoutes(json: string, family: Family, protocol: string): KernelRoute[] {
  const data = JSON.parse(json === "" ? "[]" : json) as unknown;
  if (!Array.isArray(data)) return [];
  return data.filter(isObject).map((r) => {
    const hops = Array.isArray(r.nexthops) ? r.nexthops.filter(isObject) : [r];
    const dst = typeof r.dst === "string" ? r.dst : "";
    const prefix =
      dst === "default"
        ? family === "ipv4"
          ? "0.0.0.0/0"
          : "::/0"
        : dst.includes("/")
          ? dst
          : `${dst}/${family === "ipv4" ? 32 : 128}`;
    return {
      prefix,
      family,
      // IPv4 over an IPv6 next hop (RFC 8950) shows as "via": {"family": "inet6", "host": ...}.
      gateways: hops
        .map((h) => h.gateway ?? (isObject(h.via) ? h.via.host : undefined))
        .filter((g): g is string => typeof g === "string"),
      devs: hops.map((h) => h.dev).filter((d): d is string => typeof d === "string"),
      protocol: typeof r.protocol === "string" ? r.protocol : protocol,
      ...(typeof r.metric === "number" && { metric: r.metric }),
    };
  });
}

/** Routes of protocol `protocol` (default "bgp") in namespace `netns`'s main table, both families. */
export async function kernelRoutes(netns: string, protocol = "bgp"): Promise<KernelRoute[]> {
  const out: KernelRoute[] = [];
  for (const family of ["ipv4", "ipv6"] as const) {
    const r = await runChecked(
      "ip",
      ["-j", "-n", netns, family === "ipv4" ? "-4" : "-6", "route", "show", "proto", protocol],
      { timeoutMs: 10_000 },
    );
    out.push(...parseIpRoutes(r.stdout.trim(), family, protocol));
  }
  return out;
}

/** Wait until `prefix` is in `netns`'s kernel table (proto bgp) and `match` holds; resolves with it. */
export async function waitForKernelRoute(
  netns: string,
  prefix: string,
  match: (r: KernelRoute) => boolean = () => true,
  options: WaitOptions = {},
): Promise<KernelRoute> {
  let last: KernelRoute[] = [];
  return waitFor(
    `kernel route ${prefix} in ${netns}`,
    async () => {
      last = await kernelRoutes(netns);
      return last.find((r) => r.prefix === prefix && match(r));
    },
    { ...options, describe: () => JSON.stringify(last) },
  );
}

/** Wait until `prefix` is no longer in `netns`'s kernel table (proto bgp). */
export async function waitForKernelRouteGone(
  netns: string,
  prefix: string,
  options: WaitOptions = {},
): Promise<void> {
  let last: KernelRoute[] = [];
  await waitFor(
    `kernel route ${prefix} in ${netns} to go away`,
    async () => {
      last = await kernelRoutes(netns);
      return !last.some((r) => r.prefix === prefix);
    },
    { ...options, describe: () => JSON.stringify(last) },
  );
}

/** Wait until the node's sessions with `neighbors` (addresses or interface names) are Established. */
export async function waitForFrrEstablished(
  frr: FrrInstance,
  neighbors: readonly string[],
  options: WaitOptions = {},
): Promise<SessionInfo[]> {
  let last: SessionInfo[] = [];
  return waitFor(
    `FRR in ${frr.netns}: sessions with ${neighbors.join(", ")} Established`,
    async () => {
      last = await frrSessions(frr);
      return neighbors.every((n) => last.some((s) => s.neighbor === n && s.established)) ? last : undefined;
    },
    { ...options, describe: () => `${describeSessions(last)}\nbgpd log:\n${frr.logTail("bgpd", 1500)}` },
  );
}
