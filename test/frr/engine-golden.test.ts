// The apply engine against every golden frr.conf on live FRR 8.4: applied into an empty FRR it
// converges (FRR's running config then plans to nothing: every way FRR rewrites or hides what we
// render is known to the planner), and a second engine that reads FRR afresh sends nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { EngineApplier } from "../../src/adapters/frr/engine-applier.ts";
import type { ApplyOutcome } from "../../src/ports/frr.ts";
import { startFrr, type FrrInstance } from "../support/frr-daemons.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../support/netns.ts";
import { goldenConfigs, SKIP_FRR } from "./common.ts";

describe("apply engine on every golden configuration", { skip: SKIP_FRR }, () => {
  // A namespace without addresses: golden neighbors may use any address (FRR refuses its own).
  let ns: Namespace | undefined;
  let frr: FrrInstance | undefined;

  before(async () => {
    ns = await createNamespace(uniqueNamespaceName("frrk8s-eg"), { forwarding: true });
    frr = await startFrr({ netns: ns.name });
  });

  after(async () => {
    await frr?.stop();
    await ns?.delete();
  });

  const engine = (): EngineApplier => {
    assert.ok(frr !== undefined, "FRR was not started");
    const dir = frr.dir;
    return new EngineApplier({ vtySocketDir: dir, configDir: dir, configFile: false });
  };

  for (const golden of goldenConfigs()) {
    test(golden.scenario, async () => {
      assert.ok(frr !== undefined);
      await frr.reset();
      const config = readFileSync(golden.file, "utf8");
      const first = engine();
      const applied = await first.apply(config);
      if (applied.kind !== "applied") assert.fail(describe_(applied));
      assert.ok((applied.commands ?? 0) > 0, "something was sent");
      assert.deepEqual(await first.unconverged(), [], "FRR runs exactly what was rendered");
      await first.close();
      const fresh = engine();
      const again = await fresh.apply(config);
      await fresh.close();
      assert.deepEqual(again.kind === "applied" && again.commands, 0, describe_(again));
    });
  }
});

function describe_(outcome: ApplyOutcome): string {
  return JSON.stringify(outcome, null, 1);
}
