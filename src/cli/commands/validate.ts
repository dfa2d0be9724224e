// `frrk8s validate`: check the input for one node or for every node, and print each distinct
// issue once with the nodes it applies to. Errors make the exit code 1; warnings do not.
import { Command, Option } from "commander";
import { hasErrors } from "../../core/issues.ts";
import { EXIT_INVALID, EXIT_OK } from "../exit-codes.ts";
import { aggregateIssues, formatJson, formatText, summaryLine } from "../format-issues.ts";
import { nodesToValidate } from "../snapshot-for-node.ts";
import {
  addInputOptions,
  baseFlags,
  computeForNode,
  readInputSet,
  unselectedConfigurations,
  type CliIo,
  type ExitCodeSink,
  type InputOptions,
} from "./common.ts";

interface ValidateOptions extends InputOptions {
  output: "text" | "json";
}

export function validateCommand(io: CliIo, setExitCode: ExitCodeSink): Command {
  const command = new Command("validate")
    .description("check the configurations for one node, or for every node of the input")
    .option("--node <name>", "check only this node (default: every Node of the input)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"));
  addInputOptions(command).action((options: ValidateOptions) => {
    setExitCode(validate(options, io));
  });
  return command;
}

function validate(options: ValidateOptions, io: CliIo): number {
  const input = readInputSet(options.filename);
  const flags = baseFlags(options);
  const nodes = nodesToValidate(input, options.node, flags);
  const results = nodes.map((node) => ({ node: node.name, result: computeForNode(input, node, flags) }));
  const reported = aggregateIssues(
    results.map((r) => ({ node: r.node, issues: r.result.issues })),
    input,
  );
  const names = nodes.map((n) => n.name);
  if (options.output === "json") io.stdout(formatJson(reported));
  else io.stdout(formatText(reported) + (reported.length > 0 ? "\n" : "") + summaryLine(reported, names));
  for (const name of unselectedConfigurations(
    input,
    results.map((r) => r.result),
  )) {
    io.stderr(`note: FRRConfiguration ${name} selects none of the checked nodes: not checked\n`);
  }
  return results.some((r) => hasErrors(r.result.issues)) ? EXIT_INVALID : EXIT_OK;
}
