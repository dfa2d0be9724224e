// BGP communities as frr-k8s accepts them: standard `A:B` (two uint16) or `large:X:Y:Z`.

export type Community =
  | { kind: "standard"; upper: number; lower: number }
  | { kind: "large"; global: number; local1: number; local2: number };

const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffffffff;

function parseUnsigned(text: string, max: number): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

export type CommunityParse = { ok: true; community: Community } | { ok: false; reason: string };

export function parseCommunity(text: string): CommunityParse {
  const parts = text.split(":");
  if (parts.length === 2) return parseStandard(parts[0]!, parts[1]!);
  if (parts.length === 4) return parseLarge(parts);
  return { ok: false, reason: "expected A:B (two numbers up to 65535) or large:X:Y:Z" };
}

function parseStandard(upperText: string, lowerText: string): CommunityParse {
  const upper = parseUnsigned(upperText, UINT16_MAX);
  const lower = parseUnsigned(lowerText, UINT16_MAX);
  if (upper === undefined || lower === undefined) {
    return { ok: false, reason: "both parts of A:B must be numbers up to 65535" };
  }
  return { ok: true, community: { kind: "standard", upper, lower } };
}

function parseLarge(parts: string[]): CommunityParse {
  if (parts[0] !== "large") return { ok: false, reason: "a large community must start with 'large:'" };
  const [global, local1, local2] = parts.slice(1).map((p) => parseUnsigned(p, UINT32_MAX));
  if (global === undefined || local1 === undefined || local2 === undefined) {
    return { ok: false, reason: "the parts of large:X:Y:Z must be numbers up to 4294967295" };
  }
  return { ok: true, community: { kind: "large", global, local1, local2 } };
}

/** The normalised text used in names and for comparison: `10:100` or `large:1:2:3`. */
export function communityKey(community: Community): string {
  return community.kind === "standard"
    ? `${community.upper}:${community.lower}`
    : `large:${community.global}:${community.local1}:${community.local2}`;
}

/** The value as FRR writes it after `set community` / `set large-community`. */
export function communityValue(community: Community): string {
  return community.kind === "standard"
    ? `${community.upper}:${community.lower}`
    : `${community.global}:${community.local1}:${community.local2}`;
}
