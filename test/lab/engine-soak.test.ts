// Session safety of the apply engine: 500 random changes that do not concern the live sessions
// themselves (advertised prefixes and their prefix-lists, communities, local preference, other
// neighbors and their timers, a VRF router, raw config), applied one by one by the engine to a
// node with established sessions to an FRR, a BIRD and a GoBGP peer. Counted at the peers: zero
// new Established transitions; and the peers see the advertised prefixes of the last change.
//
// The changes are generated from a fixed seed (FRRK8S_SOAK_SEED to vary it, FRRK8S_SOAK_STEPS for
// more or fewer), rendered by our own pipeline, and every apply must converge (nothing
// `unconverged`) and reset no session it reports on.
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { after, before, describe, test } from "node:test";
import { EngineApplier } from "../../src/adapters/frr/engine-applier.ts";
import { computeNodeConfig } from "../../src/core/pipeline.ts";
import { frrPrerequisiteProblems } from "../support/frr-daemons.ts";
import { frrEstablishedTransitions } from "../support/lab/frr-state.ts";
import { waitForEstablished, waitForReceived } from "../support/lab/peer.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { waitFor } from "../support/lab/util.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const STEPS = Number(process.env.FRRK8S_SOAK_STEPS ?? 500);
const SEED = Number(process.env.FRRK8S_SOAK_SEED ?? 20261122);
const NODE = "soak-node";
const NODE_ASN = 64512;
const WAIT = { timeoutMs: 60_000 };

const PEERS = [
  { name: "frr", kind: "frr" as const, asn: 64641, i: 1 },
  { name: "bird", kind: "bird" as const, asn: 64642, i: 2 },
  { name: "gobgp", kind: "gobgp" as const, asn: 64643, i: 3 },
].map((p) => ({ ...p, ip: `192.168.16${p.i}.2`, ip6: `fd00:16${p.i}::2`, nodeIp: `192.168.16${p.i}.1` }));

/** Neighbors nobody answers for: addresses on the FRR peer's link that no namespace has. */
const DEAD = Array.from({ length: 12 }, (_, i) => `192.168.161.${100 + i}`);
const V4_POOL = Array.from({ length: 40 }, (_, i) => `10.${90 + Math.floor(i / 10)}.${i % 10}.0/24`);
const V6_POOL = Array.from({ length: 16 }, (_, i) => `fd00:9${Math.floor(i / 8)}:${i % 8}::/64`);

interface DeadTimers {
  holdTime: string;
  keepaliveTime: string;
  connectTime: string;
}

/** What the random changes move around; everything else about the live sessions stays fixed. */
interface SoakState {
  advertised: Set<string>;
  communities: Map<string, string>;
  localPref: Map<string, number>;
  dead: Map<string, DeadTimers>;
  vrfRouter: boolean;
  raw: number;
  /** The FRR peer's IPv4 session also carries IPv6 (a change FRR applies only with a reset). */
  dualStack: boolean;
}

