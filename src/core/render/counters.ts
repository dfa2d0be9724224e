// Sequence numbers as upstream assigns them: one counter per name, starting at 1. Route-map
// entries count per neighbor ID, shared by `<id>-out` and `<id>-in`.

export class Counters {
  private readonly next = new Map<string, number>();

  take(name: string): number {
    return this.takeRange(name, 1);
  }

  /** Reserves `count` consecutive numbers and returns the first. */
  takeRange(name: string, count: number): number {
    const value = this.next.get(name) ?? 1;
    this.next.set(name, value + count);
    return value;
  }
}
