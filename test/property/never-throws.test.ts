// The pipeline never throws, whatever it is fed, and its result is always well formed: an issues
// array, and a rendered frr.conf only when no issue is an error.
import { test } from "node:test";
import fc from "fast-check";
import { computeNodeConfig } from "../../src/core/pipeline.ts";
import type { SecretObject } from "../../src/core/snapshot.ts";
import { optionsArb, peerSecrets, validConfigArb, validConfigSetArb } from "./arbitraries.ts";
import { applyMutation, mutationArb } from "./mutate.ts";
import { checkResultInvariants, HOSTNAME_LABEL, NODE, runOptions, snapshotOf } from "./support.ts";

const SECRETS = peerSecrets();

function check(
  configurations: readonly unknown[],
  secrets: readonly SecretObject[] = SECRETS,
  options = {},
  labels?: Record<string, string>,
): void {
  checkResultInvariants(computeNodeConfig(snapshotOf(configurations, secrets, options, labels)));
}

test("arbitrary JSON values as configurations", () => {
  fc.assert(
    fc.property(fc.array(fc.jsonValue({ maxDepth: 6 }), { maxLength: 4 }), (configs) => {
      check(configs);
    }),
    runOptions(400),
  );
});

test("arbitrary JS values (null prototypes, sparse arrays, NaN, -0) as configurations", () => {
  const anything = fc.anything({
    maxDepth: 6,
    withNullPrototype: true,
    withSparseArray: true,
    withObjectString: true,
  });
  fc.assert(
    fc.property(fc.array(anything, { maxLength: 4 }), (configs) => {
      check(configs);
    }),
    runOptions(400),
  );
});

test("arbitrary values as the whole spec, bgp, routers and neighbors of a named configuration", () => {
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 5 }),
    fc.anything({ maxDepth: 5, withNullPrototype: true }),
  );
  const meta = { name: "c", namespace: "frr-k8s-system" };
  const configArb = fc.oneof(
    value.map((spec) => ({ metadata: meta, spec })),
    value.map((bgp) => ({ metadata: meta, spec: { bgp } })),
    value.map((routers) => ({ metadata: meta, spec: { bgp: { routers } } })),
    fc.array(value, { maxLength: 3 }).map((routers) => ({ metadata: meta, spec: { bgp: { routers } } })),
    fc
      .array(value, { maxLength: 3 })
      .map((neighbors) => ({ metadata: meta, spec: { bgp: { routers: [{ asn: 64512, neighbors }] } } })),
    value.map((metadata) => ({ metadata, spec: {} })),
  );
  fc.assert(
    fc.property(configArb, (config) => {
      check([config]);
    }),
    runOptions(400),
  );
});

test("one field of a valid configuration set to a random value, at any depth", () => {
  fc.assert(
    fc.property(
      validConfigArb("cfg-a", { raw: true, unselected: true }),
      mutationArb,
      optionsArb,
      (config, mutation, options) => {
        check([applyMutation(config, mutation)], SECRETS, options);
      },
    ),
    runOptions(1500),
  );
});

test("several mutated configurations merged with valid ones", () => {
  const arb = fc.tuple(
    validConfigSetArb({ raw: true, minLength: 2, maxLength: 5 }),
    fc.array(fc.tuple(fc.nat(), mutationArb), { minLength: 1, maxLength: 4 }),
  );
  fc.assert(
    fc.property(arb, optionsArb, ([configs, mutations], options) => {
      const mutated: unknown[] = [...configs];
      for (const [which, mutation] of mutations)
        mutated[which % mutated.length] = applyMutation(mutated[which % mutated.length], mutation);
      check(mutated, SECRETS, options);
    }),
    runOptions(500),
  );
});

const secretArb: fc.Arbitrary<SecretObject> = fc.record(
  {
    metadata: fc.record(
      {
        name: fc.oneof(
          fc.constantFrom("peer0-string", "peer0-data", "peer2-data", "peer4-string"),
          fc.string({ maxLength: 6 }),
        ),
        namespace: fc.oneof(fc.constantFrom("frr-k8s-system", "tenant-a"), fc.string({ maxLength: 6 })),
      },
      { requiredKeys: [] },
    ),
    type: fc.oneof(fc.constant("kubernetes.io/basic-auth"), fc.string({ maxLength: 10 })),
    data: fc.dictionary(
      fc.oneof(fc.constant("password"), fc.string({ maxLength: 5 })),
      fc.oneof(fc.base64String({ maxLength: 40 }), fc.string()),
    ),
    stringData: fc.dictionary(
      fc.oneof(fc.constant("password"), fc.string({ maxLength: 5 })),
      fc.string({ unit: "binary", maxLength: 90 }),
    ),
  },
  { requiredKeys: [] },
);

