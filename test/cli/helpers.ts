// Shared helpers for the CLI tests: run the real CLI as a child process, write fixtures.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import assert from "node:assert/strict";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const BIN = join(REPO_ROOT, "bin/frrk8s.js");
export const EXAMPLES = join(REPO_ROOT, "examples");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `bin/frrk8s.js` (or `options.script`) with the current Node (the test runner's, i.e. Node 24). */
export function runCli(
  args: readonly string[],
  options: { input?: string; cwd?: string; script?: string } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [options.script ?? BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, FRRK8S_DEBUG: "" },
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A fresh temporary directory holding the given files (relative path → content). */
export function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-cli-"));
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** No JavaScript stack frame may ever reach the user. */
export function assertNoStackTrace(run: CliRun): void {
  for (const text of [run.stdout, run.stderr]) {
    assert.doesNotMatch(text, /^\s+at /m, `stack trace in output:\n${text}`);
    assert.doesNotMatch(text, /node:internal|\.ts:\d+:\d+\)/, `stack trace in output:\n${text}`);
  }
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `"${needle}" not found in fixture`);
  return index + 1;
}

export const NODE_WORKER_0 = `apiVersion: v1
kind: Node
metadata:
  name: worker-0
  labels:
    kubernetes.io/hostname: worker-0
`;

export const VALID_CONFIG = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata:
  name: simple
  namespace: frr-k8s-system
spec:
  bgp:
    routers:
      - asn: 64512
        neighbors:
          - address: 172.30.0.3
            asn: 64512
`;
