import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_BACKOFF,
  ReconcileLoop,
  backoffDelay,
  type ReconcileLoopOptions,
  type ReconcileOutcome,
  type RunReport,
} from "../../src/runtime/reconcile-loop.ts";
import { FakeClock, settle } from "./fake-clock.ts";

const T0 = 1_000_000;

interface Harness {
  clock: FakeClock;
  loop: ReconcileLoop;
  /** Start times of the runs, relative to T0. */
  starts: number[];
  reports: RunReport[];
  maxConcurrent: () => number;
}

/**
 * A loop whose reconcile takes `durationMs` of fake time and returns the next scripted outcome
 * (done once the script is exhausted).
 */
function harness(
  script: ReconcileOutcome[] = [],
  durationMs = 0,
  options: Partial<ReconcileLoopOptions> = {},
): Harness {
  const clock = new FakeClock(T0);
  const starts: number[] = [];
  const reports: RunReport[] = [];
  let active = 0;
  let max = 0;
  const reconcile = async (): Promise<ReconcileOutcome> => {
    starts.push(clock.now() - T0);
    active++;
    max = Math.max(max, active);
    if (durationMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, durationMs));
    active--;
    return script.shift() ?? { kind: "done" };
  };
  const loop = new ReconcileLoop({ clock, reconcile, onRun: (r) => reports.push(r), ...options });
  return { clock, loop, starts, reports, maxConcurrent: () => max };
}

const retry: ReconcileOutcome = { kind: "retry", error: "frr unreachable" };

describe("ReconcileLoop: coalescing", () => {
  it("runs the first trigger after idle at once, without waiting for the clock", async () => {
    const h = harness();
    h.loop.trigger();
    assert.equal(h.loop.runs, 1);
    assert.deepEqual(h.starts, [0]);
    await settle();
    assert.equal(h.loop.running, false);
    assert.deepEqual(h.clock.pendingDelays(), []);
  });

  it("coalesces a burst during a run into exactly one follow-up, after the window", async () => {
    const h = harness([], 100);
    h.loop.trigger();
    for (let i = 0; i < 50; i++) {
      await h.clock.advance(1);
      h.loop.trigger();
    }
    await h.clock.advance(10_000);
    // run 1 at 0, ends at 100; the burst becomes one run at 100 + 200
    assert.deepEqual(h.starts, [0, 300]);
    assert.equal(h.maxConcurrent(), 1);
  });

  it("coalesces triggers within the window after a run into one run at the window's end", async () => {
    const h = harness([], 100);
    h.loop.trigger();
    await h.clock.advance(150); // run ended at 100
    h.loop.trigger();
    await h.clock.advance(20);
    h.loop.trigger();
    h.loop.trigger();
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0, 300]);
  });

  it("runs at once again when the trigger comes after the window", async () => {
    const h = harness([], 100);
    h.loop.trigger();
    await h.clock.advance(301);
    h.loop.trigger();
    assert.deepEqual(h.starts, [0, 301]);
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0, 301]);
  });

  it("honours a custom window", async () => {
    const h = harness([], 10, { coalesceMs: 1_000 });
    h.loop.trigger();
    h.loop.trigger();
    await h.clock.advance(5_000);
    assert.deepEqual(h.starts, [0, 1_010]);
  });

  it("never overlaps runs and never queues more than one follow-up, whatever the trigger pattern", async () => {
    const h = harness([], 70);
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      if (random() < 0.6) h.loop.trigger();
      await h.clock.advance(Math.floor(random() * 40));
    }
    await h.clock.advance(10_000);
    assert.equal(h.maxConcurrent(), 1);
    for (let i = 1; i < h.starts.length; i++) {
      // each run starts no earlier than the previous run's end (70 ms) plus the window
      assert.ok(
        h.starts[i]! - h.starts[i - 1]! >= 270,
        `runs ${i - 1} and ${i} too close: ${h.starts.join(",")}`,
      );
    }
    assert.equal(h.loop.running, false);
    assert.deepEqual(h.clock.pendingDelays(), []);
  });

  it("a trigger from inside the reconcile schedules one follow-up", async () => {
    const clock = new FakeClock(T0);
    const starts: number[] = [];
    const loop: ReconcileLoop = new ReconcileLoop({
      clock,
      reconcile: () => {
        starts.push(clock.now() - T0);
        if (starts.length === 1) loop.trigger();
        return Promise.resolve({ kind: "done" });
      },
    });
    loop.trigger();
    await clock.advance(10_000);
    assert.deepEqual(starts, [0, 200]);
  });
});

