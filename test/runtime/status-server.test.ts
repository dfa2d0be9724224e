import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { after, before, describe, it } from "node:test";
import {
  startStatusServer,
  type StatusServer,
  type StatusServerOptions,
} from "../../src/adapters/http/status-server.ts";
import type { NodeStatus } from "../../src/ports/node-status.ts";
import { AgentMetrics } from "../../src/runtime/metrics.ts";
import { PASSWORD, nodeStatus } from "./status-fixtures.ts";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  server: StatusServer,
  path: string,
  method = "GET",
  agent: Agent | false = false,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: server.host, port: server.port, path, method, agent, timeout: 5_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.end();
  });
}

describe("status server", () => {
  const state: { ready: boolean; status: NodeStatus | undefined } = { ready: false, status: undefined };
  const metrics = new AgentMetrics();
  const errors: string[] = [];
  let server: StatusServer;

  before(async () => {
    server = await startStatusServer({
      host: "127.0.0.1",
      port: 0,
      metrics,
      ready: () => state.ready,
      status: () => state.status,
      onError: (reason) => errors.push(reason),
    });
  });
  after(async () => {
    await server.close();
  });

  it("binds the asked loopback address on an ephemeral port", () => {
    assert.equal(server.host, "127.0.0.1");
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  });

  it("/healthz answers 200 while the process is alive", async () => {
    const reply = await call(server, "/healthz");
    assert.equal(reply.status, 200);
    assert.equal(reply.body, "ok\n");
  });

  it("/readyz follows ready()", async () => {
    state.ready = false;
    assert.equal((await call(server, "/readyz")).status, 503);
    state.ready = true;
    const reply = await call(server, "/readyz");
    assert.equal(reply.status, 200);
    assert.equal(reply.body, "ok\n");
  });

  it("/metrics serves the Prometheus text format of the registry", async () => {
    metrics.reconciled(false);
    const reply = await call(server, "/metrics");
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    assert.match(reply.body, /^# TYPE frrk8s_k8s_client_updates_total counter$/m);
    assert.match(reply.body, /^frrk8s_k8s_client_updates_total 1$/m);
  });

  it("/status is 503 before the first status, then the status as JSON", async () => {
    state.status = undefined;
    const before = await call(server, "/status");
    assert.equal(before.status, 503);
    assert.match(before.body, /no status yet/);
    state.status = nodeStatus();
    const reply = await call(server, "/status?pretty");
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers["content-type"]), /^application\/json/);
    assert.equal(reply.headers["cache-control"], "no-store");
    assert.deepEqual(JSON.parse(reply.body), JSON.parse(JSON.stringify(state.status)));
  });

  it("/status redacts passwords a producer let through", async () => {
    state.status = nodeStatus({
      runningConfig: `router bgp 1\n neighbor 10.0.0.1 password ${PASSWORD}\n`,
      lastReloadResult: `line 2: neighbor 10.0.0.1 password ${PASSWORD}: rejected`,
    });
    const reply = await call(server, "/status");
    assert.equal(reply.status, 200);
    assert.ok(!reply.body.includes(PASSWORD), reply.body);
    const status = JSON.parse(reply.body) as NodeStatus;
    assert.equal(status.runningConfig, "router bgp 1\n neighbor 10.0.0.1 password <retracted>\n");
  });

  it("HEAD is answered like GET, without a body", async () => {
    const reply = await call(server, "/healthz", "HEAD");
    assert.equal(reply.status, 200);
    assert.equal(reply.body, "");
    assert.equal(reply.headers["content-length"], "3");
  });

  it("404 for unknown paths, 405 for other methods", async () => {
    assert.equal((await call(server, "/")).status, 404);
    assert.equal((await call(server, "/metrics/x")).status, 404);
    assert.equal((await call(server, "/constructor")).status, 404);
    const post = await call(server, "/status", "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers["allow"], "GET, HEAD");
    assert.equal((await call(server, "/metrics", "DELETE")).status, 405);
  });

  it("500 when the metrics cannot be collected, and the server goes on", async () => {
    const failing: StatusServerOptions = {
      port: 0,
      metrics: { exposition: () => Promise.reject(new Error("collector broke")) },
      ready: () => true,
      status: () => undefined,
      onError: (reason) => errors.push(reason),
    };
    const broken = await startStatusServer(failing);
    try {
      assert.equal((await call(broken, "/metrics")).status, 500);
      assert.equal((await call(broken, "/healthz")).status, 200);
      assert.ok(errors.includes("collector broke"));
    } finally {
      await broken.close();
    }
  });

  it("rejects when the port is taken", async () => {
    await assert.rejects(
      startStatusServer({
        host: "127.0.0.1",
        port: server.port,
        metrics,
        ready: () => true,
        status: () => undefined,
      }),
      /EADDRINUSE/,
    );
  });

  it("close() ends kept-alive connections too", async () => {
    const other = await startStatusServer({ port: 0, metrics, ready: () => true, status: () => undefined });
    const keepAlive = new Agent({ keepAlive: true });
    await call(other, "/healthz", "GET", keepAlive);
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 2_000);
    await assert.rejects(call(other, "/healthz"), /ECONNREFUSED/);
    keepAlive.destroy();
  });
});
