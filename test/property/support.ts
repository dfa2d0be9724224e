// Shared helpers for the property tests: fast-check run options (FC_SEED / FC_RUNS), the snapshot
// builder and the invariants every pipeline result must satisfy.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ISSUE_CODES, type Issue } from "../../src/core/issues.ts";
import type { NodeConfigResult } from "../../src/core/pipeline.ts";
import type { NodeSnapshot, PipelineOptions, SecretObject } from "../../src/core/snapshot.ts";

export const NODE = "node-1";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

/**
 * Run options: random seed by default (fast-check prints seed and path of a failure);
 * `FC_SEED=<n>` replays a seed, `FC_PATH=<path>` a shrunk counterexample, and `FC_RUNS=<factor>`
 * scales every property's number of runs (e.g. `FC_RUNS=10` for a long soak).
 */
export function runOptions<T>(numRuns: number): fc.Parameters<T> {
  const seedText = process.env["FC_SEED"];
  const path = process.env["FC_PATH"];
  const factor = Number(process.env["FC_RUNS"] ?? "1");
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(factor) && factor > 0 ? factor : 1))),
    ...(seedText !== undefined && seedText !== "" && { seed: Number(seedText) }),
    ...(path !== undefined && path !== "" && { path }),
  };
}

export function snapshotOf(
  configurations: readonly unknown[],
  secrets: readonly SecretObject[] = [],
  options: Partial<PipelineOptions> = {},
  labels: Readonly<Record<string, string>> = { [HOSTNAME_LABEL]: NODE },
): NodeSnapshot {
  return {
    nodeName: NODE,
    nodeLabels: labels,
    configurations,
    secrets,
    options: { hostname: NODE, ...options },
  };
}

const CODES: ReadonlySet<string> = new Set(ISSUE_CODES);

/** Checked at run time: the static types say nothing about what the pipeline really returns. */
function checkIssue(issue: Readonly<Partial<Record<keyof Issue, unknown>>>): void {
  assert.ok(
    typeof issue.code === "string" && CODES.has(issue.code),
    `unknown issue code ${JSON.stringify(issue.code)}`,
  );
  assert.ok(
    issue.severity === "error" || issue.severity === "warning",
    `bad severity ${JSON.stringify(issue.severity)}`,
  );
  assert.equal(typeof issue.path, "string");
  assert.ok(typeof issue.message === "string" && issue.message.length > 0, "empty issue message");
  const object = issue.object as Readonly<Record<string, unknown>>;
  assert.equal(typeof object["kind"], "string");
  assert.equal(typeof object["namespace"], "string");
  assert.equal(typeof object["name"], "string");
}

/** What every result must satisfy, whatever the input. */
export function checkResultInvariants(result: NodeConfigResult): void {
  assert.ok(Array.isArray(result.issues), "issues must be an array");
  assert.ok(Array.isArray(result.selected), "selected must be an array");
  for (const issue of result.issues) checkIssue(issue);
  const errors = result.issues.filter((i) => i.severity === "error");
  if (result.frrConfig !== undefined) {
    assert.equal(typeof result.frrConfig, "string");
    assert.deepEqual(errors, [], "a rendered configuration comes with error issues");
    assert.ok(result.frrConfig.endsWith("\n"), "frr.conf must end with a newline");
  } else {
    assert.ok(errors.length > 0, "no frr.conf but no error issue either");
  }
}

export function errorsOf(result: NodeConfigResult): Issue[] {
  return result.issues.filter((i) => i.severity === "error");
}
