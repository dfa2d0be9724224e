// The FRRConfiguration CRD schema accepts and rejects what the reference (§1, §3.1) says the apiserver
// does. CEL rules (connectTime, RD/RT) are out of ajv's reach: the cases marked "CEL" pass here on
// purpose and are rejected only by a real apiserver (tested with one elsewhere).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isCidrFormat, isIPv4Format, isIPv6Format, validateAgainstCrd } from "./crd-schema.ts";
import { API_VERSION } from "./types.ts";

type Fields = Record<string, unknown>;

interface Case {
  name: string;
  object: unknown;
  /** Path of the expected issue; absent when the object is valid. */
  rejectAt?: string;
}

function config(spec: unknown): Fields {
  return {
    apiVersion: API_VERSION,
    kind: "FRRConfiguration",
    metadata: { name: "t", namespace: "ns" },
    spec,
  };
}

function routers(...list: Fields[]): Fields {
  return config({ bgp: { routers: list } });
}

function router(fields: Fields): Fields {
  return routers({ asn: 64512, ...fields });
}

function neighbor(fields: Fields): Fields {
  return router({ neighbors: [{ address: "192.0.2.1", asn: 64513, ...fields }] });
}

function bfd(fields: Fields): Fields {
  return config({ bgp: { bfdProfiles: [{ name: "p", ...fields }] } });
}

function evpn(fields: Fields): Fields {
  return router({ evpn: fields });
}

const R = "spec.bgp.routers[0]";
const N = `${R}.neighbors[0]`;
const B = "spec.bgp.bfdProfiles[0]";
const E = `${R}.evpn`;

const full = config({
  nodeSelector: { matchLabels: { "kubernetes.io/hostname": "node-1" }, matchExpressions: [] },
  raw: { priority: -5, rawConfig: "log file /tmp/frr.log\n" },
  bgp: {
    bfdProfiles: [{ name: "fast", receiveInterval: 10, transmitInterval: 60000, detectMultiplier: 255 }],
    routers: [
      {
        asn: 64512,
        id: "10.0.0.1",
        vrf: "red",
        prefixes: ["192.0.2.0/24", "2001:db8::/64"],
        imports: [{ vrf: "default" }],
        neighbors: [
          {
            address: "2001:db8::1",
            dynamicASN: "external",
            localASN: 4294967295,
            port: 16384,
            passwordSecret: { name: "s", namespace: "ns" },
            holdTime: "90s",
            keepaliveTime: "30s",
            connectTime: "10s",
            bfdProfile: "fast",
            addressFamilies: ["unicast", "evpn"],
            toAdvertise: {
              allowed: { mode: "all" },
              withLocalPref: [{ prefixes: ["192.0.2.0/24"], localPref: 0 }],
              withCommunity: [{ prefixes: ["192.0.2.0/24"], community: "large:1:2:3" }],
              nextHop: { ipv4: "192.0.2.254", ipv6: "2001:db8::fe" },
            },
            toReceive: { allowed: { prefixes: [{ prefix: "2001:db8::/32", le: 128, ge: 1 }] } },
          },
        ],
        evpn: {
          advertiseVNIs: "All",
          advertiseSVI: true,
          l2vnis: [{ vni: 1, rd: "192.0.2.1:100", importRTs: ["*:100"], exportRTs: ["65000:100"] }],
          l3vni: { vni: 16777215, advertisePrefixes: ["unicast"] },
        },
      },
    ],
  },
});

const accepted: Case[] = [
  { name: "a full configuration", object: full },
  { name: "an empty spec", object: config({}) },
  { name: "router asn 0", object: router({ asn: 0 }) },
  { name: "router asn 4294967295", object: router({ asn: 4294967295 }) },
  { name: "neighbor port 0", object: neighbor({ port: 0 }) },
  { name: "unknown fields (pruned by the apiserver)", object: neighbor({ labelSelector: { a: "b" } }) },
  {
    name: "withLocalPref without prefixes (optional upstream)",
    object: neighbor({ toAdvertise: { withLocalPref: [{ localPref: 5 }] } }),
  },
  {
    name: "selector without prefix (optional upstream)",
    object: neighbor({ toReceive: { allowed: { prefixes: [{ le: 32 }] } } }),
  },
  {
    name: "nextHop.ipv4 with leading zeros (the apiserver's ipv4 is sloppy)",
    object: neighbor({ toAdvertise: { nextHop: { ipv4: "010.0.0.1" } } }),
  },
  { name: "CEL: connectTime 1500ms", object: neighbor({ connectTime: "1500ms" }) },
  { name: "CEL: rd without colon", object: evpn({ l2vnis: [{ vni: 5, rd: "nocolon" }] }) },
  { name: "CEL: export RT wildcard", object: evpn({ l2vnis: [{ vni: 5, exportRTs: ["*:100"] }] }) },
];

