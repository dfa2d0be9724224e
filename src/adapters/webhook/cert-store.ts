// Where the webhook's certificates live: the Secret (keys ca.crt, ca.key, tls.crt, tls.key, as
// upstream's cert-controller), and the caBundle of every webhook in the
// ValidatingWebhookConfiguration. Reads and replaces with resourceVersion (a concurrent writer
// makes the replace fail with 409 and the caller retries from a fresh read).
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  V1ObjectMeta,
  V1Secret,
  type KubeConfig,
  type V1ValidatingWebhookConfiguration,
} from "@kubernetes/client-node";
import type { CertificateBundle } from "./certs.ts";

export const SECRET_KEYS = { caCert: "ca.crt", caKey: "ca.key", cert: "tls.crt", key: "tls.key" } as const;

export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

const toBase64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const fromBase64 = (text: string | undefined): string => Buffer.from(text ?? "", "base64").toString("utf8");

export interface StoredSecret {
  /** Undefined when the Secret does not exist. */
  secret: V1Secret | undefined;
  bundle: CertificateBundle;
}

const EMPTY_BUNDLE: CertificateBundle = { caCert: "", caKey: "", cert: "", key: "" };

function encodeBundle(bundle: CertificateBundle): Record<string, string> {
  return {
    [SECRET_KEYS.caCert]: toBase64(bundle.caCert),
    [SECRET_KEYS.caKey]: toBase64(bundle.caKey),
    [SECRET_KEYS.cert]: toBase64(bundle.cert),
    [SECRET_KEYS.key]: toBase64(bundle.key),
  };
}

function decodeBundle(data: Record<string, string>): CertificateBundle {
  return {
    caCert: fromBase64(data[SECRET_KEYS.caCert]),
    caKey: fromBase64(data[SECRET_KEYS.caKey]),
    cert: fromBase64(data[SECRET_KEYS.cert]),
    key: fromBase64(data[SECRET_KEYS.key]),
  };
}

export class CertStore {
  readonly #core: CoreV1Api;
  readonly #admission: AdmissionregistrationV1Api;
  readonly #namespace: string;
  readonly #secretName: string;
  readonly #webhookConfigurationName: string;

  constructor(
    kubeConfig: KubeConfig,
    names: { namespace: string; secret: string; webhookConfiguration: string },
  ) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
    this.#namespace = names.namespace;
    this.#secretName = names.secret;
    this.#webhookConfigurationName = names.webhookConfiguration;
  }

  get secretRef(): string {
    return `Secret ${this.#namespace}/${this.#secretName}`;
  }

  get webhookConfigurationRef(): string {
    return `ValidatingWebhookConfiguration ${this.#webhookConfigurationName}`;
  }

  async readSecret(): Promise<StoredSecret> {
    try {
      const secret = await this.#core.readNamespacedSecret({
        name: this.#secretName,
        namespace: this.#namespace,
      });
      return { secret, bundle: decodeBundle(secret.data ?? {}) };
    } catch (err) {
      if (statusCodeOf(err) !== 404) throw err;
      return { secret: undefined, bundle: EMPTY_BUNDLE };
    }
  }

  /**
   * Writes the bundle into the Secret as read (its type, labels and other keys kept; its
   * resourceVersion makes a concurrent change fail with 409), or creates it.
   */
  async writeSecret(bundle: CertificateBundle, stored: StoredSecret): Promise<void> {
    if (stored.secret === undefined) {
      const body = new V1Secret();
      body.metadata = new V1ObjectMeta();
      body.metadata.name = this.#secretName;
      body.metadata.namespace = this.#namespace;
      body.type = "kubernetes.io/tls";
      body.data = encodeBundle(bundle);
      await this.#core.createNamespacedSecret({ namespace: this.#namespace, body });
      return;
    }
    // The object as read is ours to change: only its data moves.
    const body = stored.secret;
    body.data = { ...body.data, ...encodeBundle(bundle) };
    await this.#core.replaceNamespacedSecret({ name: this.#secretName, namespace: this.#namespace, body });
  }

  /**
   * Puts the CA into every webhook's clientConfig.caBundle: "missing" when the configuration
   * does not exist (yet), else whether it had to be written.
   */
  async injectCaBundle(caCert: string): Promise<"missing" | "unchanged" | "updated"> {
    let config: V1ValidatingWebhookConfiguration;
    try {
      config = await this.#admission.readValidatingWebhookConfiguration({
        name: this.#webhookConfigurationName,
      });
    } catch (err) {
      if (statusCodeOf(err) === 404) return "missing";
      throw err;
    }
    const caBundle = toBase64(caCert);
    const webhooks = config.webhooks ?? [];
    if (webhooks.every((w) => w.clientConfig.caBundle === caBundle)) return "unchanged";
    // The object as read is ours to change; its resourceVersion guards the replace.
    for (const webhook of webhooks) webhook.clientConfig.caBundle = caBundle;
    await this.#admission.replaceValidatingWebhookConfiguration({
      name: this.#webhookConfigurationName,
      body: config,
    });
    return "updated";
  }
}
