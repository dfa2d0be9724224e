// Issues → what the user reads: located in the input files, de-duplicated across nodes, as text
// blocks or as a stable JSON array. Only issue fields and positions are printed: never an object
// dump, so nothing from a Secret can leak here.
import { sortIssues, type Issue, type ObjectRef } from "../core/issues.ts";
import { formatPosition, type SourcePosition } from "./exit-codes.ts";
import type { InputSet } from "./input-set.ts";
import { locateField } from "./source-lines.ts";

export interface NodeIssues {
  node: string;
  issues: readonly Issue[];
}

/** One distinct issue, where it is in the input, and the nodes it applies to. */
export interface ReportedIssue {
  issue: Issue;
  source: SourcePosition | undefined;
  conflictSource: SourcePosition | undefined;
  nodes: string[];
}

function issueKey(issue: Issue): string {
  const { object: o, conflictsWith: c } = issue;
  const other = c ? `${c.object.kind}/${c.object.namespace}/${c.object.name}/${c.path}` : "";
  return [issue.severity, issue.code, o.kind, o.namespace, o.name, issue.path, issue.message, other].join(
    "\u0000",
  );
}

/** Merge the issues of several nodes: one entry per distinct issue, in sortIssues order. */
export function aggregateIssues(results: readonly NodeIssues[], input: InputSet): ReportedIssue[] {
  const byKey = new Map<string, { issue: Issue; nodes: Set<string> }>();
  for (const { node, issues } of results) {
    for (const issue of issues) {
      const key = issueKey(issue);
      const entry = byKey.get(key) ?? { issue, nodes: new Set<string>() };
      entry.nodes.add(node);
      byKey.set(key, entry);
    }
  }
  const nodesOf = new Map([...byKey.values()].map((e) => [e.issue, e.nodes]));
  return sortIssues([...byKey.values()].map((e) => e.issue)).map((issue) => ({
    issue,
    source: locate(input, issue.object, issue.path),
    conflictSource:
      issue.conflictsWith && locate(input, issue.conflictsWith.object, issue.conflictsWith.path),
    nodes: [...(nodesOf.get(issue) ?? [])].sort(),
  }));
}

function locate(input: InputSet, ref: ObjectRef, path: string): SourcePosition | undefined {
  const object = input.find(ref);
  return object ? locateField(object.origin, path) : undefined;
}

export function objectName(ref: ObjectRef): string {
  const id = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name || "<unnamed>";
  return `${ref.kind} ${id}`;
}

function indent(text: string): string {
  return text.replaceAll("\n", "\n    ");
}

function textBlock(reported: ReportedIssue): string {
  const { issue, source, conflictSource } = reported;
  const lines = [`${issue.severity} ${issue.code}: ${objectName(issue.object)}`];
  lines.push(`  field:   ${issue.path === "" ? "(whole object)" : issue.path}`);
  lines.push(`  source:  ${source ? formatPosition(source) : "(not found in the input)"}`);
  lines.push(`  message: ${indent(issue.message)}`);
  if (issue.conflictsWith) {
    const at = conflictSource ? ` (${formatPosition(conflictSource)})` : "";
    lines.push(
      `  conflicts with: ${objectName(issue.conflictsWith.object)} ${issue.conflictsWith.path}${at}`,
    );
  }
  lines.push(`  ${reported.nodes.length === 1 ? "node: " : "nodes:"}   ${reported.nodes.join(", ")}`);
  return lines.join("\n");
}

/** Text blocks separated by blank lines, with a trailing newline (empty string for no issue). */
export function formatText(reported: readonly ReportedIssue[]): string {
  return reported.map((r) => `${textBlock(r)}\n`).join("\n");
}

function countWord(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `2 errors, 1 warning on 3 nodes (a, b, c)`. */
export function summaryLine(reported: readonly ReportedIssue[], nodes: readonly string[]): string {
  const errors = reported.filter((r) => r.issue.severity === "error").length;
  const warnings = reported.length - errors;
  const on = `on ${countWord(nodes.length, "node")} (${nodes.join(", ")})`;
  if (reported.length === 0) return `valid: no issues ${on}\n`;
  const verdict = errors > 0 ? "invalid" : "valid";
  return `${verdict}: ${countWord(errors, "error")}, ${countWord(warnings, "warning")} ${on}\n`;
}

interface JsonObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

function jsonRef(ref: ObjectRef): JsonObjectRef {
  return { kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

function jsonSource(pos: SourcePosition | undefined): SourcePosition | null {
  return pos ? { file: pos.file, line: pos.line, column: pos.column } : null;
}

/** The JSON form: an array of objects, always with the same keys in the same order. */
export function formatJson(reported: readonly ReportedIssue[]): string {
  const items = reported.map(({ issue, source, conflictSource, nodes }) => ({
    severity: issue.severity,
    code: issue.code,
    object: jsonRef(issue.object),
    path: issue.path,
    message: issue.message,
    source: jsonSource(source),
    conflictsWith: issue.conflictsWith
      ? {
          object: jsonRef(issue.conflictsWith.object),
          path: issue.conflictsWith.path,
          source: jsonSource(conflictSource),
        }
      : null,
    nodes,
  }));
  return `${JSON.stringify(items, null, 2)}\n`;
}
