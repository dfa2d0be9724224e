// Validation issues: every problem found, each with a stable code, the field path inside the
// object it came from, and a plain message. Merge conflicts also name the other object.

export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

export type Severity = "error" | "warning";

export interface Issue {
  code: IssueCode;
  severity: Severity;
  /** Field path inside `object`, e.g. `spec.bgp.routers[0].neighbors[1].asn`. */
  path: string;
  object: ObjectRef;
  message: string;
  /** The other side of a merge conflict. */
  conflictsWith?: { object: ObjectRef; path: string };
}

/** The catalogue of issue codes. Codes are stable: tools and tests match on them. */
export const ISSUE_CODES = [
  // decoding: shape, types, enums, ranges, formats (what the CRD schema and CEL rules check)
  "INVALID_TYPE",
  "REQUIRED_FIELD_MISSING",
  "UNKNOWN_FIELD",
  "VALUE_OUT_OF_RANGE",
  "INVALID_ENUM_VALUE",
  "TOO_MANY_ITEMS",
  "TOO_FEW_ITEMS",
  "INVALID_DURATION",
  "INVALID_CONNECT_TIME",
  "INVALID_ROUTE_DISTINGUISHER",
  "INVALID_ROUTE_TARGET",
  "INVALID_NODE_SELECTOR",
  "INVALID_OBJECT",
  "INVALID_NAME",
  "INVALID_PASSWORD",
  "IGNORED_FIELD",
  // addresses and prefixes
  "INVALID_IP_ADDRESS",
  "INVALID_CIDR",
  "CIDR_HOST_BITS_SET",
  "PREFIX_FAMILY_MISMATCH",
  "INVALID_ROUTER_ID",
  // router-level conversion
  "IMPORT_VRF_NOT_DEFINED",
  "IMPORT_DEFAULT_VRF_NOT_DEFINED",
  // neighbor conversion
  "NEIGHBOR_NO_ADDRESS_OR_INTERFACE",
  "NEIGHBOR_BOTH_ADDRESS_AND_INTERFACE",
  "NEIGHBOR_NO_ASN",
  "NEIGHBOR_BOTH_ASN_AND_DYNAMIC_ASN",
  "LOCAL_ASN_ON_IBGP",
  "LOCAL_ASN_EQUALS_ROUTER_ASN",
  "BFD_PROFILE_NOT_FOUND",
  "DUPLICATE_BFD_PROFILE",
  "TIMERS_INCOMPLETE",
  "INVALID_HOLD_TIME",
  "KEEPALIVE_GREATER_THAN_HOLD",
  "PASSWORD_AND_SECRET",
  "SECRET_NOT_FOUND",
  "SECRET_WRONG_TYPE",
  "SECRET_NO_PASSWORD",
  "NEXT_HOP_FAMILY_MISMATCH",
  "ADVERTISED_PREFIX_NOT_IN_ROUTER",
  "LOCAL_PREF_CONFLICT",
  "LOCAL_PREF_PREFIX_NOT_ADVERTISED",
  "INVALID_COMMUNITY",
  "COMMUNITY_PREFIX_NOT_ADVERTISED",
  "INVALID_SELECTOR_LENGTHS",
  "DISABLE_MP_DEPRECATED",
  // merge conflicts (within one configuration or across configurations)
  "ROUTER_ASN_CONFLICT",
  "ROUTER_ID_CONFLICT",
  "NEIGHBOR_ASN_CONFLICT",
  "NEIGHBOR_PORT_CONFLICT",
  "NEIGHBOR_SOURCE_ADDRESS_CONFLICT",
  "NEIGHBOR_PASSWORD_CONFLICT",
  "NEIGHBOR_BFD_PROFILE_CONFLICT",
  "NEIGHBOR_EBGP_MULTIHOP_CONFLICT",
  "NEIGHBOR_FAMILY_CONFLICT",
  "NEIGHBOR_HOLD_TIME_CONFLICT",
  "NEIGHBOR_KEEPALIVE_TIME_CONFLICT",
  "NEIGHBOR_CONNECT_TIME_CONFLICT",
  "NEIGHBOR_LOCAL_ASN_CONFLICT",
  "NEIGHBOR_GRACEFUL_RESTART_CONFLICT",
  "NEIGHBOR_ID_COLLISION",
  "NEXT_HOP_CONFLICT",
  "BFD_PROFILE_CONFLICT",
  "EVPN_ADVERTISE_VNIS_CONFLICT",
  "EVPN_ADVERTISE_SVI_CONFLICT",
  "EVPN_RD_CONFLICT",
  "EVPN_ROUTE_TARGETS_MIXED",
  "EVPN_L3VNI_CONFLICT",
  // post-merge EVPN rules
  "EVPN_NEEDS_EVPN_NEIGHBOR",
  "EVPN_L3VNI_WITH_NEIGHBORS",
  "EVPN_VNI_NEEDS_ADVERTISE_ALL_VNI",
  "DUPLICATE_VNI",
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === "error");
}

/** Indices compare as numbers: `neighbors[2]` before `neighbors[10]`. */
const naturalPath = (path: string): string => path.replace(/\d+/g, (digits) => digits.padStart(10, "0"));

/** Deterministic order: by object, then path, then code. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  const key = (i: Issue): string =>
    `${i.object.kind}\u0000${i.object.namespace}\u0000${i.object.name}\u0000${naturalPath(i.path)}\u0000${i.code}\u0000${i.message}`;
  return [...issues].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
