// The agent's way to the Kubernetes API without client-node's KubeConfig, whose module loads the
// whole generated API (~80 MB RSS, a third of the agent): server, TLS and credentials from the
// in-cluster service account or a kubeconfig file, offered the way client-node's Watch and our
// rest.ts use a KubeConfig (client-node's KubeConfig fits the same interface: the webhook's).
//
// Supported: in-cluster (token file re-read, so rotated tokens work); kubeconfig current context
// with cluster server, certificate-authority(-data), insecure-skip-tls-verify, tls-server-name and
// user token, tokenFile, client-certificate(-data) + client-key(-data). Exec and auth-provider
// users, basic auth and proxies are refused with an error that names them.
import { existsSync, readFileSync } from "node:fs";
import type { OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, type RequestOptions } from "node:https";
import { createRequire } from "node:module";
import { isIPv6 } from "node:net";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import type * as Undici from "undici";

/** What a request needs of the current cluster. */
export interface KubeCluster {
  server: string;
}

/** The part of client-node's RequestContext that authentication writes. */
export interface WatchRequestContext {
  setHeaderParam(key: string, value: string): void;
  setDispatcher(dispatcher: Undici.Agent): void;
}

/** What our informer's Watch and rest.ts need of a kubeconfig. */
export interface KubeAccess {
  getCurrentCluster(): KubeCluster | null;
  /** node:https options: TLS (through an agent) and the Authorization header. */
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
  /** client-node's Watch: the Authorization header and an undici dispatcher carrying TLS. */
  applySecurityAuthentication(context: WatchRequestContext): Promise<void>;
}

export interface TlsSettings {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export type Credentials =
  { kind: "none" } | { kind: "token"; token: string } | { kind: "tokenFile"; path: string };

export interface AccessSettings {
  server: string;
  tls: TlsSettings;
  credentials: Credentials;
}

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** Kubelet replaces a projected token well before it expires; re-reading each minute follows it. */
const TOKEN_REREAD_MS = 60_000;

export class KubeApiAccess implements KubeAccess {
  readonly #settings: AccessSettings;
  #cachedToken: { value: string; readAt: number } | undefined;
  #httpsAgent: HttpsAgent | undefined;
  #dispatcher: Undici.Agent | undefined;

  constructor(settings: AccessSettings) {
    this.#settings = { ...settings, server: settings.server.replace(/\/+$/, "") };
  }

