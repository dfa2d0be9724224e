import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SessionState } from "../../ports/frr.ts";
import { desiredStatus, peerLabel, planSessionStates, type SessionStateObject } from "./session-states.ts";

const NODE = "n1";

function session(peer: string, vrf = "", bgpState = "Established", bfdStatus = "N/A"): SessionState {
  const messages = {
    opensSent: 0,
    opensReceived: 0,
    notificationsSent: 0,
    updatesSent: 0,
    updatesReceived: 0,
    keepalivesSent: 0,
    keepalivesReceived: 0,
    routeRefreshSent: 0,
    totalSent: 0,
    totalReceived: 0,
  };
  return { peer, vrf, bgpState, bfdStatus, prefixesSent: 0, prefixesReceived: 0, messages };
}

function existing(name: string, s: SessionState, created = "2026-01-01T00:00:00Z"): SessionStateObject {
  const status = desiredStatus(NODE, s);
  return {
    metadata: {
      name,
      creationTimestamp: created,
      labels: {
        "frrk8s.metallb.io/node": NODE,
        "frrk8s.metallb.io/peer": status.peer,
        "frrk8s.metallb.io/vrf": status.vrf,
      },
    },
    status,
  };
}

describe("peerLabel", () => {
  test("IPv4 and interface names verbatim", () => {
    assert.equal(peerLabel("192.168.1.2"), "192.168.1.2");
    assert.equal(peerLabel("eth0"), "eth0");
  });
  test("IPv6 fully expanded with - for :", () => {
    assert.equal(peerLabel("fc00:f853:ccd:e799::1"), "fc00-f853-0ccd-e799-0000-0000-0000-0001");
    assert.equal(peerLabel("::1"), "0000-0000-0000-0000-0000-0000-0000-0001");
  });
});

describe("desiredStatus", () => {
  test("bfdStatus N/A when FRR reports none", () => {
    assert.equal(desiredStatus(NODE, session("10.0.0.1", "", "Active", "")).bfdStatus, "N/A");
    assert.equal(desiredStatus(NODE, session("10.0.0.1", "red", "Active", "Up")).bfdStatus, "Up");
  });
});

describe("planSessionStates", () => {
  test("creates what is missing, nothing for what is equal", () => {
    const a = session("10.0.0.1");
    const b = session("10.0.0.2", "red");
    const plan = planSessionStates(NODE, [a, b], [existing("n1-a", a)]);
    assert.deepEqual(plan.create, [desiredStatus(NODE, b)]);
    assert.deepEqual(plan.update, []);
    assert.deepEqual(plan.remove, []);
  });

  test("updates a changed state, removes a vanished neighbor", () => {
    const a = session("10.0.0.1");
    const gone = session("10.0.0.9");
    const plan = planSessionStates(
      NODE,
      [{ ...a, bgpState: "Active" }],
      [existing("n1-a", a), existing("n1-g", gone)],
    );
    assert.deepEqual(plan.create, []);
    assert.deepEqual(plan.update, [
      { name: "n1-a", status: { ...desiredStatus(NODE, a), bgpStatus: "Active" } },
    ]);
    assert.deepEqual(plan.remove, ["n1-g"]);
  });

  test("the same peer in two VRFs is two objects", () => {
    const plan = planSessionStates(NODE, [session("10.0.0.1"), session("10.0.0.1", "red")], []);
    assert.equal(plan.create.length, 2);
  });

  test("duplicates: the oldest stays, the others go", () => {
    const a = session("10.0.0.1");
    const plan = planSessionStates(
      NODE,
      [a],
      [existing("n1-new", a, "2026-02-01T00:00:00Z"), existing("n1-old", a, "2026-01-01T00:00:00Z")],
    );
    assert.deepEqual(plan.remove, ["n1-new"]);
    assert.deepEqual(plan.update, []);
  });

  test("an object created without its status yet gets it", () => {
    const a = session("10.0.0.1");
    const bare = { ...existing("n1-a", a) };
    delete bare.status;
    const plan = planSessionStates(NODE, [a], [bare]);
    assert.deepEqual(plan.update, [{ name: "n1-a", status: desiredStatus(NODE, a) }]);
  });
});
