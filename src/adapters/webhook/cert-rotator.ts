// Keeps the webhook's certificate valid and trusted: on start and then periodically it reads the
// Secret, reuses the stored bundle when it can still be served, else renews the serving
// certificate (same CA) or everything, writes the Secret, hands a changed serving pair to the
// TLS server, and makes sure every webhook of the configuration carries the CA in its caBundle
// (re-applying a chart wipes it; the next check puts it back).
import { assessBundle, DEFAULT_LIFETIMES, generateBundle, reissueServing } from "./certs.ts";
import type { CertificateBundle, Lifetimes, ServingIdentity } from "./certs.ts";
import { statusCodeOf, type CertStore } from "./cert-store.ts";

export interface RotatorLog {
  info(msg: string, fields?: { object?: string; reason?: string; outcome?: string }): void;
  warn(msg: string, fields?: { object?: string; reason?: string; delayMs?: number }): void;
}

export interface CertRotatorOptions {
  store: CertStore;
  identity: ServingIdentity;
  log: RotatorLog;
  /** Called with every new serving bundle (also the first). */
  onBundle: (bundle: CertificateBundle) => void;
  lifetimes?: Lifetimes;
  /** How often the Secret and the caBundle are checked; default 30 s. */
  checkIntervalMs?: number;
  now?: () => Date;
}

const WRITE_ATTEMPTS = 5;
const RETRY = { initialMs: 500, maxMs: 30_000 };

function describe(err: unknown): string {
  return err instanceof Error ? err.message.split("\n", 1)[0]! : String(err);
}

export class CertRotator {
  readonly #options: CertRotatorOptions;
  #served: CertificateBundle | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #caBundleInjected = false;

  constructor(options: CertRotatorOptions) {
    this.#options = options;
  }

  /** True once the configuration's caBundle holds the CA being served. */
  get caBundleInjected(): boolean {
    return this.#caBundleInjected;
  }

  /** A servable bundle from the Secret (stored or just made). Retries until it has one or stop(). */
  async start(): Promise<CertificateBundle | undefined> {
    let delay = RETRY.initialMs;
    while (!this.#stopped) {
      const ok = await this.#check();
      if (ok && this.#served) {
        this.#schedule(this.#options.checkIntervalMs ?? 30_000);
        return this.#served;
      }
      await this.#pause(delay);
      delay = Math.min(RETRY.maxMs, delay * 2);
    }
    return undefined;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
  }

  /** A retry delay that stop() cuts short. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.#check().then((ok) => {
        this.#schedule(ok ? (this.#options.checkIntervalMs ?? 30_000) : RETRY.initialMs * 4);
      });
    }, ms);
  }

  /** One round: Secret then caBundle. False when something failed (retried sooner). */
  async #check(): Promise<boolean> {
    const { store, log } = this.#options;
    try {
      const bundle = await this.#ensureSecret();
      if (bundle.cert !== this.#served?.cert || bundle.key !== this.#served.key) {
        this.#served = bundle;
        this.#options.onBundle(bundle);
      }
      const result = await store.injectCaBundle(bundle.caCert);
      this.#caBundleInjected = result !== "missing";
      if (result === "updated") log.info("caBundle injected", { object: store.webhookConfigurationRef });
      if (result === "missing") {
        log.warn("webhook configuration not found, caBundle not injected", {
          object: store.webhookConfigurationRef,
        });
      }
      return true;
    } catch (err) {
      log.warn("certificate check failed", { object: store.secretRef, reason: describe(err) });
      return false;
    }
  }

  /** The stored bundle when servable, else a renewed one written to the Secret. */
  async #ensureSecret(): Promise<CertificateBundle> {
    const { store, identity, log } = this.#options;
    const lifetimes = this.#options.lifetimes ?? DEFAULT_LIFETIMES;
    for (let attempt = 1; ; attempt++) {
      const stored = await store.readSecret();
      const now = this.#options.now?.() ?? new Date();
      const verdict = assessBundle(stored.bundle, identity, now, lifetimes);
      if (verdict === "valid") return stored.bundle;
      const renewed =
        verdict === "renew-serving"
          ? await reissueServing(stored.bundle, identity, now, lifetimes)
          : await generateBundle(identity, now, lifetimes);
      try {
        await store.writeSecret(renewed, stored);
        log.info("certificate written", { object: store.secretRef, outcome: verdict });
        return renewed;
      } catch (err) {
        // Another writer won (409 on replace, 409 AlreadyExists on create): use what it wrote.
        if (statusCodeOf(err) !== 409 || attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }
}
