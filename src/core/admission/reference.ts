// The straightforward way to find an object's issues: for every node group, run the whole
// pipeline on the group's configurations with and without the object. Slow on broad selectors
// (two full runs per group), kept as the oracle the fast way is tested against.
import { buildModel } from "../build-model.ts";
import type { Issue, ObjectRef } from "../issues.ts";
import { FindingsByNode, findingsOf, type FoundIssues, type NodeGroup } from "./collect.ts";
import { ADMISSION_OPTIONS } from "./options.ts";

function issuesOf(group: NodeGroup, extra: readonly unknown[]): Issue[] {
  return buildModel({
    nodeName: group.nodes[0] ?? "admission",
    nodeLabels: group.labels,
    configurations: [...group.existing.map((c) => c.raw), ...extra],
    secrets: [],
    options: ADMISSION_OPTIONS,
  }).issues;
}

export function collectIssuesStraightforward(
  groups: readonly NodeGroup[],
  object: unknown,
  self: ObjectRef,
): FoundIssues {
  const found = new FindingsByNode(self);
  for (const group of groups) {
    found.add(
      group,
      findingsOf(issuesOf(group, [object]), self, () => issuesOf(group, [])),
    );
  }
  return found.result();
}
