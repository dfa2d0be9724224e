// The frrk8s command line: commander wiring and the one place where failures become exit codes.
// Usage errors exit 2, input errors 2 (CliError), internal errors 3; no stack trace is printed
// unless FRRK8S_DEBUG is set.
import { Command, CommanderError } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import type { CliIo, ExitCodeSink } from "./commands/common.ts";
import { CliError, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK } from "./exit-codes.ts";

type CommandFactory = (io: CliIo, setExitCode: ExitCodeSink) => Command;

/**
 * The subcommands, each loaded only when needed: `frrk8s agent` then never loads what render and
 * validate use (yaml, source positions), which keeps the long-running processes small.
 */
const COMMANDS: readonly { name: string; load: () => Promise<CommandFactory> }[] = [
  { name: "render", load: async () => (await import("./commands/render.ts")).renderCommand },
  { name: "validate", load: async () => (await import("./commands/validate.ts")).validateCommand },
  { name: "status", load: async () => (await import("./commands/status.ts")).statusCommand },
  { name: "agent", load: async () => (await import("./commands/agent.ts")).agentCommand },
  { name: "webhook", load: async () => (await import("./commands/webhook.ts")).webhookCommand },
];

/** The factories `argv` needs: its subcommand's alone, or all of them (help, version, a typo). */
async function factoriesFor(argv: readonly string[]): Promise<CommandFactory[]> {
  const named = COMMANDS.find((c) => c.name === argv[0]);
  return Promise.all((named === undefined ? COMMANDS : [named]).map((c) => c.load()));
}

function buildProgram(io: CliIo, setExitCode: ExitCodeSink, factories: readonly CommandFactory[]): Command {
  const program = new Command("frrk8s")
    .description("FRR-K8s in TypeScript: merge FRRConfigurations and render one FRR configuration per node")
    .version(packageJson.version)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => {
        io.stdout(s);
      },
      writeErr: (s) => {
        io.stderr(s);
      },
    })
    .exitOverride();
  for (const make of factories) {
    const command = make(io, setExitCode);
    command.copyInheritedSettings(program);
    program.addCommand(command);
  }
  return program;
}

/** Run the CLI with `argv` (without node and script) and return the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  try {
    const program = buildProgram(io, (code) => (exitCode = code), await factoriesFor(argv));
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (err) {
    return reportFailure(err, io);
  }
}

/** One line on stderr, and the exit code for this failure. */
export function reportFailure(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_INPUT; // message already printed
  if (err instanceof CliError) {
    io.stderr(`frrk8s: ${err.message}\n`);
    return err.exitCode;
  }
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? (err.message.split("\n", 1)[0] ?? "") : "";
  io.stderr(`frrk8s: internal error (a bug in frrk8s, please report it): ${name}: ${message}\n`);
  if (process.env["FRRK8S_DEBUG"] && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return EXIT_INTERNAL;
}
