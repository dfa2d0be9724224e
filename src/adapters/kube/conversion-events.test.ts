import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Issue } from "../../core/issues.ts";
import { ConversionEventTracker, eventMessage, MAX_MESSAGE_CHARS } from "./conversion-events.ts";
import { withoutValues } from "./event-writer.ts";

const ref = (name: string) => ({ kind: "FRRConfiguration", namespace: "ns", name });

function issue(name: string, path: string, severity: Issue["severity"] = "error"): Issue {
  return { code: "SECRET_NOT_FOUND", severity, path, object: ref(name), message: `problem at ${path}` };
}

describe("ConversionEventTracker", () => {
  test("one Event per object with errors, each line with its field path", () => {
    const tracker = new ConversionEventTracker();
    const events = tracker.next([
      issue("a", "spec.bgp.routers[0].asn"),
      issue("a", "spec.raw"),
      issue("b", "spec"),
    ]);
    assert.deepEqual(
      events.map((e) => e.object.name),
      ["a", "b"],
    );
    assert.equal(
      events[0]!.message,
      "conversion failed (2 errors): spec.bgp.routers[0].asn: problem at spec.bgp.routers[0].asn; spec.raw: problem at spec.raw",
    );
  });

  test("the same issues again: no Event; a changed set: an Event for that object only", () => {
    const tracker = new ConversionEventTracker();
    tracker.next([issue("a", "x"), issue("b", "y")]);
    assert.deepEqual(tracker.next([issue("b", "y"), issue("a", "x")]), []);
    const events = tracker.next([issue("a", "x"), issue("b", "z")]);
    assert.deepEqual(
      events.map((e) => e.object.name),
      ["b"],
    );
  });

  test("errors that went away and came back are emitted again", () => {
    const tracker = new ConversionEventTracker();
    tracker.next([issue("a", "x")]);
    assert.deepEqual(tracker.next([]), []);
    assert.equal(tracker.next([issue("a", "x")]).length, 1);
  });

  test("warnings and other kinds get no Event", () => {
    const tracker = new ConversionEventTracker();
    const other = { ...issue("s", "data"), object: { kind: "Secret", namespace: "ns", name: "s" } };
    assert.deepEqual(tracker.next([issue("a", "x", "warning"), other]), []);
  });

  test("a forgotten object (its write failed) is emitted at the next pass", () => {
    const tracker = new ConversionEventTracker();
    tracker.next([issue("a", "x")]);
    tracker.forget(ref("a"));
    assert.equal(tracker.next([issue("a", "x")]).length, 1);
  });
});

describe("event text", () => {
  test("long messages are cut", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `spec.bgp.routers[0].neighbors[${i}].asn: bad`);
    assert.equal(eventMessage(lines).length, MAX_MESSAGE_CHARS);
  });

  test("known secret values are cut out", () => {
    assert.equal(withoutValues("a s3cret b s3cret", ["s3cret", ""]), "a <retracted> b <retracted>");
  });
});
