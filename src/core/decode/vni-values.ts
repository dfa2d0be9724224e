// Route distinguishers and route targets (the CRD's CEL rules, with the 4-byte ASN bound that
// upstream's rules leave unenforced actually enforced).
import type { CheckFailure } from "./shape.ts";
import { parseIpv4 } from "../ip.ts";

type Kind = "RD" | "RT";

const isNumber = (text: string): boolean => /^[0-9]+$/.test(text);

function administratorProblem(
  kind: Kind,
  global: string,
  local: string,
  wildcard: boolean,
): string | undefined {
  if (wildcard && global === "*") {
    return isNumber(local) && Number(local) <= 0xffffffff
      ? undefined
      : `${kind} with wildcard global administrator must have format *:OPQR where OPQR <= 4294967295`;
  }
  if (parseIpv4(global) === undefined && !isNumber(global)) {
    return wildcard
      ? `${kind} global administrator must be either '*', an IPv4 address, or a number`
      : `${kind} global administrator must be either an IPv4 address or a number`;
  }
  if (!isNumber(local)) return `${kind} local administrator must be a number`;
  return rangeProblem(kind, global, Number(local));
}

function rangeProblem(kind: Kind, global: string, local: number): string | undefined {
  if (global.includes(".")) {
    return local <= 0xffff
      ? undefined
      : `${kind} with IPv4 global administrator must have format A.B.C.D:MN where MN <= 65535`;
  }
  const asn = Number(global);
  if (asn <= 0xffff) {
    return local <= 0xffffffff
      ? undefined
      : `${kind} with 2-byte ASN global administrator must have format EF:OPQR where EF <= 65535 and OPQR <= 4294967295`;
  }
  return asn <= 0xffffffff && local <= 0xffff
    ? undefined
    : `${kind} with 4-byte ASN global administrator must have format GHJK:MN where GHJK <= 4294967295 and MN <= 65535`;
}

function vniValueCheck(kind: Kind, wildcard: boolean) {
  const code = kind === "RD" ? "INVALID_ROUTE_DISTINGUISHER" : "INVALID_ROUTE_TARGET";
  return (value: string): CheckFailure | undefined => {
    const parts = value.split(":");
    if (parts.length !== 2) return { code, message: `${kind} must contain exactly one colon` };
    const message = administratorProblem(kind, parts[0]!, parts[1]!, wildcard);
    return message === undefined ? undefined : { code, message: `${message} (got "${value}")` };
  };
}

export const checkRouteDistinguisher = vniValueCheck("RD", false);
export const checkImportRouteTarget = vniValueCheck("RT", true);
export const checkExportRouteTarget = vniValueCheck("RT", false);

/**
 * The `*:N` wildcard is valid in the API, but FRR 8.4 (the FRR frrk8s is tested against) refuses
 * it under both an l2vni and an l3vni ("Malformed Route Target list"): refused here, not at reload.
 */
export function checkImportRouteTargetForFrr(value: string): CheckFailure | undefined {
  if (!value.startsWith("*:")) return checkImportRouteTarget(value);
  return {
    code: "INVALID_ROUTE_TARGET",
    message: `wildcard import route target "${value}" is not supported: FRR refuses "*:N" route targets`,
  };
}
