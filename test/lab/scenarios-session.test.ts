// Agent scenarios, session options: BFD up (FRR and BIRD peers; /status bfdStatus Up), graceful
// restart configured (the node's running config and the FRR peer's view), eBGP multihop between
// loopback addresses, and a wrong password keeping the sessions down while the password never
// appears in /status, /metrics or the agent's output.
// One lab: FRR, BIRD and GoBGP peers. Each has two sessions with the node: one over the link
// (password; BFD where the peer has it; graceful restart) and one between loopbacks (multihop).
//
// Multihop: the harness links every peer straight to the node, so there is no routed path two
// hops away. The loopback sessions (node 10.255.0.1, peer 10.255.<i>.2, static routes over the
// link, `ebgpMultiHop: true` + `sourceaddress` on the node, TTL 2 and update-source on the peer)
// still need multihop: a loopback address is not on a connected subnet.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runChecked } from "../support/exec.ts";
import { frrPrerequisiteProblems } from "../support/frr-daemons.ts";
import {
  establishedPeers,
  nodeYaml,
  passwordSecretYaml,
  startAgent,
  type AgentProcess,
} from "../support/lab/agent-process.ts";
import { frrJson } from "../support/lab/frr-state.ts";
import type { FrrPeer } from "../support/lab/peer-frr.ts";
import { waitForEstablished, waitForReceived, type PeerNeighbor } from "../support/lab/peer.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { waitFor } from "../support/lab/util.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const NODE = "ses-node";
const NODE_ASN = 64512;
const WAIT = { timeoutMs: 40_000 };
const PASSWORD = "ses-lab-Pw-4711";
const WRONG = "ses-lab-Wrong-0815";
const NODE_LOOPBACK = "10.255.0.1";
const MH_PREFIX = "10.75.0.0/24";

const PEERS = [
  { name: "frr", kind: "frr", asn: 64641, i: 1, bfd: true },
  { name: "bird", kind: "bird", asn: 64642, i: 2, bfd: true },
  { name: "gobgp", kind: "gobgp", asn: 64643, i: 3, bfd: false },
].map((p) => ({
  ...p,
  kind: p.kind as "frr" | "bird" | "gobgp",
  ip: `192.168.16${p.i}.2`,
  node: `192.168.16${p.i}.1`,
  loopback: `10.255.${p.i}.2`,
}));

function configYaml(secret: string): string {
  const direct = PEERS.map(
    (p) => `      - address: ${p.ip}
        asn: ${p.asn}
        connectTime: 2s
        passwordSecret: {name: ${secret}}
        enableGracefulRestart: true${p.bfd ? "\n        bfdProfile: lab" : ""}`,
  );
  const multihop = PEERS.map(
    (p) => `      - address: ${p.loopback}
        asn: ${p.asn}
        connectTime: 2s
        ebgpMultiHop: true
        sourceaddress: ${NODE_LOOPBACK}
        toAdvertise: {allowed: {prefixes: [${MH_PREFIX}]}}`,
  );
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: sessions, namespace: frr-k8s-system}
spec:
  bgp:
    bfdProfiles:
    - {name: lab, receiveInterval: 300, transmitInterval: 300, detectMultiplier: 3}
    routers:
    - asn: ${NODE_ASN}
      prefixes: [${MH_PREFIX}]
      neighbors:
