// Issues → the text kubectl prints for a denied request and for warnings. One line per issue,
// with the field path in the object being admitted, the other side of a conflict, and the nodes.
// Only issue fields are printed (never object content), so nothing from a password can leak.
import { sortIssues, type Issue, type ObjectRef } from "../issues.ts";

export interface NodeIssue {
  issue: Issue;
  nodes: readonly string[];
}

/** Node lists are cut: an object selecting 3,000 nodes must not make a 3,000-name message. */
const NODES_SHOWN = 3;
/** Issues listed in one denial; the rest are counted. */
export const ISSUES_SHOWN = 50;

function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

function objectName(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

function place(ref: ObjectRef, path: string): string {
  return `${objectName(ref)} ${path === "" ? "(whole object)" : path}`;
}

/** A conflict reported on the other object is shown from the admitted object's side. */
export function fromSelfSide(issue: Issue, self: ObjectRef): Issue {
  const other = issue.conflictsWith;
  if (!other || sameObject(issue.object, self) || !sameObject(other.object, self)) return issue;
  return {
    ...issue,
    object: other.object,
    path: other.path,
    conflictsWith: { object: issue.object, path: issue.path },
  };
}

function nodeList(nodes: readonly string[]): string {
  if (nodes.length === 0) return "";
  const shown = nodes.slice(0, NODES_SHOWN).join(", ");
  const more = nodes.length > NODES_SHOWN ? ` and ${nodes.length - NODES_SHOWN} more` : "";
  return ` (${nodes.length === 1 ? "node" : "nodes"} ${shown}${more})`;
}

function issueLine({ issue, nodes }: NodeIssue, self: ObjectRef): string {
  const where = sameObject(issue.object, self)
    ? issue.path === ""
      ? "(whole object)"
      : issue.path
    : place(issue.object, issue.path);
  const conflict = issue.conflictsWith
    ? `; conflicts with ${place(issue.conflictsWith.object, issue.conflictsWith.path)}`
    : "";
  const message = issue.message.replaceAll("\n", " ");
  return `${where}: ${issue.code}: ${message}${conflict}${nodeList(nodes)}`;
}

function ordered(entries: readonly NodeIssue[]): NodeIssue[] {
  const nodesOf = new Map(entries.map((e) => [e.issue, e.nodes]));
  return sortIssues(entries.map((e) => e.issue)).map((issue) => ({ issue, nodes: nodesOf.get(issue) ?? [] }));
}

/** The denial: a summary line, then every error (up to ISSUES_SHOWN) on its own line. */
export function denialMessage(errors: readonly NodeIssue[], self: ObjectRef): string {
  const count = errors.length === 1 ? "1 error" : `${errors.length} errors`;
  const lines = ordered(errors)
    .slice(0, ISSUES_SHOWN)
    .map((e) => issueLine(e, self));
  if (errors.length > ISSUES_SHOWN) lines.push(`... and ${errors.length - ISSUES_SHOWN} more errors`);
  return [`${objectName(self)} is invalid (${count}):`, ...lines].join("\n");
}

/** One warning string per issue, as kubectl prints them (`Warning: <text>`). */
export function warningTexts(warnings: readonly NodeIssue[], self: ObjectRef): string[] {
  return ordered(warnings).map((w) => issueLine(w, self));
}
