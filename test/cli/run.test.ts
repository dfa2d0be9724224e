// The top level, in process: failures become exit codes and one line, never a stack trace.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CliError, EXIT_INPUT, EXIT_INTERNAL, EXIT_INVALID } from "../../src/cli/exit-codes.ts";
import { reportFailure, runCli } from "../../src/cli/run.ts";
import type { CliIo } from "../../src/cli/commands/common.ts";

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

describe("runCli and reportFailure", () => {
  it("labels an unexpected error as an internal error, exit 3, one line", () => {
    const io = capture();
    const error = new TypeError("cannot read x\nsecond line");
    assert.equal(reportFailure(error, io), EXIT_INTERNAL);
    assert.equal(
      io.err,
      "frrk8s: internal error (a bug in frrk8s, please report it): TypeError: cannot read x\n",
    );
  });

  it("prints a CliError's message with its exit code", () => {
    const io = capture();
    assert.equal(reportFailure(new CliError("bad input"), io), EXIT_INPUT);
    assert.equal(reportFailure(new CliError("invalid", EXIT_INVALID), io), EXIT_INVALID);
    assert.equal(io.err, "frrk8s: bad input\nfrrk8s: invalid\n");
  });

  it("maps commander's usage errors to 2 and help to 0", async () => {
    const io = capture();
    assert.equal(await runCli(["render", "--nope", "-f", "x"], io), EXIT_INPUT);
    assert.match(io.err, /unknown option '--nope'/);
    assert.equal(await runCli(["validate", "--help"], capture()), 0);
  });
});
