// Small deterministic collection helpers for the pipeline.

/** Index/value pairs, skipping holes the decoder left for invalid items. */
export function indexed<T>(list: readonly (T | undefined)[] | undefined): [number, T][] {
  const out: [number, T][] = [];
  (list ?? []).forEach((value, index) => {
    if (value !== undefined) out.push([index, value]);
  });
  return out;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

export function sortBy<T>(list: readonly T[], key: (value: T) => string): T[] {
  return [...list].sort((a, b) => compareStrings(key(a), key(b)));
}
