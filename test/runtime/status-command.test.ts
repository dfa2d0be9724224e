// `frrk8s status` against a real status server on a loopback ephemeral port: in process through
// runCli, and once through the real binary.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startStatusServer, type StatusServer } from "../../src/adapters/http/status-server.ts";
import { formatTable, formatUptime } from "../../src/cli/commands/status.ts";
import { runCli } from "../../src/cli/run.ts";
import type { Issue } from "../../src/core/issues.ts";
import type { NodeStatus } from "../../src/ports/node-status.ts";
import { AgentMetrics } from "../../src/runtime/metrics.ts";
import { assertNoStackTrace, runCli as runBin } from "../cli/helpers.ts";
import { PASSWORD, nodeStatus } from "./status-fixtures.ts";

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}

function issue(n: number, severity: Issue["severity"] = "error"): Issue {
  return {
    code: "NEIGHBOR_NO_ASN",
    severity,
    path: `spec.bgp.routers[0].neighbors[${n}].asn`,
    object: { kind: "FRRConfiguration", namespace: "metallb", name: `config-${n}` },
    message: `neighbor ${n} has no ASN`,
  };
}

describe("frrk8s status", () => {
  const state: { status: NodeStatus | undefined } = { status: nodeStatus() };
  let server: StatusServer;

  before(async () => {
    server = await startStatusServer({
      port: 0,
      metrics: new AgentMetrics(),
      ready: () => true,
      status: () => state.status,
    });
  });
  after(async () => {
    await server.close();
  });

  it("prints the summary and one table row per session", async () => {
    state.status = nodeStatus();
    const r = await run(["status", "--url", server.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(
      r.stdout,
      [
        "node:         node-1",
        "conversion:   success",
        "reload:       success",
        "config stale: no",
        "last applied: 2025-01-02T03:04:05.000Z",
        "resets:       none",
        "unconverged:  none",
        "issues:       0",
        "sessions:     2 (1 established)",
        "",
        "VRF      PEER         BGP          BFD  UPTIME  SENT  RECEIVED",
        "default  192.168.1.2  Established  Up   1h2m    3     5",
        "red      fc00::2      Active       Up   9s      3     5",
        "",
      ].join("\n"),
    );
  });

  it("names the sessions the last apply reset, and why", async () => {
    state.status = nodeStatus({
      lastApplyResets: [
        { vrf: "", neighbor: "192.168.1.2", reason: "neighbor password" },
        { vrf: "red", neighbor: "*", reason: "bgp router-id" },
      ],
    });
    const r = await run(["status", "--url", server.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^resets: {7}192\.168\.1\.2 \(neighbor password\), red\/\* \(bgp router-id\)$/m);
  });

  it("shows the lines FRR runs differently from what was applied, redacted", async () => {
    state.status = nodeStatus({
      unconverged: [...Array(7).keys()].map(
        (n) => ` neighbor 192.0.2.${String(n)} password s3cret-${String(n)}`,
      ),
    });
    const r = await run(["status", "--url", server.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^unconverged: {2}7 lines FRR runs differently$/m);
    assert.match(r.stdout, /^ {2}neighbor 192\.0\.2\.0 password <retracted>$/m);
    assert.match(r.stdout, /^ {2}\.\.\. and 2 more$/m);
    assert.doesNotMatch(r.stdout, /s3cret/);
    state.status = nodeStatus({ unconverged: [] });
    assert.match((await run(["status", "--url", server.url])).stdout, /^unconverged: {2}none$/m);
  });

  it("shows the issue count and the first few issues, the stale flag and the reload error", async () => {
    state.status = nodeStatus({
      lastConversionResult: "failed: 7 issues",
      lastReloadResult: "line 3: % Unknown command\nline 4: more",
      configStale: true,
      issues: [...[0, 1, 2, 3, 4, 5].map((n) => issue(n)), issue(6, "warning")],
      sessions: [],
    });
    const r = await run(["status", "--url", `${server.url}/`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^conversion: {3}failed: 7 issues$/m);
    assert.match(r.stdout, /^reload: {7}line 3: % Unknown command \(\+1 more lines\)$/m);
    assert.match(r.stdout, /^config stale: yes/m);
    assert.match(r.stdout, /^issues: {7}7 \(6 errors, 1 warning\)$/m);
    assert.match(
      r.stdout,
      /^ {2}error NEIGHBOR_NO_ASN: FRRConfiguration metallb\/config-0 spec\.bgp\.routers\[0\]\.neighbors\[0\]\.asn: neighbor 0 has no ASN$/m,
    );
    assert.match(r.stdout, /config-4/);
    assert.doesNotMatch(r.stdout, /config-5/);
    assert.match(r.stdout, /^ {2}\.\.\. and 2 more$/m);
    assert.match(r.stdout, /^no BGP sessions$/m);
  });

  it("--output json prints the status as JSON", async () => {
    state.status = nodeStatus();
    const r = await run(["status", "--url", server.url, "--output", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(state.status)));
  });

  it("never prints a password, in either format", async () => {
    state.status = nodeStatus({
      runningConfig: `router bgp 1\n neighbor 10.0.0.1 password ${PASSWORD}\n`,
      lastReloadResult: `neighbor 10.0.0.1 password ${PASSWORD}`,
    });
    for (const output of ["text", "json"]) {
      const r = await run(["status", "--url", server.url, "-o", output]);
      assert.equal(r.code, 0);
      assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD), output);
    }
  });

  it("says so when the agent has no status yet, exit 0", async () => {
    state.status = undefined;
    const r = await run(["status", "--url", server.url]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /no status yet/);
  });

  it("exits 2 with one line when the agent cannot be reached", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(["status", "--url", url]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `frrk8s: cannot reach the agent at ${url}: connection refused (is the agent running?)\n`,
    );
  });

  it("exits 2 when the server is not an frrk8s agent", async () => {
    const other = createServer((_req, res) => res.writeHead(404).end("nope"));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const { port } = other.address() as AddressInfo;
    try {
      const r = await run(["status", "--url", `http://127.0.0.1:${port}`]);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^frrk8s: http:\/\/127\.0\.0\.1:\d+\/status answered HTTP 404: is this an frrk8s agent\?\n$/,
      );
    } finally {
      await new Promise<void>((resolve) => {
        other.close(() => {
          resolve();
        });
      });
    }
  });

  it("rejects a URL that is not http(s) as a usage error", async () => {
    const r = await run(["status", "--url", "ftp://x"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not an http\(s\) URL/);
  });

  it("works through the real binary: exit 0 when reachable, 2 without a stack trace when not", async () => {
    state.status = nodeStatus();
    const ok = await runBin(["status", "--url", server.url]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /192\.168\.1\.2 +Established/);
    const down = await runBin(["status", "--url", `http://127.0.0.1:${await closedPort()}`]);
    assert.equal(down.code, 2);
    assert.equal(down.stderr.split("\n").length, 2, down.stderr);
    assertNoStackTrace(down);
  });
});

describe("status formatting helpers", () => {
  it("formatUptime keeps the two largest units", () => {
    assert.equal(formatUptime(undefined), "-");
    assert.equal(formatUptime(999), "0s");
    assert.equal(formatUptime(59_000), "59s");
    assert.equal(formatUptime(61_000), "1m1s");
    assert.equal(formatUptime(3_723_000), "1h2m");
    assert.equal(formatUptime(2 * 86_400_000 + 3 * 3_600_000 + 5_000), "2d3h");
  });

  it("formatTable pads columns and trims trailing spaces", () => {
    assert.equal(
      formatTable([
        ["a", "bb", ""],
        ["ccc", "d", "e"],
      ]),
      "a    bb\nccc  d   e\n",
    );
  });
});
