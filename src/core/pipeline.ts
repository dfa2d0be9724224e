// The pure pipeline: select → decode → convert → merge → validate → render.
import { buildModel } from "./build-model.ts";
import type { Issue, ObjectRef } from "./issues.ts";
import { renderFrrConfig } from "./render/render.ts";
import type { NodeSnapshot } from "./snapshot.ts";

export interface NodeConfigResult {
  /** Every issue found, errors and warnings, in a deterministic order. */
  issues: Issue[];
  /** The FRRConfigurations that select this node. */
  selected: ObjectRef[];
  /** The rendered frr.conf; absent when any issue is an error. */
  frrConfig?: string;
}

export function computeNodeConfig(snapshot: NodeSnapshot): NodeConfigResult {
  const { issues, selected, model } = buildModel(snapshot);
  return model ? { issues, selected, frrConfig: renderFrrConfig(model) } : { issues, selected };
}
