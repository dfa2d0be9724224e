// Structured logs: one JSON object per line on stdout (pino), with a constant message and a fixed
// set of keys, so that lines can be grepped and counted. Variable data goes into the keys, never
// into the message: `log.info("apply failed", { node, reason })`.
//
// Secrets: the keys are plain strings chosen by the caller (object names, redacted reasons), and
// as a second line of defence `reason` goes through redactPasswords and pino's redaction paths
// censor password and Secret data fields of anything logged through the raw logger.
//
// The level follows upstream's words (all, debug, info, warn, error, none) and can be changed at
// run time (FRRK8sConfiguration `spec.logLevel`); children share the level of their root.
import { pino, type DestinationStream, type Logger } from "pino";
import { redactPasswords } from "../core/redact.ts";

export const LOG_LEVELS = ["all", "debug", "info", "warn", "error", "none"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Upstream's level words → pino's. `all` is debug (upstream's ParseLevel("all") is debug). */
const PINO_LEVELS: Readonly<Record<LogLevel, pino.LevelWithSilent>> = {
  all: "debug",
  debug: "debug",
  info: "info",
  warn: "warn",
  error: "error",
  none: "silent",
};

export function parseLogLevel(text: string): LogLevel | undefined {
  return (LOG_LEVELS as readonly string[]).includes(text) ? (text as LogLevel) : undefined;
}

/** The keys a log line may carry. Add a key here (not ad hoc at a call site) when one is needed. */
export interface LogFields {
  /** The node this agent runs for. */
  node?: string;
  /** The object concerned: `FRRConfiguration ns/name`, `FRRNodeState node-1`, ... */
  object?: string;
  /** Why: an error message or a result, already free of secrets (redacted again here). */
  reason?: string;
  /** The part of the program: `reconcile-loop`, `status-server`, ... (usually bound by child()). */
  component?: string;
  /** A typed outcome: done, retry, terminal, applied, rejected, ... */
  outcome?: string;
  durationMs?: number;
  delayMs?: number;
  retries?: number;
  count?: number;
  /** A listening address (`127.0.0.1:9140`). */
  address?: string;
}

/** Fields censored in anything logged: passwords, and the data of Secrets. */
export const REDACT_PATHS: readonly string[] = [
  "password",
  "*.password",
  "*.*.password",
  "*.*.*.password",
  "passwordSecret",
  "*.passwordSecret",
  "data",
  "stringData",
  "*.data",
  "*.stringData",
  "spec.bgp.routers[*].neighbors[*].password",
  "*.spec.bgp.routers[*].neighbors[*].password",
  "*[*].spec.bgp.routers[*].neighbors[*].password",
];

export const CENSOR = "<retracted>";

export interface LoggerOptions {
  level?: LogLevel;
  /** Bound to every line. */
  node?: string;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
}

/** The raw pino logger with this project's settings (JSON, `ts`, level labels, redaction). */
export function createPino(options: LoggerOptions = {}): Logger {
  const settings: pino.LoggerOptions = {
    level: PINO_LEVELS[options.level ?? "info"],
    base: options.node === undefined ? {} : { node: options.node },
    messageKey: "msg",
    timestamp: () => `,"ts":"${new Date().toISOString()}"`,
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) =>
        typeof object["reason"] === "string"
          ? { ...object, reason: redactPasswords(object["reason"]) }
          : object,
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

type Method = "debug" | "info" | "warn" | "error";

/** A logger with constant messages and typed keys. Children share the root's level. */
export class Log {
  readonly #root: Logger;
  readonly #bindings: LogFields;
  readonly #state: { level: LogLevel };

  private constructor(root: Logger, bindings: LogFields, state: { level: LogLevel }) {
    this.#root = root;
    this.#bindings = bindings;
    this.#state = state;
  }

  static create(options: LoggerOptions = {}): Log {
    return new Log(createPino(options), {}, { level: options.level ?? "info" });
  }

  /** A logger whose lines all carry `bindings` (e.g. `{ component: "status-server" }`). */
  child(bindings: LogFields): Log {
    return new Log(this.#root, { ...this.#bindings, ...bindings }, this.#state);
  }

  /** Change the level of this logger, its root and every child, at run time. */
  setLevel(level: LogLevel): void {
    this.#state.level = level;
    this.#root.level = PINO_LEVELS[level];
  }

  get level(): LogLevel {
    return this.#state.level;
  }

  isDebugEnabled(): boolean {
    return this.#root.isLevelEnabled("debug");
  }

  debug(msg: string, fields?: LogFields): void {
    this.#write("debug", msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.#write("info", msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.#write("warn", msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.#write("error", msg, fields);
  }

  #write(method: Method, msg: string, fields: LogFields | undefined): void {
    if (!this.#root.isLevelEnabled(method)) return;
    this.#root[method]({ ...this.#bindings, ...fields }, msg);
  }
}

/** The process logger: JSON lines on stdout. */
export function createLogger(options: LoggerOptions = {}): Log {
  return Log.create(options);
}
