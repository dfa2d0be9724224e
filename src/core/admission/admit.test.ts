import { test } from "node:test";
import assert from "node:assert/strict";
import { admit, NO_NODE_WARNING, type AdmissionRequestView } from "./admit.ts";
import { ClusterIndex } from "./cluster-index.ts";

const NS = "frr-k8s-system";

interface NeighborSpec {
  address: string;
  asn: number;
  [key: string]: unknown;
}

function config(
  name: string,
  neighbors: NeighborSpec[],
  extra: { namespace?: string; nodeSelector?: unknown; vrf?: string } = {},
): Record<string, unknown> {
  return {
    apiVersion: "frrk8s.metallb.io/v1beta1",
    kind: "FRRConfiguration",
    metadata: { name, namespace: extra.namespace ?? NS },
    spec: {
      ...(extra.nodeSelector !== undefined && { nodeSelector: extra.nodeSelector }),
      bgp: { routers: [{ asn: 64512, ...(extra.vrf && { vrf: extra.vrf }), neighbors }] },
    },
  };
}

const onNode = (node: string): unknown => ({ matchLabels: { "kubernetes.io/hostname": node } });

function cluster(configs: Record<string, unknown>[] = []): ClusterIndex {
  const index = new ClusterIndex();
  for (const node of ["node-1", "node-2", "node-3"]) {
    index.setNode(node, { "kubernetes.io/hostname": node, zone: node === "node-3" ? "b" : "a" });
  }
  for (const c of configs) {
    const meta = c["metadata"] as { name: string; namespace: string };
    index.setConfiguration(meta.namespace, meta.name, c);
  }
  return index;
}

function request(object: unknown, operation = "CREATE", oldObject: unknown = null): AdmissionRequestView {
  const meta = (object as { metadata?: { name?: string; namespace?: string } } | null)?.metadata;
  return { operation, namespace: meta?.namespace ?? NS, name: meta?.name ?? "", object, oldObject };
}

const options = { agentNamespace: NS };
const existingA = config("a", [{ address: "192.0.2.1", asn: 64513 }]);

test("a conflicting object is denied, naming both objects, both paths and the nodes", () => {
  const decision = admit(
    request(config("b", [{ address: "192.0.2.1", asn: 64514 }])),
    cluster([existingA]),
    options,
  );
  assert.equal(decision.allowed, false);
  assert.equal(decision.code, 403);
  const lines = decision.message.split("\n");
  assert.equal(lines[0], `FRRConfiguration ${NS}/b is invalid (1 error):`);
  assert.match(lines[1]!, /^spec\.bgp\.routers\[0\]\.neighbors\[0\]\.asn: NEIGHBOR_ASN_CONFLICT: /);
  assert.match(
    lines[1]!,
    /conflicts with FRRConfiguration frr-k8s-system\/a spec\.bgp\.routers\[0\]\.neighbors\[0\]\.asn/,
  );
  assert.match(lines[1]!, /\(nodes node-1, node-2, node-3\)$/);
});

test("every error is listed, not only the first", () => {
  const bad = config("b", [
    { address: "192.0.2.1", asn: 64514 },
    { address: "192.0.2.9", asn: 64513, holdTime: "1s", keepaliveTime: "1s" },
    { address: "not-an-ip", asn: 64513 },
  ]);
  const decision = admit(request(bad), cluster([existingA]), options);
  assert.equal(decision.allowed, false);
  assert.match(decision.message, /\(3 errors\)/);
  assert.match(decision.message, /neighbors\[0\]\.asn: NEIGHBOR_ASN_CONFLICT/);
  assert.match(decision.message, /neighbors\[1\]\.holdTime: INVALID_HOLD_TIME/);
  assert.match(decision.message, /neighbors\[2\]\.address: INVALID_IP_ADDRESS/);
});

test("a configuration of another node does not conflict", () => {
  const a = config("a", [{ address: "192.0.2.1", asn: 64513 }], { nodeSelector: onNode("node-1") });
  const b = config("b", [{ address: "192.0.2.1", asn: 64514 }], { nodeSelector: onNode("node-2") });
  assert.deepEqual(admit(request(b), cluster([a]), options), {
    allowed: true,
    code: 200,
    message: "",
    warnings: [],
  });
});

