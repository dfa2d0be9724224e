// Exit codes of every frrk8s command, and the error type that carries one up to the top level.

export const EXIT_OK = 0;
/** The configuration is invalid: issues were printed. */
export const EXIT_INVALID = 1;
/** The input could not be read or parsed, an unknown node was named, or a flag is wrong. */
export const EXIT_INPUT = 2;
/** A bug in frrk8s itself. */
export const EXIT_INTERNAL = 3;

/**
 * An expected failure with a one-line, user-facing message (never an object dump, never a secret).
 * Anything else that reaches the top level is treated as an internal error.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_INPUT) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** A position in an input file, 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export function formatPosition(pos: SourcePosition): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}
