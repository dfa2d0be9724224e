import { test } from "node:test";
import assert from "node:assert/strict";
import {
  expandIpv6,
  formatCidr,
  formatIp,
  hasHostBits,
  ipFamilyOf,
  maskCidr,
  parseCidr,
  parseIp,
} from "./ip.ts";

test("parseIp accepts canonical and non-canonical valid addresses", () => {
  for (const [text, family] of [
    ["192.0.2.1", "ipv4"],
    ["0.0.0.0", "ipv4"],
    ["255.255.255.255", "ipv4"],
    ["2001:db8::1", "ipv6"],
    ["::", "ipv6"],
    ["::1", "ipv6"],
    ["2001:DB8:0:0:0:0:0:1", "ipv6"],
    ["::ffff:192.0.2.1", "ipv6"],
    ["fe80::1:2:3:4", "ipv6"],
  ] as const) {
    assert.equal(parseIp(text)?.family, family, text);
  }
});

test("parseIp rejects what Go's net.ParseIP rejects", () => {
  for (const text of [
    "",
    "010.0.0.1",
    "1.2.3",
    "1.2.3.4.5",
    "256.0.0.1",
    "1.2.3.4/32",
    "fe80::1%eth0",
    "2001:db8:::1",
    "1::2::3",
    "12345::",
    "::g",
    "1:2:3:4:5:6:7:8:9",
    " 1.2.3.4",
    "1.2.3.-1",
  ]) {
    assert.equal(parseIp(text), undefined, text);
  }
});

test("IPv4-mapped IPv6 has no usable family (Go says IPv4, FRR says IPv6)", () => {
  assert.equal(ipFamilyOf("::ffff:192.0.2.1"), undefined);
  assert.equal(ipFamilyOf("2001:db8::1"), "ipv6");
  assert.equal(ipFamilyOf("nonsense"), undefined);
});

test("formatIp writes RFC 5952 text", () => {
  const cases: [string, string][] = [
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["fe80:0000::0001", "fe80::1"],
    ["192.0.2.10", "192.0.2.10"],
  ];
  for (const [input, expected] of cases) assert.equal(formatIp(parseIp(input)!), expected, input);
});

test("parseCidr bounds the prefix length by family and rejects leading zeros", () => {
  assert.equal(parseCidr("10.0.0.0/33"), undefined);
  assert.equal(parseCidr("2001:db8::/129"), undefined);
  assert.equal(parseCidr("10.0.0.0/08"), undefined);
  assert.equal(parseCidr("10.0.0.0"), undefined);
  assert.equal(parseCidr("10.0.0.0/"), undefined);
  assert.equal(parseCidr("10.0.0.0/8")?.length, 8);
  assert.equal(parseCidr("::/0")?.length, 0);
});

test("host bits are detected and masked away", () => {
  assert.equal(hasHostBits(parseCidr("10.0.0.1/24")!), true);
  assert.equal(hasHostBits(parseCidr("10.0.0.0/24")!), false);
  assert.equal(hasHostBits(parseCidr("10.0.0.128/25")!), false);
  assert.equal(hasHostBits(parseCidr("2001:db8::1/64")!), true);
  assert.equal(formatCidr(maskCidr(parseCidr("192.168.1.2/24")!)), "192.168.1.0/24");
  assert.equal(formatCidr(maskCidr(parseCidr("2001:db8:1:2:3::1/48")!)), "2001:db8:1::/48");
});

test("expandIpv6 writes every group in four digits", () => {
  assert.equal(expandIpv6(parseIp("fc00:f853:ccd:e799::1")!), "fc00:f853:0ccd:e799:0000:0000:0000:0001");
});
