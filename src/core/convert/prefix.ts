// Prefix strings from users → canonical CIDR text, or an issue.
import { formatCidr, formatIp, hasHostBits, maskCidr, parseCidr, type IpFamily } from "../ip.ts";
import type { NeighborFamily } from "../model.ts";
import type { Reporter } from "./reporter.ts";

export interface CanonicalPrefix {
  prefix: string;
  family: IpFamily;
  length: number;
}

export function canonicalPrefix(reporter: Reporter, path: string, text: string): CanonicalPrefix | undefined {
  const cidr = parseCidr(text);
  if (!cidr) {
    reporter.error(
      "INVALID_CIDR",
      path,
      `"${text}" is not a valid CIDR (expected e.g. 192.0.2.0/24 or 2001:db8::/64)`,
    );
    return undefined;
  }
  if (hasHostBits(cidr)) {
    const masked = formatCidr(maskCidr(cidr));
    reporter.error(
      "CIDR_HOST_BITS_SET",
      path,
      `"${text}" has host bits set past the /${cidr.length} mask: did you mean ${masked}?`,
    );
    return undefined;
  }
  return { prefix: `${formatIp(cidr)}/${cidr.length}`, family: cidr.family, length: cidr.length };
}

export function familyAllows(neighbor: NeighborFamily, family: IpFamily): boolean {
  return neighbor === "dual" || neighbor === family;
}

/** The canonical masked text of a CIDR, host bits or not; undefined when it is no CIDR at all. */
export function maskedForm(text: string): string | undefined {
  const cidr = parseCidr(text);
  return cidr ? formatCidr(maskCidr(cidr)) : undefined;
}
