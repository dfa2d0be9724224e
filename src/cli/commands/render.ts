// `frrk8s render`: print the frr.conf one node would get. Issues go to stderr; any error makes
// the exit code 1 and prints no configuration.
import { Command, Option } from "commander";
import { hasErrors } from "../../core/issues.ts";
import { CliError, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK } from "../exit-codes.ts";
import { aggregateIssues, formatText, summaryLine } from "../format-issues.ts";
import { LOG_LEVELS } from "../input-set.ts";
import { resolveNode } from "../snapshot-for-node.ts";
import {
  addInputOptions,
  baseFlags,
  computeForNode,
  readInputSet,
  type CliIo,
  type ExitCodeSink,
  type InputOptions,
} from "./common.ts";

interface RenderOptions extends InputOptions {
  hostname?: string;
  logLevel?: string;
}

export function renderCommand(io: CliIo, setExitCode: ExitCodeSink): Command {
  const logLevel = new Option(
    "--log-level <level>",
    "log level, unless an FRRK8sConfiguration named config sets one",
  );
  return addInputOptions(new Command("render"))
    .description("print the FRR configuration (frr.conf) of one node")
    .option("--node <name>", "node to render for (default: the only Node of the input)")
    .option("--hostname <name>", "hostname line of frr.conf (default: the node name)")
    .addOption(logLevel.choices(LOG_LEVELS))
    .action((options: RenderOptions) => {
      setExitCode(render(options, io));
    });
}

function render(options: RenderOptions, io: CliIo): number {
  const input = readInputSet(options.filename);
  const flags = { ...baseFlags(options), hostname: options.hostname, logLevel: options.logLevel };
  const node = resolveNode(input, options.node, flags);
  const result = computeForNode(input, node, flags);
  const reported = aggregateIssues([{ node: node.name, issues: result.issues }], input);
  if (reported.length > 0) io.stderr(formatText(reported));
  if (hasErrors(result.issues)) {
    io.stderr(`\n${summaryLine(reported, [node.name])}`);
    return EXIT_INVALID;
  }
  if (result.frrConfig === undefined) {
    throw new CliError(
      `internal error (a bug in frrk8s): no configuration and no error for node ${node.name}`,
      EXIT_INTERNAL,
    );
  }
  if (result.selected.length === 0) {
    io.stderr(`note: no FRRConfiguration selects node ${node.name}: the configuration has no BGP router\n`);
  }
  io.stdout(result.frrConfig);
  return EXIT_OK;
}