test("arbitrary (well-typed) Secrets referenced by valid configurations", () => {
  fc.assert(
    fc.property(
      validConfigSetArb({ maxLength: 3 }),
      fc.array(secretArb, { maxLength: 6 }),
      fc.boolean(),
      (configs, secrets, skip) => {
        check(configs, [...secrets, ...SECRETS.filter((_, i) => i % 2 === 0)], {
          skipSecretResolution: skip,
        });
      },
    ),
    runOptions(400),
  );
});

// Found by this property: a null Secret or `stringData.password: null` used to throw.
test("arbitrary JSON values as Secrets", () => {
  const secret = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({
      metadata: fc.constant({ name: "peer0-string", namespace: "frr-k8s-system" }),
      type: fc.constant("kubernetes.io/basic-auth"),
      stringData: fc.dictionary(fc.constantFrom("password", "x"), fc.jsonValue({ maxDepth: 2 })),
      data: fc.dictionary(fc.constantFrom("password", "x"), fc.jsonValue({ maxDepth: 2 })),
    }),
  );
  fc.assert(
    fc.property(
      validConfigSetArb({ maxLength: 2 }),
      fc.array(secret, { maxLength: 4 }),
      (configs, secrets) => {
        check(configs, secrets as SecretObject[]);
      },
    ),
    runOptions(400),
  );
});

test("arbitrary node labels, selectors and option strings", () => {
  const labelsArb = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), { maxKeys: 5 }),
    fc.constant({ [HOSTNAME_LABEL]: NODE }),
  );
  const selectorArb = fc.record(
    {
      matchLabels: fc.dictionary(
        fc.oneof(fc.constant(HOSTNAME_LABEL), fc.string({ maxLength: 10 })),
        fc.string({ maxLength: 10 }),
        { maxKeys: 3 },
      ),
      matchExpressions: fc.array(
        fc.record(
          {
            key: fc.oneof(fc.constant(HOSTNAME_LABEL), fc.string({ maxLength: 10 })),
            operator: fc.oneof(
              fc.constantFrom("In", "NotIn", "Exists", "DoesNotExist"),
              fc.string({ maxLength: 6 }),
            ),
            values: fc.array(fc.oneof(fc.constant(NODE), fc.string({ maxLength: 10 })), { maxLength: 3 }),
          },
          { requiredKeys: ["key", "operator"] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  );
  const optionsStringsArb = fc.record(
    {
      hostname: fc.string({ maxLength: 30 }),
      logLevel: fc.oneof(fc.constantFrom("info", "debug", "all", "none"), fc.string({ maxLength: 8 })),
      alwaysBlock: fc.array(
        fc.oneof(fc.constantFrom("10.0.0.0/8", "fc00::/7", "10.0.0.1/8"), fc.string({ maxLength: 20 })),
        { maxLength: 3 },
      ),
      ipv6OnlyNode: fc.boolean(),
      skipSecretResolution: fc.boolean(),
    },
    { requiredKeys: ["hostname"] },
  );
  fc.assert(
    fc.property(
      validConfigSetArb({ maxLength: 3 }),
      fc.array(selectorArb, { minLength: 3, maxLength: 3 }),
      labelsArb,
      optionsStringsArb,
      (configs, selectors, labels, options) => {
        const withSelectors = configs.map((c, i) => ({
          ...c,
          spec: { ...c.spec, nodeSelector: selectors[i % selectors.length] },
        }));
        check(withSelectors, SECRETS, options, labels);
      },
    ),
    runOptions(400),
  );
});

// Minimal counterexamples of the core crashes these properties found (TypeError out of
// computeNodeConfig; fixed in b60870d), kept as regressions.
const FOUND_CRASHES: [string, unknown][] = [
  ["a BFD profile without a name", { metadata: { name: "a" }, spec: { bgp: { bfdProfiles: [{}] } } }],
  [
    "a matchExpressions entry that is null",
    { metadata: { name: "a" }, spec: { nodeSelector: { matchExpressions: [null] } } },
  ],
  [
    "a matchExpressions entry without key",
    { metadata: { name: "a" }, spec: { nodeSelector: { matchExpressions: [{ operator: "Exists" }] } } },
  ],
  [
    "a non-string matchExpressions value",
    {
      metadata: { name: "a" },
      spec: { nodeSelector: { matchExpressions: [{ key: "a", operator: "In", values: [1] }] } },
    },
  ],
];

for (const [what, config] of FOUND_CRASHES) {
  test(`regression: ${what} is reported, not thrown`, () => {
    checkResultInvariants(computeNodeConfig(snapshotOf([config])));
  });
}
