import { test } from "node:test";
import assert from "node:assert/strict";
import { selectorMatches, selectorProblems } from "./selector.ts";

const labels = { "kubernetes.io/hostname": "node-1", zone: "a" };

test("an absent or empty selector matches every node", () => {
  assert.equal(selectorMatches(undefined, labels), true);
  assert.equal(selectorMatches({}, labels), true);
});

test("matchLabels and every operator of matchExpressions", () => {
  assert.equal(selectorMatches({ matchLabels: { zone: "a" } }, labels), true);
  assert.equal(selectorMatches({ matchLabels: { zone: "b" } }, labels), false);
  assert.equal(
    selectorMatches({ matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] }, labels),
    true,
  );
  assert.equal(
    selectorMatches({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, labels),
    false,
  );
  assert.equal(
    selectorMatches({ matchExpressions: [{ key: "rack", operator: "NotIn", values: ["a"] }] }, labels),
    true,
  );
  assert.equal(selectorMatches({ matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels), true);
  assert.equal(
    selectorMatches({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, labels),
    false,
  );
  assert.equal(
    selectorMatches(
      { matchLabels: { zone: "a" }, matchExpressions: [{ key: "rack", operator: "Exists" }] },
      labels,
    ),
    false,
  );
});

test("invalid selectors are reported with their path", () => {
  assert.deepEqual(selectorProblems({ matchLabels: { zone: "a" } }), []);
  const problems = selectorProblems({
    matchLabels: { "kubernetes.io/hostname": "@" },
    matchExpressions: [
      { key: "zone", operator: "Equals", values: ["a"] },
      { key: "zone", operator: "In" },
      { key: "zone", operator: "Exists", values: ["a"] },
    ],
  });
  assert.deepEqual(
    problems.map((p) => p.path),
    [
      'matchLabels["kubernetes.io/hostname"]',
      "matchExpressions[0].operator",
      "matchExpressions[1].values",
      "matchExpressions[2].values",
    ],
  );
});
