// A manual clock for the runtime tests: time moves only through advance(), which fires due timers
// in time order and lets promise callbacks settle between them.
import type { Clock, Timer } from "../../src/ports/clock.ts";

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** Let every queued promise callback run (a few macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Pending[] = [];

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const pending: Pending = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(pending);
    return {
      cancel: () => {
        this.#timers = this.#timers.filter((t) => t !== pending);
      },
    };
  }

  /** Delays of the timers still pending, from now, in firing order. */
  pendingDelays(): number[] {
    return this.#sorted().map((t) => t.at - this.#now);
  }

  /** Move time forward by `ms`, firing each due timer at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#sorted()[0];
      if (next === undefined || next.at > end) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.at;
      next.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }

  #sorted(): Pending[] {
    return [...this.#timers].sort((a, b) => a.at - b.at || a.seq - b.seq);
  }
}
