import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseBfdPeers } from "./parse-bfd.ts";
import { parseDaemons } from "./parse-daemons.ts";

// Captured from FRR 8.4.4 by test/fixtures/frr-json/capture.ts (see the README there).
const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/frr-json");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

test("show bfd peers [counters] json (FRR 8.4): status and counters joined, default VRF as empty", () => {
  assert.deepEqual(parseBfdPeers(fixture("bfd-peers.json.txt"), fixture("bfd-peers-counters.json.txt")), [
    {
      vrf: "",
      peer: "192.0.2.2",
      status: "up",
      counters: {
        controlPacketInput: 6,
        controlPacketOutput: 8,
        echoPacketInput: 0,
        echoPacketOutput: 0,
        sessionUpEvents: 1,
        sessionDownEvents: 1,
        zebraNotifications: 2,
      },
    },
    {
      vrf: "",
      peer: "192.0.2.99",
      status: "down",
      counters: {
        controlPacketInput: 0,
        controlPacketOutput: 5,
        echoPacketInput: 0,
        echoPacketOutput: 0,
        sessionUpEvents: 0,
        sessionDownEvents: 0,
        zebraNotifications: 1,
      },
    },
    {
      vrf: "",
      peer: "2001:db8:100::2",
      status: "up",
      counters: {
        controlPacketInput: 7,
        controlPacketOutput: 9,
        echoPacketInput: 0,
        echoPacketOutput: 0,
        sessionUpEvents: 1,
        sessionDownEvents: 1,
        zebraNotifications: 3,
      },
    },
  ]);
});

test("no BFD peers: empty", () => {
  assert.deepEqual(
    parseBfdPeers(fixture("empty-bfd-peers.json.txt"), fixture("empty-bfd-peers-counters.json.txt")),
    [],
  );
});

test("peers without counters get zeros; counters without a peer are ignored", () => {
  const peers = fixture("bfd-peers.json.txt");
  const zeroed = parseBfdPeers(peers, "bfdd is not running");
  assert.equal(zeroed.length, 3);
  for (const p of zeroed) assert.ok(Object.values(p.counters).every((v) => v === 0));
  assert.deepEqual(parseBfdPeers("[]", fixture("bfd-peers-counters.json.txt")), []);
});

test("counters are matched per session: same peer, different VRF or hop mode", () => {
  const peers = [
    { multihop: false, peer: "192.0.2.2", vrf: "default", status: "up" },
    { multihop: true, peer: "192.0.2.2", local: "192.0.2.1", vrf: "default", status: "down" },
    { multihop: false, peer: "192.0.2.2", vrf: "red", status: "init" },
  ];
  const counters = [
    { multihop: false, peer: "192.0.2.2", vrf: "red", "session-up": 3 },
    { multihop: true, peer: "192.0.2.2", local: "192.0.2.1", vrf: "default", "session-up": 2 },
    { multihop: false, peer: "192.0.2.2", vrf: "default", "session-up": 1 },
  ];
  const result = parseBfdPeers(JSON.stringify(peers), JSON.stringify(counters));
  assert.deepEqual(
    result.map((p) => [p.vrf, p.status, p.counters.sessionUpEvents]),
    [
      ["", "up", 1],
      ["", "down", 2],
      ["red", "init", 3],
    ],
  );
});

test("malformed input never throws", () => {
  const inputs = [
    "",
    "{",
    "null",
    "{}",
    '"x"',
    "[null, 1, {}]",
    '[{"peer": 5}]',
    '[{"peer": "192.0.2.2", "vrf": 7}]',
  ];
  for (const a of inputs) {
    for (const b of inputs) assert.doesNotThrow(() => parseBfdPeers(a, b), `${a} / ${b}`);
  }
  assert.deepEqual(parseBfdPeers('[{"peer": "2001:DB8::2"}]', "[]"), [
    {
      vrf: "",
      peer: "2001:db8::2",
      status: "unknown",
      counters: {
        controlPacketInput: 0,
        controlPacketOutput: 0,
        echoPacketInput: 0,
        echoPacketOutput: 0,
        sessionUpEvents: 0,
        sessionDownEvents: 0,
        zebraNotifications: 0,
      },
    },
  ]);
});

test("show daemons: the names vtysh printed", () => {
  assert.deepEqual(parseDaemons(fixture("show-daemons.txt")), ["zebra", "bgpd", "staticd", "bfdd"]);
  assert.deepEqual(parseDaemons(""), []);
  assert.deepEqual(parseDaemons(" zebra bgpd zebra\n"), ["zebra", "bgpd"]);
});
