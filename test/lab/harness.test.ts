// Proves the end-to-end lab harness (test/support/lab): one node namespace running FRR with a
// hand-written configuration, and one peer namespace per peer kind (FRR, BIRD 2, GoBGP) over IPv4
// and IPv6 (with TCP MD5 passwords), plus FRR and BIRD over an unnumbered (IPv6 link-local only)
// link. Per peer: sessions Established on both sides within a bounded wait; the node's prefixes
// arrive at the peer with their communities; the peer's prefixes reach the node's kernel table; a
// prefix announced and withdrawn at run time comes and goes without a session reset; BFD is up
// where configured. Finally destroy() must leave no namespace and no process behind.
//
// Needs root, FRR, BIRD 2 and GoBGP (scripts/test-all.sh installs them). FRRK8S_SKIP_FRR=1 or
// FRRK8S_SKIP_LAB=1 skips it; a machine without the daemons otherwise fails it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { frrPrerequisiteProblems } from "../support/frr-daemons.ts";
import { frrBfdPeers, frrReceivedRoutes, frrEstablishedTransitions } from "../support/lab/frr-state.ts";
import {
  kernelRoutes,
  waitForFrrEstablished,
  waitForKernelRoute,
  waitForKernelRouteGone,
} from "../support/lab/node-frr.ts";
import { waitForEstablished, waitForReceived, type ReceivedRoute } from "../support/lab/peer.ts";
import { birdPeerPrerequisiteProblems } from "../support/lab/peer-bird.ts";
import { gobgpPeerPrerequisiteProblems } from "../support/lab/peer-gobgp.ts";
import { buildLab, type Lab, type LabPeer, type LabPeerSpec } from "../support/lab/topology.ts";
import { processAlive, waitFor } from "../support/lab/util.ts";
import { listNamespaces } from "../support/netns.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1"
    ? "FRRK8S_SKIP_FRR=1"
    : process.env.FRRK8S_SKIP_LAB === "1"
      ? "FRRK8S_SKIP_LAB=1"
      : false;

const NODE_ASN = 64512;
const NODE_COMMUNITY = "64512:100";
const NODE_LARGE_COMMUNITY = "64512:1:2";
const SESSION_TIMEOUT_MS = 40_000;
const ROUTE_TIMEOUT_MS = 15_000;
/** TCP MD5 on every numbered session (proves each daemon's password option). */
const PASSWORD = "lab-secret";

interface Case {
  spec: LabPeerSpec;
  /** The peer's prefixes at start and the one announced at run time. */
  v4: string;
  v6: string;
  extra: string;
  bfd: boolean;
}

const peerCase = (
  n: number,
  spec: Omit<LabPeerSpec, "announce" | "asn"> & { asn?: number },
  bfd: boolean,
): Case => {
  const asn = spec.asn ?? 64512 + n;
  const v4 = `10.2${n}.0.0/24`;
  const v6 = `fd00:2${n}::/64`;
  const attrs = { communities: [`${asn}:7`], largeCommunities: [`${asn}:8:9`] };
  return {
    spec: {
      ...spec,
      asn,
      announce: [
        { prefix: v4, ...attrs },
        { prefix: v6, ...attrs },
      ],
      neighborOptions: { ...(bfd && { bfd: true }), ...(spec.unnumbered !== true && { password: PASSWORD }) },
    },
    v4,
    v6,
    extra: `10.3${n}.0.0/24`,
    bfd,
  };
};

const CASES: Case[] = [
  peerCase(1, { name: "frr", kind: "frr", ipv4: "192.168.101.2/24", ipv6: "fd00:101::2/64" }, true),
  peerCase(2, { name: "bird", kind: "bird", ipv4: "192.168.102.2/24", ipv6: "fd00:102::2/64" }, true),
  peerCase(3, { name: "gobgp", kind: "gobgp", ipv4: "192.168.103.2/24", ipv6: "fd00:103::2/64" }, false),
  peerCase(4, { name: "frrun", kind: "frr", unnumbered: true }, false),
  peerCase(5, { name: "birdun", kind: "bird", unnumbered: true }, false),
];

