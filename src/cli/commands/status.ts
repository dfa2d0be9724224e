// `frrk8s status`: ask a running agent for its node's status (GET /status of its local status
// server) and print it as a summary and a session table, or as JSON. Exit 0 when the agent
// answered, 2 when it cannot be reached or did not answer like an frrk8s agent.
import { Command, InvalidArgumentError, Option } from "commander";
import type { Issue } from "../../core/issues.ts";
import { redactPasswords } from "../../core/redact.ts";
import { CliError, EXIT_INPUT, EXIT_OK } from "../exit-codes.ts";
import { objectName } from "../format-issues.ts";
import { isRecord } from "../input-objects.ts";
import type { CliIo, ExitCodeSink } from "./common.ts";

export const DEFAULT_STATUS_URL = "http://127.0.0.1:9140";
const TIMEOUT_MS = 5_000;
const ISSUES_SHOWN = 5;

interface StatusOptions {
  url: string;
  output: "text" | "json";
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL (e.g. ${DEFAULT_STATUS_URL}).`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError(`"${value}" is not an http(s) URL (e.g. ${DEFAULT_STATUS_URL}).`);
  }
  return value;
}

export function statusCommand(io: CliIo, setExitCode: ExitCodeSink): Command {
  return new Command("status")
    .description("show the status of the agent running on this node (BGP sessions, last apply)")
    .addOption(
      new Option("--url <url>", "the agent's status server").default(DEFAULT_STATUS_URL).argParser(parseUrl),
    )
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: StatusOptions) => {
      setExitCode(await status(options, io));
    });
}

async function status(options: StatusOptions, io: CliIo): Promise<number> {
  const answer = await fetchStatus(options.url);
  if (answer.kind === "pending") {
    io.stdout(`agent at ${options.url} is running; no status yet (the first reconcile has not finished)\n`);
    return EXIT_OK;
  }
  const value = answer.value;
  if (options.output === "json") {
    const safe =
      typeof value["runningConfig"] === "string"
        ? { ...value, runningConfig: redactPasswords(value["runningConfig"]) }
        : value;
    io.stdout(`${JSON.stringify(safe, null, 2)}\n`);
  } else {
    io.stdout(formatStatus(decodeStatus(value)));
  }
  return EXIT_OK;
}

type Answer = { kind: "status"; value: Record<string, unknown> } | { kind: "pending" };

function statusUrl(base: string): string {
  return new URL("status", base.endsWith("/") ? base : `${base}/`).toString();
}

async function fetchStatus(base: string): Promise<Answer> {
  const url = statusUrl(base);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new CliError(`cannot reach the agent at ${base}: ${networkReason(err)}`, EXIT_INPUT);
  }
  const body = await response.text().catch(() => "");
  if (response.status === 503) return { kind: "pending" };
  if (response.status !== 200) {
    throw new CliError(`${url} answered HTTP ${response.status}: is this an frrk8s agent?`, EXIT_INPUT);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new CliError(`${url} did not answer JSON: is this an frrk8s agent?`, EXIT_INPUT);
  }
  if (!isRecord(value)) throw new CliError(`${url} did not answer a status object`, EXIT_INPUT);
  return { kind: "status", value };
}

/** Node's fetch (undici) puts the system error code on `cause`. */
const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused (is the agent running?)",
  ENOTFOUND: "host not found",
  EHOSTUNREACH: "host unreachable",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  UND_ERR_SOCKET: "the connection was closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") {
    return NETWORK_ERRORS[cause.code] ?? cause.code;
  }
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n", 1)[0] ?? "unknown error";
}

// ---- decoding: the JSON comes from another process; read it defensively ----

interface SessionRow {
  vrf: string;
  peer: string;
  bgpState: string;
  bfdStatus: string;
  uptimeMs: number | undefined;
  prefixesSent: number | undefined;
  prefixesReceived: number | undefined;
}

export interface StatusView {
  node: string;
  lastConversionResult: string;
  lastReloadResult: string;
  configStale: boolean;
  lastAppliedAt: number | undefined;
  /** "vrf/neighbor (reason)" per session the last apply reset. */
  resets: string[];
  /** Lines FRR runs differently from the configuration last applied. */
  unconverged: string[];
  issues: Issue[];
  sessions: SessionRow[];
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function decodeIssue(value: Record<string, unknown>): Issue {
  const object = isRecord(value["object"]) ? value["object"] : {};
  return {
    code: str(value["code"]) as Issue["code"],
    severity: value["severity"] === "warning" ? "warning" : "error",
    path: str(value["path"]),
    object: { kind: str(object["kind"]), namespace: str(object["namespace"]), name: str(object["name"]) },
    message: str(value["message"]),
  };
}

export function decodeStatus(value: Record<string, unknown>): StatusView {
  return {
    node: str(value["node"]),
    lastConversionResult: str(value["lastConversionResult"]),
    lastReloadResult: redactPasswords(str(value["lastReloadResult"])),
    configStale: value["configStale"] === true,
    lastAppliedAt: num(value["lastAppliedAt"]),
    resets: records(value["lastApplyResets"]).map((r) => {
      const where = str(r["vrf"]) === "" ? str(r["neighbor"]) : `${str(r["vrf"])}/${str(r["neighbor"])}`;
      return `${where} (${str(r["reason"])})`;
    }),
    unconverged: Array.isArray(value["unconverged"])
      ? value["unconverged"].filter((l): l is string => typeof l === "string").map(redactPasswords)
      : [],
    issues: records(value["issues"]).map(decodeIssue),
    sessions: records(value["sessions"]).map((s) => ({
      vrf: str(s["vrf"]),
      peer: str(s["peer"]),
      bgpState: str(s["bgpState"]),
      bfdStatus: str(s["bfdStatus"]),
      uptimeMs: num(s["uptimeMs"]),
      prefixesSent: num(s["prefixesSent"]),
      prefixesReceived: num(s["prefixesReceived"]),
    })),
  };
}

// ---- text output ----

/** `3d4h`, `2h5m`, `4m10s`, `9s`; "-" when unknown. */
export function formatUptime(ms: number | undefined): string {
  if (ms === undefined || ms < 0) return "-";
  const s = Math.floor(ms / 1000);
  const [d, h, m, sec] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60];
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** Columns padded to their widest cell, two spaces apart, no trailing spaces. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

function orDash(text: string): string {
  return text === "" ? "-" : text;
}

function firstLine(text: string): string {
  const lines = text.trim().split("\n");
  const first = lines[0] ?? "";
  return lines.length > 1 ? `${first} (+${lines.length - 1} more lines)` : first;
}

function issueLines(issues: readonly Issue[]): string[] {
  const errors = issues.filter((i) => i.severity === "error").length;
  const head = `${issues.length} (${errors} error${errors === 1 ? "" : "s"}, ${issues.length - errors} warning${issues.length - errors === 1 ? "" : "s"})`;
  const lines = [issues.length === 0 ? "0" : head];
  for (const issue of issues.slice(0, ISSUES_SHOWN)) {
    const at = issue.path === "" ? "" : ` ${issue.path}`;
    lines.push(
      `  ${issue.severity} ${issue.code}: ${objectName(issue.object)}${at}: ${firstLine(issue.message)}`,
    );
  }
  if (issues.length > ISSUES_SHOWN) lines.push(`  ... and ${issues.length - ISSUES_SHOWN} more`);
  return lines;
}

function sessionTable(sessions: readonly SessionRow[]): string {
  if (sessions.length === 0) return "no BGP sessions\n";
  const header = ["VRF", "PEER", "BGP", "BFD", "UPTIME", "SENT", "RECEIVED"];
  const rows = sessions.map((s) => [
    s.vrf === "" ? "default" : s.vrf,
    orDash(s.peer),
    orDash(s.bgpState),
    orDash(s.bfdStatus),
    formatUptime(s.uptimeMs),
    s.prefixesSent === undefined ? "-" : String(s.prefixesSent),
    s.prefixesReceived === undefined ? "-" : String(s.prefixesReceived),
  ]);
  return formatTable([header, ...rows]);
}

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(14)}${value}\n`;
}

