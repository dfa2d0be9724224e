// The one merge rule for scalar fields: a configuration that leaves a field unset never
// conflicts; two configurations that both set it must agree.
import type { IssueCode } from "../issues.ts";
import type { Origin } from "../model.ts";
import { child } from "../path.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";

export interface FieldSide<T> {
  value: T | undefined;
  origin: Origin;
}

export interface FieldRule<T> {
  field: string;
  code: IssueCode;
  /** How values appear in messages; omit for secrets so values are never printed. */
  show?: (value: T) => string;
  what: string;
}

export function mergeField<T>(
  rule: FieldRule<T>,
  kept: FieldSide<T>,
  incoming: FieldSide<T>,
  reporter: Reporter,
  subject: string,
): FieldSide<T> {
  if (incoming.value === undefined) return kept;
  if (kept.value === undefined) return incoming;
  if (kept.value === incoming.value) return kept;
  const at: Origin = { object: incoming.origin.object, path: child(incoming.origin.path, rule.field) };
  const other: Origin = { object: kept.origin.object, path: child(kept.origin.path, rule.field) };
  const values = rule.show
    ? `${rule.show(incoming.value)} here, ${rule.show(kept.value)} in ${describeObject(other.object)} at ${other.path}`
    : `it differs from the one in ${describeObject(other.object)} at ${other.path}`;
  reporter.conflict(rule.code, at, other, `multiple ${rule.what} specified for ${subject}: ${values}`);
  return kept;
}
