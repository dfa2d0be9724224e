// core/ may not import ports/, so core/status mirrors the port's types; they must stay equal.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BfdPeerStatus, BgpSessionStatus } from "../../core/status/types.ts";
import type { BfdPeerState, SessionState } from "../../ports/frr.ts";

// Exact equality (mutual assignability would miss an optional field added on one side only).
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the standard exact-equality trick
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

test("the status parsers' types are the port's types", () => {
  const sessions: Same<SessionState, BgpSessionStatus> = true;
  const bfd: Same<BfdPeerState, BfdPeerStatus> = true;
  assert.deepEqual([sessions, bfd], [true, true]);
});
