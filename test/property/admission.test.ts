// The webhook's fast admission (cached conversions, runs narrowed to the configurations that can
// interact with the object) decides exactly as the straightforward one (every node group merged
// in full with and without the object): same allowed, code, message and warnings. Clusters are
// small and built from tiny value pools, so that objects share VRFs, ASNs, router ids, neighbors,
// BFD profiles and VNIs, conflict or agree, and sometimes carry a fault anywhere under `spec`.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  admit,
  admitStraightforward,
  type AdmissionOptions,
  type AdmissionRequestView,
} from "../../src/core/admission/admit.ts";
import { ClusterIndex } from "../../src/core/admission/cluster-index.ts";
import { validConfigArb } from "./arbitraries.ts";
import { applyMutation, mutationArb, underSpec } from "./mutate.ts";
import { runOptions } from "./support.ts";

const AGENTS = "frr-k8s-system";
const NODES = ["node-1", "node-2", "node-3", "node-4"];
const NAMES = ["a", "b", "c", "d", "e", "f"];

const labelsOf = (node: string, zone: string): Record<string, string> => ({
  "kubernetes.io/hostname": node,
  zone,
});

const selectorArb: fc.Arbitrary<unknown> = fc.constantFrom(
  undefined,
  {},
  { matchLabels: { "kubernetes.io/hostname": "node-1" } },
  { matchLabels: { "kubernetes.io/hostname": "node-2" } },
  { matchLabels: { zone: "a" } },
  { matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] },
  { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] },
  { matchExpressions: [{ key: "zone", operator: "Exists" }] },
  { matchLabels: { "kubernetes.io/hostname": "gone" } },
);

/** `arb` one time in `oneIn`, else unset: most fields stay unset, so objects often merge cleanly. */
const sometimes = <T>(arb: fc.Arbitrary<T>, oneIn = 2): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const neighborArb = fc
  .record({
    peer: fc.constantFrom(
      { address: "192.0.2.1" },
      { address: "192.0.2.2" },
      { address: "2001:db8::1" },
      { interface: "eth0" },
      { interface: "eth0-red" },
    ),
    asn: fc.constantFrom(65001, 65002),
    port: sometimes(fc.constantFrom(179, 180)),
    holdTime: sometimes(fc.constantFrom("90s", "180s")),
    bfdProfile: sometimes(fc.constantFrom("p1", "p2")),
    enableGracefulRestart: sometimes(fc.boolean()),
    addressFamilies: sometimes(fc.constantFrom(["unicast"], ["unicast", "evpn"])),
    advertise: fc.boolean(),
  })
  .map(({ peer, advertise, ...rest }) => ({
    ...peer,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    ...(advertise && { toAdvertise: { allowed: { prefixes: ["10.0.0.0/24"] } } }),
  }));

const evpnArb = fc
  .record({
    advertiseVNIs: sometimes(fc.constantFrom("All", "Disabled")),
    advertiseSVI: sometimes(fc.boolean()),
    l2vnis: fc.array(
      fc.record({ vni: fc.constantFrom(100, 200), rd: sometimes(fc.constantFrom("65000:1", "65000:2")) }),
      { maxLength: 2 },
    ),
    l3vni: sometimes(
      fc.record({ vni: fc.constantFrom(100, 300), advertisePrefixes: fc.constant(["unicast"]) }),
    ),
  })
  .map((e) => JSON.parse(JSON.stringify(e)) as unknown);

const routerArb = fc
  .record({
    asn: fc.constantFrom(64512, 64512, 64513),
    vrf: sometimes(fc.constantFrom("red", "blue"), 3),
    id: sometimes(fc.constantFrom("10.0.0.1", "10.0.0.2"), 4),
    neighbors: fc.array(neighborArb, { maxLength: 3 }),
    prefixes: fc.constant(["10.0.0.0/24"]),
    evpn: sometimes(evpnArb, 4),
  })
  .map((r) => JSON.parse(JSON.stringify(r)) as unknown);

const bfdArb = fc.record({ name: fc.constantFrom("p1", "p2"), receiveInterval: fc.constantFrom(100, 200) });

const smallSpecArb = fc.record({
  routers: fc.array(routerArb, { minLength: 1, maxLength: 2 }),
  bfdProfiles: fc.array(bfdArb, { maxLength: 2 }),
  raw: fc.boolean(),
});

