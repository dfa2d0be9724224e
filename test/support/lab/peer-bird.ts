// A BIRD 2 BGP peer: `bird -f -c bird.conf -s bird.ctl` as a foreground child in the peer's
// namespace. State is read with `birdc` (text only: BIRD 2 has no JSON) and parsed here.
// Announcements are blackhole routes of two static protocols (lab_ann4/lab_ann6), exported to
// every BGP neighbor; announce/withdraw rewrite bird.conf and run `birdc configure`, which
// reconfigures the static protocols only (the BGP protocols are unchanged, so no session reset).
//
// Quirks (shared/docs/frr-lab.md §4.10): with BFD, BIRD drops a session that comes up before
// its BFD session ("BFD session down") and then waits `error wait time` before it accepts the
// node again; the default (60 s) is cut to 1 s here, and such a session counts twice in
// establishedTransitions().
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFailure, runCommand } from "../exec.ts";
import {
  checkAnnouncement,
  DEFAULT_CONNECT_RETRY_SEC,
  neighborFamilies,
  neighborKey,
  toAnnouncement,
  type Announcement,
  type Peer,
  type PeerBgpConfig,
  type ReceivedRoute,
  type SessionInfo,
  type StartPeerOptions,
} from "./peer.ts";
import { familyOf, spawnDaemon, stopperWithDir, waitFor } from "./util.ts";

/** Debian's bird2 installs to /usr/sbin, which is not on every PATH. */
const sbin = (name: string) => (existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : name);
export const BIRD = sbin("bird");
export const BIRDC = sbin("birdc");

export interface BirdPeer extends Peer {
  readonly kind: "bird";
  /** Run a birdc command (words as separate arguments); resolves with its output, rejects on failure. */
  birdc(...command: string[]): Promise<string>;
}

/** Things missing to run a BIRD peer here (empty when all is there). */
export async function birdPeerPrerequisiteProblems(): Promise<string[]> {
  const problems: string[] = [];
  for (const file of [BIRD, BIRDC]) {
    try {
      await runCommand(file, ["--version"], { timeoutMs: 10_000 });
    } catch {
      problems.push(`${file} is not installed (apt-get install bird2)`);
    }
  }
  return problems;
}

/** The BGP protocol name of neighbor i. */
function protocolName(i: number): string {
  return `lab_n${i}`;
}

function staticRoute(a: Announcement): string {
  const attrs = [
    ...(a.communities ?? []).map((c) => `bgp_community.add((${c.replace(":", ",")}));`),
    ...(a.largeCommunities ?? []).map((c) => `bgp_large_community.add((${c.replaceAll(":", ",")}));`),
  ];
  return `  route ${a.prefix} blackhole${attrs.length > 0 ? ` { ${attrs.join(" ")} }` : ""};`;
}

/** bird.conf for `config` announcing `announced`. */
export function renderBirdConfig(
  config: PeerBgpConfig,
  announced: readonly Announcement[],
  logFile: string,
): string {
  const lines = [
    `router id ${config.routerId};`,
    `log "${logFile}" all;`,
    // Dates in `show protocols` (the default is a time of day only).
    "timeformat protocol iso long;",
    "protocol device { }",
  ];
  for (const [name, family] of [
    ["lab_ann4", "ipv4"],
    ["lab_ann6", "ipv6"],
  ] as const) {
    lines.push(`protocol static ${name} {`, `  ${family};`);
    for (const a of announced.filter((x) => familyOf(x.prefix) === family)) lines.push(staticRoute(a));
    lines.push("}");
  }
  if (config.neighbors.some((n) => n.bfd === true)) {
    lines.push(
      "protocol bfd {",
      '  interface "*" { min rx interval 300 ms; min tx interval 300 ms; };',
      "  multihop { min rx interval 300 ms; min tx interval 300 ms; };",
      "}",
    );
  }
  const llIfaces = [
    ...new Set(config.neighbors.flatMap((n) => (n.interface === undefined ? [] : [n.interface]))),
  ];
  if (llIfaces.length > 0) {
    // FRR's interface peering (`neighbor IFACE interface`) learns the other end's link-local
    // address from its router advertisements: without them the node's session stays Idle and it
    // resets BIRD's connections. Lifetime 0: nobody may use the peer as a default router.
    lines.push("protocol radv {");
    for (const iface of llIfaces) {
      lines.push(`  interface "${iface}" { min ra interval 3; max ra interval 4; default lifetime 0; };`);
    }
    lines.push("}");
  }
  config.neighbors.forEach((n, i) => {
    if (n.address === undefined) {
      throw new Error("BIRD peers need the neighbor's address (for link-local: address + interface)");
    }
    const families = neighborFamilies(n);
    const overV6 = familyOf(n.address) === "ipv6";
    lines.push(
      `protocol bgp ${protocolName(i)} {`,
      `  local${n.localAddress === undefined ? "" : ` ${n.localAddress}`} as ${config.asn};`,
      `  neighbor ${n.address} as ${n.remoteAs};`,
      ...(n.interface === undefined ? [] : [`  interface "${n.interface}";`]),
      ...(n.password === undefined ? [] : [`  password "${n.password}";`]),
      ...(n.bfd === true ? ["  bfd on;"] : []),
      ...(n.multihop === undefined ? [] : [`  multihop ${n.multihop};`]),
      ...(n.passive === true ? ["  passive on;"] : []),
      ...(n.timers === undefined
        ? []
        : [`  hold time ${n.timers.holdSec};`, `  keepalive time ${n.timers.keepaliveSec};`]),
      "  connect delay time 1;",
      `  connect retry time ${n.connectRetrySec ?? DEFAULT_CONNECT_RETRY_SEC};`,
      "  error wait time 1, 16;",
      "  debug { states, events };",
    );
    for (const family of families) {
      // IPv4 routes over an IPv6 session need IPv6 next hops (RFC 8950), and the reverse.
      const extended = (family === "ipv4") === overV6 ? " extended next hop on;" : "";
      lines.push(
        `  ${family} { import all; export where proto = "${family === "ipv4" ? "lab_ann4" : "lab_ann6"}";${extended} };`,
      );
    }
    lines.push("}");
  });
  return `${lines.join("\n")}\n`;
}

