// What both ways of collecting an object's issues share: node groups, the issue identity used to
// compare runs, and how one group's findings are added to the decision.
import type { Issue, ObjectRef } from "../issues.ts";
import type { ClusterIndex, Labels, StoredConfiguration } from "./cluster-index.ts";
import { fromSelfSide, type NodeIssue } from "./message.ts";

export interface NodeGroup {
  nodes: string[];
  labels: Labels;
  /** The other configurations these nodes merge (the admitted object excluded), by key. */
  existing: StoredConfiguration[];
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

interface KeyedIssue {
  key: string;
  issue: Issue;
}

/** Accumulates groups' findings: warnings once, errors with the nodes they occur on. */
export class FindingsByNode {
  readonly #errors = new Map<string, { issue: Issue; nodes: string[] }>();
  readonly #warnings = new Map<string, NodeIssue>();
  /** Findings shared by many groups are keyed once. */
  readonly #keyed = new WeakMap<GroupFindings, { warnings: KeyedIssue[]; caused: KeyedIssue[] }>();
  readonly #self: ObjectRef;

  constructor(self: ObjectRef) {
    this.#self = self;
  }

  #keyedOf(findings: GroupFindings): { warnings: KeyedIssue[]; caused: KeyedIssue[] } {
    const known = this.#keyed.get(findings);
    if (known) return known;
    const keyed = {
      warnings: findings.warnings.map((issue) => ({ key: issueKey(issue), issue })),
      caused: findings.caused.map((issue) => {
        const shown = fromSelfSide(issue, this.#self);
        return { key: issueKey(shown), issue: shown };
      }),
    };
    this.#keyed.set(findings, keyed);
    return keyed;
  }

  add(group: NodeGroup, findings: GroupFindings): void {
    const { warnings, caused } = this.#keyedOf(findings);
    for (const { key, issue } of warnings) this.#warnings.set(key, { issue, nodes: [] });
    for (const { key, issue } of caused) {
      const entry = this.#errors.get(key) ?? { issue, nodes: [] };
      entry.nodes.push(...group.nodes);
      this.#errors.set(key, entry);
    }
  }

  result(): FoundIssues {
    return { errors: [...this.#errors.values()], warnings: [...this.#warnings.values()] };
  }
}
