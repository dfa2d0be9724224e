import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyFailure, failureDetail, parseTestDiff, passwordsIn, readable } from "./reload-output.ts";

// Output of FRR 8.4.4's frr-reload.py, captured in the lab (timestamps and addresses as they were).
const TEST_DIFF = `
Lines To Delete
===============
router bgp 64512
 no neighbor 192.168.100.99 bfd
no log stdout informational

Lines To Add
============
bfd
 profile fast
  receive-interval 300
bfd
 profile fast
  transmit-interval 300
router bgp 64512
 neighbor 192.168.100.77 peer-group nosuchgroup
router bgp 64512
 address-family ipv4 unicast
  network 10.10.0.0/24 
`;

const PARSE_ERROR =
  "2026-11-22 19:27:43,907 \x1b[91m  ERROR\x1b[0m: vtysh failed to process new configuration: vtysh (mark file) exited with status 2:\n" +
  "b'line 20: % Unknown command:  neighbor 192.168.100.2 bogus-keyword password s3cr3tPW\\n\\n'\n";

const RELOAD_STDOUT =
  "line 10: Failure to communicate[13] to bgpd, line:  neighbor 192.168.100.77 peer-group nosuchgroup\n\n";
const RELOAD_STDERR =
  "2026-11-22 19:27:49,690 \x1b[91mWARNING\x1b[0m: frr-reload.py failed due to\n" +
  "vtysh (exec file) exited with status 13\n";

const TRACEBACK = `Exiting: failed to connect to any daemons.
Traceback (most recent call last):
  File "/usr/lib/frr/frr-reload.py", line 1993, in <module>
    running.load_from_show_running(args.daemon)
VtyshException: vtysh (show running-config) exited with status 1:
`;

test("the --test diff is counted per changed line, context lines not", () => {
  assert.deepEqual(parseTestDiff(TEST_DIFF), { deleted: 2, added: 4 });
  assert.deepEqual(parseTestDiff(""), { deleted: 0, added: 0 });
  assert.deepEqual(parseTestDiff("\nLines To Add\n============\nhostname x\n"), { deleted: 0, added: 1 });
  assert.deepEqual(parseTestDiff("garbage\nmore garbage\n"), { deleted: 0, added: 0 });
});

test("a config vtysh cannot parse and a command a daemon refuses are rejections; no FRR is a failure", () => {
  assert.equal(classifyFailure(PARSE_ERROR), "rejected");
  assert.equal(classifyFailure(`${RELOAD_STDERR}\n${RELOAD_STDOUT}`), "rejected");
  assert.equal(classifyFailure(TRACEBACK), "failed");
  assert.equal(classifyFailure(""), "failed");
  assert.equal(
    classifyFailure("vtysh 'configure' returned\nVTY configuration is locked by other VTY"),
    "failed",
  );
});

test("details are readable: bytes literals decoded, colours and timestamps gone", () => {
  assert.equal(
    failureDetail("", PARSE_ERROR, []),
    "ERROR: vtysh failed to process new configuration: vtysh (mark file) exited with status 2:\n" +
      "line 20: % Unknown command:  neighbor 192.168.100.2 bogus-keyword password <retracted>",
  );
  assert.equal(
    failureDetail(RELOAD_STDOUT, RELOAD_STDERR, []),
    "WARNING: frr-reload.py failed due to\nvtysh (exec file) exited with status 13\n" +
      "line 10: Failure to communicate[13] to bgpd, line:  neighbor 192.168.100.77 peer-group nosuchgroup",
  );
  assert.equal(readable("b'caf\\xc3\\xa9 \\'q\\' \\\\ end'"), "café 'q' \\ end");
});

test("password values are removed wherever they appear, also escaped, before shortening", () => {
  const config =
    "router bgp 1\n neighbor 192.0.2.1 password it's\\secret\n neighbor 192.0.2.2 password  pw2 \n";
  const secrets = passwordsIn(config);
  for (const v of ["it's\\secret", "it\\'s\\\\secret", "pw2"]) assert.ok(secrets.includes(v), v);
  const echoed =
    "b'line 3: % value it\\'s\\\\secret not allowed\\n'\nno password here: pw2 and it's\\secret again\n";
  const detail = failureDetail(echoed, "", secrets);
  for (const v of ["secret", "pw2"]) assert.ok(!detail.includes(v), `${v} in ${detail}`);
  // Long output is cut after redaction: no partial password at the cut.
  const long = Array.from({ length: 200 }, (_, i) => `line ${i}: echo pw2${"x".repeat(30)}`).join("\n");
  const cut = failureDetail(long, "", secrets);
  assert.ok(!cut.includes("pw2"));
  assert.match(cut, /\(\d+ more lines\)$/);
});

test("passwordsIn finds nothing in a config without passwords", () => {
  assert.deepEqual(passwordsIn("router bgp 1\n neighbor 192.0.2.1 remote-as 2\n"), []);
});
