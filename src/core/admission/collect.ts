// What both ways of collecting an object's issues share: node groups, the issue identity used to
// compare runs, and how one group's findings are added to the decision.
import type { Issue, ObjectRef } from "../issues.ts";
import type { ClusterIndex, ConfigurationSet, Labels, StoredConfiguration } from "./cluster-index.ts";
import { fromSelfSide, type NodeIssue } from "./message.ts";

export interface NodeGroup {
  nodes: string[];
  labels: Labels;
  /** The other configurations these nodes merge (the admitted object excluded), by key. */
  existing: StoredConfiguration[];
  /** The cluster's set of these configurations, when `existing` is all of it. */
  whole?: ConfigurationSet;
}

export interface FoundIssues {
  errors: NodeIssue[];
  warnings: NodeIssue[];
}

/** How an object's issues are found, group by group; `object` is what the nodes would merge. */
export type IssueCollector = (
  groups: readonly NodeGroup[],
  object: unknown,
  self: ObjectRef,
  cluster: ClusterIndex,
) => FoundIssues;

/** What a group's run says about the object: its warnings, and the errors it causes. */
export interface GroupFindings {
  warnings: readonly Issue[];
  caused: readonly Issue[];
}

export function issueKey(issue: Issue): string {
  const other = issue.conflictsWith;
  const o = issue.object;
  const c = other ? `${other.object.namespace}/${other.object.name}/${other.path}` : "";
  return [issue.severity, issue.code, o.kind, o.namespace, o.name, issue.path, issue.message, c].join(
    "\u0000",
  );
}

export function isAbout(issue: Issue, self: ObjectRef): boolean {
  return issue.object.namespace === self.namespace && issue.object.name === self.name;
}

/** Of a run with the object, its warnings about the object and the errors `before` lacks. */
export function findingsOf(
  withObject: readonly Issue[],
  self: ObjectRef,
  before: () => readonly Issue[],
): GroupFindings {
  const warnings = withObject.filter((i) => i.severity === "warning" && isAbout(i, self));
  const errors = withObject.filter((i) => i.severity === "error");
  if (errors.length === 0) return { warnings, caused: [] };
  const known = new Set(before().map(issueKey));
  return { warnings, caused: errors.filter((issue) => !known.has(issueKey(issue))) };
}

/** Accumulates groups' findings: warnings once, errors with the nodes they occur on. */
export class FindingsByNode {
  readonly #errors = new Map<string, { issue: Issue; nodes: string[] }>();
  readonly #warnings = new Map<string, NodeIssue>();

  readonly #self: ObjectRef;

  constructor(self: ObjectRef) {
    this.#self = self;
  }

  add(group: NodeGroup, findings: GroupFindings): void {
    for (const issue of findings.warnings) this.#warnings.set(issueKey(issue), { issue, nodes: [] });
    for (const issue of findings.caused) {
      const shown = fromSelfSide(issue, this.#self);
      const entry = this.#errors.get(issueKey(shown)) ?? { issue: shown, nodes: [] };
      entry.nodes.push(...group.nodes);
      this.#errors.set(issueKey(shown), entry);
    }
  }

  result(): FoundIssues {
    return { errors: [...this.#errors.values()], warnings: [...this.#warnings.values()] };
  }
}
