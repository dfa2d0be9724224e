// The agent's NodeSource on the Kubernetes API: informers for exactly what this node needs, as
// upstream caches them (§5.1): FRRConfigurations, Secrets and FRRK8sConfiguration `config` in the
// agent's namespace, and the node's own Node. Every relevant event calls the one onChange (the
// reconcile loop coalesces). The store keeps only what the pipeline reads: configurations that do
// not select the node (thousands in a large cluster) are kept as stubs, are not handed to the
// pipeline and their changes do not trigger; a change of the node's labels relists them. The data
// of Secrets that no selected FRRConfiguration references is dropped, and their changes do not
// trigger.
import type { KubeAccess } from "./access.ts";
import type { SecretObject } from "../../core/snapshot.ts";
import type { NodeInputs, NodeSource } from "../../ports/node-source.ts";
import { FRRK8S_API_VERSION, PLURAL } from "./api.ts";
import { type Change, Informer, type InformerLog, objectKey } from "./informer.ts";
import type { KubeObject, NodeObject, SecretData } from "./objects.ts";
import { requestJson } from "./rest.ts";
import {
  compactConfiguration,
  inlinePasswords,
  compactNode,
  compactSecret,
  nodeFacts,
  referencedSecrets,
  stubUnlessNeeded,
} from "./source-objects.ts";

export const FRRK8S_CONFIGURATION_NAME = "config";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface KubeSourceOptions {
  kubeConfig: KubeAccess;
  namespace: string;
  nodeName: string;
  log?: InformerLog;
  /** Called with FRRK8sConfiguration `config`'s level (`all` read as debug), undefined when unset. */
  onLogLevel?: (level: string | undefined) => void;
}

interface FrrK8sConfiguration extends KubeObject {
  spec?: { logLevel?: string };
}

type Listener = () => void;

export class KubeSource implements NodeSource {
  readonly #options: KubeSourceOptions;
  readonly #listeners = new Set<Listener>();
  #referenced = new Set<string>();
  /** The labels configurations were last sorted into selected and stubs with. */
  #selectionLabels: Record<string, string>;
  /** Stored configurations that are stubs (not selecting the node). */
  readonly #stubs = new WeakSet<KubeObject>();
  /** The stored configurations the pipeline reads, by key. */
  readonly #selected = new Map<string, KubeObject>();
  readonly #configurations: Informer<KubeObject>;
  readonly #node: Informer<NodeObject>;
  readonly #secrets: Informer<SecretData>;
  readonly #frrK8sConfiguration: Informer<FrrK8sConfiguration>;

