// Exit codes of the real CLI: 0 valid, 1 invalid configuration, 2 unreadable input or bad usage.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  assertNoStackTrace,
  EXAMPLES,
  fixtureDir,
  lineOf,
  NODE_WORKER_0,
  runCli,
  VALID_CONFIG,
  type CliRun,
} from "./helpers.ts";

function expectInputError(run: CliRun, pattern: RegExp): void {
  assert.equal(run.code, 2, `expected exit 2, got ${run.code}; stderr:\n${run.stderr}`);
  assert.match(run.stderr, pattern);
  assert.equal(run.stdout, "");
  assertNoStackTrace(run);
}

describe("exit code 0 and 1", { concurrency: 2 }, () => {
  it("renders a valid configuration with exit 0", async () => {
    const dir = fixtureDir({ "in.yaml": `${NODE_WORKER_0}---\n${VALID_CONFIG}` });
    const run = await runCli(["render", "-f", dir, "--node", "worker-0"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^router bgp 64512$/m);
    assert.match(run.stdout, /^hostname worker-0$/m);
    assertNoStackTrace(run);
  });

  it("validates a valid configuration with exit 0", async () => {
    const dir = fixtureDir({ "in.yaml": `${NODE_WORKER_0}---\n${VALID_CONFIG}` });
    const run = await runCli(["validate", "-f", dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^valid: no issues on 1 node \(worker-0\)$/m);
  });

  it("exits 1 on an invalid configuration, for validate and for render", async () => {
    const invalid = join(EXAMPLES, "invalid");
    const validate = await runCli(["validate", "-f", invalid]);
    assert.equal(validate.code, 1, validate.stderr);
    assert.match(validate.stdout, /^invalid: \d+ errors?/m);
    const render = await runCli(["render", "-f", invalid, "--node", "worker-0"]);
    assert.equal(render.code, 1, render.stderr);
    assert.equal(render.stdout, "", "no configuration is printed when there are errors");
    assert.match(render.stderr, /^error [A-Z_]+: FRRConfiguration frr-k8s-system\/bad-neighbors$/m);
    assertNoStackTrace(validate);
    assertNoStackTrace(render);
  });

  it("renders for a node absent from the input when --node-labels describe it", async () => {
    const dir = fixtureDir({ "in.yaml": `${NODE_WORKER_0}---\n${VALID_CONFIG}` });
    const run = await runCli(["render", "-f", dir, "--node", "new-node", "--node-labels", "zone=a"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^hostname new-node$/m);
  });

  it("renders for any node name when the input has no Node", async () => {
    const dir = fixtureDir({ "in.yaml": VALID_CONFIG });
    const run = await runCli(["render", "-f", dir, "--node", "anything", "--hostname", "router-7"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^hostname router-7$/m);
  });
});

describe("exit code 2: input errors", { concurrency: 2 }, () => {
  it("reports a YAML syntax error with file:line:column and without the source excerpt", async () => {
    const text = `${VALID_CONFIG}        port: [180\n`;
    const dir = fixtureDir({ "broken.yaml": text });
    const run = await runCli(["validate", "-f", join(dir, "broken.yaml")]);
    expectInputError(run, /broken\.yaml:\d+:\d+: YAML syntax error: /);
    assert.equal(run.stderr.trim().split("\n").length, 1, "a one-line message");
  });

  it("points at the line of the syntax error, in the right file of a directory", async () => {
    const text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n  name: b\n";
    const dir = fixtureDir({ "a-good.yaml": VALID_CONFIG, "b-bad.yml": text });
    const run = await runCli(["validate", "-f", dir]);
    expectInputError(
      run,
      new RegExp(`b-bad\\.yml:${lineOf(text, "name: b")}:\\d+: YAML syntax error: .*unique`),
    );
  });

  it("rejects a document without kind, with its location", async () => {
    const dir = fixtureDir({ "in.yaml": `${VALID_CONFIG}---\napiVersion: v1\nmetadata:\n  name: x\n` });
    expectInputError(await runCli(["validate", "-f", dir]), /in\.yaml:\d+:\d+: object has no kind/);
  });

  it("rejects a document that is not a mapping", async () => {
    const dir = fixtureDir({ "in.yaml": "- just\n- a list\n" });
    expectInputError(await runCli(["validate", "-f", dir]), /in\.yaml:1:1: not a Kubernetes object/);
  });

  it("rejects a missing file and an empty directory", async () => {
    expectInputError(
      await runCli(["validate", "-f", "/nonexistent/x.yaml"]),
      /x\.yaml: no such file or directory/,
    );
    const empty = fixtureDir({ "notes.txt": "nothing" });
    expectInputError(
      await runCli(["validate", "-f", empty]),
      /directory has no \.yaml, \.yml or \.json file/,
    );
  });

  it("rejects an unknown node when the input has Nodes", async () => {
    const dir = fixtureDir({ "in.yaml": `${NODE_WORKER_0}---\n${VALID_CONFIG}` });
    expectInputError(
      await runCli(["render", "-f", dir, "--node", "worker-9"]),
      /unknown node "worker-9".*worker-0/,
    );
    expectInputError(await runCli(["validate", "-f", dir, "--node", "worker-9"]), /unknown node "worker-9"/);
  });

  it("requires --node for render when the input has several Nodes or none", async () => {
    const two = `${NODE_WORKER_0}---\n${NODE_WORKER_0.replaceAll("worker-0", "worker-1")}---\n${VALID_CONFIG}`;
    expectInputError(
      await runCli(["render", "-f", fixtureDir({ "in.yaml": two })]),
      /--node is required.*2 Nodes/,
    );
    expectInputError(
      await runCli(["render", "-f", fixtureDir({ "in.yaml": VALID_CONFIG })]),
      /--node is required/,
    );
  });

  it("rejects two objects with the same identity", async () => {
    const dir = fixtureDir({ "a.yaml": VALID_CONFIG, "b.yaml": VALID_CONFIG });
    expectInputError(
      await runCli(["validate", "-f", dir]),
      /b\.yaml:1:1: duplicate FRRConfiguration frr-k8s-system\/simple \(first defined at .*a\.yaml:1:1\)/,
    );
  });

  it("reads the same file only once", async () => {
    const dir = fixtureDir({ "in.yaml": `${NODE_WORKER_0}---\n${VALID_CONFIG}` });
    const run = await runCli(["validate", "-f", dir, "-f", join(dir, "in.yaml")]);
    assert.equal(run.code, 0, run.stderr);
  });

  it("rejects an unsupported apiVersion of a used kind", async () => {
    const text = VALID_CONFIG.replace("v1beta1", "v1alpha9");
    expectInputError(
      await runCli(["validate", "-f", fixtureDir({ "in.yaml": text })]),
      /in\.yaml:1:\d+: unsupported apiVersion frrk8s\.metallb\.io\/v1alpha9 for FRRConfiguration/,
    );
  });

  it("rejects an invalid log level in FRRK8sConfiguration config, with its line", async () => {
    const text = `${VALID_CONFIG}---\napiVersion: frrk8s.metallb.io/v1beta1\nkind: FRRK8sConfiguration\nmetadata:\n  name: config\nspec:\n  logLevel: loud\n`;
    expectInputError(
      await runCli(["validate", "-f", fixtureDir({ "in.yaml": text })]),
      new RegExp(
        `in\\.yaml:${lineOf(text, "logLevel: loud")}:\\d+: FRRK8sConfiguration config: logLevel must be`,
      ),
    );
  });

  it("rejects a non-string Node label, with its line", async () => {
    const text = `${NODE_WORKER_0}    rack: 12\n`;
    expectInputError(
      await runCli(["validate", "-f", fixtureDir({ "in.yaml": text })]),
      new RegExp(`in\\.yaml:${lineOf(text, "rack: 12")}:\\d+: label rack of Node worker-0 must be a string`),
    );
  });
});

describe("exit code 2: usage errors", { concurrency: 2 }, () => {
  const dir = fixtureDir({ "in.yaml": `${NODE_WORKER_0}---\n${VALID_CONFIG}` });

  it("rejects an unknown flag", async () => {
    const run = await runCli(["validate", "-f", dir, "--frobnicate"]);
    expectInputError(run, /unknown option '--frobnicate'/);
  });

  it("rejects an unknown subcommand and a missing subcommand", async () => {
    expectInputError(await runCli(["frobnicate"]), /unknown command 'frobnicate'/);
    const bare = await runCli([]);
    assert.equal(bare.code, 2);
    assertNoStackTrace(bare);
  });

  it("rejects a missing -f", async () => {
    expectInputError(
      await runCli(["render", "--node", "worker-0"]),
      /required option '-f, --filename <path>'/,
    );
  });

  it("rejects bad flag values", async () => {
    expectInputError(await runCli(["validate", "-f", dir, "-o", "xml"]), /Allowed choices are text, json/);
    expectInputError(
      await runCli(["render", "-f", dir, "--log-level", "loud"]),
      /Allowed choices are all, debug/,
    );
    expectInputError(await runCli(["render", "-f", dir, "--always-block", "10.0.0.0/33"]), /is not a CIDR/);
    expectInputError(await runCli(["render", "-f", dir, "--node-labels", "novalue"]), /is not a label/);
  });

  it("exits 0 for --help and --version", async () => {
    for (const args of [["--help"], ["render", "--help"], ["validate", "--help"], ["--version"]]) {
      const run = await runCli(args);
      assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
      assert.notEqual(run.stdout, "");
    }
  });
});