const rejected: Case[] = [
  { name: "router without asn", object: routers({ vrf: "red" }), rejectAt: `${R}.asn` },
  { name: "router asn -1", object: router({ asn: -1 }), rejectAt: `${R}.asn` },
  { name: "router asn 4294967296", object: router({ asn: 4294967296 }), rejectAt: `${R}.asn` },
  { name: "router asn as a string", object: router({ asn: "64512" }), rejectAt: `${R}.asn` },
  {
    name: "51 routers",
    object: routers(...Array.from({ length: 51 }, (_, i) => ({ asn: i }))),
    rejectAt: "spec.bgp.routers",
  },
  { name: "neighbor asn 4294967296", object: neighbor({ asn: 4294967296 }), rejectAt: `${N}.asn` },
  { name: "neighbor localASN 0", object: neighbor({ localASN: 0 }), rejectAt: `${N}.localASN` },
  { name: "neighbor port 16385", object: neighbor({ port: 16385 }), rejectAt: `${N}.port` },
  { name: "neighbor port -1", object: neighbor({ port: -1 }), rejectAt: `${N}.port` },
  {
    name: "dynamicASN outside its enum",
    object: neighbor({ dynamicASN: "auto" }),
    rejectAt: `${N}.dynamicASN`,
  },
  {
    name: "ebgpMultiHop as a string",
    object: neighbor({ ebgpMultiHop: "true" }),
    rejectAt: `${N}.ebgpMultiHop`,
  },
  {
    name: "three address families",
    object: neighbor({ addressFamilies: ["unicast", "evpn", "unicast"] }),
    rejectAt: `${N}.addressFamilies`,
  },
  {
    name: "address family outside its enum",
    object: neighbor({ addressFamilies: ["multicast"] }),
    rejectAt: `${N}.addressFamilies[0]`,
  },
  {
    name: "toAdvertise mode outside its enum",
    object: neighbor({ toAdvertise: { allowed: { mode: "some" } } }),
    rejectAt: `${N}.toAdvertise.allowed.mode`,
  },
  {
    name: "toReceive mode outside its enum",
    object: neighbor({ toReceive: { allowed: { mode: "none" } } }),
    rejectAt: `${N}.toReceive.allowed.mode`,
  },
  {
    name: "selector le 0",
    object: neighbor({ toReceive: { allowed: { prefixes: [{ prefix: "10.0.0.0/8", le: 0 }] } } }),
    rejectAt: `${N}.toReceive.allowed.prefixes[0].le`,
  },
  {
    name: "selector ge 129",
    object: neighbor({ toReceive: { allowed: { prefixes: [{ prefix: "10.0.0.0/8", ge: 129 }] } } }),
    rejectAt: `${N}.toReceive.allowed.prefixes[0].ge`,
  },
  {
    name: "selector prefix without length",
    object: neighbor({ toReceive: { allowed: { prefixes: [{ prefix: "10.0.0.0" }] } } }),
    rejectAt: `${N}.toReceive.allowed.prefixes[0].prefix`,
  },
  {
    name: "selector prefix /33",
    object: neighbor({ toReceive: { allowed: { prefixes: [{ prefix: "10.0.0.0/33" }] } } }),
    rejectAt: `${N}.toReceive.allowed.prefixes[0].prefix`,
  },
  {
    name: "nextHop.ipv4 given an IPv6 address",
    object: neighbor({ toAdvertise: { nextHop: { ipv4: "2001:db8::1" } } }),
    rejectAt: `${N}.toAdvertise.nextHop.ipv4`,
  },
  {
    name: "nextHop.ipv6 given an IPv4 address",
    object: neighbor({ toAdvertise: { nextHop: { ipv6: "192.0.2.1" } } }),
    rejectAt: `${N}.toAdvertise.nextHop.ipv6`,
  },
  {
    name: "withLocalPref with no prefixes",
    object: neighbor({ toAdvertise: { withLocalPref: [{ prefixes: [], localPref: 5 }] } }),
    rejectAt: `${N}.toAdvertise.withLocalPref[0].prefixes`,
  },
  {
    name: "withCommunity with no prefixes",
    object: neighbor({ toAdvertise: { withCommunity: [{ prefixes: [], community: "1:1" }] } }),
    rejectAt: `${N}.toAdvertise.withCommunity[0].prefixes`,
  },
  {
    name: "localPref 1.5",
    object: neighbor({ toAdvertise: { withLocalPref: [{ prefixes: ["10.0.0.0/8"], localPref: 1.5 }] } }),
    rejectAt: `${N}.toAdvertise.withLocalPref[0].localPref`,
  },
  {
    name: "BFD profile without name",
    object: config({ bgp: { bfdProfiles: [{ receiveInterval: 300 }] } }),
    rejectAt: `${B}.name`,
  },
  { name: "BFD receiveInterval 9", object: bfd({ receiveInterval: 9 }), rejectAt: `${B}.receiveInterval` },
  {
    name: "BFD transmitInterval 60001",
    object: bfd({ transmitInterval: 60001 }),
    rejectAt: `${B}.transmitInterval`,
  },
  { name: "BFD echoInterval 5", object: bfd({ echoInterval: 5 }), rejectAt: `${B}.echoInterval` },
  { name: "BFD detectMultiplier 1", object: bfd({ detectMultiplier: 1 }), rejectAt: `${B}.detectMultiplier` },
  {
    name: "BFD detectMultiplier 256",
    object: bfd({ detectMultiplier: 256 }),
    rejectAt: `${B}.detectMultiplier`,
  },
  { name: "BFD minimumTtl 0", object: bfd({ minimumTtl: 0 }), rejectAt: `${B}.minimumTtl` },
  { name: "BFD minimumTtl 255", object: bfd({ minimumTtl: 255 }), rejectAt: `${B}.minimumTtl` },
  {
    name: "advertiseVNIs outside its enum",
    object: evpn({ advertiseVNIs: "Enabled" }),
    rejectAt: `${E}.advertiseVNIs`,
  },
  { name: "l2vni 0", object: evpn({ l2vnis: [{ vni: 0 }] }), rejectAt: `${E}.l2vnis[0].vni` },
  { name: "l2vni 16777216", object: evpn({ l2vnis: [{ vni: 16777216 }] }), rejectAt: `${E}.l2vnis[0].vni` },
  { name: "l2vni without vni", object: evpn({ l2vnis: [{ rd: "1:1" }] }), rejectAt: `${E}.l2vnis[0].vni` },
  {
    name: "11 l2vnis",
    object: evpn({ l2vnis: Array.from({ length: 11 }, (_, i) => ({ vni: i + 1 })) }),
    rejectAt: `${E}.l2vnis`,
  },
  {
    name: "rd of 22 characters",
    object: evpn({ l2vnis: [{ vni: 1, rd: "1234567890:12345678901" }] }),
    rejectAt: `${E}.l2vnis[0].rd`,
  },
  {
    name: "101 import RTs",
    object: evpn({ l2vnis: [{ vni: 1, importRTs: Array.from({ length: 101 }, (_, i) => `1:${i}`) }] }),
    rejectAt: `${E}.l2vnis[0].importRTs`,
  },
  {
    name: "export RT of 22 characters",
    object: evpn({
      l3vni: { vni: 1, advertisePrefixes: ["unicast"], exportRTs: ["1234567890:12345678901"] },
    }),
    rejectAt: `${E}.l3vni.exportRTs[0]`,
  },
  {
    name: "l3vni without advertisePrefixes",
    object: evpn({ l3vni: { vni: 100 } }),
    rejectAt: `${E}.l3vni.advertisePrefixes`,
  },
  {
    name: "l3vni with empty advertisePrefixes",
    object: evpn({ l3vni: { vni: 100, advertisePrefixes: [] } }),
    rejectAt: `${E}.l3vni.advertisePrefixes`,
  },
  {
    name: "l3vni advertising evpn",
    object: evpn({ l3vni: { vni: 100, advertisePrefixes: ["evpn"] } }),
    rejectAt: `${E}.l3vni.advertisePrefixes[0]`,
  },
  {
    name: "l3vni advertising unicast twice",
    object: evpn({ l3vni: { vni: 100, advertisePrefixes: ["unicast", "unicast"] } }),
    rejectAt: `${E}.l3vni.advertisePrefixes`,
  },
  {
    name: "selector requirement without operator",
    object: config({ nodeSelector: { matchExpressions: [{ key: "a" }] } }),
    rejectAt: "spec.nodeSelector.matchExpressions[0].operator",
  },
  {
    name: "matchLabels value not a string",
    object: config({ nodeSelector: { matchLabels: { a: 1 } } }),
    rejectAt: "spec.nodeSelector.matchLabels.a",
  },
  { name: "raw priority 1.5", object: config({ raw: { priority: 1.5 } }), rejectAt: "spec.raw.priority" },
];

