// What conversion of one FRRConfiguration needs to know beyond the object itself.
import type { SecretObject } from "../snapshot.ts";
import type { Reporter } from "./reporter.ts";

export interface ConfigContext {
  reporter: Reporter;
  namespace: string;
  secrets: readonly SecretObject[];
  skipSecretResolution: boolean;
  /** BFD profile names defined in this same configuration. */
  bfdProfileNames: ReadonlySet<string>;
  /** Paths that had shape errors: entities beneath them are not converted further. */
  isBroken(path: string): boolean;
}

/** The router a neighbor belongs to, and the prefixes this configuration may advertise there. */
export interface RouterContext {
  /** Undefined when the router's own asn is broken (already reported). */
  asn: number | undefined;
  vrf: string;
  path: string;
  /** Canonical prefixes of this router's VRF plus those of the VRFs it imports (this config only). */
  advertisable: ReadonlySet<string>;
}
