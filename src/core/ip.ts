// Strict IPv4/IPv6 address and CIDR parsing (the rules of Go's net.ParseIP / ParseCIDR, which
// upstream uses): dotted-decimal IPv4 without leading zeros, no zones, prefix length in range.
// Own small parser because core/ must stay free of node:net.

export type IpFamily = "ipv4" | "ipv6";

export interface ParsedIp {
  family: IpFamily;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: number[];
}

export interface ParsedCidr extends ParsedIp {
  length: number;
}

function parseDecimalOctet(part: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
  const value = Number(part);
  return value <= 255 ? value : undefined;
}

export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map(parseDecimalOctet);
  return bytes.every((b) => b !== undefined) ? bytes : undefined;
}

function parseHexGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  for (const group of text.split(":")) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const value = parseInt(group, 16);
    groups.push(value >> 8, value & 0xff);
  }
  return groups;
}

/** Splits off a trailing embedded IPv4 (`::ffff:1.2.3.4`) and returns it as two hex groups. */
function withEmbeddedIpv4(text: string): string | undefined {
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (!tail.includes(".")) return text;
  const v4 = parseIpv4(tail);
  if (!v4) return undefined;
  const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
  return `${text.slice(0, lastColon + 1)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
}

export function parseIpv6(text: string): number[] | undefined {
  const normalized = withEmbeddedIpv4(text);
  if (normalized === undefined) return undefined;
  const halves = normalized.split("::");
  if (halves.length > 2) return undefined;
  if (halves.length === 1) {
    const bytes = parseHexGroups(normalized);
    return bytes?.length === 16 ? bytes : undefined;
  }
  const head = parseHexGroups(halves[0]!);
  const tail = parseHexGroups(halves[1]!);
  if (!head || !tail || head.length + tail.length > 14) return undefined;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

export function parseIp(text: string): ParsedIp | undefined {
  if (text.includes(":")) {
    const bytes = parseIpv6(text);
    return bytes ? { family: "ipv6", bytes } : undefined;
  }
  const bytes = parseIpv4(text);
  return bytes ? { family: "ipv4", bytes } : undefined;
}

/**
 * The family of a usable address. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is refused: Go classes it
 * as IPv4 while FRR treats it as IPv6, so it can only be a mistake.
 */
export function ipFamilyOf(text: string): IpFamily | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  return ip.family === "ipv6" && isIpv4Mapped(ip.bytes) ? undefined : ip.family;
}

function isIpv4Mapped(bytes: number[]): boolean {
  return bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  return length <= ip.bytes.length * 8 ? { ...ip, length } : undefined;
}

export function hasHostBits(cidr: ParsedCidr): boolean {
  return cidr.bytes.some((byte, index) => {
    const bitsInByte = Math.min(8, Math.max(0, cidr.length - index * 8));
    const hostMask = 0xff >> bitsInByte;
    return (byte & hostMask) !== 0;
  });
}

export function maskCidr(cidr: ParsedCidr): ParsedCidr {
  const bytes = cidr.bytes.map((byte, index) => {
    const bitsInByte = Math.min(8, Math.max(0, cidr.length - index * 8));
    return byte & (0xff << (8 - bitsInByte)) & 0xff;
  });
  return { ...cidr, bytes };
}

/** RFC 5952 text: lowercase, longest zero run (of two or more groups) compressed. */
export function formatIp(ip: ParsedIp): string {
  if (ip.family === "ipv4") return ip.bytes.join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  const run = longestZeroRun(groups);
  const hex = groups.map((g) => g.toString(16));
  if (run.length < 2) return hex.join(":");
  return `${hex.slice(0, run.start).join(":")}::${hex.slice(run.start + run.length).join(":")}`;
}

function longestZeroRun(groups: number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  groups.forEach((group, index) => {
    if (group !== 0) {
      start = -1;
      return;
    }
    if (start < 0) start = index;
    if (index - start + 1 > best.length) best = { start, length: index - start + 1 };
  });
  return best;
}

export function formatCidr(cidr: ParsedCidr): string {
  return `${formatIp(cidr)}/${cidr.length}`;
}

/** Every 16-bit group written out in four hex digits: `fc00:f853:0ccd:...`. */
export function expandIpv6(ip: ParsedIp): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16).padStart(4, "0"));
  }
  return groups.join(":");
}
