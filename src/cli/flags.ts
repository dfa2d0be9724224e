// Parsers for flag values. They throw commander's InvalidArgumentError, which commander turns
// into a usage error (exit 2).
import { isIP } from "node:net";
import { InvalidArgumentError } from "commander";

/** `-f a -f b`: collect every value. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function items(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** `--node-labels k=v,k2=v2` (repeatable). */
export function parseLabels(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const labels = { ...previous };
  for (const item of items(value)) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    const label = eq < 0 ? undefined : item.slice(eq + 1);
    if (label === undefined || !LABEL_KEY.test(key) || !LABEL_VALUE.test(label)) {
      throw new InvalidArgumentError(`"${item}" is not a label (expected key=value, e.g. zone=rack1).`);
    }
    labels[key] = label;
  }
  return labels;
}

/** `--always-block 192.168.1.0/24,fc00::/64` (repeatable). Host bits are allowed, as upstream. */
export function parseCidrs(value: string, previous: string[] | undefined): string[] {
  const cidrs = [...(previous ?? [])];
  for (const item of items(value)) {
    if (!isCidr(item)) throw new InvalidArgumentError(`"${item}" is not a CIDR (e.g. 192.168.1.0/24).`);
    cidrs.push(item);
  }
  return cidrs;
}

function isCidr(text: string): boolean {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return false;
  const family = isIP(match[1] ?? "");
  const bits = Number(match[2]);
  return (family === 4 && bits <= 32) || (family === 6 && bits <= 128 && !text.includes("%"));
}