describe("FRRConfiguration CRD schema", () => {
  for (const c of accepted) {
    test(`accepts ${c.name}`, () => {
      assert.deepEqual(validateAgainstCrd(c.object), []);
    });
  }
  for (const c of rejected) {
    test(`rejects ${c.name}`, () => {
      const issues = validateAgainstCrd(c.object);
      assert.ok(
        issues.some((issue) => issue.path === c.rejectAt),
        `expected an issue at ${String(c.rejectAt)}, got ${JSON.stringify(issues)}`,
      );
    });
  }
});

describe("validateAgainstCrd issues", () => {
  test("name the field path and the rule", () => {
    assert.deepEqual(validateAgainstCrd(neighbor({ port: 20000, dynamicASN: "x" })), [
      { path: `${N}.dynamicASN`, message: 'must be one of "internal", "external"' },
      { path: `${N}.port`, message: "must be <= 16384" },
    ]);
  });

  test("name a missing field by its own path", () => {
    assert.deepEqual(validateAgainstCrd(routers({})), [{ path: `${R}.asn`, message: "Required value" }]);
  });

  test("report a doubled enum (allOf, as upstream) once", () => {
    assert.equal(validateAgainstCrd(evpn({ advertiseVNIs: "x" })).length, 1);
  });

  test("reject a non-object", () => {
    assert.deepEqual(validateAgainstCrd("spec"), [{ path: "", message: "must be object" }]);
  });
});

