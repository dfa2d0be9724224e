import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { inClusterSettings, KubeApiAccess, kubeconfigSettings, loadKubeAccess } from "./access.ts";

const dir = mkdtempSync(join(tmpdir(), "frrk8s-access-"));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const kubeconfig = (cluster: object, user: object) => ({
  "current-context": "ctx",
  contexts: [
    { name: "other", context: { cluster: "nope", user: "nope" } },
    { name: "ctx", context: { cluster: "c", user: "u" } },
  ],
  clusters: [{ name: "c", cluster }],
  users: [{ name: "u", user }],
});

const headersOf = async (access: KubeApiAccess): Promise<unknown> => {
  const options: RequestOptions = { headers: { Accept: "application/json" } };
  await access.applyToHTTPSOptions(options);
  return options.headers;
};

describe("kubeconfigSettings", () => {
  test("current context: server, CA data, skip-verify, token", () => {
    const ca = Buffer.from("CA PEM");
    const settings = kubeconfigSettings(
      kubeconfig(
        { server: "https://10.0.0.1:6443", "certificate-authority-data": ca.toString("base64") },
        { token: "t0k" },
      ),
      dir,
    );
    assert.equal(settings.server, "https://10.0.0.1:6443");
    assert.deepEqual(settings.tls, { ca });
    assert.deepEqual(settings.credentials, { kind: "token", token: "t0k" });
    const insecure = kubeconfigSettings(
      kubeconfig({ server: "https://h", "insecure-skip-tls-verify": true }, {}),
      dir,
    );
    assert.deepEqual(insecure.tls, { rejectUnauthorized: false });
    assert.deepEqual(insecure.credentials, { kind: "none" });
  });

  test("files relative to the kubeconfig: CA, client certificate and key, token file", () => {
    writeFileSync(join(dir, "ca.crt"), "ca");
    writeFileSync(join(dir, "client.crt"), "cert");
    writeFileSync(join(dir, "client.key"), "key");
    const settings = kubeconfigSettings(
      kubeconfig(
        { server: "https://h", "certificate-authority": "ca.crt", "tls-server-name": "api" },
        { "client-certificate": "client.crt", "client-key": "client.key", tokenFile: "token" },
      ),
      dir,
    );
    assert.deepEqual(settings.tls, {
      ca: Buffer.from("ca"),
      cert: Buffer.from("cert"),
      key: Buffer.from("key"),
      servername: "api",
    });
    assert.deepEqual(settings.credentials, { kind: "tokenFile", path: join(dir, "token") });
  });

  test("exec and auth-provider users, basic auth and proxies: an error naming them", () => {
    assert.throws(
      () => kubeconfigSettings(kubeconfig({ server: "https://h" }, { exec: { command: "aws" } }), dir),
      /user "u": exec credential plugins not supported/,
    );
    assert.throws(
      () =>
        kubeconfigSettings(kubeconfig({ server: "https://h" }, { "auth-provider": { name: "gcp" } }), dir),
      /auth-provider plugins not supported/,
    );
    assert.throws(
      () => kubeconfigSettings(kubeconfig({ server: "https://h", "proxy-url": "http://p" }, {}), dir),
      /proxy-url not supported/,
    );
  });

  test("a missing context, cluster or server: an error", () => {
    assert.throws(() => kubeconfigSettings({ contexts: [] }, dir), /no current-context/);
    assert.throws(
      () => kubeconfigSettings({ ...kubeconfig({}, {}), "current-context": "gone" }, dir),
      /no context named "gone"/,
    );
    assert.throws(() => kubeconfigSettings(kubeconfig({}, {}), dir), /has no server/);
  });
});

describe("KubeApiAccess", () => {
  test("in cluster: the service address (IPv6 bracketed), the CA, the token file read", async () => {
    writeFileSync(join(dir, "token"), "sa-token\n");
    writeFileSync(join(dir, "ca.crt"), "ca");
    const env = { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" };
    const settings = inClusterSettings(env, dir);
    assert.equal(settings.server, "https://[fd00::1]:443");
    assert.deepEqual(settings.tls, { ca: Buffer.from("ca") });
    const access = new KubeApiAccess(settings);
    assert.deepEqual(await headersOf(access), {
      Accept: "application/json",
      Authorization: "Bearer sa-token",
    });
    assert.throws(() => inClusterSettings(env, join(dir, "none")), /no service account token/);
  });

  test("Watch's request context: the header and one undici dispatcher with the TLS settings", async () => {
    const access = new KubeApiAccess({
      server: "https://h:6443/",
      tls: { rejectUnauthorized: false },
      credentials: { kind: "token", token: "t" },
    });
    assert.deepEqual(access.getCurrentCluster(), { server: "https://h:6443" });
    const headers: Record<string, string> = {};
    const dispatchers: unknown[] = [];
    const context = {
      setHeaderParam: (key: string, value: string) => (headers[key] = value),
      setDispatcher: (d: unknown) => dispatchers.push(d),
    };
    await access.applySecurityAuthentication(context);
    await access.applySecurityAuthentication(context);
    assert.deepEqual(headers, { Authorization: "Bearer t" });
    assert.equal(dispatchers.length, 2);
    assert.equal(dispatchers[0], dispatchers[1], "one dispatcher, its connections reused");
    assert.equal(typeof (dispatchers[0] as { dispatch?: unknown }).dispatch, "function");
  });

  test("loadKubeAccess: a kubeconfig file, else an error without one nor a service account", async () => {
    const path = join(dir, "kubeconfig");
    writeFileSync(
      path,
      "current-context: ctx\ncontexts: [{name: ctx, context: {cluster: c, user: u}}]\n" +
        "clusters: [{name: c, cluster: {server: 'http://127.0.0.1:8080'}}]\nusers: [{name: u, user: {token: x}}]\n",
    );
    const access = await loadKubeAccess(path);
    assert.deepEqual(access.getCurrentCluster(), { server: "http://127.0.0.1:8080" });
    await assert.rejects(loadKubeAccess(undefined, { HOME: dir }), /no Kubernetes API access/);
  });
});
