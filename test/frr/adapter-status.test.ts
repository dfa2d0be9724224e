// VtyshStatusReader (src/adapters/frr/status-reader.ts) against real FRR: the node (configured
// through the ReloadApplier) peers with an FRR router over a veth pair, IPv4 and IPv6 with BFD,
// plus a neighbor nobody answers for and one in a VRF without a device. Every wait is bounded.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ReloadApplier } from "../../src/adapters/frr/reload-applier.ts";
import { VtyshStatusReader } from "../../src/adapters/frr/status-reader.ts";
import type { ApplyOutcome, SessionState } from "../../src/ports/frr.ts";
import { describeFailure } from "../support/exec.ts";
import {
  eventually,
  HOSTNAME,
  NODE_V4,
  NODE_V6,
  PEER_V4,
  PEER_V6,
  renderNodeConfig,
  startAdapterLab,
  type AdapterLab,
} from "./adapter-lab.ts";
import { SKIP_FRR } from "./common.ts";

const PASSWORD = "pw-Session-K3y";
const SESSION_TIMEOUT_MS = 60_000;

const nodeSpec = {
  bgp: {
    routers: [
      {
        asn: 64512,
        id: NODE_V4,
        neighbors: [
          {
            address: PEER_V4,
            asn: 64513,
            password: PASSWORD,
            connectTime: "1s",
            bfdProfile: "fast",
            toAdvertise: { allowed: { mode: "all" } },
            toReceive: { allowed: { mode: "all" } },
          },
          {
            address: PEER_V6,
            asn: 64513,
            connectTime: "1s",
            bfdProfile: "fast",
            toAdvertise: { allowed: { mode: "all" } },
            toReceive: { allowed: { mode: "all" } },
          },
          { address: "192.0.2.99", asn: 64599, connectTime: "1s", bfdProfile: "fast" },
        ],
        prefixes: ["10.10.0.0/24", "2001:db8:10::/64"],
      },
      { asn: 64512, id: NODE_V4, vrf: "red", neighbors: [{ address: "198.51.100.2", asn: 64513 }] },
    ],
    bfdProfiles: [{ name: "fast", receiveInterval: 200, transmitInterval: 200 }],
  },
};

/** The peer: a plain FRR router; it starts without networks and announces them later. */
const peerConfig = `frr defaults traditional
hostname ${HOSTNAME}
router bgp 64513
 bgp router-id ${PEER_V4}
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor ${NODE_V4} remote-as 64512
 neighbor ${NODE_V4} password ${PASSWORD}
 neighbor ${NODE_V4} bfd
 neighbor ${NODE_V4} timers connect 1
 neighbor ${NODE_V6} remote-as 64512
 neighbor ${NODE_V6} bfd
 neighbor ${NODE_V6} timers connect 1
 address-family ipv4 unicast
  neighbor ${NODE_V4} activate
 exit-address-family
 address-family ipv6 unicast
  neighbor ${NODE_V6} activate
 exit-address-family
exit
`;

const peerNetworks = `router bgp 64513
 address-family ipv4 unicast
  network 10.20.0.0/24
  network 10.20.1.0/24
  network 10.20.2.0/24
 exit-address-family
 address-family ipv6 unicast
  network 2001:db8:20::/64
 exit-address-family
exit
`;

