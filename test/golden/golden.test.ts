// Golden corpus: every test/golden/<scenario>/ holds input.yaml (FRRConfigurations and Secrets),
// optionally options.json, and the expected frr.conf and/or issues.json. UPDATE_GOLDEN=1
// rewrites the expectations; otherwise a missing or stale expectation fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { computeNodeConfig } from "../../src/core/pipeline.ts";
import type { Issue } from "../../src/core/issues.ts";
import type { NodeSnapshot, PipelineOptions, SecretObject } from "../../src/core/snapshot.ts";

const ROOT = import.meta.dirname;
const UPDATE = process.env.UPDATE_GOLDEN === "1";

interface ScenarioOptions extends Partial<PipelineOptions> {
  node?: string;
  labels?: Record<string, string>;
}

export function loadScenario(dir: string): NodeSnapshot {
  const docs = parseAllDocuments(readFileSync(join(dir, "input.yaml"), "utf8")).map((d) => d.toJS() as unknown);
  const optionsPath = join(dir, "options.json");
  const opts = (existsSync(optionsPath) ? JSON.parse(readFileSync(optionsPath, "utf8")) : {}) as ScenarioOptions;
  const { node = "node-1", labels = {}, ...options } = opts;
  const kindOf = (d: unknown): unknown => (d as { kind?: unknown } | null)?.kind;
  return {
    nodeName: node,
    nodeLabels: { "kubernetes.io/hostname": node, ...labels },
    configurations: docs.filter((d) => kindOf(d) === "FRRConfiguration"),
    secrets: docs.filter((d) => kindOf(d) === "Secret") as SecretObject[],
    options: { hostname: node, ...options },
  };
}

function issuesJson(issues: readonly Issue[]): string {
  const rows = issues.map((i) => ({
    severity: i.severity,
    code: i.code,
    object: `${i.object.namespace}/${i.object.name}`,
    path: i.path,
    message: i.message,
    ...(i.conflictsWith && { conflictsWith: `${i.conflictsWith.object.namespace}/${i.conflictsWith.object.name} ${i.conflictsWith.path}` }),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

function expect(dir: string, file: string, actual: string | undefined): void {
  const path = join(dir, file);
  if (UPDATE) {
    if (actual === undefined) rmSync(path, { force: true });
    else writeFileSync(path, actual);
    return;
  }
  if (actual === undefined) {
    assert.ok(!existsSync(path), `${file} exists but the scenario produced none (stale expectation)`);
    return;
  }
  assert.ok(existsSync(path), `${file} is missing: run UPDATE_GOLDEN=1 and review it`);
  assert.equal(actual, readFileSync(path, "utf8"), `${file} differs`);
}

export function scenarioDirs(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

for (const name of scenarioDirs()) {
  test(`golden: ${name}`, () => {
    const dir = join(ROOT, name);
    const result = computeNodeConfig(loadScenario(dir));
    expect(dir, "frr.conf", result.frrConfig);
    expect(dir, "issues.json", result.issues.length > 0 ? issuesJson(result.issues) : undefined);
  });
}
