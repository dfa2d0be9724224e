// `frrk8s webhook` wiring: certificate (self-managed or from files), cluster cache, HTTPS server,
// status cleaner, and the FRRK8sConfiguration log level, until the abort signal fires.
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { loadKubeConfig } from "../../adapters/kube/client.ts";
import { FRRK8S_API_VERSION, PLURAL } from "../../adapters/kube/client.ts";
import { Informer } from "../../adapters/kube/informer.ts";
import { StatusCleaner } from "../../adapters/kube/status-cleaner.ts";
import { readCertificateFiles, watchCertificateFiles } from "../../adapters/webhook/cert-files.ts";
import { CertRotator } from "../../adapters/webhook/cert-rotator.ts";
import { CertStore } from "../../adapters/webhook/cert-store.ts";
import { servingIdentity } from "../../adapters/webhook/certs.ts";
import { ClusterCache } from "../../adapters/webhook/cluster-cache.ts";
import {
  startWebhookServer,
  type ServingCertificate,
  type WebhookServer,
} from "../../adapters/webhook/server.ts";
import { admit } from "../../core/admission/admit.ts";
import { parseLogLevel, type Log, type LogLevel } from "../../runtime/logger.ts";

export interface WebhookSettings {
  namespace: string;
  kubeconfig?: string;
  host: string;
  port: number;
  certServiceName: string;
  certSecret: string;
  webhookConfiguration: string;
  certExtraSans: string[];
  disableCertRotation: boolean;
  certDir: string;
  logLevel: LogLevel;
}

const FRR_RESOURCE = "frrk8s.metallb.io/v1beta1/frrconfigurations";

interface Closer {
  close(): void | Promise<void>;
}

/** Runs until `signal` aborts; the closers run in reverse order of start. */
export async function runWebhook(settings: WebhookSettings, log: Log, signal: AbortSignal): Promise<void> {
  const kubeConfig = loadKubeConfig(settings.kubeconfig);
  const closers: Closer[] = [];
  const target: CertificateTarget = {};
  try {
    closers.push(watchLogLevel(kubeConfig, settings, log));
    const nodeDeleted = { handler: (): void => undefined };
    const cache = new ClusterCache({
      kubeConfig,
      namespace: settings.namespace,
      log: log.child({ component: "cluster-cache" }),
      onNodeDeleted: () => {
        nodeDeleted.handler();
      },
    });
    cache.start();
    closers.push(cache);
    const serving = await startCertificates({ kubeConfig, settings, log, closers, target, signal });
    if (serving === undefined || !(await untilSynced(cache, signal))) return;
    const server = await serve(settings, serving, cache, log);
    closers.push(server);
    target.server = server;
    const cleaner = new StatusCleaner({
      kubeConfig,
      namespace: settings.namespace,
      nodeKnown: (name) => cache.hasNode(name),
      log: log.child({ component: "status-cleaner" }),
    });
    nodeDeleted.handler = () => {
      cleaner.trigger();
    };
    cleaner.start();
    closers.push({
      close: () => {
        cleaner.stop();
      },
    });
    log.info("webhook serving", { address: server.url });
    await aborted(signal);
  } finally {
    for (const closer of closers.reverse()) await closer.close();
  }
}

/** Where renewed certificates go once the server exists (a renewal before that is the first pair). */
interface CertificateTarget {
  server?: WebhookServer;
}

function swapCertificate(target: CertificateTarget, certificate: ServingCertificate, log: Log): void {
  if (target.server === undefined) return;
  try {
    target.server.setCertificate(certificate);
    log.info("serving certificate reloaded");
  } catch (err) {
    // A key that does not match its certificate (files caught mid-update): keep the old pair.
    log.warn("serving certificate rejected, keeping the previous one", {
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}

interface RunContext {
  kubeConfig: KubeConfig;
  settings: WebhookSettings;
  log: Log;
  closers: Closer[];
  target: CertificateTarget;
  signal: AbortSignal;
}

async function startCertificates(context: RunContext): Promise<ServingCertificate | undefined> {
  const { kubeConfig, settings, log, closers, target, signal } = context;
  const certLog = log.child({ component: "certificates" });
  if (settings.disableCertRotation) {
    const files = await readCertificateFiles(settings.certDir);
    const watcher = watchCertificateFiles(
      settings.certDir,
      files,
      (next) => {
        swapCertificate(target, next, certLog);
      },
      (reason) => {
        certLog.warn("certificate files unreadable", { reason });
      },
    );
    closers.push(watcher);
    return files;
  }
  const store = new CertStore(kubeConfig, {
    namespace: settings.namespace,
    secret: settings.certSecret,
    webhookConfiguration: settings.webhookConfiguration,
  });
  const rotator = new CertRotator({
    store,
    identity: servingIdentity(settings.certServiceName, settings.namespace, settings.certExtraSans),
    log: certLog,
    onBundle: (bundle) => {
      swapCertificate(target, { cert: bundle.cert, key: bundle.key }, certLog);
    },
  });
  closers.push({
    close: () => {
      rotator.stop();
    },
  });
  signal.addEventListener(
    "abort",
    () => {
      rotator.stop();
    },
    { once: true },
  );
  const bundle = await rotator.start();
  return bundle && { cert: bundle.cert, key: bundle.key };
}

async function serve(
  settings: WebhookSettings,
  certificate: ServingCertificate,
  cache: ClusterCache,
  log: Log,
): Promise<WebhookServer> {
  const reviewLog = log.child({ component: "admission" });
  return startWebhookServer({
    host: settings.host,
    port: settings.port,
    certificate,
    decide: (request, resource) =>
      resource === FRR_RESOURCE
        ? admit(request, cache.index, { agentNamespace: settings.namespace })
        : { allowed: true, code: 200, message: "", warnings: [] },
    onReview: ({ allowed, object, durationMs }) => {
      reviewLog.debug("admission reviewed", {
        object,
        outcome: allowed ? "allowed" : "denied",
        durationMs: Math.round(durationMs * 10) / 10,
      });
    },
    onError: (reason) => {
      reviewLog.error("webhook request failed", { reason });
    },
  });
}

async function untilSynced(cache: ClusterCache, signal: AbortSignal): Promise<boolean> {
  await Promise.race([cache.synced(), aborted(signal)]);
  return !signal.aborted;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else
      signal.addEventListener(
        "abort",
        () => {
          resolve();
        },
        { once: true },
      );
  });
}

interface LogLevelObject extends KubernetesObject {
  spec?: { logLevel?: string };
}

/** FRRK8sConfiguration `config` in the namespace overrides --log-level while it sets one. */
function watchLogLevel(kubeConfig: KubeConfig, settings: WebhookSettings, log: Log): Closer {
  const informer = new Informer<LogLevelObject>({
    kubeConfig,
    resource: {
      apiVersion: FRRK8S_API_VERSION,
      kind: "FRRK8sConfiguration",
      plural: PLURAL.frrK8sConfiguration,
      namespace: settings.namespace,
    },
    fieldSelector: "metadata.name=config",
    onChange: (change) => {
      const wanted = change.type === "deleted" ? undefined : change.object.spec?.logLevel;
      const level = parseLogLevel(wanted ?? "") ?? settings.logLevel;
      if (level !== log.level) {
        log.setLevel(level);
        log.info("log level changed", { reason: `FRRK8sConfiguration config: ${level}` });
      }
    },
  });
  informer.start();
  return informer;
}
