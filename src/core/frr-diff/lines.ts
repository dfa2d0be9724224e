// What single FRR 8.4 commands mean to a differ: which ones replace each other, how each is
// removed, which ones FRR never shows because they are defaults. Every rule here was checked
// against live FRR 8.4 (test/frr/engine-*.test.ts).

/** Commands whose value replaces the previous one: adding the new line is the whole change. */
const SINGLE_VALUED: readonly RegExp[] = [
  /^(neighbor \S+ (?:interface )?remote-as)\b/,
  /^(neighbor \S+ (?:password|ebgp-multihop|update-source|port|local-as|description|advertisement-interval|bfd profile|ttl-security hops|timers connect))\b/,
  /^(neighbor \S+ timers) \d+ \d+$/,
  /^(neighbor \S+ (?:route-map|prefix-list|filter-list|distribute-list)) \S+ (in|out)$/,
  /^(neighbor \S+ (?:maximum-prefix|allowas-in))\b/,
  /^(bgp router-id|timers bgp|bgp graceful-restart (?:stalepath-time|restart-time|select-defer-time))\b/,
  /^(detect-multiplier|receive-interval|transmit-interval|echo-interval|echo receive-interval|echo transmit-interval|minimum-ttl) /,
  /^(set (?:local-preference|metric|weight|origin|tag|src|ip next-hop|ipv6 next-hop (?:global|local)|community|large-community|extcommunity rt|extcommunity soo)) /,
  /^(match (?:ip address prefix-list|ipv6 address prefix-list|ip address|community|large-community|as-path|interface|tag)) /,
  /^(rd) /,
  /^(log (?:stdout|syslog|file))\b/,
];

/**
 * Lines that replace each other: the same setting with another value, or a flag and its `no`
 * form (`bgp ebgp-requires-policy` / `no bgp ebgp-requires-policy`). Undefined: unrelated lines.
 */
export function replacementKey(line: string): string {
  for (const re of SINGLE_VALUED) {
    const m = re.exec(line);
    if (m !== null) return `${m[1] ?? ""} ${m[2] ?? ""}`.trim();
  }
  return `flag:${line.startsWith("no ") ? line.slice(3) : line}`;
}

/** `neighbor X ...` that creates X (its removal is `no neighbor X`, which removes all of X). */
export function definedNeighbor(line: string): string | undefined {
  const m = /^neighbor (\S+) (?:remote-as \S+|interface(?: .*)?|peer-group(?: \S+)?)$/.exec(line);
  return m?.[1];
}

/** The neighbor a line configures, if any. */
export function neighborOf(line: string): string | undefined {
  const m = /^(?:no )?neighbor (\S+) /.exec(line);
  return m?.[1];
}

/** The command that removes `line` from its block. */
export function removalCommand(line: string): string {
  if (line.startsWith("no ")) return line.slice(3);
  const group = /^neighbor (\S+) peer-group$/.exec(line);
  if (group !== null) return `no neighbor ${group[1] ?? ""} peer-group`;
  const neighbor = definedNeighbor(line);
  if (neighbor !== undefined) return `no neighbor ${neighbor}`;
  const password = /^(neighbor \S+ password) /.exec(line);
  if (password !== null) return `no ${password[1] ?? ""}`; // the old password need not be sent again
  const network = /^(network \S+) /.exec(line);
  if (network !== null) return `no ${network[1] ?? ""}`;
  if (line.startsWith("bgp router-id ")) return "no bgp router-id";
  return `no ${line}`;
}

/** The command that removes a whole block (used when its parent stays). Undefined: remove line by line. */
export function blockRemovalCommand(header: string): string | undefined {
  // Interfaces and VRFs exist in the kernel whatever we configure (FRR refuses to delete an active
  // one): only their lines are ours to remove.
  const lineByLine = ["address-family ", "interface ", "vrf "].some((p) => header.startsWith(p));
  return lineByLine || header === "line vty" ? undefined : `no ${header}`;
}

