// The one merge rule for scalar fields: a configuration that leaves a field unset never
// conflicts; two configurations that both set it must agree.
import type { IssueCode } from "../issues.ts";
import type { Origin } from "../model.ts";
import { child } from "../path.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";

export interface FieldSide<T> {
  value: T | undefined;
  /** The field itself: object and full path. */
  origin: Origin;
}

export interface FieldRule<T> {
  code: IssueCode;
  what: string;
  /** How values appear in messages; omit for secrets so values are never printed. */
  show?: (value: T) => string;
}

/** `origin` moved down to a (possibly dotted) field below it. */
export function fieldAt(origin: Origin, dotted: string): Origin {
  return { object: origin.object, path: dotted.split(".").reduce(child, origin.path) };
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
  const other = kept.origin;
  const values = rule.show
    ? `${rule.show(incoming.value)} here, ${rule.show(kept.value)} in ${describeObject(other.object)} at ${other.path}`
    : `it differs from the one in ${describeObject(other.object)} at ${other.path}`;
  reporter.conflict(
    rule.code,
    incoming.origin,
    other,
    `multiple ${rule.what} specified for ${subject}: ${values}`,
  );
  return kept;
}