/** The node's configuration, written by hand (what the agent would render, in miniature). */
const NODE_CONFIG = `
route-map LAB-NODE-ANN permit 10
 set community ${NODE_COMMUNITY}
 set large-community ${NODE_LARGE_COMMUNITY}
exit
!
router bgp ${NODE_ASN}
 bgp router-id 192.168.101.1
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor 192.168.101.2 remote-as 64513
 neighbor 192.168.101.2 password ${PASSWORD}
 neighbor 192.168.101.2 bfd
 neighbor 192.168.101.2 timers connect 2
 neighbor fd00:101::2 remote-as 64513
 neighbor fd00:101::2 password ${PASSWORD}
 neighbor fd00:101::2 bfd
 neighbor fd00:101::2 timers connect 2
 neighbor 192.168.102.2 remote-as 64514
 neighbor 192.168.102.2 password ${PASSWORD}
 neighbor 192.168.102.2 bfd
 neighbor 192.168.102.2 timers connect 2
 neighbor fd00:102::2 remote-as 64514
 neighbor fd00:102::2 password ${PASSWORD}
 neighbor fd00:102::2 bfd
 neighbor fd00:102::2 timers connect 2
 neighbor 192.168.103.2 remote-as 64515
 neighbor 192.168.103.2 password ${PASSWORD}
 neighbor 192.168.103.2 timers connect 2
 neighbor fd00:103::2 remote-as 64515
 neighbor fd00:103::2 password ${PASSWORD}
 neighbor fd00:103::2 timers connect 2
 neighbor n-frrun interface remote-as 64516
 neighbor n-frrun timers connect 2
 neighbor n-birdun interface remote-as 64517
 neighbor n-birdun timers connect 2
 !
 address-family ipv4 unicast
  network 10.10.0.0/24 route-map LAB-NODE-ANN
  neighbor 192.168.101.2 activate
  neighbor 192.168.102.2 activate
  neighbor 192.168.103.2 activate
  neighbor n-frrun activate
  neighbor n-birdun activate
 exit-address-family
 !
 address-family ipv6 unicast
  network fd00:10::/64 route-map LAB-NODE-ANN
  neighbor fd00:101::2 activate
  neighbor fd00:102::2 activate
  neighbor fd00:103::2 activate
  neighbor n-frrun activate
  neighbor n-birdun activate
 exit-address-family
exit
`;

/** The node's neighbor names for a peer: its addresses, or the node's interface when unnumbered. */
function nodeNeighbors(p: LabPeer): string[] {
  if (p.link.peerIpv4 === undefined && p.link.peerIpv6 === undefined) return [p.link.nodeIface];
  return [p.link.peerIpv4, p.link.peerIpv6].filter((a): a is string => a !== undefined);
}

const hasNodeAttrs = (r: ReceivedRoute) =>
  r.communities.includes(NODE_COMMUNITY) && r.largeCommunities.includes(NODE_LARGE_COMMUNITY);

