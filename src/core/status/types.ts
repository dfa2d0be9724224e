// What the status parsers produce; the FRR port (src/ports/frr.ts) names them SessionState and
// BfdPeerState.

export interface BgpMessageCounters {
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
}

export interface BgpSessionStatus {
  /** "" for the default VRF. */
  vrf: string;
  /** Neighbor address (canonical) or interface name. */
  peer: string;
  bgpState: string;
  /** peerBfdInfo.status, or "N/A" without BFD. */
  bfdStatus: string;
  remoteAs?: number;
  localAs?: number;
  uptimeMs?: number;
  prefixesSent: number;
  prefixesReceived: number;
  messages: BgpMessageCounters;
}

export interface BfdCounters {
  controlPacketInput: number;
  controlPacketOutput: number;
  echoPacketInput: number;
  echoPacketOutput: number;
  sessionUpEvents: number;
  sessionDownEvents: number;
  zebraNotifications: number;
}

export interface BfdPeerStatus {
  /** "" for the default VRF. */
  vrf: string;
  peer: string;
  status: string;
  counters: BfdCounters;
}