  getCurrentCluster(): KubeCluster {
    return { server: this.#settings.server };
  }

  applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    options.headers = { ...(options.headers as OutgoingHttpHeaders | undefined), ...this.#authorization() };
    if (this.#isHttps()) {
      this.#httpsAgent ??= new HttpsAgent({ keepAlive: true, ...this.#settings.tls });
      options.agent = this.#httpsAgent;
    }
    return Promise.resolve();
  }

  applySecurityAuthentication(context: WatchRequestContext): Promise<void> {
    for (const [key, value] of Object.entries(this.#authorization())) context.setHeaderParam(key, value);
    if (this.#isHttps()) {
      this.#dispatcher ??= newUndiciAgent(this.#settings.tls);
      context.setDispatcher(this.#dispatcher);
    }
    return Promise.resolve();
  }

  #isHttps(): boolean {
    return this.#settings.server.startsWith("https:");
  }

  #authorization(): Record<string, string> {
    const token = this.#token();
    return token === undefined ? {} : { Authorization: `Bearer ${token}` };
  }

  #token(): string | undefined {
    const credentials = this.#settings.credentials;
    if (credentials.kind === "none") return undefined;
    if (credentials.kind === "token") return credentials.token;
    const now = Date.now();
    if (this.#cachedToken === undefined || now - this.#cachedToken.readAt >= TOKEN_REREAD_MS) {
      this.#cachedToken = { value: readFileSync(credentials.path, "utf8").trim(), readAt: now };
    }
    return this.#cachedToken.value;
  }
}

/**
 * undici's Agent from the undici client-node's Watch fetches with (its own dependency, not ours):
 * loaded only when a watch starts.
 */
function newUndiciAgent(tls: TlsSettings): Undici.Agent {
  const require = createRequire(import.meta.resolve("@kubernetes/client-node/dist/watch.js"));
  const undici = require("undici") as typeof Undici;
  return new undici.Agent({ connect: { ...tls } });
}

/**
 * The agent's API access: `path` when given, else $KUBECONFIG (its first file), ~/.kube/config,
 * then the in-cluster service account.
 */
export async function loadKubeAccess(path?: string, env = process.env): Promise<KubeAccess> {
  const file = path ?? defaultKubeconfigPath(env);
  if (file !== undefined) return new KubeApiAccess(await kubeconfigFileSettings(file));
  if ((env["KUBERNETES_SERVICE_HOST"] ?? "") !== "") return new KubeApiAccess(inClusterSettings(env));
  throw new Error(
    "no Kubernetes API access: give --kubeconfig, set KUBECONFIG, or run in a pod with a service account",
  );
}

function defaultKubeconfigPath(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = (env["KUBECONFIG"] ?? "").split(delimiter).find((p) => p !== "");
  if (fromEnv !== undefined) return fromEnv;
  const home = join(env["HOME"] ?? homedir(), ".kube", "config");
  return existsSync(home) ? home : undefined;
}

/** The service account's token (re-read) and CA, and the API's service address from the env. */
export function inClusterSettings(env: NodeJS.ProcessEnv, dir = SERVICE_ACCOUNT_DIR): AccessSettings {
  const host = env["KUBERNETES_SERVICE_HOST"] ?? "";
  const port = env["KUBERNETES_SERVICE_PORT"] ?? "443";
  const tokenPath = join(dir, "token");
  if (!existsSync(tokenPath)) throw new Error(`in-cluster: no service account token at ${tokenPath}`);
  return {
    server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    tls: { ca: readFileSync(join(dir, "ca.crt")) },
    credentials: { kind: "tokenFile", path: tokenPath },
  };
}

async function kubeconfigFileSettings(path: string): Promise<AccessSettings> {
  // yaml only here: in-cluster agents never load it.
  const { parse } = await import("yaml");
  const document: unknown = parse(readFileSync(path, "utf8"));
  return kubeconfigSettings(document, dirname(resolve(path)));
}

type Entry = Record<string, unknown>;

const isEntry = (value: unknown): value is Entry =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function text(entry: Entry, key: string): string | undefined {
  const value = entry[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The `name`d element's `field` of a kubeconfig list (`clusters`, `users`, `contexts`). */
function named(document: Entry, list: string, field: string, name: string): Entry {
  const items = Array.isArray(document[list]) ? (document[list] as unknown[]) : [];
  const item = items.find((i) => isEntry(i) && i["name"] === name);
  if (!isEntry(item)) throw new Error(`kubeconfig: no ${field} named "${name}" in ${list}`);
  return isEntry(item[field]) ? item[field] : {};
}

/** Bytes from `<key>-data` (base64) or the file `<key>` (relative to the kubeconfig). */
function material(entry: Entry, key: string, dir: string): Buffer | undefined {
  const data = text(entry, `${key}-data`);
  if (data !== undefined) return Buffer.from(data, "base64");
  const file = text(entry, key);
  return file === undefined ? undefined : readFileSync(resolve(dir, file));
}

/** Settings of a parsed kubeconfig's current context; relative paths are read from `dir`. */
export function kubeconfigSettings(document: unknown, dir: string): AccessSettings {
  if (!isEntry(document)) throw new Error("kubeconfig: not a mapping");
  const contextName = text(document, "current-context");
  if (contextName === undefined) throw new Error("kubeconfig: no current-context");
  const context = named(document, "contexts", "context", contextName);
  const cluster = named(document, "clusters", "cluster", text(context, "cluster") ?? "");
  const userName = text(context, "user");
  const user = userName === undefined ? {} : named(document, "users", "user", userName);
  refuseUnsupported(cluster, user, userName ?? "");
  const server = text(cluster, "server");
  if (server === undefined) throw new Error(`kubeconfig: cluster of context "${contextName}" has no server`);
  return { server, tls: clusterTls(cluster, user, dir), credentials: userCredentials(user, dir) };
}

function refuseUnsupported(cluster: Entry, user: Entry, userName: string): void {
  const unsupported: [boolean, string][] = [
    [user["exec"] !== undefined, "exec credential plugins"],
    [user["auth-provider"] !== undefined, "auth-provider plugins"],
    [user["username"] !== undefined || user["password"] !== undefined, "basic auth (username/password)"],
    [cluster["proxy-url"] !== undefined, "proxy-url"],
  ];
  const found = unsupported.filter(([present]) => present).map(([, what]) => what);
  if (found.length > 0)
    throw new Error(
      `kubeconfig user "${userName}": ${found.join(", ")} not supported by the agent ` +
        "(use token, tokenFile or client-certificate/client-key)",
    );
}

function clusterTls(cluster: Entry, user: Entry, dir: string): TlsSettings {
  const ca = material(cluster, "certificate-authority", dir);
  const cert = material(user, "client-certificate", dir);
  const key = material(user, "client-key", dir);
  const servername = text(cluster, "tls-server-name");
  return {
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    ...(cluster["insecure-skip-tls-verify"] === true && { rejectUnauthorized: false }),
    ...(servername !== undefined && { servername }),
  };
}

function userCredentials(user: Entry, dir: string): Credentials {
  const token = text(user, "token");
  if (token !== undefined) return { kind: "token", token };
  const tokenFile = text(user, "tokenFile");
  if (tokenFile !== undefined) return { kind: "tokenFile", path: resolve(dir, tokenFile) };
  return { kind: "none" };
}
