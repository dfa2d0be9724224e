import assert from "node:assert/strict";
import { test } from "node:test";
import { describeEnd, runProcess } from "./process.ts";

test("output and exit status are collected, no shell involved", async () => {
  const r = await runProcess("printf", ["%s|%s", "a b", "$HOME;`x`"], { timeoutMs: 5_000 });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "a b|$HOME;`x`");
  assert.equal(r.timedOut, false);
});

test("a missing program resolves with startError", async () => {
  const r = await runProcess("/nonexistent/program", [], { timeoutMs: 5_000 });
  assert.equal(r.code, null);
  assert.ok(r.startError !== undefined);
  assert.match(describeEnd(r), /could not be started/);
});

test("the time limit kills the whole process group, children included", async () => {
  const started = Date.now();
  const r = await runProcess("sh", ["-c", "sleep 30 & sleep 30; wait"], { timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  assert.ok(Date.now() - started < 5_000, "the background sleep held the pipes open");
  assert.match(describeEnd(r, 300), /timed out after 300 ms/);
});

test("output beyond the limit is dropped and flagged", async () => {
  const r = await runProcess("head", ["-c", "100000", "/dev/zero"], {
    timeoutMs: 5_000,
    maxOutputBytes: 1000,
  });
  assert.equal(r.stdout.length, 1000);
  assert.equal(r.truncated, true);
});
