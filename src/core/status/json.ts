// Defensive reading of FRR's JSON output: nothing here throws, whatever the input.
import { formatIp, parseIp } from "../ip.ts";

export type JsonRecord = Record<string, unknown>;

/** The parsed JSON value, or undefined when `text` is not JSON (empty, an FRR error message, ...). */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A finite number, or undefined (strings, booleans, NaN and missing values are not numbers). */
export function optionalNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A non-negative finite count, 0 when absent or not a number. */
export function count(value: unknown): number {
  const n = optionalNumber(value);
  return n === undefined || n < 0 ? 0 : n;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** FRR names the default VRF "default"; the ports use "". */
export function portVrf(frrVrf: string): string {
  return frrVrf === "default" ? "" : frrVrf;
}

/** An IP address in canonical form (RFC 5952 for IPv6); anything else (an interface name) as is. */
export function canonicalPeer(key: string): string {
  const ip = parseIp(key);
  return ip === undefined ? key : formatIp(ip);
}

/** Code-unit order: deterministic, independent of the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
