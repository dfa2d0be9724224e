// Prefix strings from users → canonical CIDR text, or an issue.
import { formatCidr, formatIp, hasHostBits, maskCidr, parseCidr, type IpFamily } from "../ip.ts";
import type { NeighborFamily } from "../model.ts";
import type { Reporter } from "./reporter.ts";
import { item } from "../path.ts";

export interface CanonicalPrefix {
  prefix: string;
  family: IpFamily;
  length: number;
}

type Parsed = CanonicalPrefix | { invalid: "cidr" } | { invalid: "hostBits"; masked: string; length: number };

// The same prefix strings recur thousands of times (every neighbor of a configuration lists its
// router's prefixes): parsing is memoised. Deterministic, so the pipeline stays pure; bounded.
const MEMO_LIMIT = 50_000;
const memo = new Map<string, Parsed>();

function parsePrefix(text: string): Parsed {
  const cached = memo.get(text);
  if (cached) return cached;
  const parsed = parseUncached(text);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, parsed);
  return parsed;
}

function parseUncached(text: string): Parsed {
  const cidr = parseCidr(text);
  if (!cidr) return { invalid: "cidr" };
  if (hasHostBits(cidr))
    return { invalid: "hostBits", masked: formatCidr(maskCidr(cidr)), length: cidr.length };
  return { prefix: `${formatIp(cidr)}/${cidr.length}`, family: cidr.family, length: cidr.length };
}

/**
 * `path` may be a list's path plus the item's index: the item path is only built for an issue
 * (this runs for every advertised prefix of every neighbor).
 */
export function canonicalPrefix(
  reporter: Reporter,
  listPath: string,
  text: string,
  index?: number,
): CanonicalPrefix | undefined {
  const parsed = parsePrefix(text);
  if (!("invalid" in parsed)) return parsed;
  const path = index === undefined ? listPath : item(listPath, index);
  if (parsed.invalid === "cidr") {
    reporter.error(
      "INVALID_CIDR",
      path,
      `"${text}" is not a valid CIDR (expected e.g. 192.0.2.0/24 or 2001:db8::/64)`,
    );
    return undefined;
  }
  reporter.error(
    "CIDR_HOST_BITS_SET",
    path,
    `"${text}" has host bits set past the /${parsed.length} mask: did you mean ${parsed.masked}?`,
  );
  return undefined;
}

export function familyAllows(neighbor: NeighborFamily, family: IpFamily): boolean {
  return neighbor === "dual" || neighbor === family;
}

/** The canonical masked text of a CIDR, host bits or not; undefined when it is no CIDR at all. */
export function maskedForm(text: string): string | undefined {
  const parsed = parsePrefix(text);
  if ("invalid" in parsed) return parsed.invalid === "hostBits" ? parsed.masked : undefined;
  return parsed.prefix;
}
