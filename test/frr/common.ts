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
