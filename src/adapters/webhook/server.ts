// The webhook's HTTPS endpoint (node:https):
//   POST /validate-frrk8s-metallb-io-v1beta1-frrconfiguration   AdmissionReview v1 in and out
//   GET  /healthz                                                200 {"status":"ok"}
// Other methods on those paths get 405, other paths 404. Bodies are capped; a body that is not
// an AdmissionReview gets 400; a failure inside the decision gets 500. Nothing here throws out
// of a request. A renewed certificate is taken by setCertificate() for new connections.
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AdmissionDecision, AdmissionRequestView } from "../../core/admission/admit.ts";
import { listenOn } from "../http/listen.ts";
import { parseReview, reviewResponse } from "./admission-review.ts";

export const VALIDATE_PATH = "/validate-frrk8s-metallb-io-v1beta1-frrconfiguration";
export const HEALTH_PATH = "/healthz";
/** The apiserver limits objects to ~3 MiB; a review holds the object and the old one. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface ServingCertificate {
  cert: string;
  key: string;
}

export interface WebhookServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  certificate: ServingCertificate;
  decide: (request: AdmissionRequestView, resource: string) => AdmissionDecision;
  /** Told about every review (for logs) and about failures (never about an object's content). */
  onReview?: (outcome: { allowed: boolean; object: string; durationMs: number }) => void;
  onError?: (reason: string) => void;
  maxBodyBytes?: number;
}

export interface WebhookServer {
  readonly host: string;
  readonly port: number;
  /** `https://host:port` */
  readonly url: string;
  setCertificate(certificate: ServingCertificate): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(code, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...extra,
  });
  res.end(text);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

function objectName(namespace: string, name: string): string {
  return `FRRConfiguration ${namespace}/${name || "<generated>"}`;
}

async function validate(
  options: WebhookServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  let body: string;
  try {
    body = await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
  } catch (err) {
    const tooLarge = err instanceof BodyTooLarge;
    send(res, tooLarge ? 413 : 400, { error: tooLarge ? "request body too large" : "unreadable body" });
    if (tooLarge) req.resume();
    return;
  }
  const parsed = parseReview(body);
  if (!parsed.ok) {
    send(res, 400, { error: parsed.reason });
    return;
  }
  const { uid, request, resource } = parsed.review;
  const decision = options.decide(request, resource);
  send(res, 200, reviewResponse(uid, decision));
  options.onReview?.({
    allowed: decision.allowed,
    object: objectName(request.namespace, request.name),
    durationMs: performance.now() - started,
  });
}

async function handle(
  options: WebhookServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = pathOf(req);
  const method = path === VALIDATE_PATH ? "POST" : path === HEALTH_PATH ? "GET" : undefined;
  if (method === undefined) {
    send(res, 404, { error: "not found" });
    return;
  }
  if (req.method !== method) {
    send(res, 405, { error: "method not allowed" }, { Allow: method });
    return;
  }
  if (path === HEALTH_PATH) {
    send(res, 200, { status: "ok" });
    return;
  }
  try {
    await validate(options, req, res);
  } catch (err) {
    options.onError?.(err instanceof Error ? err.message : String(err));
    if (!res.headersSent) send(res, 500, { error: "internal error" });
    else res.destroy();
  }
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const server = createServer(
    { ...options.certificate, requestTimeout: 30_000, headersTimeout: 10_000, minVersion: "TLSv1.2" },
    (req, res) => {
      void handle(options, req, res);
    },
  );
  server.keepAliveTimeout = 30_000;
  // A client that fails the handshake (wrong CA, a port scan) is not a server error.
  server.on("tlsClientError", () => undefined);
  const bound = await listenOn(server, options.host, options.port);
  server.on("error", (err) => options.onError?.(err.message));
  return {
    host: bound.host,
    port: bound.port,
    url: `https://${bound.urlHost}:${String(bound.port)}`,
    setCertificate: (certificate) => {
      server.setSecureContext({ ...certificate, minVersion: "TLSv1.2" });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
