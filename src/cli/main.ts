// Process entry point (bin/frrk8s.js imports this): real stdout/stderr, exit code, and a last
// line of defence so that no failure ever prints a stack trace.
import { reportFailure, runCli } from "./run.ts";
import type { CliIo } from "./commands/common.ts";

const io: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

// `frrk8s render ... | head` closes the pipe early: that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

const fail = (err: unknown): void => {
  process.exitCode = reportFailure(err, io);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

process.exitCode = await runCli(process.argv.slice(2), io);
