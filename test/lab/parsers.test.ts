// The lab harness's pure parts, on output captured from the real daemons (BIRD 2.0.12, GoBGP 3.10,
// iproute2 6.1): no namespaces or daemons needed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIpRoutes } from "../support/lab/node-frr.ts";
import { parseBirdProtocols, parseBirdRoutes, renderBirdConfig } from "../support/lab/peer-bird.ts";
import { parseGobgpNeighbors, parseGobgpRib, renderGobgpConfig } from "../support/lab/peer-gobgp.ts";
import { renderFrrPeerConfig } from "../support/lab/peer-frr.ts";
import {
  communityFromNumber,
  communityToNumber,
  normalizeCommunity,
  otherHost,
} from "../support/lab/util.ts";

test("otherHost: the first other host of the subnet", () => {
  assert.equal(otherHost("192.168.101.2/24"), "192.168.101.1/24");
  assert.equal(otherHost("192.168.101.1/24"), "192.168.101.2/24");
  assert.equal(otherHost("10.0.0.5/30"), "10.0.0.6/30");
  assert.equal(otherHost("10.0.0.6/30"), "10.0.0.5/30");
  assert.equal(otherHost("fd00:101::2/64"), "fd00:101::1/64");
  assert.equal(otherHost("fd00:101::1/64"), "fd00:101::2/64");
  assert.equal(otherHost("2001:db8:0:0:1:0:0:9/127"), "2001:db8::1:0:0:8/127");
  assert.equal(otherHost("10.0.0.4/31"), "10.0.0.5/31");
  assert.throws(() => otherHost("10.0.0.1/32"));
  assert.throws(() => otherHost("10.0.0.1"));
});

test("communities: numbers and well-known names", () => {
  assert.equal(communityToNumber("64512:100"), 4227858532);
  assert.equal(communityFromNumber(4227858532), "64512:100");
  assert.equal(normalizeCommunity("no-export"), "65535:65281");
  assert.equal(normalizeCommunity("64512:1"), "64512:1");
});

const BIRD_ROUTES = [
  "BIRD 2.0.12 ready.",
  "Table master4:",
  "10.30.0.0/24         blackhole [lab_ann4 19:26:51.303] * (200)",
  "\tType: static univ",
  "\tBGP.community: (64513,7)",
  "10.10.0.0/24         unicast [lab_n0 19:38:16.545] * (100) [AS64512i]",
  "\tvia 192.168.101.1 on eth0",
  "\tType: BGP univ",
  "\tBGP.origin: IGP",
  "\tBGP.as_path: 64512",
  "\tBGP.next_hop: 192.168.101.1",
  "\tBGP.med: 0",
  "\tBGP.local_pref: 100",
  "\tBGP.community: (64512,100) (65535,65281)",
  "\tBGP.large_community: (64512, 1, 2)",
  "                     unicast [lab_n1 19:38:16.545] (100) [AS64512i]",
  "\tvia fd00:101::1 on eth0",
  "\tType: BGP univ",
  "\tBGP.as_path: 64512",
  "\tBGP.next_hop: fd00:101::1 fe80::589d:1dff:fe7c:e960",
  "",
  "Table master6:",
  "fd00:10::/64         unicast [lab_n1 19:38:16.545] * (100) [AS64512i]",
  "\tvia fd00:101::1 on eth0",
  "\tType: BGP univ",
  "\tBGP.as_path: 64512",
  "\tBGP.next_hop: fd00:101::1 fe80::589d:1dff:fe7c:e960",
  "",
].join("\n");

