// A GoBGP peer: `gobgpd -f gobgpd.toml --api-hosts 127.0.0.1:<port>` as a foreground child in
// the peer's namespace (its gRPC API needs `lo` up there: lab pitfall 16). State is read with
// `gobgp -j` inside the namespace. Announcements go through the API (`gobgp global rib add/del`),
// which changes no session.
//
// Quirks: GoBGP has no BFD (a neighbor with `bfd` is rejected here). After a session reset GoBGP
// stays Idle for `idle-hold-time-after-reset` (default 30 s); it is set to 1 s here. Its JSON has
// no reliable flap counter (`state.flops` stayed unset after a reset), so establishedTransitions()
// counts the "Peer Up" lines of its log.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFailure, runCommand } from "../exec.ts";
import { netnsCommand } from "../netns.ts";
import {
  checkAnnouncement,
  DEFAULT_CONNECT_RETRY_SEC,
  neighborFamilies,
  toAnnouncement,
  type Announcement,
  type Peer,
  type PeerBgpConfig,
  type ReceivedRoute,
  type SessionInfo,
  type StartPeerOptions,
} from "./peer.ts";
import { communityFromNumber, familyOf, spawnDaemon, stopperWithDir, waitFor, type Family } from "./util.ts";

export const GOBGPD = "gobgpd";
export const GOBGP = "gobgp";
export const DEFAULT_GOBGP_API_PORT = 50051;

export interface GobgpPeer extends Peer {
  readonly kind: "gobgp";
  /** Run `gobgp -u 127.0.0.1 -p PORT args...` in the namespace; resolves with stdout, rejects on failure. */
  gobgp(...args: string[]): Promise<string>;
}

export interface StartGobgpPeerOptions extends StartPeerOptions {
  /** gRPC API port on the namespace's 127.0.0.1. Default 50051. */
  apiPort?: number;
}

/** Things missing to run a GoBGP peer here (empty when all is there). */
export async function gobgpPeerPrerequisiteProblems(): Promise<string[]> {
  const problems: string[] = [];
  for (const file of [GOBGPD, GOBGP]) {
    try {
      await runCommand(file, ["--help"], { timeoutMs: 10_000 });
    } catch {
      problems.push(`${file} is not installed (apt-get install gobgpd)`);
    }
  }
  return problems;
}

const AFI_SAFI: Record<Family, string> = { ipv4: "ipv4-unicast", ipv6: "ipv6-unicast" };

