// Which node(s) a command looks at, and the pure core's input for one of them.
// Node selection itself (nodeSelector against labels) is the core's job: the CLI only supplies
// the labels.
import type { NodeSnapshot, PipelineOptions } from "../core/snapshot.ts";
import { CliError } from "./exit-codes.ts";
import { HOSTNAME_LABEL, type InputSet, type NodeInfo } from "./input-set.ts";

/** Flags that shape a node's snapshot. */
export interface SnapshotFlags {
  /** `--node-labels`: added to (and overriding) the node's own labels. */
  extraLabels: Readonly<Record<string, string>>;
  alwaysBlock: readonly string[];
  /** `--log-level`; an FRRK8sConfiguration named `config` in the input takes precedence, as upstream. */
  logLevel?: string | undefined;
  /** `--hostname`; defaults to the node name. */
  hostname?: string | undefined;
}

/** Name of the node checked by `validate` when the input has no Node and no `--node` is given. */
export const DEFAULT_NODE_NAME = "node";

function withExtraLabels(node: NodeInfo, extra: Readonly<Record<string, string>>): NodeInfo {
  return { ...node, labels: { ...node.labels, ...extra } };
}

function absentNode(name: string): NodeInfo {
  return { name, labels: { [HOSTNAME_LABEL]: name }, ipv6Only: false };
}

/**
 * The node to render for. Without `--node`, the input's only Node. A node that is not in the
 * input is accepted when the input has no Node at all or `--node-labels` describes it; otherwise
 * it is most likely a typo and an input error.
 */
export function resolveNode(input: InputSet, name: string | undefined, flags: SnapshotFlags): NodeInfo {
  const names = input.nodes.map((n) => n.name);
  if (name === undefined) {
    const only = input.nodes.length === 1 ? input.nodes[0] : undefined;
    if (only) return withExtraLabels(only, flags.extraLabels);
    const has = names.length === 0 ? "has no Node" : `has ${names.length} Nodes (${names.join(", ")})`;
    throw new CliError(`--node is required: the input ${has}`);
  }
  const found = input.nodes.find((n) => n.name === name);
  if (found) return withExtraLabels(found, flags.extraLabels);
  if (names.length > 0 && Object.keys(flags.extraLabels).length === 0) {
    throw new CliError(
      `unknown node "${name}": the input has Nodes ${names.join(", ")} ` +
        `(give --node-labels to use a node that is not in the input)`,
    );
  }
  return withExtraLabels(absentNode(name), flags.extraLabels);
}

/** The nodes `validate` checks: `--node`, else every Node of the input, else one default node. */
export function nodesToValidate(input: InputSet, name: string | undefined, flags: SnapshotFlags): NodeInfo[] {
  if (name !== undefined) return [resolveNode(input, name, flags)];
  const nodes = input.nodes.length > 0 ? input.nodes : [absentNode(DEFAULT_NODE_NAME)];
  return [...nodes].sort((a, b) => compare(a.name, b.name)).map((n) => withExtraLabels(n, flags.extraLabels));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function snapshotForNode(input: InputSet, node: NodeInfo, flags: SnapshotFlags): NodeSnapshot {
  const options: PipelineOptions = { hostname: flags.hostname ?? node.name };
  const logLevel = input.logLevel ?? flags.logLevel;
  if (logLevel !== undefined) options.logLevel = logLevel;
  if (flags.alwaysBlock.length > 0) options.alwaysBlock = flags.alwaysBlock;
  if (node.ipv6Only) options.ipv6OnlyNode = true;
  return {
    nodeName: node.name,
    nodeLabels: node.labels,
    configurations: input.configurations.map((c) => c.value),
    secrets: input.secrets,
    options,
  };
}
