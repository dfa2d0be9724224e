import assert from "node:assert/strict";
import { test } from "node:test";
import type { NodeStatus } from "../../ports/node-status.ts";
import { nodeStateStatus, sameNodeState } from "./node-state-writer.ts";

const status: NodeStatus = {
  node: "n1",
  lastConversionResult: "success",
  lastReloadResult: "",
  runningConfig: "router bgp 1\n neighbor 1.2.3.4 password <retracted>\n",
  issues: [],
  sessions: [],
  bfdPeers: [],
  configStale: false,
};

test("FRRNodeState status: the three fields; an omitted field equals an empty one", () => {
  const want = nodeStateStatus(status);
  assert.deepEqual(Object.keys(want).sort(), ["lastConversionResult", "lastReloadResult", "runningConfig"]);
  assert.ok(sameNodeState({ lastConversionResult: "success", runningConfig: status.runningConfig }, want));
  assert.ok(
    !sameNodeState({ lastConversionResult: "failed: 1 issue", runningConfig: status.runningConfig }, want),
  );
  assert.ok(!sameNodeState(undefined, want));
});
