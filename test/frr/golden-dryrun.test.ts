// Tier 1 of the FRR checks: every golden frr.conf must pass `vtysh --dryrun -f` (FRR's own parser,
// no daemons needed): exit 0 and no output. This is a syntax check only; golden-load.test.ts
// loads the same files into running daemons. The broken fixture proves the check can fail.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { describeFailure, runCommand, type CommandResult } from "../support/exec.ts";
import { formatProblems, readVtyshOutput, type VtyshProblem } from "../support/frr-config.ts";
import { VTYSH } from "../support/frr-daemons.ts";
import { BROKEN_FIXTURE, brokenFixture, goldenConfigs, SKIP_FRR } from "./common.ts";

const TIMEOUT_MS = 30_000;

/** `vtysh --dryrun -f file`, plus the problems it printed. Fails clearly when vtysh is missing. */
async function dryrun(file: string): Promise<{ result: CommandResult; problems: VtyshProblem[] }> {
  let result: CommandResult;
  try {
    result = await runCommand(VTYSH, ["--dryrun", "-f", file], { timeoutMs: TIMEOUT_MS });
  } catch (e) {
    assert.fail(
      `${(e as Error).message}\nInstall FRR (apt-get install frr) or set FRRK8S_SKIP_FRR=1 to skip.`,
    );
  }
  assert.ok(!result.timedOut, describeFailure(result));
  const text = readFileSync(file, "utf8");
  return { result, problems: readVtyshOutput(`${result.stdout}\n${result.stderr}`, text).problems };
}

describe("golden frr.conf passes vtysh --dryrun", { concurrency: availableParallelism() }, () => {
  const goldens = goldenConfigs();

  test("there are golden configurations to check", { skip: SKIP_FRR }, () => {
    assert.ok(goldens.length > 0, "no test/golden/*/frr.conf found");
  });

  for (const { scenario, file } of goldens) {
    test(scenario, { skip: SKIP_FRR }, async () => {
      const { result, problems } = await dryrun(file);
      assert.ok(
        result.code === 0 && problems.length === 0,
        `FRR rejects ${file} (exit ${String(result.code)}):\n${formatProblems(problems)}`,
      );
    });
  }
});

describe("vtysh --dryrun check rejects a broken configuration", { skip: SKIP_FRR }, () => {
  const fixture = brokenFixture();

  test("the broken fixture is rejected, naming the wrong line", async () => {
    const { result, problems } = await dryrun(BROKEN_FIXTURE);
    assert.notEqual(result.code, 0, "vtysh --dryrun accepted the broken fixture");
    assert.deepEqual(
      problems.map((p) => p.line),
      [fixture.badLine],
      `expected exactly one problem, at line ${fixture.badLine}:\n${formatProblems(problems)}`,
    );
    assert.ok(problems[0]?.message.includes(fixture.badText.trim()), formatProblems(problems));
  });

  test("the fixture without the wrong line is accepted (so exactly one line is wrong)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "frrk8s-dryrun-"));
    try {
      const file = join(dir, "fixed.conf");
      writeFileSync(file, fixture.fixedText);
      const { result, problems } = await dryrun(file);
      assert.ok(result.code === 0 && problems.length === 0, formatProblems(problems));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