/** The command leaving a block, as FRR prints it. */
export function exitCommand(header: string): string {
  if (header.startsWith("address-family ")) return "exit-address-family";
  if (/^vni \d+$/.test(header)) return "exit-vni";
  if (header.startsWith("vrf ")) return "exit-vrf";
  return "exit";
}

/** BFD values FRR 8.4 never shows because they are its defaults (profile and peer blocks). */
const BFD_DEFAULTS = new Set([
  "detect-multiplier 3",
  "receive-interval 300",
  "transmit-interval 300",
  "echo-interval 50",
  "echo receive-interval 50",
  "echo transmit-interval 50",
  "minimum-ttl 254",
]);

/**
 * True when FRR 8.4 would not show `line` in the block at `path` (block headers, outermost first):
 * a value it hides because it is the default, or derives itself.
 */
export function hiddenByFrr(path: readonly string[], siblings: readonly string[], line: string): boolean {
  const header = path[path.length - 1] ?? "";
  if (/^(profile |peer )/.test(header) && path[0] === "bfd") return BFD_DEFAULTS.has(line);
  const router = /^router bgp (\d+)/.exec(path[0] ?? "");
  // EVPN route targets equal to the automatic ASN:VNI.
  const vni = /^vni (\d+)$/.exec(header);
  if (router !== null && vni !== null) {
    return new RegExp(`^route-target (import|export|both) ${router[1] ?? ""}:${vni[1] ?? ""}$`).test(line);
  }
  // `neighbor X activate` for IPv4 unicast is the default unless `no bgp default ipv4-unicast`.
  if (router !== null && header === "address-family ipv4 unicast" && /^neighbor \S+ activate$/.test(line)) {
    return !siblings.includes("no bgp default ipv4-unicast");
  }
  return false;
}

/** A line as FRR 8.4 prints it (one command may print as several). */
export function asFrrPrintsIt(line: string): string[] {
  if (/^neighbor \S+ ebgp-multihop$/.test(line)) return [`${line} 255`];
  const log = /^log (stdout|syslog) debugging$/.exec(line);
  if (log !== null) return [`log ${log[1] ?? ""}`];
  if (line === "debug bgp updates") return ["debug bgp updates in", "debug bgp updates out"];
  return [line];
}

/** Top-level lines that are not ours to change: set by the daemons' environment or start options. */
export function environmentLine(line: string): boolean {
  return /^(frr version |frr defaults |hostname |service integrated-vtysh-config$)/.test(line);
}

/** Lines inside a block that reflect the system, not configuration (a netns-backed VRF's namespace). */
export function systemLine(header: string, line: string): boolean {
  return header.startsWith("vrf ") && line.startsWith("netns ");
}

/** Kernel forwarding state as FRR reports it; only managed when the wanted config says something. */
export function forwardingLine(line: string): boolean {
  return /^(no )?ip(v6)? forwarding$/.test(line);
}

const SEQUENCED_LIST =
  /^((?:ip|ipv6) prefix-list \S+|bgp (?:community-list|large-community-list|extcommunity-list) (?:standard|expanded) \S+) (?:seq (\d+) )?(.*)$/;

/**
 * Top-level lines with the sequence numbers FRR gives list entries written without one: the
 * highest so far in that list, rounded down to a multiple of 5, plus 5.
 */
export function withListSequences(lines: readonly string[]): string[] {
  const highest = new Map<string, number>();
  return lines.map((line) => {
    const m = SEQUENCED_LIST.exec(line);
    if (m === null) return line;
    const list = m[1] ?? "";
    const given = m[2];
    const seq = given === undefined ? Math.floor((highest.get(list) ?? 0) / 5) * 5 + 5 : Number(given);
    highest.set(list, Math.max(seq, highest.get(list) ?? 0));
    return given === undefined ? `${list} seq ${seq} ${m[3] ?? ""}` : line;
  });
}
