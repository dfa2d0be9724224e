import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { directorySource } from "./directory-source.ts";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "frrk8s-dir-source-"));
}

const NODE = `apiVersion: v1
kind: Node
metadata: {name: n1, labels: {rack: r1}}
`;
const CONFIG = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: c, namespace: frr-k8s-system}
spec: {bgp: {routers: [{asn: 64512}]}}
`;

test("reads configurations, the node's labels and the log level from a directory", async (t) => {
  const dir = tempDir();
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, "node.yaml"), NODE);
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  writeFileSync(
    join(dir, "level.yaml"),
    "apiVersion: frrk8s.metallb.io/v1beta1\nkind: FRRK8sConfiguration\nmetadata: {name: config, namespace: frr-k8s-system}\nspec: {logLevel: debug}\n",
  );
  const inputs = await directorySource({ dir, nodeName: "n1", extraLabels: { zone: "z" } }).read();
  assert.deepEqual(inputs.readProblems, []);
  assert.deepEqual(inputs.nodeLabels, { "kubernetes.io/hostname": "n1", rack: "r1", zone: "z" });
  assert.equal(inputs.configurations.length, 1);
  assert.equal(inputs.logLevel, "debug");
});

test("a broken file is a read problem, not an exception", async (t) => {
  const dir = tempDir();
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, "bad.yaml"), "kind: [unclosed\n");
  const inputs = await directorySource({ dir, nodeName: "n1" }).read();
  assert.equal(inputs.readProblems.length, 1);
  assert.match(inputs.readProblems[0]!, /bad\.yaml:\d+:\d+: YAML syntax error/);
});

test("a change in the directory is noticed", async (t) => {
  const dir = tempDir();
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  const source = directorySource({ dir, nodeName: "n1", rescanMs: 60_000 });
  let changes = 0;
  const handle = source.watch(() => changes++);
  t.after(() => {
    handle.close();
  });
  writeFileSync(join(dir, "other.yaml"), CONFIG.replace("name: c", "name: d"));
  for (let i = 0; i < 50 && changes === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(changes > 0, "no change event within 1 s");
});

test("a file still being written is read once it is complete, not while empty", async (t) => {
  const dir = tempDir();
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, "node.yaml"), NODE);
  // What a plain write looks like to a reader between its truncate and its write.
  writeFileSync(join(dir, "config.yaml"), "");
  const reading = directorySource({ dir, nodeName: "n1", settleMs: 150 }).read();
  await new Promise((r) => setTimeout(r, 40));
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  const inputs = await reading;
  assert.deepEqual(inputs.readProblems, []);
  assert.equal(inputs.configurations.length, 1, "the half-written file was taken as it was");
});

test("a directory that has been still is read without waiting", async (t) => {
  const dir = tempDir();
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  await new Promise((r) => setTimeout(r, 60));
  const started = performance.now();
  const inputs = await directorySource({ dir, nodeName: "n1", settleMs: 50 }).read();
  assert.equal(inputs.configurations.length, 1);
  assert.ok(performance.now() - started < 40, "waited although nothing changed recently");
});
