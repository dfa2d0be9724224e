// A level-driven, coalescing reconcile loop for ONE key (the node agent has a single key: "this
// node's configuration"). Events never carry data: `trigger()` only says "the world may have
// changed", and the reconcile reads the current state itself.
//
// - The first trigger after a quiet period runs the reconcile at once.
// - Triggers during a run, or within `coalesceMs` after it ended, collapse into exactly one
//   follow-up run at the end of that window. Never two runs at once, never a queue.
// - The reconcile ends with a typed outcome: done; retry(error) with exponential backoff
//   (500 ms doubling to a 30 s cap, reset by any other outcome); terminal(error), which waits for
//   the next trigger; requeueAfter(ms). A trigger always wins over a pending retry or requeue
//   (level-driven: the inputs changed, so run as soon as the window allows); the backoff is not
//   reset by it, only by an outcome other than retry.
// - `stop()` cancels what is pending and resolves when an in-flight run has ended.
import type { Clock, Timer } from "../ports/clock.ts";

export type ReconcileOutcome =
  | { kind: "done" }
  /** A transient failure (FRR unreachable, API error): run again after a backoff delay. */
  | { kind: "retry"; error: string }
  /** Retrying cannot help (invalid input): wait for the next trigger. */
  | { kind: "terminal"; error: string }
  /** Success, and run again after `ms` (periodic refresh). */
  | { kind: "requeueAfter"; ms: number };

export interface BackoffOptions {
  /** First retry delay. Default 500 ms. */
  initialMs?: number;
  /** Largest retry delay. Default 30 s. */
  maxMs?: number;
  /** Growth factor per consecutive retry. Default 2. */
  factor?: number;
}

/** What happened in one run, for logs and metrics. */
export interface RunReport {
  outcome: ReconcileOutcome;
  durationMs: number;
  /** Consecutive retries so far, including this run's (0 unless the outcome is retry). */
  retries: number;
  /** When the loop runs again without a trigger, in ms from now; undefined: only on a trigger. */
  nextRunInMs: number | undefined;
}

export interface ReconcileLoopOptions {
  clock: Clock;
  reconcile: () => Promise<ReconcileOutcome>;
  /** Window after a run in which triggers coalesce into one follow-up run. Default 200 ms. */
  coalesceMs?: number;
  backoff?: BackoffOptions;
  /** Called after every run (never throws into the loop: exceptions are swallowed). */
  onRun?: (report: RunReport) => void;
}

export const DEFAULT_COALESCE_MS = 200;
export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialMs: 500, maxMs: 30_000, factor: 2 };

/** The delay before retry number `attempt` (1-based): initial × factor^(attempt-1), capped. */
export function backoffDelay(attempt: number, options: Required<BackoffOptions>): number {
  const delay = options.initialMs * options.factor ** Math.max(0, attempt - 1);
  return Math.min(options.maxMs, delay);
}

export class ReconcileLoop {
  readonly #clock: Clock;
  readonly #reconcile: () => Promise<ReconcileOutcome>;
  readonly #coalesceMs: number;
  readonly #backoff: Required<BackoffOptions>;
  readonly #onRun: ((report: RunReport) => void) | undefined;

  /** A trigger arrived that no run has seen yet. */
  #dirty = false;
  /** Due time of a retry or requeue, if one is pending. */
  #scheduledAt: number | undefined;
  #retries = 0;
  #lastRunEnd = Number.NEGATIVE_INFINITY;
  #timer: Timer | undefined;
  #timerAt: number | undefined;
  #inFlight: Promise<void> | undefined;
  /** Set before the reconcile is called, so a trigger from inside it is seen as "during a run". */
  #running = false;
  #stopped = false;
  #runs = 0;

  constructor(options: ReconcileLoopOptions) {
    this.#clock = options.clock;
    this.#reconcile = options.reconcile;
    this.#coalesceMs = options.coalesceMs ?? DEFAULT_COALESCE_MS;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#onRun = options.onRun;
  }

  /** The inputs may have changed. Cheap; call it from every event handler. */
  trigger(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    if (!this.#running) this.#schedule();
  }

  /** True while a reconcile runs. */
  get running(): boolean {
    return this.#running;
  }

  /** How many runs have started (for tests and diagnostics). */
  get runs(): number {
    return this.#runs;
  }

  /** Cancel pending work; resolves when the in-flight run, if any, has ended. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer();
    this.#dirty = false;
    this.#scheduledAt = undefined;
    await this.#inFlight;
  }

  #schedule(): void {
    const now = this.#clock.now();
    const triggeredAt = this.#dirty ? Math.max(now, this.#lastRunEnd + this.#coalesceMs) : Infinity;
    const due = Math.min(triggeredAt, this.#scheduledAt ?? Infinity);
    if (due === Infinity) {
      this.#cancelTimer();
    } else if (due <= now) {
      this.#cancelTimer();
      this.#start();
    } else if (this.#timerAt !== due) {
      this.#cancelTimer();
      this.#timerAt = due;
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = undefined;
        this.#timerAt = undefined;
        if (!this.#stopped && !this.#running) this.#start();
      }, due - now);
    }
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = undefined;
  }

  #start(): void {
    this.#dirty = false;
    this.#scheduledAt = undefined;
    this.#runs++;
    this.#running = true;
    this.#inFlight = this.#runOnce().finally(() => {
      this.#running = false;
      this.#inFlight = undefined;
      if (!this.#stopped) this.#schedule();
    });
  }

  async #runOnce(): Promise<void> {
    const started = this.#clock.now();
    const outcome = await this.#callReconcile();
    const now = this.#clock.now();
    this.#lastRunEnd = now;
    const nextRunInMs = this.#afterOutcome(outcome, now);
    this.#report({ outcome, durationMs: now - started, retries: this.#retries, nextRunInMs });
  }

  /** A reconcile that throws is a bug; treat it as a transient failure so the loop goes on. */
  async #callReconcile(): Promise<ReconcileOutcome> {
    try {
      return await this.#reconcile();
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { kind: "retry", error: `reconcile threw: ${reason}` };
    }
  }

  #afterOutcome(outcome: ReconcileOutcome, now: number): number | undefined {
    if (outcome.kind === "retry") {
      this.#retries++;
      const delay = backoffDelay(this.#retries, this.#backoff);
      this.#scheduledAt = now + delay;
      return delay;
    }
    this.#retries = 0;
    if (outcome.kind === "requeueAfter") {
      const delay = Math.max(0, outcome.ms);
      this.#scheduledAt = now + delay;
      return delay;
    }
    return undefined;
  }

  #report(report: RunReport): void {
    try {
      this.#onRun?.(report);
    } catch {
      // An observer must not break the loop.
    }
  }
}
