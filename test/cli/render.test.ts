// `frrk8s render`: flags and node facts reach the configuration.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertNoStackTrace, fixtureDir, runCli, VALID_CONFIG } from "./helpers.ts";

const V6_NODE = `apiVersion: v1
kind: Node
metadata:
  name: dummyhostname
status:
  addresses:
    - type: InternalIP
      address: fd00::5
`;

const LOG_CONFIG = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRK8sConfiguration
metadata:
  name: config
  namespace: frr-k8s-system
spec:
  logLevel: warn
`;

describe("render", { concurrency: 2 }, () => {
  it("reads from stdin with -f -", async () => {
    const run = await runCli(["render", "-f", "-", "--node", "n1"], { input: VALID_CONFIG });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ neighbor 172\.30\.0\.3 remote-as 64512$/m);
  });

  it("reports a syntax error on stdin as <stdin>:line:column", async () => {
    const run = await runCli(["validate", "-f", "-"], { input: "a: [1\n" });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^frrk8s: <stdin>:\d+:\d+: YAML syntax error/);
    assertNoStackTrace(run);
  });

  it("derives the router-id on an IPv6-only node (Node status.addresses)", async () => {
    const run = await runCli(["render", "-f", fixtureDir({ "in.yaml": `${V6_NODE}---\n${VALID_CONFIG}` })]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ bgp router-id 167\.62\.253\.30$/m);
  });

  it("passes --always-block, --log-level and --hostname", async () => {
    const dir = fixtureDir({ "in.yaml": VALID_CONFIG });
    const args = ["render", "-f", dir, "--node", "n1", "--hostname", "h1", "--log-level", "error"];
    const run = await runCli([...args, "--always-block", "192.168.1.0/24,fc00::/64"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^hostname h1$/m);
    assert.match(run.stdout, /^log stdout errors$/m);
    assert.match(
      run.stdout,
      /^ip prefix-list 172\.30\.0\.3-denied-inpl-ipv4 seq \d+ permit 192\.168\.1\.0\/24 le 32$/m,
    );
    assert.match(
      run.stdout,
      /^ipv6 prefix-list 172\.30\.0\.3-denied-inpl-ipv4 seq \d+ permit fc00::\/64 le 128$/m,
    );
  });

  it("takes the log level of the FRRK8sConfiguration named config over --log-level", async () => {
    const dir = fixtureDir({ "in.yaml": `${VALID_CONFIG}---\n${LOG_CONFIG}` });
    const run = await runCli(["render", "-f", dir, "--node", "n1", "--log-level", "debug"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^log stdout warnings$/m);
  });

  it("applies --node-labels to node selection", async () => {
    const selective = VALID_CONFIG.replace(
      "spec:\n",
      "spec:\n  nodeSelector:\n    matchLabels:\n      rack: r1\n",
    );
    const dir = fixtureDir({ "in.yaml": selective });
    const selected = await runCli(["render", "-f", dir, "--node", "n1", "--node-labels", "rack=r1"]);
    assert.equal(selected.code, 0, selected.stderr);
    assert.match(selected.stdout, /^router bgp 64512$/m);
    const other = await runCli(["render", "-f", dir, "--node", "n1", "--node-labels", "rack=r2"]);
    assert.equal(other.code, 0, other.stderr);
    assert.doesNotMatch(other.stdout, /^router bgp/m);
    assert.match(other.stderr, /note: no FRRConfiguration selects node n1/);
  });

  it("prints warnings on stderr and still renders", async () => {
    const warn = `${VALID_CONFIG}            disableMP: true\n`;
    const run = await runCli(["render", "-f", fixtureDir({ "in.yaml": warn }), "--node", "n1"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^warning DISABLE_MP_DEPRECATED: FRRConfiguration frr-k8s-system\/simple$/m);
    assert.match(run.stdout, /^router bgp 64512$/m);
  });

  it("ignores kinds it does not use and unpacks Lists", async () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: unrelated}
  - ${VALID_CONFIG.trimEnd().replaceAll("\n", "\n    ")}
`;
    const run = await runCli(["render", "-f", fixtureDir({ "list.yaml": list }), "--node", "n1"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^router bgp 64512$/m);
  });

  it("reads JSON files", async () => {
    const json = JSON.stringify({
      apiVersion: "frrk8s.metallb.io/v1beta1",
      kind: "FRRConfiguration",
      metadata: { name: "j", namespace: "ns" },
      spec: { bgp: { routers: [{ asn: 65001 }] } },
    });
    const run = await runCli(["render", "-f", fixtureDir({ "c.json": json }), "--node", "n1"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^router bgp 65001$/m);
  });
});