${[...direct, ...multihop].join("\n")}
`;
}

async function ip(ns: string, args: readonly string[]): Promise<void> {
  await runChecked("ip", ["-n", ns, ...args], { timeoutMs: 10_000 });
}

describe(
  "agent scenarios: BFD, graceful restart, multihop, password (FRR, BIRD, GoBGP peers)",
  { skip: SKIP },
  () => {
    let lab: Lab | undefined;
    let agent: AgentProcess | undefined;

    before(async () => {
      assert.deepEqual(
        await frrPrerequisiteProblems(),
        [],
        "FRR is needed (scripts/test-all.sh installs it)",
      );
      lab = await buildLab({
        node: { asn: NODE_ASN },
        peers: PEERS.map((p) => {
          const neighbors: PeerNeighbor[] = [
            { address: p.node, remoteAs: NODE_ASN, password: PASSWORD, ...(p.bfd && { bfd: true }) },
            { address: NODE_LOOPBACK, remoteAs: NODE_ASN, multihop: 2, localAddress: p.loopback },
          ];
          return { name: p.name, kind: p.kind, asn: p.asn, ipv4: `${p.ip}/24`, neighbors };
        }),
      });
      const nodeNs = lab.node.ns.name;
      await ip(nodeNs, ["link", "set", "lo", "up"]);
      await ip(nodeNs, ["addr", "add", `${NODE_LOOPBACK}/32`, "dev", "lo"]);
      for (const p of PEERS) {
        const ns = lab.peer(p.name).ns.name;
        await ip(ns, ["link", "set", "lo", "up"]);
        await ip(ns, ["addr", "add", `${p.loopback}/32`, "dev", "lo"]);
        await ip(ns, ["route", "add", `${NODE_LOOPBACK}/32`, "via", p.node]);
        await ip(nodeNs, ["route", "add", `${p.loopback}/32`, "via", p.ip]);
      }
      agent = await startAgent(lab, {
        node: NODE,
        files: {
          "node.yaml": nodeYaml(NODE),
          "secret.yaml":
            passwordSecretYaml("lab-pw", PASSWORD) + "---\n" + passwordSecretYaml("lab-wrong", WRONG),
          "sessions.yaml": configYaml("lab-pw"),
        },
      });
    });

    after(async () => {
      await agent?.stop();
      await lab?.destroy();
    });

    test("sessions with the right password come up, BFD Up for FRR and BIRD in /status", async () => {
      const l = lab!;
      for (const p of PEERS) await waitForEstablished(l.peer(p.name).bgp, [p.node], WAIT);
      const status = await waitFor(
        "BGP Established and BFD Up in /status",
        async () => {
          const s = await agent!.status();
          const ok = PEERS.every((p) =>
            s.sessions.some(
              (x) => x.peer === p.ip && x.bgpState === "Established" && (!p.bfd || x.bfdStatus === "Up"),
            ),
          );
          return ok ? s : undefined;
        },
        { ...WAIT, describe: async () => JSON.stringify((await agent!.status()).sessions, null, 1) },
      );
      const gobgp = status.sessions.find((s) => s.peer === PEERS[2]!.ip);
      assert.equal(gobgp?.bfdStatus, "N/A", "GoBGP has no BFD");
      for (const p of PEERS.filter((x) => x.bfd)) {
        assert.ok(
          status.bfdPeers.some((b) => b.peer === p.ip && b.status.toLowerCase() === "up"),
          `BFD peer ${p.ip} not up: ${JSON.stringify(status.bfdPeers)}`,
        );
      }
    });

    test("graceful restart: in the node's running config and seen by the FRR peer", async () => {
      const status = await agent!.status();
      for (const p of PEERS)
        assert.match(
          status.runningConfig,
          new RegExp(`neighbor ${p.ip.replaceAll(".", "\\.")} graceful-restart\\n`),
        );
      const frrPeer = lab!.peer("frr").bgp as FrrPeer;
      const node = PEERS[0]!.node;
      await waitFor(
        "the FRR peer sees the node's graceful restart mode Restart",
        async () => {
          const data = (await frrJson(frrPeer.frr, `show bgp neighbors ${node} json`)) as Record<
            string,
            { gracefulRestartInfo?: { remoteGrMode?: string } }
          >;
          return data[node]?.gracefulRestartInfo?.remoteGrMode === "Restart";
        },
        {
          ...WAIT,
          describe: async () =>
            JSON.stringify(await frrJson(frrPeer.frr, `show bgp neighbors ${node} json`)).slice(0, 1500),
        },
      );
    });

    test("eBGP multihop between loopbacks: sessions up and routes over them", async () => {
      const l = lab!;
      for (const p of PEERS) {
        const peer = l.peer(p.name).bgp;
        await waitForEstablished(peer, [NODE_LOOPBACK], WAIT);
        // Advertised only to the loopback neighbors.
        await waitForReceived(peer, MH_PREFIX, () => true, WAIT);
      }
      // /status refreshes its sessions on the periodic verify (--verify-seconds 2): wait for it.
      const status = await waitFor(
        "the loopback sessions Established in /status",
        async () => {
          const st = await agent!.status();
          return PEERS.every((p) => establishedPeers(st).includes(p.loopback)) ? st : undefined;
        },
        { ...WAIT, describe: async () => JSON.stringify((await agent!.status()).sessions, null, 1) },
      );
      assert.match(
        status.runningConfig,
        new RegExp(`neighbor ${PEERS[0]!.loopback.replaceAll(".", "\\.")} ebgp-multihop`),
      );
    });

    test("a wrong password keeps the sessions down; no password is ever shown", async () => {
      const l = lab!;
      agent!.write("sessions.yaml", configYaml("lab-wrong"));
      for (const p of PEERS) {
        await waitFor(
          `${p.name}: the session over the link down`,
          async () =>
            !(await l.peer(p.name).bgp.sessions()).some((s) => s.neighbor === p.node && s.established),
          WAIT,
        );
      }
      // Stays down: several connect-retry periods (2 s) later, still not Established anywhere.
      await new Promise((r) => setTimeout(r, 8_000));
      for (const p of PEERS) {
        const sessions = await l.peer(p.name).bgp.sessions();
        assert.ok(
          !sessions.some((s) => s.neighbor === p.node && s.established),
          `${p.name} came up with a wrong password`,
        );
        assert.ok(
          sessions.some((s) => s.neighbor === NODE_LOOPBACK && s.established),
          `${p.name}: the multihop session went down`,
        );
      }
      const status = await agent!.status();
      for (const p of PEERS)
        assert.ok(
          !status.sessions.some((s) => s.peer === p.ip && s.bgpState === "Established"),
          `${p.ip} Established in /status`,
        );
      const texts = {
        "/status": (await agent!.get("/status")).text,
        "/metrics": await agent!.metrics(),
        output: agent!.output(),
      };
      for (const [where, text] of Object.entries(texts)) {
        for (const secret of [PASSWORD, WRONG])
          assert.ok(!text.includes(secret), `${where} contains a password`);
      }
    });
  },
);
