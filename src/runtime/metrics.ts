// Prometheus metrics of the node agent, on ONE prom-client Registry per process (never the global
// one). Names and labels follow upstream (reference §5.6) so dashboards and alerts keep working:
//
// - controller: frrk8s_k8s_client_{updates_total, update_errors_total, config_loaded_bool,
//   config_stale_bool};
// - BGP and BFD, labels `peer` and `vrf` ("default" for the default VRF): session_up and prefix
//   counts are gauges; FRR's message and event counters are exposed with type counter, as
//   upstream does. FRR reports absolute values, so each refresh adds the delta since the last one;
//   when a value goes down (FRR restarted, peer re-created) the series is re-created with the new
//   value, which Prometheus reads as a counter reset. The exposed value is always FRR's own.
// - ours: frrk8s_apply_duration_seconds, frrk8s_apply_results_total{outcome}, frrk8s_config_stale,
//   frrk8s_apply_commands_total, frrk8s_session_resets_total.
//
// Series of peers FRR no longer reports are removed at the next refresh. Labels are only peer and
// vrf (addresses or interface names): no configuration text, hence never a password.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ApplyOutcome, BfdPeerState, SessionState } from "../ports/frr.ts";
import type { NodeStatus } from "../ports/node-status.ts";

type PeerLabel = "peer" | "vrf";
type PeerLabels = Record<PeerLabel, string>;

export type ApplyResult = ApplyOutcome["kind"] | "unchanged";
export const APPLY_RESULTS: readonly ApplyResult[] = ["applied", "rejected", "failed", "unchanged"];

const BGP_COUNTERS = {
  frrk8s_bgp_opens_sent: ["Number of BGP open messages sent", (s) => s.messages.opensSent],
  frrk8s_bgp_opens_received: ["Number of BGP open messages received", (s) => s.messages.opensReceived],
  frrk8s_bgp_notifications_sent: [
    "Number of BGP notification messages sent",
    (s) => s.messages.notificationsSent,
  ],
  frrk8s_bgp_updates_total: ["Number of BGP UPDATE messages sent", (s) => s.messages.updatesSent],
  frrk8s_bgp_updates_total_received: [
    "Number of BGP UPDATE messages received",
    (s) => s.messages.updatesReceived,
  ],
  frrk8s_bgp_keepalives_sent: ["Number of BGP keepalive messages sent", (s) => s.messages.keepalivesSent],
  frrk8s_bgp_keepalives_received: [
    "Number of BGP keepalive messages received",
    (s) => s.messages.keepalivesReceived,
  ],
  frrk8s_bgp_route_refresh_sent: [
    "Number of BGP route refresh messages sent",
    (s) => s.messages.routeRefreshSent,
  ],
  frrk8s_bgp_total_sent: ["Number of total BGP messages sent", (s) => s.messages.totalSent],
  frrk8s_bgp_total_received: ["Number of total BGP messages received", (s) => s.messages.totalReceived],
} satisfies Record<string, [string, (s: SessionState) => number]>;

const BFD_COUNTERS = {
  frrk8s_bfd_control_packet_input: [
    "Number of received BFD control packets",
    (p) => p.counters.controlPacketInput,
  ],
  frrk8s_bfd_control_packet_output: [
    "Number of sent BFD control packets",
    (p) => p.counters.controlPacketOutput,
  ],
  frrk8s_bfd_echo_packet_input: ["Number of received BFD echo packets", (p) => p.counters.echoPacketInput],
  frrk8s_bfd_echo_packet_output: ["Number of sent BFD echo packets", (p) => p.counters.echoPacketOutput],
  frrk8s_bfd_session_up_events: ["Number of BFD session up events", (p) => p.counters.sessionUpEvents],
  frrk8s_bfd_session_down_events: ["Number of BFD session down events", (p) => p.counters.sessionDownEvents],
  frrk8s_bfd_zebra_notifications: ["Number of BFD zebra notifications", (p) => p.counters.zebraNotifications],
} satisfies Record<string, [string, (p: BfdPeerState) => number]>;

export const APPLY_DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** `vrf` label value: FRR's VRF name, "default" for the default VRF ("" in the port types). */
export function vrfLabel(vrf: string): string {
  return vrf === "" ? "default" : vrf;
}

