// Shared by the FRR tests: scenario discovery, the broken fixture, and the skip/fail policy.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const GOLDEN_DIR = join(REPO_ROOT, "test/golden");
export const BROKEN_FIXTURE = join(REPO_ROOT, "test/fixtures/frr/broken.conf");

/**
 * FRR tests are skipped only when asked for explicitly (FRRK8S_SKIP_FRR=1). A machine without
 * FRR otherwise fails them: a silently skipped tier is a tier that does not exist.
 */
export const SKIP_FRR: string | false = process.env.FRRK8S_SKIP_FRR === "1" ? "FRRK8S_SKIP_FRR=1" : false;

export interface GoldenConfig {
  scenario: string;
  file: string;
}

/** Every test/golden/<scenario>/frr.conf, sorted by scenario; read at run time (others add more). */
export function goldenConfigs(): GoldenConfig[] {
  return readdirSync(GOLDEN_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ scenario: e.name, file: join(GOLDEN_DIR, e.name, "frr.conf") }))
    .filter((g) => existsSync(g.file))
    .sort((a, b) => a.scenario.localeCompare(b.scenario));
}

const MARKER = "! frrk8s-test: next line is wrong";

/** The broken fixture: its text, the 1-based number and text of the wrong line, and the text without it. */
export function brokenFixture(): { text: string; badLine: number; badText: string; fixedText: string } {
  const text = readFileSync(BROKEN_FIXTURE, "utf8");
  const lines = text.split("\n");
  const markerIdx = lines.findIndex((l) => l.startsWith(MARKER));
  assert.ok(markerIdx >= 0, `${BROKEN_FIXTURE} lacks the marker line "${MARKER}"`);
  const badText = lines[markerIdx + 1] ?? "";
  const fixedText = lines.filter((_, i) => i !== markerIdx + 1).join("\n");
  return { text, badLine: markerIdx + 2, badText, fixedText };
}

export interface KnownIssue {
  /** Why this is accepted for now (and whose bug it is). */
  reason: string;
  /** The exact problems expected, as problemKey() prints them. */
  problems: string[];
}

/**
 * test/frr/known-issues.json: scenarios whose FRR complaints are understood and accepted for now
 * (e.g. a user's raw config that FRR warns about). Such a scenario is reported as TODO while it
 * produces exactly the listed problems, and fails as soon as they change (fixed: remove the entry).
 * Renderer bugs do not belong here: they fail until fixed.
 */
export function knownIssues(): Record<string, KnownIssue> {
  return JSON.parse(readFileSync(join(import.meta.dirname, "known-issues.json"), "utf8")) as Record<
    string,
    KnownIssue
  >;
}

/** A problem as one stable string: `line N: message`, or the message alone. */
export function problemKey(p: { line?: number; message: string }): string {
  return p.line === undefined ? p.message : `line ${p.line}: ${p.message}`;
}
