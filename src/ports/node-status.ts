// What the agent reports about its node: FRRNodeState-shaped, plus sessions and the issues.
import type { SessionReset } from "../core/frr-diff/resets.ts";
import type { Issue } from "../core/issues.ts";
import type { BfdPeerState, SessionState } from "./frr.ts";

export interface NodeStatus {
  node: string;
  /** "success", or "failed: <n> issues" (FRRNodeState.status.lastConversionResult). "" before the first reconcile. */
  lastConversionResult: string;
  /** "success", or FRR's refusal / the apply error (redacted). "" before the first apply. */
  lastReloadResult: string;
  /** `show running-config` with every password redacted. */
  runningConfig: string;
  /** The issues of the last conversion (errors and warnings). */
  issues: Issue[];
  sessions: SessionState[];
  bfdPeers: BfdPeerState[];
  /** True while FRR runs an older configuration than the inputs ask for (conversion or apply failed). */
  configStale: boolean;
  /** Epoch ms of the last successful apply, if any. */
  lastAppliedAt?: number;
  /**
   * Established sessions the last apply made FRR reset (an ASN, password or address-family change
   * cannot be applied otherwise); empty when it reset none. Every other change applies in place.
   */
  lastApplyResets?: SessionReset[];
  /** Lines FRR runs differently from the last configuration applied (redacted); empty when converged. */
  unconverged?: string[];
}

export interface StatusSink {
  publish(status: NodeStatus): Promise<void>;
}
