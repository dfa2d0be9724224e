// Reading frr-reload.py's output (FRR 8.4.4). No I/O; unit-tested with captured output.
//
// `--test --stdout` prints the diff with print() on stdout, one entry per changed line, each entry
// being its context lines (unindented header, indented sub-contexts) followed by the line itself:
//
//   Lines To Delete            Lines To Add
//   ===============            ============
//   router bgp 64512           router bgp 64512
//    no neighbor 192.0.2.9 bfd  neighbor 192.0.2.2 timers connect 1
//
// and exits 0 whether or not there is a diff (lab pitfall 6). Its log (with --stdout: on stderr)
// carries the errors, e.g. for a line vtysh cannot parse (exit 1):
//
//   2026-11-22 19:27:43,907 \e[91m  ERROR\e[0m: vtysh failed to process new configuration: vtysh (mark file) exited with status 2:
//   b'line 20: % Unknown command:  neighbor 192.0.2.2 bogus\n\n'
//
// `--reload` prints vtysh's complaints on stdout ("line 10: Failure to communicate[13] to bgpd,
// line: ...") and logs "frr-reload.py failed due to ..." (exit 1). When it cannot reach the
// daemons it dies with a Python traceback (exit 1).
import { redactSecrets } from "../../core/redact.ts";

export interface ReloadDiff {
  /** Entries under "Lines To Delete". */
  deleted: number;
  /** Entries under "Lines To Add". */
  added: number;
}

const SECTION_HEADERS = new Set(["Lines To Delete", "Lines To Add"]);

/** Counts the changed lines in `--test` stdout (an empty stdout is an empty diff). */
export function parseTestDiff(stdout: string): ReloadDiff {
  const diff: ReloadDiff = { deleted: 0, added: 0 };
  let section: keyof ReloadDiff | undefined;
  for (const raw of stdout.split("\n")) {
    const line = raw.trimEnd();
    if (SECTION_HEADERS.has(line)) {
      section = line === "Lines To Add" ? "added" : "deleted";
      continue;
    }
    // An entry starts with its unindented first line; indented lines continue it.
    if (section === undefined || line === "" || /^=+$/.test(line) || /^\s/.test(line)) continue;
    diff[section]++;
  }
  return diff;
}

/** What went wrong, from the output of a frr-reload.py run that did not exit 0. */
export type ReloadFailureKind =
  /** FRR refused the configuration: a line vtysh cannot parse, or a daemon refused a command. */
  | "rejected"
  /** FRR was not reachable or the script itself broke (traceback, locked VTY, ...). */
  | "failed";

const REJECTION_MARKERS: readonly RegExp[] = [
  /vtysh failed to process new configuration/,
  /frr-reload\.py failed due to/,
  /we failed to remove this command/,
  /^line \d+: /m,
];

export function classifyFailure(output: string): ReloadFailureKind {
  const text = readable(output);
  if (/^Traceback \(most recent call last\)/m.test(text)) return "failed";
  return REJECTION_MARKERS.some((re) => re.test(text)) ? "rejected" : "failed";
}

/**
 * The passwords of a configuration, as they may be echoed back: the word after `password` and the
 * rest of that line (FRR 8.4: `neighbor X password LINE`), raw and as Python/JSON would escape them.
 */
export function passwordsIn(config: string): string[] {
  const values = new Set<string>();
  for (const m of config.matchAll(/\bpassword\s+(\S.*?)\s*$/gm)) {
    const rest = m[1] ?? "";
    const word = rest.split(/\s+/)[0] ?? "";
    for (const v of [rest, word]) {
      if (v === "") continue;
      values.add(v);
      values.add(v.replace(/\\/g, "\\\\").replace(/'/g, "\\'"));
      values.add(JSON.stringify(v).slice(1, -1));
    }
  }
  // Longest first, so a shorter value never leaves pieces of a longer one behind.
  return [...values].sort((a, b) => b.length - a.length);
}

const MAX_DETAIL_LINES = 40;
const MAX_DETAIL_CHARS = 4000;

/**
 * A short, readable, redacted account of a failed run: Python's b'...' literals decoded, colour
 * codes and log timestamps dropped, INFO/DEBUG log lines and blank lines left out, passwords
 * (redactPasswords) and the given secret values removed. Redaction happens before shortening, so
 * a cut can never leave part of a password behind.
 */
export function failureDetail(stdout: string, stderr: string, secrets: readonly string[]): string {
  const text = redactSecrets(readable(`${stderr}\n${stdout}`), secrets);
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(LOG_PREFIX, "$1: ").trimEnd();
    if (line.trim() === "" || /^(INFO|DEBUG): /.test(line)) continue;
    if (lines.at(-1) !== line) lines.push(line);
  }
  const kept = lines.slice(0, MAX_DETAIL_LINES);
  let detail = kept.join("\n");
  if (detail.length > MAX_DETAIL_CHARS) detail = `${detail.slice(0, MAX_DETAIL_CHARS)}...`;
  const more = lines.length - kept.length;
  return more > 0 ? `${detail}\n(${more} more lines)` : detail;
}

/** `2026-11-22 19:27:43,907   ERROR: ` → `ERROR: ` (after colour codes are gone). */
const LOG_PREFIX = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\s+([A-Z]+):\s*/;

// frr-reload.py colours ERROR and WARNING with ESC[91m ... ESC[0m.
// eslint-disable-next-line no-control-regex -- matching the ESC control character is the point
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

/** Colour codes removed and Python bytes literals (b'...\n...') decoded into text. */
export function readable(text: string): string {
  return decodeBytesLiterals(text.replace(ANSI_COLOUR, ""));
}

const BYTES_LITERAL = /\bb'((?:[^'\\\n]|\\.)*)'|\bb"((?:[^"\\\n]|\\.)*)"/g;

function decodeBytesLiterals(text: string): string {
  return text.replace(BYTES_LITERAL, (_m, single: string | undefined, double: string | undefined) =>
    decodeEscapes(single ?? double ?? ""),
  );
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, "\\": 92, "'": 39, '"': 34 };

function decodeEscapes(body: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      bytes.push(...encoder.encode(c));
      continue;
    }
    const next = body[i + 1] ?? "";
    const hex = /^x([0-9a-fA-F]{2})/.exec(body.slice(i + 1, i + 4));
    if (hex !== null) {
      bytes.push(parseInt(hex[1]!, 16));
      i += 3;
    } else if (next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next]!);
      i += 1;
    } else {
      bytes.push(92);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