/** FRR runs something else than was applied: how many lines, and the first few of them. */
function unconvergedLines(lines: readonly string[]): string[] {
  if (lines.length === 0) return [field("unconverged", "none")];
  const shown = lines.slice(0, 5).map((l) => `  ${l.trim()}\n`);
  const more = lines.length > shown.length ? [`  ... and ${String(lines.length - shown.length)} more\n`] : [];
  const what = `${String(lines.length)} line${lines.length === 1 ? "" : "s"} FRR runs differently`;
  return [field("unconverged", what), ...shown, ...more];
}

export function formatStatus(view: StatusView): string {
  const [issuesHead = "0", ...issueRest] = issueLines(view.issues);
  const established = view.sessions.filter((s) => s.bgpState === "Established").length;
  const applied = view.lastAppliedAt === undefined ? "never" : new Date(view.lastAppliedAt).toISOString();
  return [
    field("node", orDash(view.node)),
    field("conversion", orDash(view.lastConversionResult)),
    field("reload", orDash(firstLine(view.lastReloadResult))),
    field("config stale", view.configStale ? "yes (FRR runs an older configuration)" : "no"),
    field("last applied", applied),
    field("resets", view.resets.length === 0 ? "none" : view.resets.join(", ")),
    ...unconvergedLines(view.unconverged),
    field("issues", issuesHead),
    ...issueRest.map((l) => `${l}\n`),
    field("sessions", `${view.sessions.length} (${established} established)`),
    "\n",
    sessionTable(view.sessions),
  ].join("");
}