interface ParsedProtocol {
  name: string;
  state: string;
  since?: Date;
  info: string;
}

/** `birdc show protocols` lines of BGP protocols. */
export function parseBirdProtocols(text: string): ParsedProtocol[] {
  const out: ParsedProtocol[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\S+)\s+BGP\s+\S+\s+(\S+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|\S+)\s*(.*)$/.exec(
      line,
    );
    if (m === null) continue;
    const sinceText = m[3] ?? "";
    const since = /^\d{4}-/.test(sinceText) ? new Date(sinceText.replace(" ", "T")) : undefined;
    out.push({
      name: m[1] ?? "",
      state: m[2] ?? "",
      info: (m[4] ?? "").trim(),
      ...(since !== undefined && !Number.isNaN(since.getTime()) && { since }),
    });
  }
  return out;
}

/** `birdc show route all` -> BGP routes of the given protocols (name -> neighbor). */
export function parseBirdRoutes(text: string, protocols: ReadonlyMap<string, string>): ReceivedRoute[] {
  const out: ReceivedRoute[] = [];
  let prefix = "";
  let current: ReceivedRoute | undefined;
  const flush = () => {
    if (current !== undefined) out.push(current);
    current = undefined;
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("\t")) {
      if (current === undefined) continue;
      const attr = /^\s*([\w.]+):\s(.*)$/.exec(line);
      if (attr === null) continue;
      const [, key, value = ""] = attr;
      if (key === "BGP.next_hop") current.nextHop = value.trim().split(/\s+/)[0] ?? "";
      else if (key === "BGP.as_path") current.asPath = (value.match(/\d+/g) ?? []).map(Number);
      else if (key === "BGP.local_pref") current.localPref = Number(value.trim());
      else if (key === "BGP.community") {
        current.communities = [...value.matchAll(/\((\d+),\s*(\d+)\)/g)].map((x) => `${x[1]}:${x[2]}`);
      } else if (key === "BGP.large_community") {
        current.largeCommunities = [...value.matchAll(/\((\d+),\s*(\d+),\s*(\d+)\)/g)].map(
          (x) => `${x[1]}:${x[2]}:${x[3]}`,
        );
      }
      continue;
    }
    if (line.startsWith("Table ") || line.startsWith("BIRD ") || line.trim() === "") {
      flush();
      continue;
    }
    // "<prefix>   unicast [proto time...] * (100) [AS64512i]"; the prefix is blank for a second
    // route of the same prefix.
    const m = /^(\S*)\s+\S+\s+\[(\S+)[\s\]]/.exec(line);
    flush();
    if (m === null) continue;
    if ((m[1] ?? "") !== "") prefix = m[1] ?? "";
    const from = protocols.get(m[2] ?? "");
    if (from === undefined || prefix === "") continue;
    current = {
      prefix,
      family: familyOf(prefix),
      nextHop: "",
      communities: [],
      largeCommunities: [],
      asPath: [],
      from,
    };
  }
  flush();
  return out;
}

