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

/** Sorted by UTF-16 code units (the default sort, same order as compareStrings), duplicates removed. */
export function sortedUnique(values: Iterable<string>): string[] {
  const list = [...values];
  if (isStrictlyIncreasing(list)) return list; // inputs are usually sorted already
  return [...new Set(list)].sort();
}

function isStrictlyIncreasing(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return false;
  return true;
}

export function sortBy<T>(list: readonly T[], key: (value: T) => string): T[] {
  return [...list].sort((a, b) => compareStrings(key(a), key(b)));
}
