// frr-reload.py as the oracle of the apply engine: for pairs of golden configurations A → B, two
// live FRR 8.4 instances start from A (loaded with vtysh -f); one is brought to B by our engine,
// the other by frr-reload.py (ReloadApplier, as upstream). Both must end at the same running
// configuration (compared as sets of lines with their block path, in FRR's spelling).
//
// Where frr-reload.py itself fails (FRR 8.4.4's copy crashes on some diffs, or orders graceful
// restart commands so bgpd refuses them) or leaves lines behind that B does not have (an empty
// `bfd` block, `neighbor X bfd` after its profile went, a VRF router still imported), the engine's
// result is held to B itself: every difference must be on frr-reload.py's side.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { EngineApplier } from "../../src/adapters/frr/engine-applier.ts";
import { ReloadApplier } from "../../src/adapters/frr/reload-applier.ts";
import { asFrrShowsIt } from "../../src/core/frr-diff/diff.ts";
import { environmentLine, forwardingLine } from "../../src/core/frr-diff/lines.ts";
import { flattenConfig, parseFrrConfig } from "../../src/core/frr-diff/parse.ts";
import { startFrr, type FrrInstance } from "../support/frr-daemons.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../support/netns.ts";
import { goldenConfigs, SKIP_FRR } from "./common.ts";

/**
 * Consecutive pairs of the sorted corpus, spread over it, both directions. frr-reload.py takes
 * ~9 s per transition here (one vtysh process per deleted line), so CI runs 8 pairs (16
 * transitions); FRRK8S_ORACLE_PAIRS=all runs every pair (~110, about 30 minutes).
 */
function pairs(): { from: string; to: string; name: string }[] {
  const all = goldenConfigs();
  const wanted =
    process.env.FRRK8S_ORACLE_PAIRS === "all" ? all.length : Number(process.env.FRRK8S_ORACLE_PAIRS ?? 8);
  const stride = Math.max(1, Math.floor((all.length - 1) / wanted));
  const out: { from: string; to: string; name: string }[] = [];
  for (let i = 0; i + 1 < all.length && out.length < 2 * wanted; i += stride) {
    const a = all[i];
    const b = all[i + 1];
    if (a === undefined || b === undefined) continue;
    out.push({ from: a.file, to: b.file, name: `${a.scenario} → ${b.scenario}` });
    out.push({ from: b.file, to: a.file, name: `${b.scenario} → ${a.scenario}` });
  }
  return out;
}

/** The running config as sorted "block / line" entries, FRR's environment lines left out. */
function comparable(running: string): string[] {
  const tree = asFrrShowsIt(parseFrrConfig(running));
  tree.lines = tree.lines.filter((l) => !environmentLine(l) && !forwardingLine(l));
  tree.blocks = tree.blocks.filter(
    (b) => !(b.header === "bfd" && b.lines.length === 0 && b.blocks.length === 0),
  );
  return flattenConfig(tree).sort();
}

describe("apply engine against frr-reload.py (oracle)", { skip: SKIP_FRR }, () => {
  const instances: { ns: Namespace; frr: FrrInstance }[] = [];

  before(async () => {
    for (const name of ["frrk8s-oe", "frrk8s-or"]) {
      const ns = await createNamespace(uniqueNamespaceName(name), { forwarding: true });
      instances.push({ ns, frr: await startFrr({ netns: ns.name }) });
    }
  });

  after(async () => {
    for (const i of instances.splice(0)) {
      await i.frr.stop();
      await i.ns.delete();
    }
  });

  const endState = async (frr: FrrInstance, from: string, to: string, mode: "engine" | "reload") => {
    await frr.reset();
    const load = await frr.loadFile(from);
    assert.equal(load.code, 0, `${from} loads: ${load.stderr}`);
    const options = { vtySocketDir: frr.dir, configDir: frr.dir };
    const applier =
      mode === "engine" ? new EngineApplier({ ...options, configFile: false }) : new ReloadApplier(options);
    try {
      const outcome = await applier.apply(readFileSync(to, "utf8"));
      const unconverged = applier instanceof EngineApplier ? await applier.unconverged() : [];
      return { outcome, unconverged, running: comparable(await frr.runningConfig()) };
    } finally {
      await applier.close();
    }
  };

  for (const pair of pairs()) {
    test(pair.name, async (t) => {
      const [engineFrr, reloadFrr] = instances;
      assert.ok(engineFrr !== undefined && reloadFrr !== undefined, "FRR was not started");
      const [engine, reload] = await Promise.all([
        endState(engineFrr.frr, pair.from, pair.to, "engine"),
        endState(reloadFrr.frr, pair.from, pair.to, "reload"),
      ]);
      if (engine.outcome.kind !== "applied") assert.fail(JSON.stringify(engine.outcome));
      assert.deepEqual(engine.unconverged, []);
      const ours = engine.running;
      const oracle = reload.running;
      const wanted = new Set(comparable(readFileSync(pair.to, "utf8")));
      const onlyOurs = ours.filter((l) => !oracle.includes(l));
      const onlyOracle = oracle.filter((l) => !ours.includes(l));
      // Ours may differ only where frr-reload.py missed B: it failed, or kept lines B does not have.
      const oracleFailed = reload.outcome.kind !== "applied";
      const ourFaults = [
        ...onlyOurs.filter((l) => !(oracleFailed && wanted.has(l))).map((l) => `extra in ours: ${l}`),
        ...onlyOracle.filter((l) => wanted.has(l)).map((l) => `missing in ours: ${l}`),
      ];
      if (onlyOurs.length + onlyOracle.length > 0) {
        t.diagnostic(
          `frr-reload.py differs (${reload.outcome.kind}): ${JSON.stringify({ onlyOurs, onlyOracle })}`,
        );
      }
      assert.deepEqual(ourFaults, []);
    });
  }
});