test("the conflict is reported only for the nodes both objects select", () => {
  const a = config("a", [{ address: "192.0.2.1", asn: 64513 }], {
    nodeSelector: { matchLabels: { zone: "b" } },
  });
  const b = config("b", [{ address: "192.0.2.1", asn: 64514 }]);
  const decision = admit(request(b), cluster([a]), options);
  assert.equal(decision.allowed, false);
  assert.match(decision.message, /\(node node-3\)$/);
});

test("an update is not compared with its own previous version (same namespace and name)", () => {
  const updated = config("a", [{ address: "192.0.2.1", asn: 64514 }]);
  const decision = admit(request(updated, "UPDATE", existingA), cluster([existingA]), options);
  assert.equal(decision.allowed, true, decision.message);
});

test("the same name in another namespace is not the object itself (upstream compares names only)", () => {
  const elsewhere = config("b", [{ address: "192.0.2.1", asn: 64513 }]);
  const other = config("b", [{ address: "192.0.2.1", asn: 64514 }], { namespace: "other" });
  const decision = admit(request(elsewhere), cluster([other]), { agentNamespace: "" });
  assert.equal(decision.allowed, false);
  assert.match(decision.message, /conflicts with FRRConfiguration other\/b/);
});

test("configurations outside the agents' namespace are not merged; the object gets a warning there", () => {
  const other = config("a", [{ address: "192.0.2.1", asn: 64514 }], { namespace: "default" });
  const inAgents = admit(
    request(config("b", [{ address: "192.0.2.1", asn: 64513 }])),
    cluster([other]),
    options,
  );
  assert.equal(inAgents.allowed, true, inAgents.message);
  const outside = config("c", [{ address: "192.0.2.1", asn: 64515 }], { namespace: "default" });
  const decision = admit(request(outside), cluster([existingA]), options);
  assert.equal(decision.allowed, true, decision.message);
  assert.match(decision.warnings[0]!, /^metadata\.namespace: .*only in namespace "frr-k8s-system"/);
});

test("an object outside the agents' namespace is still checked on its own", () => {
  const outside = config("c", [{ address: "192.0.2.1", asn: 64515, holdTime: "1s" }], {
    namespace: "default",
  });
  const decision = admit(request(outside), cluster(), options);
  assert.equal(decision.allowed, false);
  assert.match(decision.message, /holdTime/);
});

test("an object that selects no node is admitted, with a warning", () => {
  const none = config("b", [{ address: "192.0.2.1", asn: 64514 }], { nodeSelector: onNode("gone") });
  const decision = admit(request(none), cluster([existingA]), options);
  assert.deepEqual(decision, { allowed: true, code: 200, message: "", warnings: [NO_NODE_WARNING] });
});

test("an object that selects no node but is invalid on its own is denied", () => {
  const none = config("b", [{ address: "192.0.2.1", asn: 64512, localASN: 64512 }], {
    nodeSelector: onNode("gone"),
  });
  const decision = admit(request(none), cluster(), options);
  assert.equal(decision.allowed, false);
  assert.match(decision.message, /neighbors\[0\]/);
});

test("a missing Secret never fails admission", () => {
  const withSecret = config("b", [{ address: "192.0.2.5", asn: 64513, passwordSecret: { name: "later" } }]);
  assert.equal(admit(request(withSecret), cluster(), options).allowed, true);
});

test("decode errors are a denial with the field path (code 400), never a throw", () => {
  const bad = config("b", [{ address: "192.0.2.1", asn: 64513, holdTime: "ninety" }]);
  const decision = admit(request(bad), cluster(), options);
  assert.equal(decision.allowed, false);
  assert.equal(decision.code, 400);
  assert.match(decision.message, /spec\.bgp\.routers\[0\]\.neighbors\[0\]\.holdTime: INVALID_DURATION/);
  const wrongTypes = { metadata: { name: "x", namespace: NS }, spec: { bgp: { routers: "nope" } } };
  assert.match(admit(request(wrongTypes), cluster(), options).message, /spec\.bgp\.routers: INVALID_TYPE/);
});

