// One API neighbor → NeighborModel, reporting every problem found on the way.
import type { Neighbor } from "../../api/types.ts";
import { formatIp, ipFamilyOf, parseIp } from "../ip.ts";
import type { NeighborFamily, NeighborModel, Origin, TimersModel } from "../model.ts";
import { child } from "../path.ts";
import { parseGoDuration, wholeSeconds } from "../duration.ts";
import type { ConfigContext, RouterContext } from "./context.ts";
import { checkNetdevName, checkWord, passwordProblem } from "./names-check.ts";
import { convertOutgoing } from "./outgoing.ts";
import { convertIncoming } from "./incoming.ts";
import { resolveSecretPassword } from "./secret.ts";

interface Identity {
  id: string;
  name: string;
  address?: string;
  interface?: string;
  family: NeighborFamily;
}

function neighborIdentity(
  n: Neighbor,
  path: string,
  router: RouterContext,
  ctx: ConfigContext,
): Identity | undefined {
  const asnText = n.asn !== undefined && n.asn !== 0 ? String(n.asn) : (n.dynamicASN ?? "(no asn)");
  const { reporter } = ctx;
  if (n.address && n.interface) {
    reporter.error(
      "NEIGHBOR_BOTH_ADDRESS_AND_INTERFACE",
      path,
      `neighbor ${asnText}@${n.address} has both address and interface specified`,
    );
    return undefined;
  }
  const suffix = router.vrf ? `-${router.vrf}` : "";
  if (n.interface) {
    if (!checkNetdevName(reporter, child(path, "interface"), n.interface, "interface")) return undefined;
    return {
      id: n.interface + suffix,
      name: `${asnText}@${n.interface}`,
      interface: n.interface,
      family: "dual",
    };
  }
  if (!n.address) {
    reporter.error(
      "NEIGHBOR_NO_ADDRESS_OR_INTERFACE",
      path,
      `neighbor with ASN ${asnText || "(none)"} has no address and no interface`,
    );
    return undefined;
  }
  const ip = parseIp(n.address);
  const family = ipFamilyOf(n.address);
  if (!ip || !family) {
    reporter.error(
      "INVALID_IP_ADDRESS",
      child(path, "address"),
      `"${n.address}" is not a valid IP address (IPv4 as a.b.c.d without leading zeros, IPv6 without zone or IPv4-mapped form)`,
    );
    return undefined;
  }
  const address = formatIp(ip);
  return {
    id: address + suffix,
    name: `${asnText}@${address}`,
    address,
    family: n.dualStackAddressFamily ? "dual" : family,
  };
}

function neighborAsn(
  n: Neighbor,
  path: string,
  name: string,
  router: RouterContext,
  ctx: ConfigContext,
): string | undefined {
  const hasAsn = n.asn !== undefined && n.asn !== 0;
  if (hasAsn && n.dynamicASN) {
    ctx.reporter.error(
      "NEIGHBOR_BOTH_ASN_AND_DYNAMIC_ASN",
      path,
      `neighbor ${name} has both asn and dynamicASN specified`,
    );
    return undefined;
  }
  if (!hasAsn && !n.dynamicASN) {
    ctx.reporter.error("NEIGHBOR_NO_ASN", path, `neighbor ${name} has no asn or dynamicASN specified`);
    return undefined;
  }
  const isIbgp = hasAsn ? n.asn === router.asn : n.dynamicASN === "internal";
  const localAsnPath = child(path, "localASN");
  if (n.localASN !== undefined && isIbgp) {
    ctx.reporter.error(
      "LOCAL_ASN_ON_IBGP",
      localAsnPath,
      `neighbor ${name}: localASN is not supported for iBGP sessions (the neighbor is in the router's AS ${router.asn ?? ""})`,
    );
  } else if (n.localASN !== undefined && n.localASN === router.asn) {
    ctx.reporter.error(
      "LOCAL_ASN_EQUALS_ROUTER_ASN",
      localAsnPath,
      `neighbor ${name}: localASN ${n.localASN} is the router's own AS (FRR refuses local-as equal to the BGP AS number)`,
    );
  }
  return hasAsn ? String(n.asn) : n.dynamicASN;
}

function neighborTimers(
  n: Neighbor,
  path: string,
  name: string,
  ctx: ConfigContext,
): TimersModel | undefined {
  const hold = n.holdTime === undefined ? undefined : parseGoDuration(n.holdTime);
  const keepalive = n.keepaliveTime === undefined ? undefined : parseGoDuration(n.keepaliveTime);
  const connect = n.connectTime === undefined ? undefined : parseGoDuration(n.connectTime);
  const { reporter } = ctx;
  if ((hold === undefined) !== (keepalive === undefined)) {
    const missing = hold === undefined ? "holdTime" : "keepaliveTime";
    reporter.error(
      "TIMERS_INCOMPLETE",
      child(path, missing),
      `invalid timers for neighbor ${name}: holdTime and keepaliveTime must be set together`,
    );
    return undefined;
  }
  if (hold !== undefined && keepalive !== undefined) {
    const holdSeconds = wholeSeconds(hold);
    if (holdSeconds !== 0 && holdSeconds < 3) {
      reporter.error(
        "INVALID_HOLD_TIME",
        child(path, "holdTime"),
        `invalid hold time "${n.holdTime ?? ""}" for neighbor ${name}: must be 0 or >=3s`,
      );
      return undefined;
    }
    if (keepalive > hold) {
      reporter.error(
        "KEEPALIVE_GREATER_THAN_HOLD",
        child(path, "keepaliveTime"),
        `invalid keepaliveTime ${n.keepaliveTime ?? ""} for neighbor ${name}: must not be greater than holdTime ${n.holdTime ?? ""}`,
      );
      return undefined;
    }
  }
  return {
    ...(hold !== undefined && { holdTime: hold }),
    ...(keepalive !== undefined && { keepaliveTime: keepalive }),
    ...(connect !== undefined && { connectTime: connect }),
  };
}

