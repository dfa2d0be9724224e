// The shape of an FRRConfiguration: every field, enum, range and CEL rule of the upstream CRD.
import type { Shape, CheckFailure } from "./shape.ts";
import { parseGoDuration } from "../duration.ts";
import {
  checkExportRouteTarget,
  checkImportRouteTargetForFrr,
  checkRouteDistinguisher,
} from "./vni-values.ts";

const str: Shape = { type: "string" };
const bool: Shape = { type: "boolean" };
const uint32: Shape = { type: "integer", min: 0, max: 4294967295 };
const strings: Shape = { type: "array", items: str };

function checkDuration(value: string): CheckFailure | undefined {
  return parseGoDuration(value) === undefined
    ? { code: "INVALID_DURATION", message: `"${value}" is not a duration (examples: "90s", "1m30s")` }
    : undefined;
}

function checkConnectTime(value: string): CheckFailure | undefined {
  const ms = parseGoDuration(value);
  if (ms === undefined) return checkDuration(value);
  if (ms < 1000 || ms > 65535 * 1000) {
    return { code: "INVALID_CONNECT_TIME", message: "connect time should be between 1 seconds to 65535" };
  }
  if (ms % 1000 !== 0) {
    return { code: "INVALID_CONNECT_TIME", message: "connect time should contain a whole number of seconds" };
  }
  return undefined;
}

const FRR_TIMER_MAX_SECONDS = 65535;

/** Hold and keepalive times: Go durations FRR can take (0..65535 whole seconds). */
function checkTimer(value: string): CheckFailure | undefined {
  const ms = parseGoDuration(value);
  if (ms === undefined) return checkDuration(value);
  if (ms < 0 || ms >= (FRR_TIMER_MAX_SECONDS + 1) * 1000) {
    return {
      code: "VALUE_OUT_OF_RANGE",
      message: `"${value}" is out of range: FRR takes 0s to ${FRR_TIMER_MAX_SECONDS}s`,
    };
  }
  return undefined;
}

const duration: Shape = { type: "string", check: checkTimer };
const mode: Shape = { type: "string", enum: ["all", "filtered"] };
const interval: Shape = { type: "integer", min: 10, max: 60000 };

const prefixSelector: Shape = {
  type: "object",
  required: ["prefix"],
  fields: {
    prefix: str,
    le: { type: "integer", min: 1, max: 128 },
    ge: { type: "integer", min: 1, max: 128 },
  },
};

const advertise: Shape = {
  type: "object",
  fields: {
    allowed: { type: "object", fields: { prefixes: strings, mode } },
    withLocalPref: {
      type: "array",
      items: {
        type: "object",
        fields: { prefixes: { type: "array", items: str, minItems: 1 }, localPref: uint32 },
      },
    },
    withCommunity: {
      type: "array",
      items: {
        type: "object",
        fields: { prefixes: { type: "array", items: str, minItems: 1 }, community: str },
      },
    },
    nextHop: { type: "object", fields: { ipv4: str, ipv6: str } },
  },
};

const neighbor: Shape = {
  type: "object",
  fields: {
    asn: uint32,
    dynamicASN: { type: "string", enum: ["internal", "external"] },
    localASN: { type: "integer", min: 1, max: 4294967295 },
    sourceaddress: str,
    address: str,
    interface: str,
    port: { type: "integer", min: 0, max: 16384 },
    password: { type: "string", sensitive: true },
    passwordSecret: { type: "object", fields: { name: str, namespace: str } },
    holdTime: duration,
    keepaliveTime: duration,
    connectTime: { type: "string", check: checkConnectTime },
    ebgpMultiHop: bool,
    bfdProfile: str,
    enableGracefulRestart: bool,
    toAdvertise: advertise,
    toReceive: {
      type: "object",
      fields: {
        allowed: { type: "object", fields: { prefixes: { type: "array", items: prefixSelector }, mode } },
      },
    },
    disableMP: bool,
    dualStackAddressFamily: bool,
    addressFamilies: { type: "array", maxItems: 2, items: { type: "string", enum: ["unicast", "evpn"] } },
  },
};

const routeTargets = (check: (value: string) => CheckFailure | undefined): Shape => ({
  type: "array",
  maxItems: 100,
  items: { type: "string", maxLength: 21, check },
});

const vniProperties = {
  rd: { type: "string", maxLength: 21, check: checkRouteDistinguisher },
  importRTs: routeTargets(checkImportRouteTargetForFrr),
  exportRTs: routeTargets(checkExportRouteTarget),
} satisfies Record<string, Shape>;

const vni: Shape = { type: "integer", min: 1, max: 16777215 };

const evpn: Shape = {
  type: "object",
  fields: {
    advertiseVNIs: { type: "string", enum: ["Disabled", "All"] },
    advertiseSVI: bool,
    l2vnis: {
      type: "array",
      maxItems: 10,
      items: { type: "object", required: ["vni"], fields: { vni, ...vniProperties } },
    },
    l3vni: {
      type: "object",
      required: ["vni", "advertisePrefixes"],
      fields: {
        vni,
        ...vniProperties,
        advertisePrefixes: {
          type: "array",
          minItems: 1,
          maxItems: 1,
          items: { type: "string", enum: ["unicast"] },
        },
      },
    },
  },
};

// Kept when its asn is broken, so the errors of its neighbors are still reported.
const router: Shape = {
  type: "object",
  keepIncomplete: true,
  required: ["asn"],
  fields: {
    asn: uint32,
    id: str,
    vrf: str,
    neighbors: { type: "array", items: neighbor },
    prefixes: strings,
    imports: { type: "array", items: { type: "object", fields: { vrf: str } } },
    evpn,
  },
};

const bfdProfile: Shape = {
  type: "object",
  required: ["name"],
  fields: {
    name: str,
    receiveInterval: interval,
    transmitInterval: interval,
    detectMultiplier: { type: "integer", min: 2, max: 255 },
    echoInterval: interval,
    echoMode: bool,
    passiveMode: bool,
    minimumTtl: { type: "integer", min: 1, max: 254 },
  },
};

export const labelSelectorShape: Shape = {
  type: "object",
  fields: {
    matchLabels: { type: "stringMap" },
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        required: ["key", "operator"],
        fields: { key: str, operator: str, values: strings },
      },
    },
  },
};

export const frrConfigurationShape: Shape = {
  type: "object",
  fields: {
    apiVersion: str,
    kind: str,
    metadata: { type: "object", open: true, fields: { name: str, namespace: str } },
    spec: {
      type: "object",
      fields: {
        bgp: {
          type: "object",
          fields: {
            routers: { type: "array", maxItems: 50, items: router },
            bfdProfiles: { type: "array", items: bfdProfile },
          },
        },
        raw: { type: "object", fields: { priority: { type: "integer" }, rawConfig: str } },
        nodeSelector: labelSelectorShape,
      },
    },
    status: { type: "object", open: true, fields: {} },
  },
};
