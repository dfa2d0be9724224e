// DependencyIndex.dependentOn() equals checking `independent` against every item still added.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { DependencyIndex } from "./dependency-index.ts";
import { independent, type Footprint, type VrfUse } from "./footprint.ts";

const small = <T>(values: readonly T[]): fc.Arbitrary<Set<T>> =>
  fc.uniqueArray(fc.constantFrom(...values), { maxLength: 2 }).map((v) => new Set(v));

const vrfUse: fc.Arbitrary<VrfUse> = fc.record({
  asns: small([64512, 64513]).filter((s) => s.size > 0),
  setsId: fc.boolean(),
  hasEvpn: fc.boolean(),
});

const footprint: fc.Arbitrary<Footprint> = fc.record({
  vrfs: fc
    .uniqueArray(fc.tuple(fc.constantFrom("", "red", "blue"), vrfUse), { maxLength: 2, selector: ([v]) => v })
    .map((entries) => new Map(entries)),
  neighborIds: small(["192.0.2.1", "192.0.2.2", "eth0"]),
  bfdProfileNames: small(["p1", "p2"]),
  vnis: small([100, 200]),
});

test("dependentOn() is every item not independent of the footprint, after adds and deletes", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(footprint, fc.boolean()), { maxLength: 30 }),
      fc.array(footprint, { minLength: 1, maxLength: 5 }),
      (items, probes) => {
        const index = new DependencyIndex<number>();
        items.forEach(([fp], i) => {
          index.add(i, fp);
        });
        const kept = items.flatMap(([fp, deleted], i) => {
          if (!deleted) return [i];
          index.delete(i, fp);
          return [];
        });
        for (const probe of probes) {
          const expected = kept.filter((i) => !independent(items[i]![0], probe));
          assert.deepEqual(
            [...index.dependentOn(probe)].sort((a, b) => a - b),
            expected,
          );
        }
      },
    ),
    { numRuns: 500 },
  );
});