/** Mulberry32: small, seeded, good enough to pick changes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

const CHANGES: readonly ((s: SoakState, rand: () => number) => void)[] = [
  (s, r) => {
    toggle(s.advertised, pick(r, [...V4_POOL, ...V6_POOL]));
  },
  (s, r) => {
    const prefix = pick(r, V4_POOL);
    if (s.communities.has(prefix)) s.communities.delete(prefix);
    else s.communities.set(prefix, `64512:${Math.floor(r() * 1000)}`);
  },
  (s, r) => {
    const prefix = pick(r, V4_POOL);
    if (s.localPref.has(prefix)) s.localPref.delete(prefix);
    else s.localPref.set(prefix, 100 + Math.floor(r() * 200));
  },
  (s, r) => {
    const address = pick(r, DEAD);
    if (s.dead.has(address)) s.dead.delete(address);
    else s.dead.set(address, { holdTime: "90s", keepaliveTime: "30s", connectTime: "10s" });
  },
  (s, r) => {
    const address = s.dead.size === 0 ? pick(r, DEAD) : pick(r, [...s.dead.keys()]);
    const holdTime = pick(r, ["30s", "90s", "180s"]);
    s.dead.set(address, { holdTime, keepaliveTime: "10s", connectTime: pick(r, ["5s", "10s", "20s"]) });
  },
  (s) => {
    s.vrfRouter = !s.vrfRouter;
  },
  (s) => {
    s.raw = (s.raw + 1) % 4;
  },
];

function toggle(set: Set<string>, item: string): void {
  if (set.has(item)) set.delete(item);
  else set.add(item);
}

function neighborFor(state: SoakState, p: (typeof PEERS)[number], address: string): Record<string, unknown> {
  const dual = state.dualStack && address === PEERS[0]?.ip;
  const sameFamily = (prefix: string): boolean => dual || prefix.includes(":") === address.includes(":");
  const prefixes = [...state.advertised].filter(sameFamily).sort();
  const advertised = (prefix: string): boolean => state.advertised.has(prefix) && sameFamily(prefix);
  return {
    address,
    asn: p.asn,
    connectTime: "2s",
    ...(dual && { dualStackAddressFamily: true }),
    toAdvertise: {
      allowed: { prefixes },
      withCommunity: [...state.communities]
        .filter(([prefix]) => advertised(prefix))
        .map(([prefix, community]) => ({ community, prefixes: [prefix] })),
      withLocalPref: [...state.localPref]
        .filter(([prefix]) => advertised(prefix))
        .map(([prefix, localPref]) => ({ localPref, prefixes: [prefix] })),
    },
    toReceive: { allowed: { mode: "all" } },
  };
}

function configurations(state: SoakState): unknown[] {
  const live = PEERS.flatMap((p) => [neighborFor(state, p, p.ip), neighborFor(state, p, p.ip6)]);
  const dead = [...state.dead].map(([address, timers]) => ({ address, asn: 64699, ...timers }));
  const routers: Record<string, unknown>[] = [
    { asn: NODE_ASN, prefixes: [...state.advertised].sort(), neighbors: [...live, ...dead] },
  ];
  if (state.vrfRouter)
    routers.push({ asn: NODE_ASN, vrf: "blue", neighbors: [{ address: DEAD[0], asn: 64698 }] });
  const raw = [
    "",
    "bgp community-list standard soak permit 64512:1",
    "ip prefix-list soak seq 5 permit 10.0.0.0/8",
    "route-map soak permit 10\n set metric 7\nexit",
  ];
  return [
    {
      apiVersion: "frrk8s.metallb.io/v1beta1",
      kind: "FRRConfiguration",
      metadata: { name: "soak", namespace: "frr-k8s-system" },
      spec: {
        bgp: { routers },
        ...(state.raw > 0 && { raw: { rawConfig: raw[state.raw] ?? "" } }),
      },
    },
  ];
}

function render(state: SoakState): string {
  const result = computeNodeConfig({
    nodeName: NODE,
    nodeLabels: { "kubernetes.io/hostname": NODE },
    configurations: configurations(state),
    secrets: [],
    options: { hostname: hostname() },
  });
  const errors = result.issues.filter((i) => i.severity === "error");
  assert.deepEqual(errors, [], "the generated configuration is valid");
  assert.ok(result.frrConfig !== undefined);
  return result.frrConfig;
}

describe("apply engine soak: unrelated changes never reset a live session", { skip: SKIP }, () => {
  let lab: Lab | undefined;
  let engine: EngineApplier | undefined;
  const state: SoakState = {
    advertised: new Set([V4_POOL[0] ?? "", V6_POOL[0] ?? ""]),
    communities: new Map(),
    localPref: new Map(),
    dead: new Map(),
    vrfRouter: false,
    raw: 0,
    dualStack: false,
  };

  before(async () => {
    assert.deepEqual(await frrPrerequisiteProblems(), [], "FRR is needed (scripts/test-all.sh installs it)");
    lab = await buildLab({
      node: { asn: NODE_ASN },
      peers: PEERS.map((p) => ({
        name: p.name,
        kind: p.kind,
        asn: p.asn,
        ipv4: `${p.ip}/24`,
        ipv6: `${p.ip6}/64`,
      })),
    });
    const frr = lab.nodeFrr();
    engine = new EngineApplier({ vtySocketDir: frr.dir, configDir: frr.dir, configFile: false });
  });

  after(async () => {
    await engine?.close();
    await lab?.destroy();
  });

  test(`${STEPS} random changes (seed ${SEED}): zero session resets at FRR, BIRD and GoBGP`, async (t) => {
    const l = lab!;
    const e = engine!;
    const first = await e.apply(render(state));
    assert.equal(first.kind, "applied", JSON.stringify(first));
    for (const p of PEERS) {
      await waitForEstablished(l.peer(p.name).bgp, undefined, WAIT);
      await waitForReceived(l.peer(p.name).bgp, V4_POOL[0] ?? "", () => true, WAIT);
    }
    const peersBefore = await Promise.all(PEERS.map((p) => l.peer(p.name).bgp.establishedTransitions()));
    const nodeBefore = await frrEstablishedTransitions(l.nodeFrr());
    const rand = random(SEED);
    let commands = 0;
    for (let step = 0; step < STEPS; step++) {
      pick(rand, CHANGES)(state, rand);
      const outcome = await e.apply(render(state));
      if (outcome.kind !== "applied") assert.fail(`step ${step}: ${JSON.stringify(outcome)}`);
      assert.deepEqual(await e.unconverged(), [], `step ${step} converged`);
      const live = (outcome.resets ?? []).filter((r) => !r.neighbor.startsWith("192.168.161.1"));
      assert.deepEqual(live, [], `step ${step}: no reset of a live session announced`);
      commands += outcome.commands ?? 0;
    }
    t.diagnostic(`${STEPS} applies, ${commands} commands in all`);
    // The peers end up with exactly the IPv4 prefixes advertised last.
    const wanted = [...state.advertised].filter((x) => !x.includes(":")).sort();
    for (const p of PEERS) {
      await waitFor(
        `${p.name} has the last advertised IPv4 set`,
        async () => {
          const got = (await l.peer(p.name).bgp.routes())
            .filter((r) => r.family === "ipv4")
            .map((r) => r.prefix);
          return JSON.stringify([...new Set(got)].sort()) === JSON.stringify(wanted) ? true : undefined;
        },
        WAIT,
      );
    }
    const peersAfter = await Promise.all(PEERS.map((p) => l.peer(p.name).bgp.establishedTransitions()));
    assert.deepEqual(peersAfter, peersBefore, "Established transitions at the peers");
    const nodeAfter = await frrEstablishedTransitions(l.nodeFrr());
    for (const p of PEERS) {
      for (const address of [p.ip, p.ip6]) assert.equal(nodeAfter[address], nodeBefore[address], address);
    }
  });

  test("a change FRR applies only with a reset is reported, and the peer sees exactly that session reset", async () => {
    const l = lab!;
    const e = engine!;
    const frrPeer = PEERS[0];
    assert.ok(frrPeer !== undefined);
    const peer = l.peer(frrPeer.name).bgp;
    await waitForEstablished(peer, undefined, WAIT);
    const before = await peer.establishedTransitions();
    state.dualStack = true;
    const outcome = await e.apply(render(state));
    if (outcome.kind !== "applied") assert.fail(JSON.stringify(outcome));
    assert.deepEqual(
      (outcome.resets ?? []).map((r) => `${r.neighbor} ${r.reason}`),
      [`${frrPeer.ip} neighbor activate`],
      "the IPv4 session, which now activates IPv6 too",
    );
    await waitFor(
      "the FRR peer's IPv4 session re-established",
      async () => {
        const now = await peer.establishedTransitions();
        const sessions = await peer.sessions();
        const up = sessions.every((x) => x.established);
        return up && (now[frrPeer.nodeIp] ?? 0) > (before[frrPeer.nodeIp] ?? 0) ? now : undefined;
      },
      WAIT,
    );
    const after = await peer.establishedTransitions();
    const v6 = Object.keys(after).find((k) => k.includes(":"));
    assert.ok(v6 !== undefined);
    assert.equal(after[v6], before[v6], "the IPv6 session to the same peer was not reset");
  });
});
