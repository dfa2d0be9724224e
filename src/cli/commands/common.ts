// What the offline commands share: the input flags, reading the input, and calling the core.
import { Option, type Command } from "commander";
import { computeNodeConfig, type NodeConfigResult } from "../../core/pipeline.ts";
import { CliError, EXIT_INTERNAL } from "../exit-codes.ts";
import { collect, parseCidrs, parseLabels } from "../flags.ts";
import { collectObjects } from "../input-objects.ts";
import { buildInputSet, configurationRefName, refKey, type InputSet, type NodeInfo } from "../input-set.ts";
import { loadInput } from "../load-input.ts";
import { snapshotForNode, type SnapshotFlags } from "../snapshot-for-node.ts";

/** Where a command writes. Text is written as given (callers add newlines). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A command's action result: the process exit code. */
export type ExitCodeSink = (code: number) => void;

export interface InputOptions {
  filename: string[];
  node?: string;
  nodeLabels?: Record<string, string>;
  alwaysBlock?: string[];
}

export function addInputOptions(command: Command): Command {
  return command
    .requiredOption(
      "-f, --filename <path>",
      "YAML/JSON file, directory (recursive) or - for stdin; repeatable",
      collect,
    )
    .addOption(
      new Option("--node-labels <key=value,...>", "extra labels for the node (repeatable)").argParser(
        parseLabels,
      ),
    )
    .addOption(
      new Option(
        "--always-block <cidr,...>",
        "CIDRs never accepted from any neighbor (repeatable)",
      ).argParser(parseCidrs),
    );
}

export function readInputSet(paths: readonly string[]): InputSet {
  return buildInputSet(collectObjects(loadInput(paths)));
}

export function baseFlags(options: InputOptions): SnapshotFlags {
  return { extraLabels: options.nodeLabels ?? {}, alwaysBlock: options.alwaysBlock ?? [] };
}

/** Run the pure core for one node. The core reports bad input as issues: a throw is a bug. */
export function computeForNode(input: InputSet, node: NodeInfo, flags: SnapshotFlags): NodeConfigResult {
  const snapshot = snapshotForNode(input, node, flags);
  try {
    return computeNodeConfig(snapshot);
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split("\n", 1)[0] ?? "") : "unknown error";
    throw new CliError(
      `internal error (a bug in frrk8s): the core failed for node ${node.name}: ${reason}`,
      EXIT_INTERNAL,
    );
  }
}

/** Configurations of the input that none of the results selected or reported on. */
export function unselectedConfigurations(input: InputSet, results: readonly NodeConfigResult[]): string[] {
  const seen = new Set<string>();
  for (const result of results) {
    for (const ref of result.selected) seen.add(refKey(ref));
    for (const issue of result.issues) seen.add(refKey(issue.object));
  }
  return input.configurations
    .map((c, i) => ({ kind: c.kind, namespace: c.namespace, name: configurationRefName(c, i) }))
    .filter((ref) => !seen.has(refKey(ref)))
    .map((ref) => (ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name));
}
