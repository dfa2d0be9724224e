// NodeStatus fixtures shared by the runtime tests.
import type { BfdPeerState, SessionState } from "../../src/ports/frr.ts";
import type { NodeStatus } from "../../src/ports/node-status.ts";

export const PASSWORD = "s3cr3t-Pa55";

export function session(vrf: string, peer: string, overrides: Partial<SessionState> = {}): SessionState {
  return {
    vrf,
    peer,
    bgpState: "Established",
    bfdStatus: "Up",
    remoteAs: 64512,
    localAs: 64513,
    uptimeMs: 3_723_000,
    prefixesSent: 3,
    prefixesReceived: 5,
    messages: {
      opensSent: 1,
      opensReceived: 1,
      notificationsSent: 0,
      updatesSent: 4,
      updatesReceived: 6,
      keepalivesSent: 100,
      keepalivesReceived: 101,
      routeRefreshSent: 0,
      totalSent: 105,
      totalReceived: 108,
    },
    ...overrides,
  };
}

export function bfdPeer(vrf: string, peer: string, overrides: Partial<BfdPeerState> = {}): BfdPeerState {
  return {
    vrf,
    peer,
    status: "up",
    counters: {
      controlPacketInput: 10,
      controlPacketOutput: 11,
      echoPacketInput: 0,
      echoPacketOutput: 0,
      sessionUpEvents: 1,
      sessionDownEvents: 0,
      zebraNotifications: 2,
    },
    ...overrides,
  };
}

export function nodeStatus(overrides: Partial<NodeStatus> = {}): NodeStatus {
  return {
    node: "node-1",
    lastConversionResult: "success",
    lastReloadResult: "success",
    runningConfig: "frr version 8.4\nrouter bgp 64513\n neighbor 192.168.1.2 remote-as 64512\n",
    issues: [],
    sessions: [
      session("", "192.168.1.2"),
      session("red", "fc00::2", { bgpState: "Active", uptimeMs: 9_000 }),
    ],
    bfdPeers: [bfdPeer("", "192.168.1.2")],
    configStale: false,
    lastAppliedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    ...overrides,
  };
}