/** gobgpd.toml for `config`. */
export function renderGobgpConfig(config: PeerBgpConfig): string {
  const q = (s: string) => JSON.stringify(s); // a TOML basic string is a JSON string
  const lines = ["[global.config]", `  as = ${config.asn}`, `  router-id = ${q(config.routerId)}`];
  for (const n of config.neighbors) {
    if (n.bfd === true) throw new Error("GoBGP has no BFD: drop `bfd` for GoBGP neighbors");
    lines.push("[[neighbors]]", "  [neighbors.config]");
    if (n.address !== undefined) lines.push(`    neighbor-address = ${q(n.address)}`);
    else if (n.interface !== undefined) lines.push(`    neighbor-interface = ${q(n.interface)}`);
    else throw new Error("a neighbor needs an address or an interface");
    lines.push(`    peer-as = ${n.remoteAs}`);
    if (n.password !== undefined) lines.push(`    auth-password = ${q(n.password)}`);
    lines.push(
      "  [neighbors.timers.config]",
      `    connect-retry = ${n.connectRetrySec ?? DEFAULT_CONNECT_RETRY_SEC}`,
      "    idle-hold-time-after-reset = 1",
    );
    if (n.timers !== undefined) {
      lines.push(`    hold-time = ${n.timers.holdSec}`, `    keepalive-interval = ${n.timers.keepaliveSec}`);
    }
    if (n.passive === true || n.localAddress !== undefined) {
      lines.push("  [neighbors.transport.config]");
      if (n.passive === true) lines.push("    passive-mode = true");
      if (n.localAddress !== undefined) lines.push(`    local-address = ${q(n.localAddress)}`);
    }
    if (n.multihop !== undefined) {
      lines.push(
        "  [neighbors.ebgp-multihop.config]",
        "    enabled = true",
        `    multihop-ttl = ${n.multihop}`,
      );
    }
    for (const f of neighborFamilies(n)) {
      lines.push(
        "  [[neighbors.afi-safis]]",
        "    [neighbors.afi-safis.config]",
        `      afi-safi-name = ${q(AFI_SAFI[f])}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** GoBGP session states (apipb.PeerState_SessionState), as numbers or names. */
const SESSION_STATES = ["unknown", "Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established"];

function sessionStateName(v: unknown): string {
  if (typeof v === "number") return SESSION_STATES[v] ?? `state ${v}`;
  if (typeof v === "string") {
    const s = v.toLowerCase();
    return SESSION_STATES.find((x) => x.toLowerCase() === s) ?? v;
  }
  return "unknown";
}

/** `gobgp -j neighbor` -> sessions. */
export function parseGobgpNeighbors(data: unknown, nowSec: number): SessionInfo[] {
  if (!Array.isArray(data)) return [];
  return data.filter(isObject).map((n) => {
    const conf = isObject(n.conf) ? n.conf : {};
    const state = isObject(n.state) ? n.state : {};
    const timers = isObject(n.timers) && isObject(n.timers.state) ? n.timers.state : {};
    const neighbor = [conf.neighbor_address, state.neighbor_address, conf.neighbor_interface].find(
      (x): x is string => typeof x === "string" && x !== "",
    );
    const name = sessionStateName(state.session_state);
    const established = name === "Established";
    const up = isObject(timers.uptime) ? timers.uptime.seconds : undefined;
    return {
      neighbor: neighbor ?? "?",
      state: name,
      established,
      ...(established && typeof up === "number" && { uptimeSec: Math.max(0, nowSec - up) }),
    };
  });
}

/** `gobgp -j global rib -a <family>` -> the paths received from a neighbor. */
export function parseGobgpRib(data: unknown, family: Family): ReceivedRoute[] {
  if (!isObject(data)) return [];
  const out: ReceivedRoute[] = [];
  for (const [prefix, paths] of Object.entries(data)) {
    if (!Array.isArray(paths)) continue;
    for (const p of paths.filter(isObject)) {
      const from = p["neighbor-ip"];
      if (typeof from !== "string" || from === "") continue; // locally originated
      const route: ReceivedRoute = {
        prefix,
        family,
        nextHop: "",
        communities: [],
        largeCommunities: [],
        asPath: [],
        from,
      };
      for (const a of Array.isArray(p.attrs) ? p.attrs.filter(isObject) : []) {
        readAttr(route, a);
      }
      out.push(route);
    }
  }
  return out;
}

function readAttr(route: ReceivedRoute, a: Json): void {
  switch (a.type) {
    case 2: // AS_PATH
      route.asPath = (Array.isArray(a.as_paths) ? a.as_paths.filter(isObject) : []).flatMap((s) =>
        Array.isArray(s.asns) ? s.asns.filter((x): x is number => typeof x === "number") : [],
      );
      break;
    case 3: // NEXT_HOP
    case 14: // MP_REACH_NLRI
      if (typeof a.nexthop === "string") route.nextHop = a.nexthop;
      break;
    case 5: // LOCAL_PREF
      if (typeof a.value === "number") route.localPref = a.value;
      break;
    case 8: // COMMUNITIES
      route.communities = (Array.isArray(a.communities) ? a.communities : [])
        .filter((x): x is number => typeof x === "number")
        .map(communityFromNumber);
      break;
    case 32: // LARGE_COMMUNITY
      route.largeCommunities = (Array.isArray(a.value) ? a.value.filter(isObject) : []).map(
        (v) =>
          `${String(v.ASN ?? v.global_admin)}:${String(v.LocalData1 ?? v.local_data1)}:${String(v.LocalData2 ?? v.local_data2)}`,
      );
      break;
    default:
      break;
  }
}

/** Start a GoBGP peer in `options.netns`. */
export async function startGobgpPeer(options: StartGobgpPeerOptions): Promise<GobgpPeer> {
  const toml = renderGobgpConfig(options); // validates before anything starts
  const port = options.apiPort ?? DEFAULT_GOBGP_API_PORT;
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "frrk8s-lab-gobgp-"));
  const conf = join(dir, "gobgpd.toml");
  const logFile = join(dir, "gobgpd.log");
  writeFileSync(conf, toml);
  const daemon = (() => {
    try {
      return spawnDaemon({
        name: "gobgpd",
        netns: options.netns,
        file: GOBGPD,
        // -p: plain log lines ("Peer Up" is counted in them); no pprof listener.
        args: ["-f", conf, "-p", "--api-hosts", `127.0.0.1:${port}`, "--pprof-disable"],
        logFile,
      });
    } catch (e) {
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  })();
  const gobgp = async (...args: string[]) => {
    const [file, argv] = netnsCommand(options.netns, GOBGP, ["-u", "127.0.0.1", "-p", String(port), ...args]);
    const r = await runCommand(file, argv, { timeoutMs: 15_000 });
    if (r.code !== 0) throw new Error(describeFailure(r));
    return r.stdout;
  };
  const gobgpJson = async (...args: string[]): Promise<unknown> => {
    const out = await gobgp("-j", ...args);
    try {
      return JSON.parse(out) as unknown;
    } catch {
      throw new Error(`gobgp -j ${args.join(" ")} did not print JSON: ${out.slice(0, 300)}`);
    }
  };
  const stop = stopperWithDir(`GoBGP peer dir ${dir}`, dir, ownDir, daemon);
  const announced = new Map<string, Announcement>();
  const announce = async (prefixes: readonly (string | Announcement)[]) => {
    for (const a of prefixes.map(toAnnouncement)) {
      checkAnnouncement(a);
      const args = ["global", "rib", "-a", familyOf(a.prefix), "add", a.prefix];
      if ((a.communities?.length ?? 0) > 0) args.push("community", (a.communities ?? []).join(","));
      if ((a.largeCommunities?.length ?? 0) > 0) {
        args.push("large-community", (a.largeCommunities ?? []).join(","));
      }
      await gobgp(...args); // replaces an earlier path for the same prefix
      announced.set(a.prefix, a);
    }
  };

  try {
    await waitFor(
      "gobgpd to answer on its API",
      async () => {
        const s = daemon.status();
        if (s !== undefined) {
          throw new Error(
            `gobgpd exited (code ${String(s.code)}, signal ${String(s.signal)}):\n${daemon.logTail()}`,
          );
        }
        await gobgp("global");
        return true;
      },
      { timeoutMs: options.startTimeoutMs ?? 20_000, intervalMs: 100, describe: () => daemon.logTail() },
    );
    await announce(options.announce ?? []);
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    kind: "gobgp",
    netns: options.netns,
    asn: options.asn,
    dir,
    gobgp,
    sessions: async () => parseGobgpNeighbors(await gobgpJson("neighbor"), Math.floor(Date.now() / 1000)),
    routes: async () => [
      ...parseGobgpRib(await gobgpJson("global", "rib", "-a", "ipv4"), "ipv4"),
      ...parseGobgpRib(await gobgpJson("global", "rib", "-a", "ipv6"), "ipv6"),
    ],
    announce,
    withdraw: async (prefixes) => {
      for (const p of prefixes) {
        if (!announced.has(p)) continue;
        await gobgp("global", "rib", "-a", familyOf(p), "del", p);
        announced.delete(p);
      }
    },
    announced: () => [...announced.values()],
    establishedTransitions: () => {
      const counts: Record<string, number> = {};
      for (const n of options.neighbors) counts[n.address ?? n.interface ?? "?"] = 0;
      for (const m of daemon.logTail(50_000_000).matchAll(/msg="Peer Up" Key="?([^"\s]+)"?/g)) {
        const key = m[1] ?? "";
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return Promise.resolve(counts);
    },
    pids: () => (daemon.status() === undefined ? [daemon.pid] : []),
    logTail: (maxBytes = 2000) => daemon.logTail(maxBytes),
    stop,
  };
}