test("parseBirdRoutes: BGP routes only, second routes of a prefix, attributes", () => {
  const protocols = new Map([
    ["lab_n0", "192.168.101.1"],
    ["lab_n1", "fd00:101::1"],
  ]);
  assert.deepEqual(parseBirdRoutes(BIRD_ROUTES, protocols), [
    {
      prefix: "10.10.0.0/24",
      family: "ipv4",
      nextHop: "192.168.101.1",
      communities: ["64512:100", "65535:65281"],
      largeCommunities: ["64512:1:2"],
      asPath: [64512],
      from: "192.168.101.1",
      localPref: 100,
    },
    {
      prefix: "10.10.0.0/24",
      family: "ipv4",
      nextHop: "fd00:101::1",
      communities: [],
      largeCommunities: [],
      asPath: [64512],
      from: "fd00:101::1",
    },
    {
      prefix: "fd00:10::/64",
      family: "ipv6",
      nextHop: "fd00:101::1",
      communities: [],
      largeCommunities: [],
      asPath: [64512],
      from: "fd00:101::1",
    },
  ]);
});

test("parseBirdProtocols: BGP protocols with their since time", () => {
  const text = [
    "BIRD 2.0.12 ready.",
    "Name       Proto      Table      State  Since         Info",
    "device1    Device     ---        up     2026-11-22 19:38:14  ",
    "lab_n0     BGP        ---        up     2026-11-22 19:38:15  Established   ",
    "lab_n1     BGP        ---        start  2026-11-22 19:38:15  Idle          Error: BFD session down",
  ].join("\n");
  const ps = parseBirdProtocols(text);
  assert.deepEqual(
    ps.map((p) => [p.name, p.state, p.info]),
    [
      ["lab_n0", "up", "Established"],
      ["lab_n1", "start", "Idle          Error: BFD session down"],
    ],
  );
  assert.equal(ps[0]?.since?.getTime(), new Date("2026-11-22T19:38:15").getTime());
});

test("parseGobgpRib: received paths only, with their attributes", () => {
  const ipv4 = {
    "10.10.0.0/24": [
      {
        nlri: { prefix: "10.10.0.0/24" },
        best: true,
        attrs: [
          { type: 1, value: 0 },
          { type: 2, as_paths: [{ segment_type: 2, num: 1, asns: [64512] }] },
          { type: 3, nexthop: "192.168.102.1" },
          { type: 4, metric: 0 },
          { type: 8, communities: [4227858532] },
          { type: 32, value: [{ ASN: 64512, LocalData1: 1, LocalData2: 2 }] },
        ],
        "source-id": "192.168.101.1",
        "neighbor-ip": "192.168.102.1",
      },
    ],
    "10.40.0.0/24": [{ nlri: { prefix: "10.40.0.0/24" }, attrs: [{ type: 3, nexthop: "0.0.0.0" }] }],
  };
  assert.deepEqual(parseGobgpRib(ipv4, "ipv4"), [
    {
      prefix: "10.10.0.0/24",
      family: "ipv4",
      nextHop: "192.168.102.1",
      communities: ["64512:100"],
      largeCommunities: ["64512:1:2"],
      asPath: [64512],
      from: "192.168.102.1",
    },
  ]);
  const ipv6 = {
    "fd00:10::/64": [
      {
        attrs: [{ type: 14, nexthop: "fd00:102::1", afi: 2, safi: 1, value: [{ prefix: "fd00:10::/64" }] }],
        "neighbor-ip": "fd00:102::1",
      },
    ],
  };
  assert.equal(parseGobgpRib(ipv6, "ipv6")[0]?.nextHop, "fd00:102::1");
  assert.deepEqual(parseGobgpRib(null, "ipv4"), []);
});

test("parseGobgpNeighbors: state names and uptime", () => {
  const data = [
    {
      conf: { neighbor_address: "fd00:102::1", peer_asn: 64512 },
      state: { session_state: 6 },
      timers: { state: { uptime: { seconds: 1000 } } },
    },
    { conf: { neighbor_address: "192.168.102.1" }, state: { session_state: 3 }, timers: { state: {} } },
  ];
  assert.deepEqual(parseGobgpNeighbors(data, 1042), [
    { neighbor: "fd00:102::1", state: "Established", established: true, uptimeSec: 42 },
    { neighbor: "192.168.102.1", state: "Active", established: false },
  ]);
});

