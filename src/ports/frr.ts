import type { SessionReset } from "../core/frr-diff/resets.ts";
import type { BfdPeerStatus, BgpSessionStatus } from "../core/status/types.ts";

// What the node agent needs from FRR. The adapter (src/adapters/frr/) implements it with vtysh and
// frr-reload.py; unit tests use an in-memory fake.

export type ApplyOutcome =
  /**
   * FRR accepted the configuration. `commands`: how many lines were sent, when known. `resets`:
   * established sessions the change made FRR reset.
   */
  | { kind: "applied"; durationMs: number; commands?: number; resets?: SessionReset[] }
  /** FRR's own check refused it; nothing was changed. `detail` has passwords redacted. */
  | { kind: "rejected"; durationMs: number; detail: string }
  /** Could not talk to FRR (process missing, timeout); retried with backoff. Redacted. */
  | { kind: "failed"; durationMs: number; error: string };

export interface FrrApplier {
  /** Makes FRR run `config` (a whole frr.conf); resolves, never rejects. */
  apply(config: string): Promise<ApplyOutcome>;
  /** `show running-config` as FRR prints it (passwords included: callers redact before surfacing). */
  runningConfig(): Promise<string>;
  /** True when FRR no longer runs `config` (a daemon restarted, someone changed it by hand). */
  drifted(config: string): Promise<boolean>;
  /**
   * After the last apply: the lines FRR runs differently from what it was sent (redacted; FRR
   * rewrote or kept something), empty when it runs exactly the configuration. Appliers that cannot
   * tell leave it out.
   */
  unconverged?(): Promise<string[]>;
  /** Reads FRR ahead of the next apply, so that apply can plan at once (optional). Never rejects. */
  prefetch?(): Promise<void>;
}

/**
 * One BGP session / BFD peer as FRR reports them (`show bgp vrf all neighbors json`,
 * `show bfd peers json`): defined by the pure status parsers, which the port may use.
 */
export type SessionState = BgpSessionStatus;
export type BfdPeerState = BfdPeerStatus;

export interface FrrStatusReader {
  sessions(): Promise<SessionState[]>;
  bfdPeers(): Promise<BfdPeerState[]>;
  /** Daemons FRR reports running (`show daemons`), for /readyz. */
  daemons(): Promise<string[]>;
}
