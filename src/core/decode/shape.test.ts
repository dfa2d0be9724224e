import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeConfiguration } from "../select.ts";

const base = {
  apiVersion: "frrk8s.metallb.io/v1beta1",
  kind: "FRRConfiguration",
  metadata: { name: "c", namespace: "ns" },
};

function problems(spec: unknown): string[] {
  return decodeConfiguration({ ...base, spec }, 0).issues.map((i) => `${i.severity} ${i.code} ${i.path}`);
}

test("wrong types, enums and ranges are issues with the user's indices, never exceptions", () => {
  const spec = {
    bgp: {
      routers: [
        {
          asn: "65000",
          neighbors: [
            { address: "192.0.2.1", asn: 65001 },
            {
              address: "192.0.2.2",
              asn: 4294967296,
              port: 20000,
              dynamicASN: "both",
              addressFamilies: ["unicast", "evpn", "x"],
            },
          ],
        },
      ],
    },
  };
  assert.deepEqual(problems(spec), [
    "error INVALID_TYPE spec.bgp.routers[0].asn",
    "error VALUE_OUT_OF_RANGE spec.bgp.routers[0].neighbors[1].asn",
    "error VALUE_OUT_OF_RANGE spec.bgp.routers[0].neighbors[1].port",
    "error INVALID_ENUM_VALUE spec.bgp.routers[0].neighbors[1].dynamicASN",
    "error TOO_MANY_ITEMS spec.bgp.routers[0].neighbors[1].addressFamilies",
    "error INVALID_ENUM_VALUE spec.bgp.routers[0].neighbors[1].addressFamilies[2]",
  ]);
});

test("required fields, unknown fields and CEL rules", () => {
  const spec = {
    nodeSelector: { labelSelector: { matchLabels: { a: "b" } } },
    bgp: {
      routers: [
        { neighbors: [{ address: "192.0.2.1", asn: 1, connectTime: "1500ms" }], evpn: { l3vni: { vni: 0 } } },
      ],
    },
  };
  assert.deepEqual(problems(spec), [
    "warning UNKNOWN_FIELD spec.nodeSelector.labelSelector",
    "error INVALID_CONNECT_TIME spec.bgp.routers[0].neighbors[0].connectTime",
    "error VALUE_OUT_OF_RANGE spec.bgp.routers[0].evpn.l3vni.vni",
    "error REQUIRED_FIELD_MISSING spec.bgp.routers[0].evpn.l3vni.advertisePrefixes",
    "error REQUIRED_FIELD_MISSING spec.bgp.routers[0].asn",
  ]);
});

test("non-objects anywhere are reported, not thrown", () => {
  for (const raw of [null, 42, "text", [], { spec: 3 }, { spec: { bgp: { routers: "x" } } }]) {
    const decoded = decodeConfiguration(raw, 3);
    assert.ok(
      decoded.issues.some((i) => i.severity === "error"),
      JSON.stringify(raw),
    );
  }
});
