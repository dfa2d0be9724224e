import type { SessionReset } from "../core/frr-diff/resets.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import { NodeAgent } from "./node-agent.ts";
import type { ApplyOutcome, FrrApplier, FrrStatusReader } from "../ports/frr.ts";
import type { NodeInputs, NodeSource } from "../ports/node-source.ts";
import type { NodeStatus, StatusSink } from "../ports/node-status.ts";

const PASSWORD = "agent-test-S3cret";

function configuration(asn: number, extra: object = {}): unknown {
  return {
    apiVersion: "frrk8s.metallb.io/v1beta1",
    kind: "FRRConfiguration",
    metadata: { name: "c", namespace: "frr-k8s-system" },
    spec: {
      bgp: {
        routers: [{ asn, neighbors: [{ address: "192.0.2.1", asn: 64600, password: PASSWORD, ...extra }] }],
      },
    },
  };
}

/** FRR in memory: counts every call, can refuse, and can "restart" (lose its configuration). */
class FakeFrr implements FrrApplier, FrrStatusReader {
  calls = 0;
  applies: string[] = [];
  running = "";
  next: ApplyOutcome["kind"] = "applied";
  /** Sessions the next successful apply reports as reset. */
  resets: SessionReset[] = [];
  /** What the check after the last apply found FRR running differently. */
  differing: string[] = [];

  apply(config: string): Promise<ApplyOutcome> {
    this.calls++;
    if (this.next === "applied") {
      this.applies.push(config);
      this.running = config;
      const resets = this.resets.length > 0 ? { resets: this.resets } : {};
      return Promise.resolve({ kind: "applied", durationMs: 1, ...resets });
    }
    const text = "line 3: % Unknown command";
    return Promise.resolve(
      this.next === "rejected"
        ? { kind: "rejected", durationMs: 1, detail: text }
        : { kind: "failed", durationMs: 1, error: "vtysh timed out" },
    );
  }
  runningConfig(): Promise<string> {
    this.calls++;
    return Promise.resolve(this.running);
  }
  drifted(config: string): Promise<boolean> {
    this.calls++;
    return Promise.resolve(this.running !== config);
  }
  unconverged(): Promise<string[]> {
    return Promise.resolve(this.differing);
  }
  sessions(): ReturnType<FrrStatusReader["sessions"]> {
    this.calls++;
    return Promise.resolve([]);
  }
  bfdPeers(): ReturnType<FrrStatusReader["bfdPeers"]> {
    this.calls++;
    return Promise.resolve([]);
  }
  daemons(): Promise<string[]> {
    return Promise.resolve(["zebra", "bgpd"]);
  }
}

function setup(configs: unknown[]) {
  const inputs: { current: NodeInputs } = {
    current: {
      nodeLabels: { "kubernetes.io/hostname": "n1" },
      configurations: configs,
      secrets: [],
      readProblems: [],
    },
  };
  const source: NodeSource = {
    read: () => Promise.resolve(inputs.current),
    watch: () => ({ close: () => undefined }),
  };
  const published: NodeStatus[] = [];
  const sink: StatusSink = { publish: (s) => Promise.resolve(void published.push(s)) };
  const frr = new FakeFrr();
  const agent = new NodeAgent(
    { nodeName: "n1", hostname: "n1" },
    {
      source,
      frr,
      frrStatus: frr,
      sink,
      clock: { now: () => 1000, setTimeout: () => ({ cancel: () => undefined }) },
    },
  );
  return { agent, frr, inputs, published };
}

test("applies once, then an unchanged configuration runs no FRR command at all", async () => {
  const { agent, frr } = setup([configuration(64512)]);
  assert.deepEqual(await agent.reconcile(), { kind: "done" });
  assert.equal(frr.applies.length, 1);
  assert.match(frr.applies[0]!, /router bgp 64512/);
  const callsAfterFirst = frr.calls;
  assert.deepEqual(await agent.reconcile(), { kind: "done" });
  assert.equal(frr.calls, callsAfterFirst, "no FRR call for an unchanged configuration");
  assert.equal(agent.status().lastConversionResult, "success");
  assert.equal(agent.status().configStale, false);
});

