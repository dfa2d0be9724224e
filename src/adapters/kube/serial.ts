// Runs async jobs one after the other (status writes must not interleave: each compares the
// store with what it wants, then writes).
export class Serial {
  #tail: Promise<void> = Promise.resolve();

  run(job: () => Promise<void>): Promise<void> {
    const next = this.#tail.then(job, job);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}