test("a malformed object or node selector is denied with its path", () => {
  for (const object of [null, 42, "text", []]) {
    const decision = admit(request(object), cluster(), options);
    assert.equal(decision.allowed, false);
    assert.equal(decision.code, 400);
  }
  const badSelector = config("b", [], {
    nodeSelector: { matchExpressions: [{ key: "a", operator: "Near" }] },
  });
  const decision = admit(request(badSelector), cluster(), options);
  assert.equal(decision.allowed, false);
  assert.match(
    decision.message,
    /spec\.nodeSelector\.matchExpressions\[0\]\.operator: INVALID_NODE_SELECTOR/,
  );
});

test("errors a node had before the object are not held against it", () => {
  const a = config("a", [{ address: "192.0.2.1", asn: 64513 }]);
  const conflictingA = config("a2", [{ address: "192.0.2.1", asn: 64599 }]);
  const unrelated = config("b", [{ address: "192.0.2.7", asn: 64513 }]);
  const decision = admit(request(unrelated), cluster([a, conflictingA]), options);
  assert.equal(decision.allowed, true, decision.message);
});

test("disableMP: upstream's deprecation warning with the field path", () => {
  const object = config("b", [{ address: "192.0.2.1", asn: 64513, disableMP: true }]);
  const decision = admit(request(object), cluster(), options);
  assert.equal(decision.allowed, true);
  assert.deepEqual(decision.warnings, [
    "spec.bgp.routers[0].neighbors[0].disableMP: DISABLE_MP_DEPRECATED: disableMP is deprecated, is ignored and will be removed in a future release",
  ]);
});

test("graceful restart changed on update: upstream's warning, once, at the neighbor's field", () => {
  const old = config("a", [
    { address: "192.0.2.1", asn: 64513 },
    { address: "192.0.2.2", asn: 64513 },
  ]);
  const updated = config("a", [
    { address: "192.0.2.2", asn: 64513 },
    { address: "192.0.2.1", asn: 64513, enableGracefulRestart: true },
  ]);
  const decision = admit(request(updated, "UPDATE", old), cluster([old]), options);
  assert.equal(decision.allowed, true, decision.message);
  assert.deepEqual(decision.warnings, [
    "spec.bgp.routers[0].neighbors[1].enableGracefulRestart: Graceful restart configuration changed, it will be available on the next restart",
  ]);
  assert.deepEqual(admit(request(updated, "CREATE"), cluster(), options).warnings, []);
});

test("a generated name is admitted and shown as such", () => {
  const object = config("", [{ address: "192.0.2.1", asn: 64514 }]);
  (object["metadata"] as Record<string, unknown>)["generateName"] = "gen-";
  const decision = admit(request(object), cluster([existingA]), options);
  assert.equal(decision.allowed, false);
  assert.match(decision.message, /^FRRConfiguration frr-k8s-system\/gen-<generated> is invalid/);
});

test("delete and connect are always allowed", () => {
  for (const operation of ["DELETE", "CONNECT"]) {
    assert.equal(admit(request(null, operation), cluster(), options).allowed, true);
  }
});

test("the index finds configurations by matchLabels, In, and selectors without a label pair", () => {
  const index = cluster([
    config("by-label", [], { nodeSelector: onNode("node-1") }),
    config("by-in", [], {
      nodeSelector: { matchExpressions: [{ key: "zone", operator: "In", values: ["a", "c"] }] },
    }),
    config("not-in", [], {
      nodeSelector: { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] },
    }),
    config("all", []),
  ]);
  const names = (labels: Record<string, string>): string[] =>
    index.configurationsFor(labels).map((c) => c.name);
  assert.deepEqual(names({ "kubernetes.io/hostname": "node-1", zone: "a" }), ["all", "by-in", "by-label"]);
  assert.deepEqual(names({ "kubernetes.io/hostname": "node-3", zone: "b" }), ["all", "not-in"]);
  index.deleteConfiguration(NS, "by-in");
  index.setConfiguration(NS, "all", config("all", [], { nodeSelector: onNode("node-9") }));
  assert.deepEqual(names({ "kubernetes.io/hostname": "node-1", zone: "a" }), ["by-label"]);
});
