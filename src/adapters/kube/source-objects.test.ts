import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  compactConfiguration,
  compactSecret,
  inlinePasswords,
  nodeFacts,
  referencedSecrets,
  stubUnlessNeeded,
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

describe("stubUnlessNeeded", () => {
  const labels = { "kubernetes.io/hostname": "n1", rack: "r1" };
  const withSelector = (nodeSelector: unknown) => ({
    apiVersion: "frrk8s.metallb.io/v1beta1",
    kind: "FRRConfiguration",
    metadata: { name: "c", namespace: "ns", uid: "u1", resourceVersion: "7", labels: { a: "b" } },
    spec: { nodeSelector, bgp: { routers: [{ asn: 1, neighbors: [{ address: "192.0.2.1", asn: 2 }] }] } },
  });

  test("a configuration selecting the node, or every node, is needed", () => {
    assert.equal(stubUnlessNeeded(withSelector({ matchLabels: { rack: "r1" } }), labels), undefined);
    assert.equal(stubUnlessNeeded(withSelector(undefined), labels), undefined);
  });

  test("one selecting other nodes: a stub of its identity, without spec", () => {
    assert.deepEqual(stubUnlessNeeded(withSelector({ matchLabels: { rack: "r2" } }), labels), {
      apiVersion: "frrk8s.metallb.io/v1beta1",
      kind: "FRRConfiguration",
      metadata: { name: "c", namespace: "ns", uid: "u1", resourceVersion: "7" },
    });
  });

  test("an unparseable selector or other errors: needed, so the pipeline reports them", () => {
    const badOperator = { matchExpressions: [{ key: "rack", operator: "Near", values: ["r2"] }] };
    assert.equal(stubUnlessNeeded(withSelector(badOperator), labels), undefined);
    assert.equal(stubUnlessNeeded(withSelector("rack=r2"), labels), undefined);
    const badSpec = { metadata: { name: "c" }, spec: 3 };
    assert.equal(stubUnlessNeeded(badSpec, labels), undefined);
  });
});