test("parseIpRoutes: gateways, IPv4 via an IPv6 next hop, multipath", () => {
  const json = JSON.stringify([
    { dst: "10.30.0.0/24", nhid: 10, gateway: "192.168.101.2", dev: "n-bird", metric: 20, flags: [] },
    { dst: "10.24.0.0/24", nhid: 20, via: { family: "inet6", host: "fe80::1" }, dev: "n-frrun", flags: [] },
    {
      dst: "10.50.0.0/24",
      nexthops: [
        { gateway: "192.168.1.2", dev: "a" },
        { gateway: "192.168.2.2", dev: "b" },
      ],
    },
  ]);
  assert.deepEqual(
    parseIpRoutes(json, "ipv4", "bgp").map((r) => [r.prefix, r.gateways, r.devs]),
    [
      ["10.30.0.0/24", ["192.168.101.2"], ["n-bird"]],
      ["10.24.0.0/24", ["fe80::1"], ["n-frrun"]],
      ["10.50.0.0/24", ["192.168.1.2", "192.168.2.2"], ["a", "b"]],
    ],
  );
  assert.deepEqual(parseIpRoutes("", "ipv6", "bgp"), []);
});

test("config renderers: neighbor options reach each daemon's syntax", () => {
  const config = {
    asn: 64513,
    routerId: "192.168.101.2",
    neighbors: [
      {
        address: "192.168.101.1",
        remoteAs: 64512,
        password: "s3cret",
        multihop: 3,
        passive: true,
        timers: { keepaliveSec: 1, holdSec: 3 },
      },
    ],
  };
  const frr = renderFrrPeerConfig({ ...config, neighbors: [{ ...config.neighbors[0]!, bfd: true }] });
  for (const line of [
    " neighbor 192.168.101.1 remote-as 64512",
    " neighbor 192.168.101.1 password s3cret",
    " neighbor 192.168.101.1 bfd",
    " neighbor 192.168.101.1 ebgp-multihop 3",
    " neighbor 192.168.101.1 passive",
    " neighbor 192.168.101.1 timers 1 3",
    " neighbor 192.168.101.1 timers connect 2",
    "  neighbor 192.168.101.1 activate",
  ]) {
    assert.ok(frr.split("\n").includes(line), `FRR: ${line}`);
  }
  assert.ok(!frr.includes("address-family ipv6"));

  const bird = renderBirdConfig(
    { ...config, neighbors: [{ ...config.neighbors[0]!, bfd: true }] },
    [{ prefix: "10.30.0.0/24", communities: ["64513:7"], largeCommunities: ["64513:8:9"] }],
    "/tmp/x.log",
  );
  for (const line of [
    '  password "s3cret";',
    "  bfd on;",
    "  multihop 3;",
    "  passive on;",
    "  hold time 3;",
    "  route 10.30.0.0/24 blackhole { bgp_community.add((64513,7)); bgp_large_community.add((64513,8,9)); };",
  ]) {
    assert.ok(bird.split("\n").includes(line), `BIRD: ${line}\n${bird}`);
  }
  assert.ok(bird.includes("protocol bfd"));

  const gobgp = renderGobgpConfig(config);
  for (const line of [
    '    auth-password = "s3cret"',
    "    passive-mode = true",
    "    multihop-ttl = 3",
    "    hold-time = 3",
    "    connect-retry = 2",
    '      afi-safi-name = "ipv4-unicast"',
  ]) {
    assert.ok(gobgp.split("\n").includes(line), `GoBGP: ${line}\n${gobgp}`);
  }
  assert.throws(
    () => renderGobgpConfig({ ...config, neighbors: [{ address: "10.0.0.1", remoteAs: 1, bfd: true }] }),
    /BFD/,
  );
});
