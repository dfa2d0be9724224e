import { test } from "node:test";
import assert from "node:assert/strict";
import { redactPasswords, redactSecrets } from "./redact.ts";

test("passwords are cut up to the end of their line", () => {
  const text = "router bgp 1\n neighbor 192.0.2.1 password s3cr3t x\n neighbor 192.0.2.1 remote-as 2\n";
  assert.equal(
    redactPasswords(text),
    "router bgp 1\n neighbor 192.0.2.1 password <retracted>\n neighbor 192.0.2.1 remote-as 2\n",
  );
});

test("known secret values are removed anywhere", () => {
  assert.equal(
    redactSecrets("line 3: % bad value s3cr3t here", ["s3cr3t", ""]),
    "line 3: % bad value <retracted> here",
  );
});
