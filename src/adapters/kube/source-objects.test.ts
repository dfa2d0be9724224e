import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  compactConfiguration,
  compactSecret,
  inlinePasswords,
  nodeFacts,
  referencedSecrets,
} from "./source-objects.ts";

const configuration = (neighbors: unknown[]) => ({
  metadata: {
    name: "c",
    namespace: "ns",
    managedFields: [{ manager: "kubectl" }],
    annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{...password...}", keep: "1" },
  },
  spec: { bgp: { routers: [{ asn: 1, neighbors }] } },
});

describe("what the agent's stores keep", () => {
  test("configurations lose managedFields and the last-applied annotation only", () => {
    const compact = compactConfiguration(configuration([]));
    assert.deepEqual(compact.metadata, { name: "c", namespace: "ns", annotations: { keep: "1" } });
    assert.deepEqual(compact.spec, configuration([]).spec);
  });

  test("a Secret keeps its data only when referenced", () => {
    const secret = {
      metadata: { name: "s", namespace: "ns", resourceVersion: "7", annotations: { a: "b" } },
      type: "kubernetes.io/basic-auth",
      data: { password: "cHc=" },
    };
    assert.deepEqual(compactSecret(secret, new Set(["s"])), {
      metadata: { name: "s", namespace: "ns", resourceVersion: "7" },
      type: "kubernetes.io/basic-auth",
      data: { password: "cHc=" },
    });
    assert.equal(compactSecret(secret, new Set(["other"])).data, undefined);
  });

  test("referenced Secret names and inline passwords", () => {
    const configs = [
      configuration([{ passwordSecret: { name: "s1" } }, { password: "inline" }, { passwordSecret: {} }]),
      { metadata: { name: "bad" }, spec: { bgp: "not an object" } },
    ];
    assert.deepEqual([...referencedSecrets(configs)], ["s1"]);
    assert.deepEqual(inlinePasswords(configs), ["inline"]);
  });

  test("node facts: labels, and IPv6-only from InternalIP/ExternalIP", () => {
    const v6 = {
      metadata: { labels: { a: "b" } },
      status: { addresses: [{ type: "InternalIP", address: "fd00::1" }] },
    };
    assert.deepEqual(nodeFacts(v6), { labels: { a: "b" }, ipv6Only: true });
    const dual = {
      status: {
        addresses: [
          { type: "InternalIP", address: "fd00::1" },
          { type: "ExternalIP", address: "192.0.2.1" },
        ],
      },
    };
    assert.equal(nodeFacts(dual).ipv6Only, false);
    assert.equal(nodeFacts({}).ipv6Only, false);
  });
});