test("sessions an apply reset are in the status until the next apply", async () => {
  const { agent, frr, inputs } = setup([configuration(64512)]);
  frr.resets = [{ vrf: "", neighbor: "192.168.1.2", reason: "neighbor remote-as" }];
  await agent.reconcile();
  assert.deepEqual(agent.status().lastApplyResets, frr.resets);
  frr.resets = [];
  inputs.current = { ...inputs.current, configurations: [configuration(64513)] };
  await agent.reconcile();
  assert.deepEqual(agent.status().lastApplyResets, []);
});

test("lines FRR runs differently after an apply are in the status", async () => {
  const { agent, frr, inputs } = setup([configuration(64512)]);
  frr.differing = [" neighbor 192.0.2.1 timers 10 30"];
  await agent.reconcile();
  assert.deepEqual(agent.status().unconverged, frr.differing);
  frr.differing = [];
  inputs.current = { ...inputs.current, configurations: [configuration(64513)] };
  await agent.reconcile();
  assert.deepEqual(agent.status().unconverged, []);
});

test("invalid input keeps the last good configuration and shows the issues", async () => {
  const { agent, frr, inputs } = setup([configuration(64512)]);
  await agent.reconcile();
  inputs.current = { ...inputs.current, configurations: [configuration(64512, { asn: "not-a-number" })] };
  const outcome = await agent.reconcile();
  assert.equal(outcome.kind, "terminal");
  assert.equal(frr.applies.length, 1, "nothing applied");
  const status = agent.status();
  assert.match(status.lastConversionResult, /^failed: 1 issue$/);
  const [issue] = status.issues;
  assert.ok(issue);
  assert.equal(issue.code, "INVALID_TYPE");
  assert.equal(issue.path, "spec.bgp.routers[0].neighbors[0].asn");
  assert.equal(status.configStale, true);
  assert.match(status.runningConfig, /router bgp 64512/, "the old configuration still runs");
});

test("a configuration FRR refuses is reported; the next change applies", async () => {
  const { agent, frr, inputs } = setup([configuration(64512)]);
  frr.next = "rejected";
  const refused = await agent.reconcile();
  assert.equal(refused.kind, "terminal");
  assert.match(agent.status().lastReloadResult, /Unknown command/);
  assert.equal(agent.status().configStale, true);
  frr.next = "applied";
  inputs.current = { ...inputs.current, configurations: [configuration(64513)] };
  assert.deepEqual(await agent.reconcile(), { kind: "done" });
  assert.equal(agent.status().lastReloadResult, "success");
  assert.equal(agent.status().configStale, false);
});

test("an unreachable FRR is retried", async () => {
  const { agent, frr } = setup([configuration(64512)]);
  frr.next = "failed";
  assert.deepEqual(await agent.reconcile(), { kind: "retry", error: "vtysh timed out" });
  frr.next = "applied";
  assert.deepEqual(await agent.reconcile(), { kind: "done" });
  assert.equal(frr.applies.length, 1);
});

test("verify re-applies the configuration a restarted daemon lost", async () => {
  const { agent, frr } = setup([configuration(64512)]);
  await agent.reconcile();
  await agent.verify();
  assert.equal(frr.applies.length, 1, "nothing to do while FRR has it");
  frr.running = "frr version 8.4\n"; // bgpd restarted empty
  await agent.verify();
  assert.equal(frr.applies.length, 2);
  assert.match(frr.running, /router bgp 64512/);
});

test("unreadable inputs are reported, never thrown, and change nothing", async () => {
  const { agent, frr, inputs } = setup([configuration(64512)]);
  await agent.reconcile();
  inputs.current = { ...inputs.current, readProblems: ["a.yaml:3:1: YAML syntax error"] };
  assert.equal((await agent.reconcile()).kind, "terminal");
  assert.match(agent.status().lastConversionResult, /cannot read the inputs: a\.yaml:3:1/);
  assert.equal(frr.applies.length, 1);
});

test("the password never appears in any published status", async () => {
  const { agent, published } = setup([configuration(64512)]);
  await agent.reconcile();
  await agent.verify();
  assert.ok(published.length >= 2);
  for (const status of published) assert.ok(!JSON.stringify(status).includes(PASSWORD));
  assert.match(agent.status().runningConfig, /password <retracted>/);
});