function peerLabels(item: { vrf: string; peer: string }): PeerLabels {
  return { peer: item.peer, vrf: vrfLabel(item.vrf) };
}

function seriesKey(labels: PeerLabels): string {
  return `${labels.vrf}\u0000${labels.peer}`;
}

/**
 * A counter whose source is an absolute value read from FRR. Exposed value = FRR's value; a
 * decrease re-creates the series (a counter reset for Prometheus).
 */
class AbsoluteCounter {
  readonly #counter: Counter<PeerLabel>;
  readonly #last = new Map<string, number>();

  constructor(registry: Registry, name: string, help: string) {
    this.#counter = new Counter({ name, help, labelNames: ["peer", "vrf"], registers: [registry] });
  }

  set(labels: PeerLabels, value: number): void {
    const key = seriesKey(labels);
    const v = Number.isFinite(value) && value > 0 ? value : 0;
    const last = this.#last.get(key);
    if (last === undefined || v < last) {
      if (last !== undefined) this.#counter.remove(labels);
      this.#counter.inc(labels, v);
    } else if (v > last) {
      this.#counter.inc(labels, v - last);
    }
    this.#last.set(key, v);
  }

  remove(labels: PeerLabels): void {
    this.#counter.remove(labels);
    this.#last.delete(seriesKey(labels));
  }
}

/** The per-peer series of one family (BGP sessions or BFD peers), with stale-series removal. */
class PeerFamily<T extends { vrf: string; peer: string }> {
  readonly #gauges: [Gauge<PeerLabel>, (item: T) => number][];
  readonly #counters: [AbsoluteCounter, (item: T) => number][];
  #present = new Map<string, PeerLabels>();

  constructor(
    gauges: [Gauge<PeerLabel>, (item: T) => number][],
    counters: [AbsoluteCounter, (item: T) => number][],
  ) {
    this.#gauges = gauges;
    this.#counters = counters;
  }

