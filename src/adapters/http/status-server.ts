// The agent's local HTTP endpoint (node:http, plain HTTP, loopback by default):
//   GET /metrics  Prometheus text exposition
//   GET /healthz  200 while the process is alive
//   GET /readyz   200 once ready() says so (first successful reconcile, FRR daemons up), else 503
//   GET /status   the current NodeStatus as JSON (503 before the first one)
// HEAD is accepted wherever GET is; other methods get 405, other paths 404.
//
// The NodeStatus is redacted by its producer; the running config and FRR's reload result go
// through redactPasswords once more here, so a producer bug cannot leak a password over HTTP.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { redactPasswords } from "../../core/redact.ts";
import { listenOn } from "./listen.ts";
import type { NodeStatus } from "../../ports/node-status.ts";

export const DEFAULT_STATUS_HOST = "127.0.0.1";
export const DEFAULT_STATUS_PORT = 9140;

export interface MetricsSource {
  exposition(): Promise<{ contentType: string; body: string }>;
}

export interface StatusServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 9140; 0 picks a free port (tests). */
  port?: number;
  metrics: MetricsSource;
  ready: () => boolean;
  /** The current status; undefined before the first reconcile. */
  status: () => NodeStatus | undefined;
  /** Told about failures while serving (never about a request's content). */
  onError?: (reason: string) => void;
}

export interface StatusServer {
  /** The bound address (the real port when 0 was asked). */
  readonly host: string;
  readonly port: number;
  /** `http://host:port` */
  readonly url: string;
  /** Stop listening and close open connections. */
  close(): Promise<void>;
}

type Handler = (options: StatusServerOptions, res: ServerResponse) => Promise<void> | void;

const ROUTES: Readonly<Record<string, Handler>> = {
  "/metrics": serveMetrics,
  "/healthz": (_options, res) => {
    send(res, 200, "text/plain; charset=utf-8", "ok\n");
  },
  "/readyz": (options, res) => {
    const ready = options.ready();
    send(res, ready ? 200 : 503, "text/plain; charset=utf-8", ready ? "ok\n" : "not ready\n");
  },
  "/status": serveStatus,
};

function send(res: ServerResponse, code: number, contentType: string, body: string): void {
  res.writeHead(code, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function sendJson(res: ServerResponse, code: number, value: unknown): void {
  send(res, code, "application/json; charset=utf-8", `${JSON.stringify(value, null, 2)}\n`);
}

async function serveMetrics(options: StatusServerOptions, res: ServerResponse): Promise<void> {
  const { contentType, body } = await options.metrics.exposition();
  send(res, 200, contentType, body);
}

/** The status as served: passwords redacted once more in every FRR-provided text. */
export function redactedStatus(status: NodeStatus): NodeStatus {
  return {
    ...status,
    runningConfig: redactPasswords(status.runningConfig),
    lastReloadResult: redactPasswords(status.lastReloadResult),
  };
}

function serveStatus(options: StatusServerOptions, res: ServerResponse): void {
  const status = options.status();
  if (status === undefined) {
    sendJson(res, 503, { error: "no status yet: the first reconcile has not finished" });
    return;
  }
  sendJson(res, 200, redactedStatus(status));
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

async function handle(
  options: StatusServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const route = Object.hasOwn(ROUTES, pathOf(req)) ? ROUTES[pathOf(req)] : undefined;
  if (route === undefined) {
    send(res, 404, "text/plain; charset=utf-8", "not found\n");
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    send(res, 405, "text/plain; charset=utf-8", "method not allowed\n");
    return;
  }
  try {
    await route(options, res);
  } catch (err) {
    options.onError?.(err instanceof Error ? err.message : String(err));
    if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
    else res.destroy();
  }
}

/** Start serving. Rejects when the address cannot be bound (EADDRINUSE, EACCES, ...). */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (req, res) => {
    void handle(options, req, res);
  });
  server.keepAliveTimeout = 5_000;
  const bound = await listenOn(
    server,
    options.host ?? DEFAULT_STATUS_HOST,
    options.port ?? DEFAULT_STATUS_PORT,
  );
  server.on("error", (err) => options.onError?.(err.message));
  return {
    host: bound.host,
    port: bound.port,
    url: `http://${bound.urlHost}:${String(bound.port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