/** Start a BIRD peer in `options.netns`. */
export async function startBirdPeer(options: StartPeerOptions): Promise<BirdPeer> {
  for (const n of options.neighbors) {
    if (n.address === undefined) throw new Error("BIRD peers need neighbor addresses");
  }
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "frrk8s-lab-bird-"));
  const conf = join(dir, "bird.conf");
  const sock = join(dir, "bird.ctl");
  const logFile = join(dir, "bird.log");
  const announced = new Map<string, Announcement>();
  for (const a of (options.announce ?? []).map(toAnnouncement)) {
    checkAnnouncement(a);
    announced.set(a.prefix, a);
  }
  const protocols = new Map(options.neighbors.map((n, i) => [protocolName(i), neighborKey(n)]));
  const writeConfig = () => {
    writeFileSync(conf, renderBirdConfig(options, [...announced.values()], logFile));
  };
  writeConfig();

  const daemon = (() => {
    try {
      return spawnDaemon({
        name: "bird",
        netns: options.netns,
        file: BIRD,
        args: ["-f", "-c", conf, "-s", sock],
        logFile: join(dir, "bird.out"),
      });
    } catch (e) {
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  })();
  const logTail = (maxBytes = 2000) => {
    let log = "";
    try {
      log = readFileSync(logFile, "utf8");
    } catch {
      // not written yet
    }
    return `${daemon.logTail(500)}${log}`.slice(-maxBytes);
  };
  const birdc = async (...command: string[]) => {
    const r = await runCommand(BIRDC, ["-s", sock, ...command], { timeoutMs: 15_000 });
    if (r.code !== 0) throw new Error(describeFailure(r));
    return r.stdout;
  };
  const stop = stopperWithDir(`BIRD peer dir ${dir}`, dir, ownDir, daemon);

  try {
    await waitFor(
      "BIRD to answer on its control socket",
      async () => {
        const s = daemon.status();
        if (s !== undefined) {
          throw new Error(`bird exited (code ${String(s.code)}, signal ${String(s.signal)}):\n${logTail()}`);
        }
        return (await birdc("show", "status")).includes("Daemon is up and running");
      },
      { timeoutMs: options.startTimeoutMs ?? 20_000, intervalMs: 50, describe: () => logTail() },
    );
  } catch (e) {
    await stop();
    throw e;
  }

  const reconfigure = async () => {
    writeConfig();
    const out = await birdc("configure");
    if (!/Reconfigured|Reconfiguration in progress/.test(out)) {
      throw new Error(`birdc configure in ${options.netns} failed:\n${out}`);
    }
  };

  const sessions = async (): Promise<SessionInfo[]> => {
    const now = Date.now();
    return parseBirdProtocols(await birdc("show", "protocols"))
      .filter((p) => protocols.has(p.name))
      .map((p) => {
        const bgpState = p.info.split(/\s+/)[0] ?? "";
        const established = p.state === "up" && bgpState === "Established";
        return {
          neighbor: protocols.get(p.name) ?? p.name,
          state: bgpState === "" ? p.state : bgpState,
          established,
          ...(established &&
            p.since !== undefined && {
              uptimeSec: Math.max(0, Math.floor((now - p.since.getTime()) / 1000)),
            }),
        };
      });
  };

  return {
    kind: "bird",
    netns: options.netns,
    asn: options.asn,
    dir,
    birdc,
    sessions,
    routes: async () => parseBirdRoutes(await birdc("show", "route", "all"), protocols),
    announce: async (prefixes) => {
      for (const a of prefixes.map(toAnnouncement)) {
        checkAnnouncement(a);
        announced.set(a.prefix, a);
      }
      await reconfigure();
    },
    withdraw: async (prefixes) => {
      for (const p of prefixes) announced.delete(p);
      await reconfigure();
    },
    announced: () => [...announced.values()],
    establishedTransitions: () => {
      let log = "";
      try {
        log = readFileSync(logFile, "utf8");
      } catch {
        // no log yet: nothing established
      }
      const counts: Record<string, number> = Object.fromEntries([...protocols.values()].map((k) => [k, 0]));
      for (const m of log.matchAll(/ (\S+): State changed to up$/gm)) {
        const key = protocols.get(m[1] ?? "");
        if (key !== undefined) counts[key] = (counts[key] ?? 0) + 1;
      }
      return Promise.resolve(counts);
    },
    pids: () => (daemon.status() === undefined ? [daemon.pid] : []),
    logTail,
    stop,
  };
}
