// `show daemons` (vtysh's own command): the daemons vtysh is connected to, separated by spaces,
// e.g. " zebra bgpd staticd bfdd". Pure; never throws.

/** Daemon names in the order vtysh printed them, without duplicates. */
export function parseDaemons(text: string): string[] {
  const names = text.split(/\s+/).filter((w) => /^[a-z][a-z0-9_-]*$/.test(w));
  return [...new Set(names)];
}
