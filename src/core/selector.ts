// Kubernetes label selectors (matchLabels + matchExpressions), with the apimachinery syntax
// rules for keys and values. An absent or empty selector matches every node.
import type { LabelSelector } from "../api/types.ts";
import { indexed } from "./collections.ts";
import { child, item } from "./path.ts";

export interface SelectorProblem {
  /** Path relative to the selector, e.g. `matchExpressions[0].values[1]`. */
  path: string;
  message: string;
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function keyProblem(key: string): string | undefined {
  const parts = key.split("/");
  const name = parts.at(-1) ?? "";
  if (parts.length > 2) return `label key "${key}" has more than one '/'`;
  if (parts.length === 2 && (parts[0]!.length > 253 || !DNS_SUBDOMAIN.test(parts[0]!))) {
    return `label key "${key}" has an invalid prefix (must be a DNS subdomain)`;
  }
  if (name.length > 63 || !NAME.test(name)) {
    return `label key "${key}" is invalid: name part must be 1-63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value.length <= 63 && VALUE.test(value)) return undefined;
  return `label value "${value}" is invalid: at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`;
}

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

export function selectorProblems(selector: LabelSelector): SelectorProblem[] {
  const problems: SelectorProblem[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const problem = keyProblem(key) ?? valueProblem(value);
    if (problem) problems.push({ path: child("matchLabels", key), message: problem });
  }
  for (const [index, expr] of indexed(selector.matchExpressions)) {
    const at = item("matchExpressions", index);
    const keyIssue = keyProblem(expr.key);
    if (keyIssue) problems.push({ path: child(at, "key"), message: keyIssue });
    if (!OPERATORS.includes(expr.operator)) {
      problems.push({
        path: child(at, "operator"),
        message: `operator ${JSON.stringify(expr.operator)} is not one of ${OPERATORS.join(", ")}`,
      });
      continue;
    }
    const values = expr.values ?? [];
    const needsValues = expr.operator === "In" || expr.operator === "NotIn";
    if (needsValues && values.length === 0) {
      problems.push({
        path: child(at, "values"),
        message: `operator ${expr.operator} needs at least one value`,
      });
    }
    if (!needsValues && values.length > 0) {
      problems.push({ path: child(at, "values"), message: `operator ${expr.operator} takes no values` });
    }
    for (const [vIndex, value] of indexed(values)) {
      const problem = valueProblem(value);
      if (problem) problems.push({ path: item(child(at, "values"), vIndex), message: problem });
    }
  }
  return problems;
}

/** Assumes the selector is valid (see selectorProblems). */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    labelsMatch &&
    (selector.matchExpressions ?? []).every((expr) => {
      const has = Object.hasOwn(labels, expr.key);
      const value = labels[expr.key];
      switch (expr.operator) {
        case "In":
          return has && (expr.values ?? []).includes(value ?? "");
        case "NotIn":
          return !has || !(expr.values ?? []).includes(value ?? "");
        case "Exists":
          return has;
        default:
          return !has;
      }
    })
  );
}
