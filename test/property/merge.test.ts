// Algebraic properties of the merge: the result does not depend on the order of the input
// objects, merging a configuration with a copy of itself changes nothing, and the pipeline is a
// pure function of its snapshot (same input, same output; the input is never modified).
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import fc from "fast-check";
import type { FRRConfiguration } from "../../src/api/types.ts";
import { computeNodeConfig, type NodeConfigResult } from "../../src/core/pipeline.ts";
import type { NodeSnapshot } from "../../src/core/snapshot.ts";
import { optionsArb, peerSecrets, renamed, validConfigArb, validConfigSetArb } from "./arbitraries.ts";
import { applyMutation, mutationArb, underSpec } from "./mutate.ts";
import { checkResultInvariants, errorsOf, runOptions, snapshotOf } from "./support.ts";

const SECRETS = peerSecrets();

/** A list together with one permutation of it. */
function withPermutation<T>(arb: fc.Arbitrary<T[]>): fc.Arbitrary<[T[], T[]]> {
  return arb.chain((list) =>
    fc.tuple(
      fc.constant(list),
      fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
    ),
  );
}

/** Valid sets plus, in some runs, a few configurations broken under `spec` (names stay unique). */
const faultySetArb = fc
  .tuple(
    validConfigSetArb({ raw: true, unselected: true, maxLength: 6 }),
    fc.array(fc.tuple(fc.nat(), mutationArb), { maxLength: 3 }),
  )
  .map(([configs, mutations]) => {
    const out: unknown[] = [...configs];
    for (const [which, mutation] of mutations)
      out[which % out.length] = applyMutation(out[which % out.length], mutation, underSpec);
    return out;
  });

test("valid sets: same frr.conf and issues whatever the order of configurations and secrets", () => {
  const arb = fc.tuple(
    withPermutation(validConfigSetArb({ raw: true, unselected: true, maxLength: 6 })),
    withPermutation(fc.constant(SECRETS)),
    optionsArb,
  );
  fc.assert(
    fc.property(arb, ([[configs, shuffled], [secrets, shuffledSecrets], options]) => {
      const a = computeNodeConfig(snapshotOf(configs, secrets, options));
      const b = computeNodeConfig(snapshotOf(shuffled, shuffledSecrets, options));
      assert.ok(
        a.frrConfig !== undefined,
        `the generator produced an invalid set: ${JSON.stringify(errorsOf(a))}`,
      );
      assert.deepStrictEqual(b, a);
    }),
    runOptions(300),
  );
});

test("sets with faults and conflicts: same result (issues included) whatever the order", () => {
  fc.assert(
    fc.property(withPermutation(faultySetArb), optionsArb, ([configs, shuffled], options) => {
      const a = computeNodeConfig(snapshotOf(configs, SECRETS, options));
      const b = computeNodeConfig(snapshotOf(shuffled, SECRETS, options));
      assert.deepStrictEqual(b, a);
    }),
    runOptions(400),
  );
});

/** The same configuration with every list inside it (routers, neighbors, prefixes, ...) permuted. */
function permuteLists(value: unknown, rng: () => number): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v: unknown) => permuteLists(v, rng));
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, permuteLists(v, rng)]));
  }
  return value;
}

test("valid sets: the order of the lists inside each configuration does not change frr.conf", () => {
  fc.assert(
    fc.property(validConfigSetArb({ maxLength: 4 }), fc.integer(), optionsArb, (configs, seed, options) => {
      const rng = mulberry32(seed);
      const permuted = configs.map((c) => permuteLists(c, rng));
      const a = computeNodeConfig(snapshotOf(configs, SECRETS, options));
      const b = computeNodeConfig(snapshotOf(permuted, SECRETS, options));
      assert.ok(a.frrConfig !== undefined, "the generator produced an invalid set");
      assert.equal(b.frrConfig, a.frrConfig);
      assert.deepStrictEqual(errorsOf(b), []);
    }),
    runOptions(300),
  );
});

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function assertSameConfig(merged: NodeConfigResult, alone: NodeConfigResult): void {
  assert.ok(
    alone.frrConfig !== undefined,
    `the generator produced an invalid configuration: ${JSON.stringify(errorsOf(alone))}`,
  );
  assert.deepStrictEqual(errorsOf(merged), []);
  assert.equal(merged.frrConfig, alone.frrConfig);
}

