// Go duration strings (metav1.Duration): "90s", "1m30s", "1.5h", "300ms", "0".

const UNIT_NANOSECONDS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Milliseconds (may be fractional), or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0" || text === "+0" || text === "-0") return 0;
  const match = /^([+-]?)((?:[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!match) return undefined;
  let nanoseconds = 0;
  for (const part of match[2]!.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    nanoseconds += Number(part[1]) * UNIT_NANOSECONDS[part[2]!]!;
  }
  return (match[1] === "-" ? -nanoseconds : nanoseconds) / 1e6;
}

/** Whole seconds, truncated toward zero (Go's Duration.Seconds then int conversion). */
export function wholeSeconds(milliseconds: number): number {
  return Math.trunc(milliseconds / 1000);
}