/** One FRRConfiguration: from the tiny pools, or a realistic one; sometimes broken somewhere. */
function configArb(name: string): fc.Arbitrary<Record<string, unknown>> {
  const small = fc.tuple(smallSpecArb, selectorArb).map(([spec, nodeSelector]) => ({
    ...(nodeSelector !== undefined && { nodeSelector }),
    bgp: {
      routers: spec.routers,
      ...(spec.bfdProfiles.length > 0 && { bfdProfiles: spec.bfdProfiles }),
    },
    ...(spec.raw && { raw: { rawConfig: "line vty" } }),
  }));
  const realistic = validConfigArb(name, { unselected: true }).map((c) => c.spec as Record<string, unknown>);
  const spec = fc.oneof({ weight: 4, arbitrary: small }, { weight: 1, arbitrary: realistic });
  return fc
    .record({
      spec,
      namespace: fc.constantFrom(AGENTS, AGENTS, "other"),
      fault: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: mutationArb },
      ),
    })
    .map(({ spec: s, namespace, fault }) => {
      const object = {
        apiVersion: "frrk8s.metallb.io/v1beta1",
        kind: "FRRConfiguration",
        metadata: { name, namespace },
        spec: s,
      };
      return (fault ? applyMutation(object, fault, underSpec) : object) as Record<string, unknown>;
    });
}

const clusterArb = fc.record({
  zones: fc.array(fc.constantFrom("a", "b"), { minLength: NODES.length, maxLength: NODES.length }),
  nodeCount: fc.integer({ min: 0, max: NODES.length }),
  configs: fc
    .uniqueArray(fc.constantFrom(...NAMES), { maxLength: 6 })
    .chain((names) => fc.tuple(...names.map((n) => configArb(n)))),
});

const requestArb = fc.record({
  object: fc.constantFrom(...NAMES).chain((name) => configArb(name)),
  update: fc.boolean(),
  agentNamespace: fc.constantFrom(AGENTS, ""),
});

function indexOf(cluster: {
  zones: string[];
  nodeCount: number;
  configs: Record<string, unknown>[];
}): ClusterIndex {
  const index = new ClusterIndex();
  NODES.slice(0, cluster.nodeCount).forEach((node, i) => {
    index.setNode(node, labelsOf(node, cluster.zones[i]!));
  });
  for (const c of cluster.configs) {
    const meta = c["metadata"] as { name: string; namespace: string };
    index.setConfiguration(meta.namespace, meta.name, c);
  }
  return index;
}

function requestFor(
  object: Record<string, unknown>,
  update: boolean,
  configs: readonly Record<string, unknown>[],
): AdmissionRequestView {
  const meta = object["metadata"] as { name: string; namespace: string };
  const old = configs.find((c) => JSON.stringify(c["metadata"]) === JSON.stringify(meta));
  const isUpdate = update && old !== undefined;
  return {
    operation: isUpdate ? "UPDATE" : "CREATE",
    namespace: meta.namespace,
    name: meta.name,
    object,
    oldObject: isUpdate ? old : null,
  };
}

test("fast admission decides exactly as the straightforward one", () => {
  let denied = 0;
  let merged = 0;
  fc.assert(
    fc.property(clusterArb, requestArb, (cluster, { object, update, agentNamespace }) => {
      const index = indexOf(cluster);
      const request = requestFor(object, update, cluster.configs);
      const options: AdmissionOptions = { agentNamespace };
      const expected = admitStraightforward(request, index, options);
      // Twice: the second time the index's caches are warm.
      assert.deepStrictEqual(admit(request, index, options), expected);
      assert.deepStrictEqual(admit(request, index, options), expected);
      if (!expected.allowed) denied++;
      if (expected.message.includes("conflicts with")) merged++;
    }),
    runOptions(1500),
  );
  // The generator must exercise denials and cross-object conflicts, not only clean merges.
  assert.ok(denied > 100, `only ${String(denied)} denials`);
  assert.ok(merged > 20, `only ${String(merged)} cross-object conflicts`);
});

test("fast admission stays exact as the cluster changes under its caches", () => {
  fc.assert(
    fc.property(
      clusterArb,
      fc.array(
        fc.constantFrom(...NAMES).chain((name) => configArb(name)),
        { maxLength: 3 },
      ),
      requestArb,
      (cluster, changes, { object, update, agentNamespace }) => {
        const index = indexOf(cluster);
        const options: AdmissionOptions = { agentNamespace };
        const request = requestFor(object, update, cluster.configs);
        admit(request, index, options);
        for (const change of changes) {
          const meta = change["metadata"] as { name: string; namespace: string };
          index.setConfiguration(meta.namespace, meta.name, change);
        }
        index.deleteConfiguration(AGENTS, "a");
        index.setNode("node-1", labelsOf("node-1", "b"));
        assert.deepStrictEqual(admit(request, index, options), admitStraightforward(request, index, options));
      },
    ),
    runOptions(500),
  );
});