test("a configuration merged with a renamed copy of itself gives the same frr.conf", () => {
  fc.assert(
    fc.property(
      validConfigArb("cfg-a"),
      fc.constantFrom("cfg-b", "cfg-0", "aaa", "zzz"),
      optionsArb,
      (config, name, options) => {
        const alone = computeNodeConfig(snapshotOf([config], SECRETS, options));
        const merged = computeNodeConfig(snapshotOf([config, renamed(config, name)], SECRETS, options));
        assertSameConfig(merged, alone);
      },
    ),
    runOptions(400),
  );
});

test("a configuration given twice under the same name gives the same frr.conf", () => {
  fc.assert(
    fc.property(validConfigArb("cfg-a"), optionsArb, (config, options) => {
      const alone = computeNodeConfig(snapshotOf([config], SECRETS, options));
      const twice = computeNodeConfig(snapshotOf([config, structuredClone(config)], SECRETS, options));
      assertSameConfig(twice, alone);
    }),
    runOptions(300),
  );
});

test("a valid set merged with renamed copies of any of its members gives the same frr.conf", () => {
  const arb = validConfigSetArb({ unselected: true, maxLength: 5 }).chain((configs) =>
    fc.tuple(fc.constant(configs), fc.subarray(configs, { minLength: 1 })),
  );
  fc.assert(
    fc.property(arb, optionsArb, ([configs, copied], options) => {
      const copies: FRRConfiguration[] = copied.map((c) => renamed(c, `copy-of-${c.metadata?.name ?? ""}`));
      const alone = computeNodeConfig(snapshotOf(configs, SECRETS, options));
      const merged = computeNodeConfig(snapshotOf([...copies, ...configs], SECRETS, options));
      assertSameConfig(merged, alone);
    }),
    runOptions(300),
  );
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

test("determinism: the same snapshot twice gives identical results, and the input is never modified", () => {
  const configsArb = fc.oneof(faultySetArb, validConfigSetArb({ raw: true, unselected: true }));
  fc.assert(
    fc.property(configsArb, optionsArb, (configs, options) => {
      const snapshot: NodeSnapshot = snapshotOf(configs, SECRETS, options);
      // inspect keeps what structuredClone would lose (null prototypes, holes, -0).
      const before = inspect(snapshot, { depth: null, showHidden: true });
      // Frozen input: any write by the pipeline throws (ES modules are strict mode).
      const frozen = deepFreeze(structuredClone(snapshot));
      const first = computeNodeConfig(snapshot);
      const second = computeNodeConfig(snapshot);
      const third = computeNodeConfig(frozen);
      checkResultInvariants(first);
      assert.deepStrictEqual(second, first);
      assert.deepStrictEqual(third, first);
      assert.equal(
        inspect(snapshot, { depth: null, showHidden: true }),
        before,
        "the pipeline modified its input",
      );
    }),
    runOptions(300),
  );
});

// Regressions for a core bug the self-merge properties found (fixed in b60870d): duplicate
// neighbors inside one router were not merged, so they were rendered twice, conflicting
// duplicates were not reported, and a copy of the configuration in another object changed the
// result.
function oneRouter(neighbors: object[]): FRRConfiguration {
  return {
    metadata: { name: "a", namespace: "frr-k8s-system" },
    spec: { bgp: { routers: [{ asn: 64512, neighbors }] } },
  };
}

test("regression: two entries for one neighbor in one router merge into one", () => {
  const twice = computeNodeConfig(
    snapshotOf([
      oneRouter([
        { address: "192.0.2.2", asn: 64512 },
        { address: "192.0.2.2", asn: 64512, port: 1000 },
      ]),
    ]),
  );
  const once = computeNodeConfig(snapshotOf([oneRouter([{ address: "192.0.2.2", asn: 64512, port: 1000 }])]));
  assert.equal(twice.frrConfig, once.frrConfig);
});

test("regression: conflicting entries for one neighbor in one router are an error", () => {
  const result = computeNodeConfig(
    snapshotOf([
      oneRouter([
        { address: "192.0.2.2", asn: 64512 },
        { address: "192.0.2.2", asn: 65000 },
      ]),
    ]),
  );
  assert.deepEqual(
    errorsOf(result).map((i) => i.code),
    ["NEIGHBOR_ASN_CONFLICT"],
  );
});
