import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { register as globalRegistry } from "prom-client";
import { AgentMetrics, vrfLabel } from "../../src/runtime/metrics.ts";
import { PASSWORD, bfdPeer, nodeStatus, session } from "./status-fixtures.ts";

async function text(metrics: AgentMetrics): Promise<string> {
  return (await metrics.exposition()).body;
}

/** The value of one series, or undefined when the series is absent. */
function value(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of body.split("\n")) {
    const match = /^([a-zA-Z0-9_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").split(",").filter((s) => s !== "");
    if (have.length === wanted.length && wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

function typeOf(body: string, name: string): string | undefined {
  return new RegExp(`^# TYPE ${name} (\\w+)$`, "m").exec(body)?.[1];
}

const UPSTREAM_COUNTERS = [
  "frrk8s_bgp_opens_sent",
  "frrk8s_bgp_opens_received",
  "frrk8s_bgp_notifications_sent",
  "frrk8s_bgp_updates_total",
  "frrk8s_bgp_updates_total_received",
  "frrk8s_bgp_keepalives_sent",
  "frrk8s_bgp_keepalives_received",
  "frrk8s_bgp_route_refresh_sent",
  "frrk8s_bgp_total_sent",
  "frrk8s_bgp_total_received",
  "frrk8s_bfd_control_packet_input",
  "frrk8s_bfd_control_packet_output",
  "frrk8s_bfd_echo_packet_input",
  "frrk8s_bfd_echo_packet_output",
  "frrk8s_bfd_session_up_events",
  "frrk8s_bfd_session_down_events",
  "frrk8s_bfd_zebra_notifications",
  "frrk8s_k8s_client_updates_total",
  "frrk8s_k8s_client_update_errors_total",
  "frrk8s_apply_results_total",
  "frrk8s_apply_commands_total",
  "frrk8s_session_resets_total",
];
const UPSTREAM_GAUGES = [
  "frrk8s_bgp_session_up",
  "frrk8s_bgp_announced_prefixes_total",
  "frrk8s_bgp_received_prefixes_total",
  "frrk8s_bfd_session_up",
  "frrk8s_k8s_client_config_loaded_bool",
  "frrk8s_k8s_client_config_stale_bool",
  "frrk8s_config_stale",
];

describe("AgentMetrics", () => {
  it("exposes upstream's names with upstream's types, and ours", async () => {
    const body = await text(new AgentMetrics());
    for (const name of UPSTREAM_COUNTERS) assert.equal(typeOf(body, name), "counter", name);
    for (const name of UPSTREAM_GAUGES) assert.equal(typeOf(body, name), "gauge", name);
    assert.equal(typeOf(body, "frrk8s_apply_duration_seconds"), "histogram");
  });

  it("uses its own registry, not prom-client's global one", async () => {
    const a = new AgentMetrics();
    const b = new AgentMetrics(); // a second instance does not collide
    a.reconciled(false);
    assert.equal(value(await text(a), "frrk8s_k8s_client_updates_total"), 1);
    assert.equal(value(await text(b), "frrk8s_k8s_client_updates_total"), 0);
    assert.equal(globalRegistry.getSingleMetric("frrk8s_k8s_client_updates_total"), undefined);
  });

  it("counts reconciles and failed reconciles", async () => {
    const m = new AgentMetrics();
    m.reconciled(false);
    m.reconciled(true);
    m.reconciled(true);
    const body = await text(m);
    assert.equal(value(body, "frrk8s_k8s_client_updates_total"), 3);
    assert.equal(value(body, "frrk8s_k8s_client_update_errors_total"), 2);
  });

  it("counts apply results by outcome (all four present from the start) and times real applies", async () => {
    const m = new AgentMetrics();
    let body = await text(m);
    for (const outcome of ["applied", "rejected", "failed", "unchanged"]) {
      assert.equal(value(body, "frrk8s_apply_results_total", { outcome }), 0, outcome);
    }
    assert.equal(value(body, "frrk8s_k8s_client_config_loaded_bool"), 0);
    m.applied({ kind: "failed", durationMs: 1_500, error: "timeout" });
    m.applied({ kind: "applied", durationMs: 250 });
    m.applied({
      kind: "applied",
      durationMs: 0,
      commands: 7,
      resets: [{ vrf: "", neighbor: "192.0.2.1", reason: "neighbor password" }],
    });
    m.applied({ kind: "applied", durationMs: 0, commands: 0 });
    m.applied({ kind: "unchanged" });
    m.applied({ kind: "unchanged" });
    body = await text(m);
    assert.equal(value(body, "frrk8s_apply_results_total", { outcome: "applied" }), 3);
    assert.equal(value(body, "frrk8s_apply_commands_total"), 7);
    assert.equal(value(body, "frrk8s_session_resets_total"), 1);
    assert.equal(value(body, "frrk8s_apply_results_total", { outcome: "failed" }), 1);
    assert.equal(value(body, "frrk8s_apply_results_total", { outcome: "unchanged" }), 2);
    assert.equal(value(body, "frrk8s_apply_duration_seconds_count", { outcome: "applied" }), 3);
    assert.equal(value(body, "frrk8s_apply_duration_seconds_sum", { outcome: "applied" }), 0.25);
    assert.equal(value(body, "frrk8s_apply_duration_seconds_sum", { outcome: "failed" }), 1.5);
    assert.equal(value(body, "frrk8s_apply_duration_seconds_count", { outcome: "unchanged" }), undefined);
    assert.equal(value(body, "frrk8s_k8s_client_config_loaded_bool"), 1);
  });

  it("takes the stale flags from the status", async () => {
    const m = new AgentMetrics();
    m.status(nodeStatus({ configStale: true }));
    let body = await text(m);
    assert.equal(value(body, "frrk8s_config_stale"), 1);
    assert.equal(value(body, "frrk8s_k8s_client_config_stale_bool"), 1);
    assert.equal(value(body, "frrk8s_k8s_client_config_loaded_bool"), 1, "lastAppliedAt is set");
    m.status(nodeStatus({ configStale: false }));
    body = await text(m);
    assert.equal(value(body, "frrk8s_config_stale"), 0);
    assert.equal(value(body, "frrk8s_k8s_client_config_stale_bool"), 0);
  });

  it("exposes BGP and BFD series labelled peer and vrf, with vrf default for the default VRF", async () => {
    const m = new AgentMetrics();
    m.status(nodeStatus());
    const body = await text(m);
    const def = { peer: "192.168.1.2", vrf: "default" };
    const red = { peer: "fc00::2", vrf: "red" };
    assert.equal(value(body, "frrk8s_bgp_session_up", def), 1);
    assert.equal(value(body, "frrk8s_bgp_session_up", red), 0);
    assert.equal(value(body, "frrk8s_bgp_announced_prefixes_total", def), 3);
    assert.equal(value(body, "frrk8s_bgp_received_prefixes_total", def), 5);
    assert.equal(value(body, "frrk8s_bgp_updates_total", def), 4);
    assert.equal(value(body, "frrk8s_bgp_updates_total_received", def), 6);
    assert.equal(value(body, "frrk8s_bgp_keepalives_received", red), 101);
    assert.equal(value(body, "frrk8s_bgp_total_received", def), 108);
    assert.equal(value(body, "frrk8s_bfd_session_up", def), 1);
    assert.equal(value(body, "frrk8s_bfd_control_packet_output", def), 11);
    assert.equal(value(body, "frrk8s_bfd_zebra_notifications", def), 2);
    assert.doesNotMatch(body, /vrf=""/);
    assert.equal(vrfLabel(""), "default");
    assert.equal(vrfLabel("red"), "red");
  });

  it("exposes FRR's absolute counters as counters: growth adds the delta, a decrease is a reset", async () => {
    const m = new AgentMetrics();
    const labels = { peer: "192.168.1.2", vrf: "default" };
    const withOpens = (opensSent: number) =>
      nodeStatus({
        sessions: [session("", "192.168.1.2", { messages: { ...session("", "x").messages, opensSent } })],
      });
    m.status(withOpens(2));
    assert.equal(value(await text(m), "frrk8s_bgp_opens_sent", labels), 2);
    m.status(withOpens(7));
    assert.equal(value(await text(m), "frrk8s_bgp_opens_sent", labels), 7);
    m.status(withOpens(7));
    assert.equal(value(await text(m), "frrk8s_bgp_opens_sent", labels), 7);
    m.status(withOpens(1)); // FRR restarted: the counter restarts from FRR's value
    assert.equal(value(await text(m), "frrk8s_bgp_opens_sent", labels), 1);
    m.status(withOpens(4));
    assert.equal(value(await text(m), "frrk8s_bgp_opens_sent", labels), 4);
  });

  it("removes the series of peers FRR no longer reports", async () => {
    const m = new AgentMetrics();
    m.status(nodeStatus({ bfdPeers: [bfdPeer("", "192.168.1.2"), bfdPeer("red", "fc00::2")] }));
    m.status(nodeStatus({ sessions: [session("red", "fc00::2")], bfdPeers: [bfdPeer("red", "fc00::2")] }));
    let body = await text(m);
    assert.doesNotMatch(body, /192\.168\.1\.2/);
    assert.equal(value(body, "frrk8s_bgp_session_up", { peer: "fc00::2", vrf: "red" }), 1);
    assert.equal(value(body, "frrk8s_bfd_session_up", { peer: "192.168.1.2", vrf: "default" }), undefined);
    assert.equal(value(body, "frrk8s_bfd_session_up", { peer: "fc00::2", vrf: "red" }), 1);
    // a peer that comes back starts from FRR's value again
    m.status(nodeStatus({ sessions: [session("", "192.168.1.2")] }));
    body = await text(m);
    assert.equal(value(body, "frrk8s_bgp_opens_sent", { peer: "192.168.1.2", vrf: "default" }), 1);
    assert.doesNotMatch(body, /fc00::2/);
  });

  it("the same peer in two VRFs is two series", async () => {
    const m = new AgentMetrics();
    m.status(nodeStatus({ sessions: [session("", "10.0.0.1"), session("blue", "10.0.0.1")], bfdPeers: [] }));
    const body = await text(m);
    assert.equal(value(body, "frrk8s_bgp_session_up", { peer: "10.0.0.1", vrf: "default" }), 1);
    assert.equal(value(body, "frrk8s_bgp_session_up", { peer: "10.0.0.1", vrf: "blue" }), 1);
  });

  it("never exposes a password, wherever the status carries one", async () => {
    const m = new AgentMetrics();
    m.status(
      nodeStatus({
        runningConfig: `router bgp 1\n neighbor 192.168.1.2 password ${PASSWORD}\n`,
        lastReloadResult: `error near: password ${PASSWORD}`,
        issues: [
          {
            code: "INVALID_PASSWORD",
            severity: "error",
            path: "spec.bgp.routers[0].neighbors[0].password",
            object: { kind: "FRRConfiguration", namespace: "ns", name: "c" },
            message: `bad ${PASSWORD}`,
          },
        ],
      }),
    );
    m.applied({ kind: "rejected", durationMs: 10, detail: `password ${PASSWORD}` });
    const body = await text(m);
    assert.ok(!body.includes(PASSWORD));
    assert.doesNotMatch(body, /password/i);
  });

  it("adds process metrics when asked", async () => {
    const body = await text(new AgentMetrics({ defaultMetrics: true }));
    assert.match(body, /^process_cpu_seconds_total /m);
  });
});
