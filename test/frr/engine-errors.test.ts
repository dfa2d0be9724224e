// The apply engine when FRR refuses commands, on live FRR 8.4: the outcome names every refused
// command with FRR's message (passwords redacted), FRR goes back to the last configuration that
// applied, and the next good configuration applies normally. A daemon that is down fails the
// apply (retried by the agent) instead of being planned as empty.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EngineApplier } from "../../src/adapters/frr/engine-applier.ts";
import { startFrr, type FrrInstance } from "../support/frr-daemons.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../support/netns.ts";
import { SKIP_FRR } from "./common.ts";

const SECRET = "engine-errors-S3cret";

const good = (asn: number): string => `router bgp 64512
 no bgp ebgp-requires-policy
 neighbor 192.0.2.1 remote-as ${asn}
 neighbor 192.0.2.1 password ${SECRET}
exit
`;

describe("apply engine: refused commands and daemons down", { skip: SKIP_FRR }, () => {
  let ns: Namespace | undefined;
  let frr: FrrInstance | undefined;
  let engine: EngineApplier | undefined;

  before(async () => {
    ns = await createNamespace(uniqueNamespaceName("frrk8s-ee"), { forwarding: true });
    frr = await startFrr({ netns: ns.name });
    engine = new EngineApplier({ vtySocketDir: frr.dir, configDir: frr.dir, configFile: false });
  });

  after(async () => {
    await engine?.close();
    await frr?.stop();
    await ns?.delete();
  });

  test("a refused command is named with FRR's message; the last good configuration stays", async () => {
    const e = engine!;
    assert.equal((await e.apply(good(64513))).kind, "applied");
    const bad = `${good(64514)}router bgp 64512\n neighbor 192.0.2.1 bogus-option 7\n neighbor 192.0.2.9 route-map x out\nexit\n`;
    const outcome = await e.apply(bad);
    if (outcome.kind !== "rejected") assert.fail(JSON.stringify(outcome));
    assert.match(outcome.detail, /neighbor 192\.0\.2\.1 bogus-option 7: % Unknown command/);
    assert.match(outcome.detail, /Specify remote-as or peer-group commands first/);
    assert.ok(!outcome.detail.includes(SECRET), "no password in the detail");
    const running = await frr!.runningConfig();
    assert.match(running, /neighbor 192\.0\.2\.1 remote-as 64513/, "the last good configuration runs");
    assert.doesNotMatch(running, /64514/);
    const next = await e.apply(good(64515));
    assert.equal(next.kind, "applied", JSON.stringify(next));
    assert.match(await frr!.runningConfig(), /neighbor 192\.0\.2\.1 remote-as 64515/);
    assert.deepEqual(await e.unconverged(), []);
  });

  test("a prefetch that FRR moved away from still converges (refusal re-plan and the check)", async () => {
    const f = frr!;
    const fresh = new EngineApplier({ vtySocketDir: f.dir, configDir: f.dir, configFile: false });
    try {
      await fresh.prefetch();
      // Someone changes FRR between the prefetch and the apply: the views the plan starts from are stale.
      const hand = "router bgp 64512\n neighbor 192.0.2.77 remote-as 64577\nexit\n";
      const loaded = await f.vtysh([
        "-c",
        "configure terminal",
        ...hand
          .split("\n")
          .filter((l) => l !== "")
          .flatMap((l) => ["-c", l]),
      ]);
      assert.equal(loaded.code, 0, loaded.stderr);
      const outcome = await fresh.apply(good(64516));
      assert.equal(outcome.kind, "applied", JSON.stringify(outcome));
      assert.deepEqual(await fresh.unconverged(), []);
      const running = await f.runningConfig();
      assert.match(running, /neighbor 192\.0\.2\.1 remote-as 64516/);
      assert.doesNotMatch(running, /192\.0\.2\.77/, "the check removed what the stale plan did not know");
    } finally {
      await fresh.close();
    }
  });

  test("with bgpd down the apply fails (retryable) and nothing is planned against an empty bgpd", async () => {
    const f = frr!;
    const e = engine!;
    const bgpd = f.pids().bgpd;
    assert.ok(bgpd !== undefined);
    process.kill(bgpd, "SIGKILL");
    await waitUntil(() => f.pids().bgpd === undefined);
    assert.equal(await e.drifted(good(64515)).catch(() => true), true);
    const outcome = await e.apply(good(64516));
    if (outcome.kind !== "failed") assert.fail(JSON.stringify(outcome));
    assert.match(outcome.error, /bgpd does not answer/);
    await f.restart();
    const back = await e.apply(good(64516));
    assert.equal(back.kind, "applied", JSON.stringify(back));
    assert.match(await f.runningConfig(), /remote-as 64516/);
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), "condition not reached within 5 s");
}
