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
  return addInputOptions(new Command("validate"))
    .description("check the configurations for one node, or for every node of the input")
    .option("--node <name>", "check only this node (default: every Node of the input)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .action((options: ValidateOptions) => {
      setExitCode(validate(options, io));
    });
}

function validate(options: ValidateOptions, io: CliIo): number {
  const input = readInputSet(options.filename);
  const flags = baseFlags(options);
  const nodes = nodesToValidate(input, options.node, flags);
  const results = nodes.map((node) => computeForNode(input, node, flags));
  const perNode = nodes.map((node, i) => ({ node: node.name, issues: results[i]?.issues ?? [] }));
  const reported = aggregateIssues(perNode, input);
  if (options.output === "json") {
    io.stdout(formatJson(reported));
  } else {
    const names = nodes.map((n) => n.name);
    io.stdout(formatText(reported) + (reported.length > 0 ? "\n" : "") + summaryLine(reported, names));
  }
  for (const name of unselectedConfigurations(input, results)) {
    io.stderr(`note: FRRConfiguration ${name} selects none of the checked nodes: not checked\n`);
  }
  return results.some((r) => hasErrors(r.issues)) ? EXIT_INVALID : EXIT_OK;
}