describe("VtyshStatusReader on real FRR", { skip: SKIP_FRR }, () => {
  let lab: AdapterLab | undefined;
  let applier: ReloadApplier | undefined;
  let reader: VtyshStatusReader | undefined;
  const outcomes: ApplyOutcome[] = [];

  const loadPeer = async (name: string, text: string) => {
    assert.ok(lab !== undefined);
    const file = join(lab.peer.dir, `${name}.conf`);
    writeFileSync(file, text);
    const r = await lab.peer.loadFile(file, { timeoutMs: 30_000 });
    assert.ok(r.code === 0 && `${r.stdout}${r.stderr}`.trim() === "", describeFailure(r));
  };

  before(async () => {
    lab = await startAdapterLab("frrk8s-as");
    applier = new ReloadApplier({ vtySocketDir: lab.node.dir, configDir: lab.node.dir });
    reader = new VtyshStatusReader({ vtySocketDir: lab.node.dir, configDir: lab.node.dir });
    await loadPeer("peer", peerConfig);
    const outcome = await applier.apply(renderNodeConfig(nodeSpec));
    outcomes.push(outcome);
    assert.equal(outcome.kind, "applied", JSON.stringify(outcome));
  });

  after(async () => {
    await applier?.close();
    await lab?.stop();
  });

  const sessions = () => {
    assert.ok(reader !== undefined, "FRR was not started");
    return reader.sessions();
  };
  const find = (all: SessionState[], vrf: string, peer: string) =>
    all.find((s) => s.vrf === vrf && s.peer === peer);

  test("sessions come up Established with BFD Up; prefixes are counted once the peer announces", async (t) => {
    const up = await eventually(
      async () => {
        const all = await sessions();
        const ok = [PEER_V4, PEER_V6].every((p) => {
          const s = find(all, "", p);
          return s?.bgpState === "Established" && s.bfdStatus === "Up";
        });
        return ok ? all : undefined;
      },
      { timeoutMs: SESSION_TIMEOUT_MS, what: "both sessions Established with BFD Up" },
    );
    for (const peer of [PEER_V4, PEER_V6]) assert.equal(find(up, "", peer)?.prefixesReceived, 0, peer);

    await loadPeer("networks", peerNetworks);
    const counted = await eventually(
      async () => {
        const all = await sessions();
        const v4 = find(all, "", PEER_V4);
        const v6 = find(all, "", PEER_V6);
        // The node's own 10.10.0.0/24 goes out on FRR's advertisement timer, which may lag the counts.
        const counts = v4?.prefixesReceived === 3 && v6?.prefixesReceived === 1 && v4.prefixesSent >= 1;
        return counts ? all : undefined;
      },
      { timeoutMs: SESSION_TIMEOUT_MS, what: "3 IPv4 and 1 IPv6 prefixes received, the node's /24 sent" },
    );
    t.diagnostic(JSON.stringify(counted));

    const v4 = find(counted, "", PEER_V4);
    assert.ok(v4 !== undefined);
    assert.equal(v4.remoteAs, 64513);
    assert.equal(v4.localAs, 64512);
    assert.ok(v4.uptimeMs !== undefined && v4.uptimeMs >= 0);
    assert.ok(v4.messages.opensSent >= 1 && v4.messages.opensReceived >= 1);
    assert.ok(v4.messages.updatesReceived >= 1 && v4.messages.keepalivesReceived >= 1);
    assert.ok(v4.messages.totalReceived >= v4.messages.updatesReceived + v4.messages.keepalivesReceived);

    const dead = find(counted, "", "192.0.2.99");
    assert.ok(dead !== undefined, "the neighbor nobody answers for is listed");
    assert.notEqual(dead.bgpState, "Established");
    assert.ok(["Down", "Unknown"].includes(dead.bfdStatus), dead.bfdStatus);
    const red = find(counted, "red", "198.51.100.2");
    assert.ok(red !== undefined, "the VRF neighbor is listed under vrf red");
    assert.equal(red.bfdStatus, "N/A");
    assert.notEqual(red.bgpState, "Established");
  });

  test("bfdPeers() shows both BFD sessions up, with counters", async () => {
    assert.ok(reader !== undefined);
    const r = reader;
    const peers = await eventually(
      async () => {
        const all = await r.bfdPeers();
        const up = all.filter(
          (p) => p.vrf === "" && [PEER_V4, PEER_V6].includes(p.peer) && p.status === "up",
        );
        return up.length === 2 && up.every((p) => p.counters.controlPacketInput > 0) ? all : undefined;
      },
      { timeoutMs: SESSION_TIMEOUT_MS, what: "both BFD peers up" },
    );
    for (const p of peers.filter((x) => x.status === "up")) {
      assert.ok(p.counters.sessionUpEvents >= 1, JSON.stringify(p));
      assert.ok(p.counters.controlPacketOutput > 0, JSON.stringify(p));
    }
    assert.equal(peers.find((p) => p.peer === "192.0.2.99")?.status, "down");
  });

  test("daemons() lists the running daemons", async () => {
    assert.ok(reader !== undefined);
    assert.deepEqual((await reader.daemons()).sort(), ["bfdd", "bgpd", "staticd", "zebra"]);
  });

  test("without FRR every read rejects (an empty answer would read as 'no sessions')", async () => {
    const empty = mkdtempSync(join(tmpdir(), "frrk8s-novty-"));
    try {
      const none = new VtyshStatusReader({ vtySocketDir: empty, configDir: empty, timeoutMs: 10_000 });
      await assert.rejects(none.sessions(), /failed to connect to any daemons/);
      await assert.rejects(none.bfdPeers(), /failed to connect to any daemons/);
      await assert.rejects(none.daemons(), /failed to connect to any daemons/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test("with bgpd stopped, sessions() rejects and the applier refuses to run frr-reload.py", async () => {
    assert.ok(lab !== undefined && applier !== undefined && reader !== undefined);
    const pid = lab.node.pids().bgpd;
    assert.ok(pid !== undefined);
    process.kill(pid, "SIGTERM");
    await eventually(async () => ((await reader?.daemons())?.includes("bgpd") === false ? true : undefined), {
      timeoutMs: 10_000,
      what: "bgpd gone",
    });
    await assert.rejects(reader.sessions(), /bgpd is not running/);
    const outcome = await applier.apply(renderNodeConfig(nodeSpec));
    outcomes.push(outcome);
    assert.deepEqual(
      { ...outcome, durationMs: 0 },
      {
        kind: "failed",
        durationMs: 0,
        error: "FRR daemons not running: bgpd",
      },
    );
  });

  test("no ApplyOutcome contained the session password", () => {
    assert.ok(outcomes.length >= 2);
    assert.ok(!JSON.stringify(outcomes).includes(PASSWORD));
  });
});
