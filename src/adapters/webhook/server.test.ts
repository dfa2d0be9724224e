import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:https";
import { generateBundle, servingIdentity } from "./certs.ts";
import { HEALTH_PATH, startWebhookServer, VALIDATE_PATH, type WebhookServer } from "./server.ts";

let server: WebhookServer;
let ca: string;
const seen: string[] = [];

interface Reply {
  status: number;
  body: string;
}

function call(method: string, path: string, body?: string | Buffer, caCert = ca): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { method, ca: caCert, servername: "localhost", agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function review(uid: string, object: unknown): string {
  return JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid,
      operation: "CREATE",
      namespace: "ns",
      name: "a",
      resource: { group: "frrk8s.metallb.io", version: "v1beta1", resource: "frrconfigurations" },
      object,
    },
  });
}

before(async () => {
  const bundle = await generateBundle(servingIdentity("svc", "ns", ["127.0.0.1", "localhost"]), new Date());
  ca = bundle.caCert;
  server = await startWebhookServer({
    host: "127.0.0.1",
    port: 0,
    certificate: bundle,
    maxBodyBytes: 64 * 1024,
    decide: (req, resource) => {
      seen.push(resource);
      return req.object === "deny"
        ? { allowed: false, code: 403, message: "spec.x: BAD: no", warnings: ["w1"] }
        : { allowed: true, code: 200, message: "", warnings: [] };
    },
  });
});

after(async () => {
  await server.close();
});

test("GET /healthz answers 200 {status: ok}; other methods 405, other paths 404", async () => {
  assert.deepEqual(await call("GET", HEALTH_PATH), { status: 200, body: '{"status":"ok"}\n' });
  assert.equal((await call("POST", HEALTH_PATH, "{}")).status, 405);
  assert.equal((await call("GET", VALIDATE_PATH)).status, 405);
  assert.equal((await call("GET", "/metrics")).status, 404);
});

test("an AdmissionReview is answered with the uid echoed, the decision, status and warnings", async () => {
  const denied = await call("POST", VALIDATE_PATH, review("uid-1", "deny"));
  assert.equal(denied.status, 200);
  assert.deepEqual(JSON.parse(denied.body), {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    response: {
      uid: "uid-1",
      allowed: false,
      status: { code: 403, message: "spec.x: BAD: no", reason: "Forbidden" },
      warnings: ["w1"],
    },
  });
  const allowed = JSON.parse((await call("POST", VALIDATE_PATH, review("uid-2", {}))).body) as unknown;
  assert.deepEqual(allowed, {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    response: { uid: "uid-2", allowed: true },
  });
  assert.equal(seen.at(-1), "frrk8s.metallb.io/v1beta1/frrconfigurations");
});

test("bad bodies get 400, oversized ones 413, and the server keeps serving", async () => {
  for (const body of ["not json", "[]", '{"apiVersion":"v1","kind":"Pod"}', review("", {})]) {
    assert.equal((await call("POST", VALIDATE_PATH, body)).status, 400, body);
  }
  assert.equal((await call("POST", VALIDATE_PATH, Buffer.alloc(200 * 1024, 0x20))).status, 413);
  assert.equal((await call("GET", HEALTH_PATH)).status, 200);
});

test("a renewed certificate is served to new connections without a restart", async () => {
  const renewed = await generateBundle(servingIdentity("svc", "ns", ["127.0.0.1", "localhost"]), new Date());
  server.setCertificate(renewed);
  assert.equal((await call("GET", HEALTH_PATH, undefined, renewed.caCert)).status, 200);
  await assert.rejects(call("GET", HEALTH_PATH, undefined, ca));
});