describe("ReconcileLoop: outcomes", () => {
  it("retries with exponential backoff from 500 ms up to a 30 s cap", async () => {
    const h = harness(Array.from({ length: 9 }, () => retry));
    h.loop.trigger();
    await h.clock.advance(200_000);
    const gaps = h.starts.slice(1).map((t, i) => t - h.starts[i]!);
    assert.deepEqual(gaps, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    assert.deepEqual(
      h.reports.map((r) => r.retries),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 0],
    );
    assert.equal(h.reports.at(-1)?.outcome.kind, "done");
  });

  it("measures the backoff from the end of the failed run", async () => {
    const h = harness([retry, retry], 100);
    h.loop.trigger();
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0, 600, 1_700]);
  });

  it("resets the backoff after done", async () => {
    const h = harness([retry, retry, { kind: "done" }, retry]);
    h.loop.trigger();
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0, 500, 1_500]);
    h.loop.trigger();
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0, 500, 1_500, 10_000, 10_500]);
  });

  it("a trigger during a backoff wait runs after the window, and the backoff keeps growing", async () => {
    const h = harness([retry, retry, retry]);
    h.loop.trigger(); // t=0 fails → retry at 500
    await h.clock.advance(500); // t=500 fails → retry at 1500
    await h.clock.advance(100);
    h.loop.trigger(); // inputs changed: run at 500 + 200 = 700, not 1500
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0, 500, 700, 2_700]);
    assert.deepEqual(
      h.reports.map((r) => r.nextRunInMs),
      [500, 1_000, 2_000, undefined],
    );
  });

  it("terminal waits for the next trigger and resets the backoff", async () => {
    const h = harness([retry, { kind: "terminal", error: "invalid input" }, retry]);
    h.loop.trigger();
    await h.clock.advance(60_000);
    assert.deepEqual(h.starts, [0, 500]);
    assert.deepEqual(h.clock.pendingDelays(), []);
    h.loop.trigger();
    await h.clock.advance(60_000);
    assert.deepEqual(h.starts, [0, 500, 60_000, 60_500]);
  });

  it("requeueAfter runs again after the delay, and keeps doing so while asked", async () => {
    const every = { kind: "requeueAfter", ms: 30_000 } as const;
    const h = harness([every, every, { kind: "done" }]);
    h.loop.trigger();
    await h.clock.advance(200_000);
    assert.deepEqual(h.starts, [0, 30_000, 60_000]);
  });

  it("a trigger before a requeue runs early; the requeue is replaced by the new outcome", async () => {
    const h = harness([{ kind: "requeueAfter", ms: 30_000 }, { kind: "done" }]);
    h.loop.trigger();
    await h.clock.advance(5_000);
    h.loop.trigger();
    await h.clock.advance(100_000);
    assert.deepEqual(h.starts, [0, 5_000]);
  });

  it("a reconcile that throws is retried like a retry outcome and the loop goes on", async () => {
    const clock = new FakeClock(T0);
    const reports: RunReport[] = [];
    let calls = 0;
    const loop = new ReconcileLoop({
      clock,
      reconcile: () => {
        calls++;
        if (calls === 1) throw new TypeError("boom");
        return Promise.resolve({ kind: "done" });
      },
      onRun: (r) => reports.push(r),
    });
    loop.trigger();
    await clock.advance(1_000);
    assert.equal(calls, 2);
    assert.deepEqual(reports[0]?.outcome, { kind: "retry", error: "reconcile threw: TypeError: boom" });
    assert.equal(reports[1]?.outcome.kind, "done");
  });

  it("reports each run's duration; a throwing observer does not break the loop", async () => {
    const clock = new FakeClock(T0);
    let calls = 0;
    const durations: number[] = [];
    const loop = new ReconcileLoop({
      clock,
      reconcile: async () => {
        calls++;
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 42));
        return calls === 1 ? retry : { kind: "done" };
      },
      onRun: (r) => {
        durations.push(r.durationMs);
        throw new Error("observer bug");
      },
    });
    loop.trigger();
    await clock.advance(10_000);
    assert.deepEqual(durations, [42, 42]);
  });

  it("uses custom backoff settings", async () => {
    const h = harness([retry, retry, retry, retry], 0, { backoff: { initialMs: 100, maxMs: 250 } });
    h.loop.trigger();
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0, 100, 300, 550, 800]);
  });
});

describe("ReconcileLoop: stop", () => {
  it("resolves at once when idle, and ignores later triggers", async () => {
    const h = harness();
    await h.loop.stop();
    h.loop.trigger();
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, []);
  });

  it("waits for the in-flight run to end, then runs nothing more", async () => {
    const h = harness([retry], 1_000);
    h.loop.trigger();
    await h.clock.advance(10);
    h.loop.trigger();
    let stopped = false;
    const stopping = h.loop.stop().then(() => (stopped = true));
    await h.clock.advance(500);
    assert.equal(stopped, false, "stop() resolved while a run was in flight");
    await h.clock.advance(600);
    await stopping;
    assert.equal(stopped, true);
    await h.clock.advance(100_000);
    assert.deepEqual(h.starts, [0], "no follow-up and no retry after stop");
    assert.deepEqual(h.clock.pendingDelays(), []);
    await h.loop.stop(); // idempotent
  });

  it("cancels a pending retry", async () => {
    const h = harness([retry]);
    h.loop.trigger();
    await settle();
    assert.deepEqual(h.clock.pendingDelays(), [500]);
    await h.loop.stop();
    assert.deepEqual(h.clock.pendingDelays(), []);
    await h.clock.advance(10_000);
    assert.deepEqual(h.starts, [0]);
  });
});

describe("backoffDelay", () => {
  it("doubles from the initial delay and caps", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelay(n, DEFAULT_BACKOFF));
    assert.deepEqual(delays, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    assert.equal(backoffDelay(2_000, DEFAULT_BACKOFF), 30_000, "no overflow to Infinity issues");
  });
});
