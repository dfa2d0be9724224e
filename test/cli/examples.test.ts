// Every example under examples/ through the real CLI: valid ones render and validate with exit 0
// for each of their Nodes; examples/invalid exits 1 with the expected issue codes.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { assertNoStackTrace, EXAMPLES, REPO_ROOT, runCli } from "./helpers.ts";

function exampleDirs(): string[] {
  return readdirSync(EXAMPLES)
    .filter((name) => statSync(join(EXAMPLES, name)).isDirectory())
    .sort();
}

/** Names of the Node objects of an example (the test reads the YAML itself). */
function nodeNames(dir: string): string[] {
  const names: string[] = [];
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) =>
    /\.ya?ml$/.test(f),
  )) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      const value = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      if (value?.kind === "Node" && value.metadata?.name) names.push(value.metadata.name);
    }
  }
  return names.sort();
}

const EXPECTED_INVALID_CODES = [
  "ADVERTISED_PREFIX_NOT_IN_ROUTER",
  "BFD_PROFILE_NOT_FOUND",
  "DISABLE_MP_DEPRECATED",
  "INVALID_COMMUNITY",
  "INVALID_IP_ADDRESS",
  "INVALID_SELECTOR_LENGTHS",
  "KEEPALIVE_GREATER_THAN_HOLD",
  "NEIGHBOR_NO_ASN",
  "ROUTER_ASN_CONFLICT",
  "SECRET_NOT_FOUND",
];

describe("examples", { concurrency: 2 }, () => {
  const dirs = exampleDirs();

  it("has the expected set of examples", () => {
    for (const name of ["advertise-all", "advertise-some", "evpn", "invalid", "metallb-generated"]) {
      assert.ok(dirs.includes(name), `examples/${name} is missing`);
    }
    assert.ok(dirs.length >= 9);
  });

  for (const name of dirs.filter((d) => d !== "invalid")) {
    const dir = relative(REPO_ROOT, join(EXAMPLES, name));
    const nodes = nodeNames(join(EXAMPLES, name));

    it(`${name}: has at least one Node`, () => {
      assert.ok(nodes.length > 0);
    });

    it(`${name}: validates with exit 0`, async () => {
      const run = await runCli(["validate", "-f", dir]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^valid: /m);
      assertNoStackTrace(run);
    });

    for (const node of nodes) {
      it(`${name}: renders for node ${node} with exit 0`, async () => {
        const run = await runCli(["render", "-f", dir, "--node", node]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, new RegExp(`^hostname ${node}$`, "m"));
        assert.ok(run.stdout.endsWith("\n"));
        assertNoStackTrace(run);
      });
    }
  }

  it("invalid: validate exits 1 with the expected codes", async () => {
    const run = await runCli(["validate", "-f", "examples/invalid", "-o", "json"]);
    assert.equal(run.code, 1, run.stderr);
    const issues = JSON.parse(run.stdout) as { code: string; severity: string }[];
    assert.deepEqual([...new Set(issues.map((i) => i.code))].sort(), EXPECTED_INVALID_CODES);
    assert.equal(issues.find((i) => i.code === "DISABLE_MP_DEPRECATED")?.severity, "warning");
    assertNoStackTrace(run);
  });

  it("invalid: render exits 1 for every node and prints no configuration", async () => {
    for (const node of nodeNames(join(EXAMPLES, "invalid"))) {
      const run = await runCli(["render", "-f", "examples/invalid", "--node", node]);
      assert.equal(run.code, 1, `${node}: ${run.stderr}`);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /^invalid: /m);
      assertNoStackTrace(run);
    }
  });
});