describe("formats, as the apiserver checks them", () => {
  test("ipv4 accepts dotted quads, with leading zeros too", () => {
    for (const ok of ["192.0.2.1", "0.0.0.0", "010.001.0.1", "::ffff:192.0.2.1"])
      assert.ok(isIPv4Format(ok), ok);
    for (const bad of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "2001:db8::1", "a.b.c.d", ""]) {
      assert.ok(!isIPv4Format(bad), bad);
    }
  });

  test("ipv6 accepts IPv6 text, strict about embedded IPv4", () => {
    for (const ok of ["::", "::1", "2001:db8::1", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "fe80::1:2"]) {
      assert.ok(isIPv6Format(ok), ok);
    }
    const bad = [
      "192.0.2.1",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "12345::1",
      "fe80::1%eth0",
      "::ffff:010.0.0.1",
      ":1::2",
      "1::2:",
    ];
    for (const text of bad) assert.ok(!isIPv6Format(text), text);
  });

  test("cidr accepts host bits and IPv4 leading zeros, as Go's sloppy ParseCIDR", () => {
    for (const ok of ["10.0.0.1/8", "010.0.0.0/8", "0.0.0.0/0", "2001:db8::/128", "::/0"])
      assert.ok(isCidrFormat(ok), ok);
    for (const bad of ["10.0.0.0", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "x/8"]) {
      assert.ok(!isCidrFormat(bad), bad);
    }
  });
});
