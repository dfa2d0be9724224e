// `frrk8s validate` output: several nodes, de-duplication, JSON shape, line mapping.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertNoStackTrace, EXAMPLES, fixtureDir, lineOf, runCli } from "./helpers.ts";

interface JsonIssue {
  severity: string;
  code: string;
  object: { kind: string; namespace: string; name: string };
  path: string;
  message: string;
  source: { file: string; line: number; column: number } | null;
  conflictsWith: { object: unknown; path: string; source: unknown } | null;
  nodes: string[];
}

async function validateJson(args: string[]): Promise<{ code: number | null; issues: JsonIssue[] }> {
  const run = await runCli(["validate", "-o", "json", ...args]);
  assertNoStackTrace(run);
  return { code: run.code, issues: JSON.parse(run.stdout) as JsonIssue[] };
}

const node = (name: string, labels = ""): string =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels:\n    role: ${name.startsWith("w") ? "worker" : "infra"}\n${labels}`;

const BAD_FOR_ALL = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata:
  name: bad-for-all
  namespace: ns
spec:
  bgp:
    routers:
      - asn: 64512
        neighbors:
          - address: 10.0.0.999
            asn: 64512
`;

const BAD_FOR_WORKERS = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata:
  name: bad-for-workers
  namespace: ns
spec:
  nodeSelector:
    matchLabels:
      role: worker
  bgp:
    routers:
      - asn: 64512
        neighbors:
          - address: 10.0.0.2
`;

describe("validate", { concurrency: 2 }, () => {
  const text = [node("worker-b"), node("infra-a"), node("worker-a"), BAD_FOR_ALL, BAD_FOR_WORKERS].join(
    "---\n",
  );
  const dir = fixtureDir({ "cluster.yaml": text });

  it("checks every node without --node and de-duplicates issues across nodes", async () => {
    const { code, issues } = await validateJson(["-f", dir]);
    assert.equal(code, 1);
    const ip = issues.filter((i) => i.code === "INVALID_IP_ADDRESS");
    assert.equal(ip.length, 1, "one entry for the issue found on three nodes");
    assert.deepEqual(ip[0]?.nodes, ["infra-a", "worker-a", "worker-b"]);
    const asn = issues.filter((i) => i.object.name === "bad-for-workers");
    assert.ok(asn.length > 0);
    for (const issue of asn) assert.deepEqual(issue.nodes, ["worker-a", "worker-b"]);
  });

  it("checks only --node when given", async () => {
    const { issues } = await validateJson(["-f", dir, "--node", "infra-a"]);
    assert.ok(issues.length > 0);
    assert.ok(issues.every((i) => i.object.name === "bad-for-all" && i.nodes.join() === "infra-a"));
  });

  it("emits a stable JSON array shape", async () => {
    const { issues } = await validateJson(["-f", dir]);
    for (const issue of issues) {
      assert.deepEqual(Object.keys(issue), [
        "severity",
        "code",
        "object",
        "path",
        "message",
        "source",
        "conflictsWith",
        "nodes",
      ]);
      assert.deepEqual(Object.keys(issue.object), ["kind", "namespace", "name"]);
      assert.match(issue.severity, /^(error|warning)$/);
      assert.match(issue.code, /^[A-Z][A-Z0-9_]+$/);
    }
    const again = await validateJson(["-f", dir]);
    assert.deepEqual(again.issues, issues, "deterministic");
  });

  it("maps each issue to the line of the offending field", async () => {
    const { issues } = await validateJson(["-f", dir]);
    const ip = issues.find((i) => i.code === "INVALID_IP_ADDRESS");
    assert.deepEqual(ip?.source, {
      file: join(dir, "cluster.yaml"),
      line: lineOf(text, "10.0.0.999"),
      column: 13,
    });
  });

  it("maps issues of the invalid example to their lines", async () => {
    const file = join(EXAMPLES, "invalid", "invalid.yaml");
    const source = readFileSync(file, "utf8");
    const { issues } = await validateJson(["-f", file]);
    const lineFor = (code: string): number | undefined => issues.find((i) => i.code === code)?.source?.line;
    assert.equal(lineFor("INVALID_IP_ADDRESS"), lineOf(source, "address: 10.0.0.300"));
    assert.equal(lineFor("INVALID_COMMUNITY"), lineOf(source, "community: 64512:abc"));
    assert.equal(lineFor("KEEPALIVE_GREATER_THAN_HOLD"), lineOf(source, "keepaliveTime: 30s"));
    assert.equal(lineFor("ADVERTISED_PREFIX_NOT_IN_ROUTER"), lineOf(source, "- 10.9.9.0/24"));
    assert.equal(lineFor("DISABLE_MP_DEPRECATED"), lineOf(source, "disableMP: true"));
    const conflict = issues.find((i) => i.code === "ROUTER_ASN_CONFLICT");
    assert.ok(conflict?.conflictsWith);
    assert.equal((conflict.conflictsWith.source as { line: number }).line, lineOf(source, "- asn: 65000"));
  });

  it("prints text blocks with severity, code, object, field, file:line and message", async () => {
    const run = await runCli(["validate", "-f", dir]);
    assert.equal(run.code, 1);
    const block = new RegExp(
      [
        "^error INVALID_IP_ADDRESS: FRRConfiguration ns/bad-for-all",
        "  field:   spec\\.bgp\\.routers\\[0\\]\\.neighbors\\[0\\]\\.address",
        `  source:  .*cluster\\.yaml:${lineOf(text, "10.0.0.999")}:13`,
        "  message: .*10\\.0\\.0\\.999.*",
        "  nodes:   infra-a, worker-a, worker-b$",
      ].join("\n"),
      "m",
    );
    assert.match(run.stdout, block);
    assert.match(run.stdout, /^invalid: \d+ errors, 0 warnings on 3 nodes \(infra-a, worker-a, worker-b\)$/m);
  });

  it("checks a default node when the input has no Node", async () => {
    const { code, issues } = await validateJson(["-f", fixtureDir({ "in.yaml": BAD_FOR_ALL })]);
    assert.equal(code, 1);
    assert.deepEqual(issues[0]?.nodes, ["node"]);
  });

  it("notes configurations that select none of the checked nodes", async () => {
    const run = await runCli(["validate", "-f", dir, "--node", "infra-a"]);
    assert.match(run.stderr, /note: FRRConfiguration ns\/bad-for-workers selects none of the checked nodes/);
  });

  it("exits 0 when there are only warnings", async () => {
    const warn = `${BAD_FOR_ALL.replace("10.0.0.999", "10.0.0.9")}            disableMP: true\n`;
    const run = await runCli(["validate", "-f", fixtureDir({ "in.yaml": warn })]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^warning DISABLE_MP_DEPRECATED/m);
    assert.match(run.stdout, /^valid: 0 errors, 1 warning on 1 node \(node\)$/m);
  });

  it("maps issues of a configuration without a name (the core calls it #<index>)", async () => {
    const unnamed = BAD_FOR_ALL.replace("  name: bad-for-all\n", "");
    const text = `${BAD_FOR_WORKERS}---\n${unnamed}`;
    const { issues } = await validateJson([
      "-f",
      fixtureDir({ "in.yaml": text }),
      "--node",
      "n",
      "--node-labels",
      "x=y",
    ]);
    const ip = issues.find((i) => i.code === "INVALID_IP_ADDRESS");
    assert.equal(ip?.object.name, "#1");
    assert.equal(ip.source?.line, lineOf(text, "10.0.0.999"));
  });
});