  refresh(items: readonly T[]): void {
    const present = new Map<string, PeerLabels>();
    for (const item of items) {
      const labels = peerLabels(item);
      present.set(seriesKey(labels), labels);
      for (const [gauge, value] of this.#gauges) gauge.set(labels, value(item));
      for (const [counter, value] of this.#counters) counter.set(labels, value(item));
    }
    for (const [key, labels] of this.#present) {
      if (present.has(key)) continue;
      for (const [gauge] of this.#gauges) gauge.remove(labels);
      for (const [counter] of this.#counters) counter.remove(labels);
    }
    this.#present = present;
  }
}

export interface MetricsOptions {
  /** Also expose prom-client's process_* and nodejs_* metrics (the agent does; tests need not). */
  defaultMetrics?: boolean;
}

/**
 * The agent's metrics. Its methods match the controller's observer (reconciled / applied /
 * status), so it can be passed as one.
 */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly #updates: Counter;
  readonly #updateErrors: Counter;
  readonly #configLoaded: Gauge;
  readonly #configStaleUpstream: Gauge;
  readonly #configStale: Gauge;
  readonly #applyDuration: Histogram<"outcome">;
  readonly #applyResults: Counter<"outcome">;
  readonly #applyCommands: Counter;
  readonly #sessionResets: Counter;
  readonly #bgp: PeerFamily<SessionState>;
  readonly #bfd: PeerFamily<BfdPeerState>;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics === true) collectDefaultMetrics({ register: this.registry });
    this.#updates = new Counter({
      name: "frrk8s_k8s_client_updates_total",
      help: "Number of k8s object updates that have been processed.",
      registers,
    });
    this.#updateErrors = new Counter({
      name: "frrk8s_k8s_client_update_errors_total",
      help: "Number of k8s object updates that failed for some reason.",
      registers,
    });
    this.#configLoaded = new Gauge({
      name: "frrk8s_k8s_client_config_loaded_bool",
      help: "1 if the FRR configuration was successfully loaded at least once.",
      registers,
    });
    this.#configStaleUpstream = new Gauge({
      name: "frrk8s_k8s_client_config_stale_bool",
      help: "1 if running on a stale configuration, because the latest config failed to load.",
      registers,
    });
    this.#configStale = new Gauge({
      name: "frrk8s_config_stale",
      help: "1 while FRR runs an older configuration than the inputs ask for (conversion or apply failed).",
      registers,
    });
    this.#applyDuration = new Histogram({
      name: "frrk8s_apply_duration_seconds",
      help: "Time taken to apply a configuration to FRR, by outcome.",
      labelNames: ["outcome"],
      buckets: APPLY_DURATION_BUCKETS,
      registers,
    });
    this.#applyResults = new Counter({
      name: "frrk8s_apply_results_total",
      help: "Configurations handed to the apply step, by outcome (applied, rejected, failed, unchanged).",
      labelNames: ["outcome"],
      registers,
    });
    for (const outcome of APPLY_RESULTS) this.#applyResults.inc({ outcome }, 0);
    this.#applyCommands = new Counter({
      name: "frrk8s_apply_commands_total",
      help: "Configuration commands sent to FRR by successful applies (0 for an apply that found nothing to change).",
      registers,
    });
    this.#sessionResets = new Counter({
      name: "frrk8s_session_resets_total",
      help: "Established sessions an apply made FRR reset (ASN, authentication, address-family, router-id changes).",
      registers,
    });
    this.#configLoaded.set(0);
    this.#configStaleUpstream.set(0);
    this.#configStale.set(0);
    this.#bgp = this.#bgpFamily();
    this.#bfd = this.#bfdFamily();
  }

  #gauge(name: string, help: string): Gauge<PeerLabel> {
    return new Gauge({ name, help, labelNames: ["peer", "vrf"], registers: [this.registry] });
  }

  #bgpFamily(): PeerFamily<SessionState> {
    return new PeerFamily<SessionState>(
      [
        [
          this.#gauge("frrk8s_bgp_session_up", "BGP session state (1 is up, 0 is down)"),
          (s) => (s.bgpState === "Established" ? 1 : 0),
        ],
        [
          this.#gauge("frrk8s_bgp_announced_prefixes_total", "Number of prefixes currently being advertised"),
          (s) => s.prefixesSent,
        ],
        [
          this.#gauge("frrk8s_bgp_received_prefixes_total", "Number of prefixes currently being received"),
          (s) => s.prefixesReceived,
        ],
      ],
      Object.entries(BGP_COUNTERS).map(([name, [help, value]]) => [
        new AbsoluteCounter(this.registry, name, help),
        value,
      ]),
    );
  }

  #bfdFamily(): PeerFamily<BfdPeerState> {
    return new PeerFamily<BfdPeerState>(
      [
        [
          this.#gauge("frrk8s_bfd_session_up", "BFD session state (1 is up, 0 is down)"),
          (p) => (p.status.toLowerCase() === "up" ? 1 : 0),
        ],
      ],
      Object.entries(BFD_COUNTERS).map(([name, [help, value]]) => [
        new AbsoluteCounter(this.registry, name, help),
        value,
      ]),
    );
  }

  /** One reconcile processed; `failed`: it ended in an error (conversion, apply, inputs). */
  reconciled(failed: boolean): void {
    this.#updates.inc();
    if (failed) this.#updateErrors.inc();
  }

  /** The apply step's result. "unchanged" executed no FRR command and has no duration. */
  applied(outcome: ApplyOutcome | { kind: "unchanged" }): void {
    this.#applyResults.inc({ outcome: outcome.kind });
    if (outcome.kind !== "unchanged") {
      this.#applyDuration.observe({ outcome: outcome.kind }, Math.max(0, outcome.durationMs) / 1000);
    }
    if (outcome.kind === "applied") {
      this.#configLoaded.set(1);
      this.#applyCommands.inc(outcome.commands ?? 0);
      this.#sessionResets.inc(outcome.resets?.length ?? 0);
    }
  }

  /** Refresh the status-derived series: stale flags, config loaded, BGP sessions, BFD peers. */
  status(status: NodeStatus): void {
    const stale = status.configStale ? 1 : 0;
    this.#configStale.set(stale);
    this.#configStaleUpstream.set(stale);
    if (status.lastAppliedAt !== undefined) this.#configLoaded.set(1);
    this.#bgp.refresh(status.sessions);
    this.#bfd.refresh(status.bfdPeers);
  }

  /** The Prometheus text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
