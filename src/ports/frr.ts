// What the node agent needs from FRR. The adapter (src/adapters/frr/) implements it with vtysh and
// frr-reload.py; unit tests use an in-memory fake.

export type ApplyOutcome =
  /** FRR now runs the configuration. `commands`: how many lines were sent, when known. */
  | { kind: "applied"; durationMs: number; commands?: number }
  /** FRR's own check refused it; nothing was changed. `detail` has passwords redacted. */
  | { kind: "rejected"; durationMs: number; detail: string }
  /** Could not talk to FRR (process missing, timeout); retried with backoff. Redacted. */
  | { kind: "failed"; durationMs: number; error: string };

export interface FrrApplier {
  /** Makes FRR run `config` (a whole frr.conf); resolves, never rejects. */
  apply(config: string): Promise<ApplyOutcome>;
  /** `show running-config` as FRR prints it (passwords included: callers redact before surfacing). */
  runningConfig(): Promise<string>;
}

/** One BGP session as FRR reports it (`show bgp vrf all neighbors json`, `show bfd peers json`). */
export interface SessionState {
  /** "" for the default VRF. */
  vrf: string;
  /** Neighbor address (canonical) or interface name. */
  peer: string;
  /** FRR's bgpState: Idle, Connect, Active, OpenSent, OpenConfirm, Established. */
  bgpState: string;
  /** FRR's peerBfdInfo.status (Up, Down, ...) or "N/A" without BFD. */
  bfdStatus: string;
  remoteAs?: number;
  localAs?: number;
  /** Milliseconds in the current state (FRR's bgpTimerUpMsec when Established). */
  uptimeMs?: number;
  prefixesSent: number;
  prefixesReceived: number;
  /** Message counters for the upstream metrics (frrk8s_bgp_*). */
  messages: {
    opensSent: number;
    opensReceived: number;
    notificationsSent: number;
    updatesSent: number;
    updatesReceived: number;
    keepalivesSent: number;
    keepalivesReceived: number;
    routeRefreshSent: number;
    totalSent: number;
    totalReceived: number;
  };
}

export interface BfdPeerState {
  vrf: string;
  peer: string;
  /** FRR's status: up, down, init, ... */
  status: string;
  counters: {
    controlPacketInput: number;
    controlPacketOutput: number;
    echoPacketInput: number;
    echoPacketOutput: number;
    sessionUpEvents: number;
    sessionDownEvents: number;
    zebraNotifications: number;
  };
}

export interface FrrStatusReader {
  sessions(): Promise<SessionState[]>;
  bfdPeers(): Promise<BfdPeerState[]>;
  /** Daemons FRR reports running (`show daemons`), for /readyz. */
  daemons(): Promise<string[]>;
}