function neighborPassword(
  n: Neighbor,
  path: string,
  name: string,
  ctx: ConfigContext,
): string | undefined | false {
  const hasSecret = n.passwordSecret?.name !== undefined && n.passwordSecret.name !== "";
  if (n.password && hasSecret) {
    ctx.reporter.error(
      "PASSWORD_AND_SECRET",
      path,
      `neighbor ${name} specifies both cleartext password and secret ref`,
    );
    return false;
  }
  let password = n.password;
  let at = child(path, "password");
  if (hasSecret && n.passwordSecret) {
    if (ctx.skipSecretResolution) return undefined;
    at = child(path, "passwordSecret");
    const resolved = resolveSecretPassword(n.passwordSecret, ctx.secrets, ctx.namespace);
    if (!resolved.ok) {
      ctx.reporter.error(resolved.code, at, `${resolved.message}, referenced by neighbor ${name}`);
      return false;
    }
    password = resolved.password;
  }
  if (password === undefined || password === "") return undefined;
  const problem = passwordProblem(password);
  if (problem) {
    ctx.reporter.error("INVALID_PASSWORD", at, `invalid password for neighbor ${name}: ${problem}`);
    return false;
  }
  return password;
}

function checkOptionalWords(n: Neighbor, path: string, ctx: ConfigContext): boolean {
  let ok = true;
  if (n.bfdProfile) {
    ok = checkWord(ctx.reporter, child(path, "bfdProfile"), n.bfdProfile, "bfd profile") && ok;
    if (ok && !ctx.bfdProfileNames.has(n.bfdProfile)) {
      ctx.reporter.error(
        "BFD_PROFILE_NOT_FOUND",
        child(path, "bfdProfile"),
        `bfd profile "${n.bfdProfile}" is not defined in spec.bgp.bfdProfiles of this configuration`,
      );
      ok = false;
    }
  }
  if (n.sourceaddress)
    ok = checkWord(ctx.reporter, child(path, "sourceaddress"), n.sourceaddress, "sourceaddress") && ok;
  if (n.disableMP)
    ctx.reporter.warning(
      "DISABLE_MP_DEPRECATED",
      child(path, "disableMP"),
      "disableMP is deprecated, is ignored and will be removed in a future release",
    );
  return ok;
}

export function convertNeighbor(
  n: Neighbor,
  path: string,
  router: RouterContext,
  ctx: ConfigContext,
): NeighborModel | undefined {
  const identity = neighborIdentity(n, path, router, ctx);
  if (!identity) return undefined;
  const asn = neighborAsn(n, path, identity.name, router, ctx);
  const timers = neighborTimers(n, path, identity.name, ctx);
  const password = neighborPassword(n, path, identity.name, ctx);
  const wordsOk = checkOptionalWords(n, path, ctx);
  const outgoing = convertOutgoing(n.toAdvertise, child(path, "toAdvertise"), identity, router, ctx);
  const incoming = convertIncoming(n.toReceive, child(path, "toReceive"), ctx);
  if (asn === undefined || !timers || password === false || !wordsOk || !outgoing || !incoming)
    return undefined;
  const origin: Origin = { object: ctx.reporter.object, path };
  return {
    ...identity,
    vrf: router.vrf,
    asn,
    ...(n.port !== undefined && { port: n.port }),
    timers,
    ...(password !== undefined && { password }),
    ...(n.sourceaddress && { sourceAddress: n.sourceaddress }),
    ...(n.bfdProfile && { bfdProfile: n.bfdProfile }),
    ...(n.ebgpMultiHop !== undefined && { ebgpMultiHop: n.ebgpMultiHop }),
    ...(n.enableGracefulRestart !== undefined && { gracefulRestart: n.enableGracefulRestart }),
    ...(n.localASN !== undefined && { localAsn: n.localASN }),
    addressFamilies: [...new Set(n.addressFamilies?.length ? n.addressFamilies : ["unicast"])].sort(),
    outgoing,
    incoming,
    origins: {
      neighbor: origin,
      // A password from a Secret is reported at passwordSecret, where the user wrote it.
      ...(n.passwordSecret?.name && {
        password: { object: origin.object, path: child(path, "passwordSecret") },
      }),
    },
  };
}
