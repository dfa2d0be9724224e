// Read BGP/BFD state out of a running FRR instance (vtysh JSON) and push configuration into it.
// Used for FRR peers (peer-frr.ts) and for the node (node-frr.ts): both are FrrInstances.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeFailure } from "../exec.ts";
import { formatProblems, readVtyshOutput } from "../frr-config.ts";
import type { FrrInstance } from "../frr-daemons.ts";
import type { ReceivedRoute, SessionInfo } from "./peer.ts";
import { familyOf, normalizeCommunity, type Family } from "./util.ts";

let configSeq = 0;

/**
 * Load configuration `text` into the running daemons (`vtysh -f`). Rejects when vtysh fails or a
 * daemon prints anything but a known notice (exit status alone misses CMD_WARNING answers).
 */
export async function applyFrrConfig(frr: FrrInstance, text: string): Promise<void> {
  const file = join(frr.dir, `lab-${process.pid}-${++configSeq}.conf`);
  writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
  const r = await frr.loadFile(file, { timeoutMs: 30_000 });
  const { problems } = readVtyshOutput(`${r.stdout}\n${r.stderr}`, text);
  if (r.code !== 0 || problems.length > 0) {
    throw new Error(
      `FRR in ${frr.netns} rejected configuration ${file}:\n${problems.length > 0 ? formatProblems(problems) : describeFailure(r)}`,
    );
  }
}

/** Run a `show ... json` command and parse its output. */
export async function frrJson(frr: FrrInstance, command: string): Promise<unknown> {
  const r = await frr.vtysh(["-c", command], { timeoutMs: 15_000 });
  if (r.code !== 0) throw new Error(describeFailure(r));
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    throw new Error(`\`${command}\` in ${frr.netns} did not print JSON: ${r.stdout.slice(0, 500)}`);
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** `show bgp neighbors json`, by neighbor (address, or interface name for interface peers). */
async function neighborsJson(frr: FrrInstance): Promise<[string, Json][]> {
  const data = await frrJson(frr, "show bgp neighbors json");
  if (!isObject(data)) return [];
  return Object.entries(data).filter((e): e is [string, Json] => isObject(e[1]));
}

/** BGP sessions of an FRR instance (default VRF). */
export async function frrSessions(frr: FrrInstance): Promise<SessionInfo[]> {
  return (await neighborsJson(frr)).map(([neighbor, n]) => {
    const state = str(n.bgpState) ?? "unknown";
    const upMs = num(n.bgpTimerUpMsec);
    const established = state === "Established";
    return {
      neighbor,
      state,
      established,
      ...(established && upMs !== undefined && { uptimeSec: Math.floor(upMs / 1000) }),
    };
  });
}

/** `connectionsEstablished` by neighbor: how often each session came up since bgpd started. */
export async function frrEstablishedTransitions(frr: FrrInstance): Promise<Record<string, number>> {
  return Object.fromEntries(
    (await neighborsJson(frr)).map(([neighbor, n]) => [neighbor, num(n.connectionsEstablished) ?? 0]),
  );
}

/** The paths of one prefix in `show bgp <afi> unicast json detail` (FRR 8.4: a header element, then the paths). */
function pathsOf(entry: unknown): Json[] {
  if (Array.isArray(entry)) return entry.filter(isObject).filter((p) => "peer" in p || "nexthops" in p);
  if (isObject(entry) && Array.isArray(entry.paths)) return entry.paths.filter(isObject);
  return [];
}

function listOf(v: unknown): string[] {
  if (!isObject(v)) return [];
  if (Array.isArray(v.list)) return v.list.filter((x): x is string => typeof x === "string");
  const s = str(v.string);
  return s === undefined || s === "" ? [] : s.split(" ");
}

function asPathOf(v: unknown): number[] {
  if (!isObject(v) || !Array.isArray(v.segments)) return [];
  return v.segments.flatMap((seg) =>
    isObject(seg) && Array.isArray(seg.list)
      ? seg.list.filter((x): x is number => typeof x === "number")
      : [],
  );
}

function nextHopOf(v: unknown): string {
  if (!Array.isArray(v)) return "";
  const hops = v.filter(isObject);
  const global = hops.find((h) => h.scope !== "link-local") ?? hops[0];
  return str(global?.ip) ?? "";
}

/** Routes an FRR instance received over BGP (best and non-best paths), both families. */
export async function frrReceivedRoutes(frr: FrrInstance): Promise<ReceivedRoute[]> {
  const out: ReceivedRoute[] = [];
  for (const family of ["ipv4", "ipv6"] as const satisfies readonly Family[]) {
    const data = await frrJson(frr, `show bgp ${family} unicast json detail`);
    const routes = isObject(data) && isObject(data.routes) ? data.routes : {};
    for (const [prefix, entry] of Object.entries(routes)) {
      for (const p of pathsOf(entry)) {
        const peer = isObject(p.peer) ? p.peer : {};
        const from = str(peer.peerId);
        if (p.local === true || p.sourced === true || from === undefined || from === "0.0.0.0") continue;
        const localPref = num(p.locPrf) ?? num(p.localpref) ?? num(p.localPref);
        out.push({
          prefix,
          family: familyOf(prefix),
          nextHop: nextHopOf(p.nexthops),
          communities: listOf(p.community).map(normalizeCommunity),
          largeCommunities: listOf(p.largeCommunity),
          asPath: asPathOf(p.aspath),
          from,
          ...(localPref !== undefined && { localPref }),
        });
      }
    }
  }
  return out;
}

export interface BfdPeerInfo {
  peer: string;
  local?: string;
  interface?: string;
  status: string;
  up: boolean;
}

/** `show bfd peers json`. */
export async function frrBfdPeers(frr: FrrInstance): Promise<BfdPeerInfo[]> {
  const data = await frrJson(frr, "show bfd peers json");
  if (!Array.isArray(data)) return [];
  return data.filter(isObject).map((p) => {
    const status = str(p.status) ?? "unknown";
    const local = str(p.local);
    const iface = str(p.interface);
    return {
      peer: str(p.peer) ?? "",
      status,
      up: status === "up",
      ...(local !== undefined && { local }),
      ...(iface !== undefined && { interface: iface }),
    };
  });
}
