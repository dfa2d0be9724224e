import { test } from "node:test";
import assert from "node:assert/strict";
import { parseGoDuration, wholeSeconds } from "./duration.ts";
import { communityKey, communityValue, parseCommunity } from "./community.ts";
import { crc32, fallbackRouterId } from "./router-id.ts";
import { frrLogLevel } from "./log-level.ts";
import {
  checkExportRouteTarget,
  checkImportRouteTarget,
  checkImportRouteTargetForFrr,
  checkRouteDistinguisher,
} from "./decode/vni-values.ts";

test("Go durations parse to milliseconds", () => {
  const cases: [string, number][] = [
    ["90s", 90_000],
    ["1m30s", 90_000],
    ["1.5h", 5_400_000],
    ["300ms", 300],
    ["0", 0],
    ["2.9s", 2_900],
    ["1h1m1s", 3_661_000],
  ];
  for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
  for (const text of ["", "90", "s", "1d", "1 s", "abc", "1.s"])
    assert.equal(parseGoDuration(text), undefined, text);
  assert.equal(wholeSeconds(2_900), 2);
  assert.equal(wholeSeconds(500), 0);
});

test("communities: standard values are normalised, large ones keep their marker in the key", () => {
  const standard = parseCommunity("010:0100");
  assert.ok(standard.ok);
  assert.equal(communityKey(standard.community), "10:100");
  const large = parseCommunity("large:123:456:7890");
  assert.ok(large.ok);
  assert.equal(communityKey(large.community), "large:123:456:7890");
  assert.equal(communityValue(large.community), "123:456:7890");
  for (const bad of [
    "",
    "1",
    "65536:1",
    "1:65536",
    "a:b",
    "big:1:2:3",
    "large:1:2",
    "large:4294967296:1:1",
    "1:2:3",
  ]) {
    assert.equal(parseCommunity(bad).ok, false, bad);
  }
});

test("router-id fallback matches upstream's CRC32 scheme", () => {
  assert.equal(crc32("123456789"), 0xcbf43926);
  assert.equal(fallbackRouterId("dummyhostname"), "167.62.253.30");
});

test("log levels map to FRR's words", () => {
  assert.equal(frrLogLevel(undefined), "informational");
  assert.equal(frrLogLevel("all"), "debugging");
  assert.equal(frrLogLevel("debug"), "debugging");
  assert.equal(frrLogLevel("warn"), "warnings");
  assert.equal(frrLogLevel("error"), "errors");
  assert.equal(frrLogLevel("none"), "emergencies");
  assert.equal(frrLogLevel("loud"), undefined);
});

test("route distinguishers and targets follow the CRD's CEL rules", () => {
  for (const ok of ["65000:100", "4294967295:100", "100:4294967295", "192.0.2.1:100", "10.0.0.1:65535"]) {
    assert.equal(checkRouteDistinguisher(ok), undefined, ok);
    assert.equal(checkExportRouteTarget(ok), undefined, ok);
  }
  assert.equal(checkImportRouteTarget("*:100"), undefined);
  const rejected: [string, RegExp][] = [
    ["invalid", /exactly one colon/],
    ["nocolon", /exactly one colon/],
    ["65000:abc", /local administrator must be a number/],
    ["abc:100", /global administrator must be either an IPv4 address or a number/],
    ["70000:70000", /4-byte ASN/],
    ["4294967296:1", /4-byte ASN/],
    ["192.0.2.1:70000", /IPv4 global administrator/],
  ];
  for (const [value, message] of rejected)
    assert.match(checkRouteDistinguisher(value)?.message ?? "", message, value);
  assert.match(checkExportRouteTarget("*:100")?.message ?? "", /either an IPv4 address or a number/);
  assert.match(checkImportRouteTarget("*:abc")?.message ?? "", /wildcard/);
  assert.match(checkImportRouteTarget("x:1")?.message ?? "", /either '\*', an IPv4 address, or a number/);
  assert.match(checkImportRouteTargetForFrr("*:100")?.message ?? "", /not supported/);
  assert.equal(checkImportRouteTargetForFrr("65000:100"), undefined);
});