describe("lab harness: node FRR against FRR, BIRD and GoBGP peers", { skip: SKIP }, () => {
  let lab: Lab | undefined;
  let setupError: Error | undefined;
  let buildMs = 0;

  const getLab = (): Lab => {
    if (setupError !== undefined) throw setupError;
    assert.ok(lab !== undefined, "the lab was not built");
    return lab;
  };

  before(async () => {
    try {
      const problems = [
        ...(await frrPrerequisiteProblems()),
        ...(await birdPeerPrerequisiteProblems()),
        ...(await gobgpPeerPrerequisiteProblems()),
      ];
      if (problems.length > 0) {
        throw new Error(
          `cannot run the lab here:\n  ${problems.join("\n  ")}\nInstall them (scripts/test-all.sh) or set FRRK8S_SKIP_LAB=1 to skip.`,
        );
      }
      const t0 = performance.now();
      lab = await buildLab({
        node: { asn: NODE_ASN, frrConfig: NODE_CONFIG },
        peers: CASES.map((c) => c.spec),
      });
      buildMs = Math.round(performance.now() - t0);
    } catch (e) {
      setupError = e as Error;
    }
  });

  after(async () => {
    await lab?.destroy();
  });

  describe("per peer", { concurrency: true }, () => {
    for (const c of CASES) {
      test(`${c.spec.name} (${c.spec.kind}${c.spec.unnumbered === true ? ", unnumbered" : ""})`, async (t) => {
        const l = getLab();
        const p = l.peer(c.spec.name);
        const frr = l.nodeFrr();
        const nodeNs = l.node.ns.name;
        const t0 = performance.now();

        // Sessions Established on both ends.
        await Promise.all([
          waitForEstablished(p.bgp, undefined, { timeoutMs: SESSION_TIMEOUT_MS }),
          waitForFrrEstablished(frr, nodeNeighbors(p), { timeoutMs: SESSION_TIMEOUT_MS }),
        ]);
        const sessions = await p.bgp.sessions();
        assert.equal(sessions.length, c.spec.unnumbered === true ? 1 : 2);
        for (const s of sessions) assert.ok(s.uptimeSec !== undefined && s.uptimeSec >= 0, JSON.stringify(s));
        const establishedMs = Math.round(performance.now() - t0);

        // The node's prefixes at the peer, with the node's communities.
        const v4 = await waitForReceived(p.bgp, "10.10.0.0/24", hasNodeAttrs, {
          timeoutMs: ROUTE_TIMEOUT_MS,
        });
        const v6 = await waitForReceived(p.bgp, "fd00:10::/64", hasNodeAttrs, {
          timeoutMs: ROUTE_TIMEOUT_MS,
        });
        assert.deepEqual(v4.asPath, [NODE_ASN]);
        if (p.link.nodeIpv4 !== undefined) assert.equal(v4.nextHop, p.link.nodeIpv4);
        if (p.link.nodeIpv6 !== undefined) assert.equal(v6.nextHop, p.link.nodeIpv6);

        // The peer's prefixes in the node's kernel, via the peer on the right interface.
        for (const prefix of [c.v4, c.v6]) {
          const r = await waitForKernelRoute(nodeNs, prefix, (k) => k.devs.includes(p.link.nodeIface), {
            timeoutMs: ROUTE_TIMEOUT_MS,
          });
          const viaPeer = prefix.includes(":")
            ? [p.link.peerIpv6, p.link.peerLinkLocal]
            : [p.link.peerIpv4, p.link.peerLinkLocal];
          assert.ok(
            r.gateways.some((g) => viaPeer.includes(g)),
            `${prefix} in the node's kernel goes via ${r.gateways.join(", ")}, not the peer (${viaPeer.join(", ")})`,
          );
        }
        // ... and in the node's BGP table with the peer's communities.
        const atNode = (await frrReceivedRoutes(frr)).find((r) => r.prefix === c.v4);
        assert.ok(atNode !== undefined, `${c.v4} not in the node's BGP table`);
        assert.deepEqual(atNode.communities, [`${p.asn}:7`]);
        assert.deepEqual(atNode.largeCommunities, [`${p.asn}:8:9`]);
        assert.deepEqual(atNode.asPath, [p.asn]);

        // Announce and withdraw at run time, without a session reset on either end.
        const peerBefore = await p.bgp.establishedTransitions();
        const nodeBefore = await frrEstablishedTransitions(frr);
        for (const n of Object.keys(peerBefore))
          assert.ok((peerBefore[n] ?? 0) >= 1, JSON.stringify(peerBefore));
        await p.bgp.announce([{ prefix: c.extra, communities: [`${p.asn}:11`] }]);
        await waitForKernelRoute(nodeNs, c.extra, () => true, { timeoutMs: ROUTE_TIMEOUT_MS });
        await waitFor(
          `${c.extra} with community ${p.asn}:11 in the node's BGP table`,
          async () =>
            (await frrReceivedRoutes(frr)).some(
              (r) => r.prefix === c.extra && r.communities.includes(`${p.asn}:11`),
            ),
          { timeoutMs: ROUTE_TIMEOUT_MS },
        );
        await p.bgp.withdraw([c.extra]);
        await waitForKernelRouteGone(nodeNs, c.extra, { timeoutMs: ROUTE_TIMEOUT_MS });
        assert.deepEqual(
          p.bgp.announced().map((a) => a.prefix),
          [c.v4, c.v6],
        );
        assert.deepEqual(await p.bgp.establishedTransitions(), peerBefore, "a peer session was reset");
        const nodeAfter = await frrEstablishedTransitions(frr);
        for (const n of nodeNeighbors(p))
          assert.equal(nodeAfter[n], nodeBefore[n], `node session ${n} was reset`);

        // BFD up on the node for the peers that have it.
        if (c.bfd) {
          await waitFor(
            `BFD up on the node for ${nodeNeighbors(p).join(", ")}`,
            async () => {
              const bfd = await frrBfdPeers(frr);
              return nodeNeighbors(p).every((n) => bfd.some((b) => b.peer === n && b.up));
            },
            { timeoutMs: ROUTE_TIMEOUT_MS, describe: async () => JSON.stringify(await frrBfdPeers(frr)) },
          );
        }
        t.diagnostic(
          `${c.spec.name}: established ${establishedMs} ms after the lab was built (build took ${buildMs} ms); whole check ${Math.round(performance.now() - t0)} ms`,
        );
      });
    }
  });

  test("destroy() leaves no namespace and no process behind", async (t) => {
    const l = getLab();
    const names = l.namespaces();
    const pids = l.pids();
    // node FRR: zebra, bgpd, staticd, bfdd; FRR peers: 3 each; BIRD and GoBGP: 1 each.
    assert.equal(pids.length, 4 + 3 + 1 + 1 + 3 + 1, `pids: ${pids.join(" ")}`);
    assert.equal(names.length, 1 + CASES.length);
    const before = await listNamespaces();
    for (const n of names) assert.ok(before.includes(n), `${n} missing before destroy`);
    // Routes learned by the node are there now (and go with the namespace).
    assert.ok((await kernelRoutes(l.node.ns.name)).length > 0);

    const t0 = performance.now();
    await l.destroy();
    t.diagnostic(`destroy took ${Math.round(performance.now() - t0)} ms`);
    const afterNs = await listNamespaces();
    assert.deepEqual(
      names.filter((n) => afterNs.includes(n)),
      [],
      "namespaces left behind",
    );
    assert.deepEqual(
      pids.filter((pid) => processAlive(pid)),
      [],
      "processes left behind",
    );
    assert.deepEqual(l.pids(), []);
    await l.destroy(); // idempotent
  });
});
