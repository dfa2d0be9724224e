// The fast way to find an object's issues, with the same result as the straightforward one
// (reference.ts; a property test compares them). Two savings:
// - each stored configuration is decoded and converted once (cached by the cluster index), and
//   only issues are computed (no model);
// - a group's run keeps only the configurations that can interact with the object: those not
//   independent of it (footprint.ts; found through the cluster index's dependency index, not by
//   checking every configuration), and then those not independent of any kept one, until
//   none is added. The others are independent of every kept configuration and of the object, so
//   they report the same issues with and without the object and never cause one. Groups whose
//   kept configurations are the same share one run: an object selecting 3,000 nodes that
//   interacts with none of their configurations costs one run of the object alone.
import type { ObjectRef } from "../issues.ts";
import { modelIssues, prepareConfiguration, type PreparedConfiguration } from "../model-issues.ts";
import { decodeConfiguration } from "../select.ts";
import type { ClusterIndex, StoredConfiguration } from "./cluster-index.ts";
import {
  FindingsByNode,
  findingsOf,
  type FoundIssues,
  type GroupFindings,
  type NodeGroup,
} from "./collect.ts";
import { footprintOf, independent } from "./footprint.ts";
import { ADMISSION_OPTIONS } from "./options.ts";

/** Whether two configurations are independent, each pair checked once per request. */
type Independence = (a: StoredConfiguration, b: StoredConfiguration) => boolean;

function memoizedIndependence(cluster: ClusterIndex): Independence {
  const known = new Map<StoredConfiguration, Map<StoredConfiguration, boolean>>();
  return (a, b) => {
    const row = known.get(a) ?? new Map<StoredConfiguration, boolean>();
    known.set(a, row);
    const answer = row.get(b) ?? independent(cluster.prepared(a).footprint, cluster.prepared(b).footprint);
    row.set(b, answer);
    return answer;
  };
}

/** The configurations of `existing` the object can interact with, directly or through others. */
function interacting(
  existing: readonly StoredConfiguration[],
  independentOfObject: (c: StoredConfiguration) => boolean,
  independentPair: Independence,
): StoredConfiguration[] {
  const kept = new Set(existing.filter((c) => !independentOfObject(c)));
  let added = [...kept];
  while (added.length > 0) {
    const frontier = added;
    added = [];
    for (const c of existing) {
      if (kept.has(c)) continue;
      if (frontier.some((other) => !independentPair(other, c))) {
        kept.add(c);
        added.push(c);
      }
    }
  }
  return existing.filter((c) => kept.has(c));
}

function runFindings(
  kept: readonly PreparedConfiguration[],
  own: PreparedConfiguration,
  self: ObjectRef,
): GroupFindings {
  const withObject = modelIssues([...kept, own], ADMISSION_OPTIONS);
  return findingsOf(withObject, self, () => modelIssues(kept, ADMISSION_OPTIONS));
}

export function collectIssuesFast(
  groups: readonly NodeGroup[],
  object: unknown,
  self: ObjectRef,
  cluster: ClusterIndex,
): FoundIssues {
  const own = prepareConfiguration(decodeConfiguration(object, 0), ADMISSION_OPTIONS);
  const dependentOnObject = cluster.dependentOn(footprintOf(own));
  const independentOfObject = (c: StoredConfiguration): boolean => !dependentOnObject.has(c);
  const independentPair = memoizedIndependence(cluster);
  const runs = new Map<string, GroupFindings>();
  const found = new FindingsByNode(self);
  for (const group of groups) {
    const kept = interacting(group.existing, independentOfObject, independentPair);
    const key = kept.map((c) => c.key).join("\n");
    const findings =
      runs.get(key) ??
      runFindings(
        kept.map((c) => cluster.prepared(c).configuration),
        own,
        self,
      );
    runs.set(key, findings);
    found.add(group, findings);
  }
  return found.result();
}
