// The webhook's view of the cluster, kept by two informers (no list per admission request):
// Nodes (name and labels only) and FRRConfigurations (of the agents' namespace, or of every
// namespace when none is set), fed into the admission core's selector index.
import { V1ObjectMeta, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { ClusterIndex } from "../../core/admission/cluster-index.ts";
import { FRRK8S_API_VERSION, PLURAL } from "../kube/client.ts";
import { Informer, type Change, type InformerLog } from "../kube/informer.ts";

type NodeObject = KubernetesObject;

interface ConfigurationObject extends KubernetesObject {
  spec?: unknown;
}

export interface ClusterCacheOptions {
  kubeConfig: KubeConfig;
  /** The agents' namespace; empty: FRRConfigurations of every namespace. */
  namespace: string;
  log?: InformerLog;
  /** Called after a Node left the cache. */
  onNodeDeleted?: (name: string) => void;
}

/** Identity, labels and resourceVersion: what admission and the informer need of metadata. */
function slimMetadata(source: V1ObjectMeta | undefined): V1ObjectMeta {
  const metadata = new V1ObjectMeta();
  if (source?.name !== undefined) metadata.name = source.name;
  if (source?.namespace !== undefined) metadata.namespace = source.namespace;
  if (source?.resourceVersion !== undefined) metadata.resourceVersion = source.resourceVersion;
  metadata.labels = source?.labels ?? {};
  return metadata;
}

/** What a Node is to admission: its labels. */
function slimNode(node: NodeObject): NodeObject {
  return { metadata: slimMetadata(node.metadata) };
}

/** The object without managedFields and annotations (often larger than the spec). */
function slimConfiguration(object: ConfigurationObject): ConfigurationObject {
  const slim: ConfigurationObject = { metadata: slimMetadata(object.metadata), spec: object.spec };
  if (object.apiVersion !== undefined) slim.apiVersion = object.apiVersion;
  if (object.kind !== undefined) slim.kind = object.kind;
  return slim;
}

export class ClusterCache {
  readonly index = new ClusterIndex();
  readonly #nodes: Informer<NodeObject>;
  readonly #configurations: Informer<ConfigurationObject>;

  constructor(options: ClusterCacheOptions) {
    const { kubeConfig, log } = options;
    this.#nodes = new Informer<NodeObject>({
      kubeConfig,
      resource: { apiVersion: "v1", kind: "Node", plural: "nodes" },
      transform: slimNode,
      onChange: (change) => {
        this.#onNode(change, options);
      },
      ...(log && { log }),
    });
    this.#configurations = new Informer<ConfigurationObject>({
      kubeConfig,
      resource: {
        apiVersion: FRRK8S_API_VERSION,
        kind: "FRRConfiguration",
        plural: PLURAL.frrConfiguration,
        ...(options.namespace !== "" && { namespace: options.namespace }),
      },
      transform: slimConfiguration,
      onChange: (change) => {
        this.#onConfiguration(change);
      },
      ...(log && { log }),
    });
  }

  start(): void {
    this.#nodes.start();
    this.#configurations.start();
  }

  /** Resolves once both lists are complete: admission before that would miss conflicts. */
  async synced(): Promise<void> {
    await Promise.all([this.#nodes.synced(), this.#configurations.synced()]);
  }

  close(): void {
    this.#nodes.close();
    this.#configurations.close();
  }

  hasNode(name: string): boolean {
    return this.index.hasNode(name);
  }

  #onNode(change: Change<NodeObject>, options: ClusterCacheOptions): void {
    const name = change.object.metadata?.name ?? "";
    if (change.type === "deleted") {
      this.index.deleteNode(name);
      options.onNodeDeleted?.(name);
      return;
    }
    this.index.setNode(name, change.object.metadata?.labels ?? {});
  }

  #onConfiguration(change: Change<ConfigurationObject>): void {
    const namespace = change.object.metadata?.namespace ?? "";
    const name = change.object.metadata?.name ?? "";
    if (change.type === "deleted") this.index.deleteConfiguration(namespace, name);
    else this.index.setConfiguration(namespace, name, change.object);
  }
}
