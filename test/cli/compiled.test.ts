// The compiled CLI (what the image runs, `npm run build`) behaves as the TypeScript sources: the
// same output for every example, the same exit codes, and no import left pointing at a .ts file.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildCompiledCli, type CompiledCli } from "../support/compiled-cli.ts";
import { runCli } from "./helpers.ts";

describe("compiled CLI (npm run build)", () => {
  let compiled: CompiledCli;
  before(async () => {
    compiled = await buildCompiledCli();
  });
  after(() => {
    compiled.remove();
  });

  it("has no test files and no import of a .ts module", () => {
    const files = readdirSync(compiled.dir, { recursive: true, encoding: "utf8" });
    assert.ok(files.includes(join("cli", "commands", "agent.js")), "cli/commands/agent.js is missing");
    assert.deepEqual(
      files.filter((f) => f.endsWith(".ts") || f.includes(".test.")),
      [],
    );
    const tsImports = files
      .filter((f) => f.endsWith(".js"))
      .filter((f) =>
        /(from\s+|import\()\s*["'][^"']+\.ts["']/.test(readFileSync(join(compiled.dir, f), "utf8")),
      );
    assert.deepEqual(tsImports, []);
  });

  const cases: { args: string[]; code: number; stdout: RegExp }[] = [
    {
      args: ["render", "-f", "examples/advertise-all", "--node", "worker-0"],
      code: 0,
      stdout: /^router bgp /m,
    },
    {
      args: ["render", "-f", "examples/evpn", "--node", "leaf-0"],
      code: 0,
      stdout: /^ *vni /m,
    },
    { args: ["validate", "-f", "examples/invalid", "-o", "json"], code: 1, stdout: /"SECRET_NOT_FOUND"/ },
    { args: ["render", "-f", "examples/invalid", "--node", "worker-1"], code: 1, stdout: /^$/ },
    { args: ["agent", "--no-such-flag"], code: 2, stdout: /^$/ },
    { args: ["--help"], code: 0, stdout: /^Usage: frrk8s/m },
  ];
  for (const { args, code, stdout } of cases) {
    it(`frrk8s ${args.join(" ")}: exit ${code}, the same output as the sources`, async () => {
      const [fromSources, fromCompiled] = await Promise.all([
        runCli(args),
        runCli(args, { script: compiled.main }),
      ]);
      assert.equal(fromCompiled.code, code, fromCompiled.stderr);
      assert.match(fromCompiled.stdout, stdout);
      assert.deepEqual(fromCompiled, fromSources);
    });
  }
});