  constructor(options: KubeSourceOptions) {
    this.#options = options;
    const { kubeConfig, namespace, nodeName, log } = options;
    const common = { kubeConfig, ...(log && { log }) };
    this.#selectionLabels = { [HOSTNAME_LABEL]: nodeName };
    this.#configurations = new Informer({
      ...common,
      resource: {
        apiVersion: FRRK8S_API_VERSION,
        kind: "FRRConfiguration",
        plural: PLURAL.frrConfiguration,
        namespace,
      },
      transform: (configuration) => this.#forNode(configuration),
      onChange: (change) => {
        this.#configurationChanged(change);
      },
    });
    this.#node = new Informer({
      ...common,
      resource: { apiVersion: "v1", kind: "Node", plural: "nodes" },
      fieldSelector: `metadata.name=${nodeName}`,
      transform: compactNode,
      onChange: (change) => {
        if (!nodeChanged(change)) return;
        this.#nodeLabelsChanged();
        this.#notify();
      },
    });
    this.#secrets = new Informer({
      ...common,
      resource: { apiVersion: "v1", kind: "Secret", plural: "secrets", namespace },
      transform: (secret) => compactSecret(secret, this.#referenced),
      onChange: (change) => {
        if (this.#referenced.has(change.object.metadata?.name ?? "")) this.#notify();
      },
    });
    this.#frrK8sConfiguration = new Informer({
      ...common,
      resource: {
        apiVersion: FRRK8S_API_VERSION,
        kind: "FRRK8sConfiguration",
        plural: PLURAL.frrK8sConfiguration,
        namespace,
      },
      fieldSelector: `metadata.name=${FRRK8S_CONFIGURATION_NAME}`,
      onChange: () => {
        this.#options.onLogLevel?.(this.#logLevel());
        this.#notify();
      },
    });
  }

  /**
   * Starts every informer; resolves once all of them hold a complete list. Configurations are
   * listed once the node's labels are known (they decide which ones are stubs).
   */
  async start(): Promise<void> {
    const first = [this.#node, this.#secrets, this.#frrK8sConfiguration];
    for (const informer of first) informer.start();
    await this.#node.synced();
    this.#nodeLabelsChanged();
    this.#configurations.start();
    await Promise.all([...first, this.#configurations].map((i) => i.synced()));
  }

  close(): void {
    for (const informer of [this.#configurations, this.#node, this.#secrets, this.#frrK8sConfiguration])
      informer.close();
    this.#listeners.clear();
  }

  /** The stored FRRConfiguration `namespace/name` (its UID, for Events), if any. */
  configuration(namespace: string, name: string): KubeObject | undefined {
    return this.#configurations.get(`${namespace}/${name}`);
  }

  /** Passwords the agent holds (referenced Secrets, inline ones): kept out of every Event. */
  secretValues(): string[] {
    const values = inlinePasswords([...this.#selected.values()]);
    for (const name of this.#referenced) {
      const encoded = this.#secrets.get(`${this.#options.namespace}/${name}`)?.data?.["password"];
      if (encoded !== undefined) values.push(Buffer.from(encoded, "base64").toString("utf8"));
    }
    return values;
  }

  async read(): Promise<NodeInputs> {
    const node = this.#node.get(this.#options.nodeName);
    if (node === undefined) {
      return { ...emptyInputs(), readProblems: [`Node ${this.#options.nodeName} not found`] };
    }
    const facts = nodeFacts(node);
    const level = this.#logLevel();
    return {
      nodeLabels: this.#nodeLabels(),
      configurations: [...this.#selected.values()],
      secrets: await this.#referencedSecrets(),
      ...(level !== undefined && { logLevel: level }),
      ...(facts.ipv6Only && { ipv6OnlyNode: true }),
      readProblems: [],
    };
  }

  watch(onChange: () => void): { close(): void } {
    const listener: Listener = () => {
      onChange();
    };
    this.#listeners.add(listener);
    return {
      close: () => {
        this.#listeners.delete(listener);
      },
    };
  }

  /** The node's labels, with kubernetes.io/hostname by default (only it when the Node is missing). */
  #nodeLabels(): Record<string, string> {
    const node = this.#node.get(this.#options.nodeName);
    const labels = node === undefined ? {} : nodeFacts(node).labels;
    return { [HOSTNAME_LABEL]: this.#options.nodeName, ...labels };
  }

  /** What the store keeps of a configuration: all of it when the pipeline needs it, else a stub. */
  #forNode(configuration: KubeObject): KubeObject {
    const stub = stubUnlessNeeded(configuration, this.#selectionLabels);
    if (stub === undefined) return compactConfiguration(configuration);
    this.#stubs.add(stub);
    return stub;
  }

  /** New labels may select stubs (whose spec is not stored): relist the configurations. */
  #nodeLabelsChanged(): void {
    const labels = this.#nodeLabels();
    if (JSON.stringify(labels) === JSON.stringify(this.#selectionLabels)) return;
    this.#selectionLabels = labels;
    this.#configurations.resync();
  }

  /** Changes of stubs (configurations of other nodes) are no trigger. */
  #configurationChanged(change: Change<KubeObject>): void {
    const key = objectKey(change.object);
    const selected = change.type !== "deleted" && !this.#stubs.has(change.object);
    const wasSelected = this.#selected.delete(key);
    if (selected) this.#selected.set(key, change.object);
    if (!selected && !wasSelected) return;
    this.#referencedChanged(referencedSecrets([...this.#selected.values()]));
    this.#notify();
  }

  /** Secrets no longer referenced lose their data in the store. */
  #referencedChanged(referenced: Set<string>): void {
    this.#referenced = referenced;
    for (const secret of this.#secrets.list()) {
      if (secret.data !== undefined && !referenced.has(secret.metadata?.name ?? ""))
        this.#secrets.upsert(secret);
    }
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  #logLevel(): string | undefined {
    const level = this.#frrK8sConfiguration.get(`${this.#options.namespace}/${FRRK8S_CONFIGURATION_NAME}`)
      ?.spec?.logLevel;
    if (level === undefined || level === "") return undefined;
    return level === "all" ? "debug" : level;
  }

  /**
   * The referenced Secrets with their data. One stored before a configuration referenced it has
   * no data (dropped): read it once, the store keeps it from then on.
   */
  async #referencedSecrets(): Promise<SecretObject[]> {
    const out: SecretObject[] = [];
    for (const name of [...this.#referenced].sort()) {
      const key = `${this.#options.namespace}/${name}`;
      let secret = this.#secrets.get(key);
      if (secret !== undefined && secret.data === undefined) secret = await this.#fetchSecret(name, secret);
      if (secret !== undefined) out.push(secret);
    }
    return out;
  }

  async #fetchSecret(name: string, stored: SecretData): Promise<SecretData | undefined> {
    const { kubeConfig, namespace } = this.#options;
    const key = `${namespace}/${name}`;
    try {
      const path = `/api/v1/namespaces/${namespace}/secrets/${encodeURIComponent(name)}`;
      const fresh = (await requestJson(kubeConfig, path)) as SecretData;
      // A watch event may have replaced the stored copy meanwhile: that one wins.
      if (this.#secrets.get(key) === stored) this.#secrets.upsert(fresh);
      return this.#secrets.get(key);
    } catch {
      return stored; // deleted meanwhile, or the API is down: the pipeline reports the missing data
    }
  }
}

function nodeChanged(change: Change<NodeObject>): boolean {
  if (change.type !== "modified" || change.previous === undefined) return true;
  const before = nodeFacts(change.previous);
  const after = nodeFacts(change.object);
  return before.ipv6Only !== after.ipv6Only || JSON.stringify(before.labels) !== JSON.stringify(after.labels);
}

function emptyInputs(): NodeInputs {
  return { nodeLabels: {}, configurations: [], secrets: [], readProblems: [] };
}
