// FRRNodeState `<node>` (§1.2, §5.4): created empty (no owner, no labels) when missing, also after
// someone deletes it; its status written through the status subresource only when it differs
// from what the apiserver holds (an informer on the one object tells).
import type { KubeAccess } from "./access.ts";
import type { NodeStatus } from "../../ports/node-status.ts";
import { FRRK8S_API_VERSION, PLURAL } from "./api.ts";
import { collectionPath, Informer, type InformerLog, type ResourceRef } from "./informer.ts";
import type { KubeObject } from "./objects.ts";
import { MERGE_PATCH, requestJson } from "./rest.ts";
import { Serial } from "./serial.ts";

const RESOURCE: ResourceRef = {
  apiVersion: FRRK8S_API_VERSION,
  kind: "FRRNodeState",
  plural: PLURAL.frrNodeState,
};
const FIELDS = ["lastConversionResult", "lastReloadResult", "runningConfig"] as const;
type NodeStateStatus = Record<(typeof FIELDS)[number], string>;

interface NodeStateObject extends KubeObject {
  status?: Partial<NodeStateStatus>;
}

export interface NodeStateWriterOptions {
  kubeConfig: KubeAccess;
  nodeName: string;
  log?: InformerLog;
}

/** The FRRNodeState status of a NodeStatus ("" fields are omitted, as upstream's omitempty). */
export function nodeStateStatus(status: NodeStatus): NodeStateStatus {
  return {
    lastConversionResult: status.lastConversionResult,
    lastReloadResult: status.lastReloadResult,
    runningConfig: status.runningConfig,
  };
}

export function sameNodeState(have: Partial<NodeStateStatus> | undefined, want: NodeStateStatus): boolean {
  return FIELDS.every((f) => (have?.[f] ?? "") === want[f]);
}

export class NodeStateWriter {
  readonly #options: NodeStateWriterOptions;
  readonly #informer: Informer<NodeStateObject>;
  readonly #serial = new Serial();
  #synced = false;
  #want: NodeStateStatus | undefined;

  constructor(options: NodeStateWriterOptions) {
    this.#options = options;
    this.#informer = new Informer<NodeStateObject>({
      kubeConfig: options.kubeConfig,
      resource: RESOURCE,
      fieldSelector: `metadata.name=${options.nodeName}`,
      ...(options.log && { log: options.log }),
      onChange: (change) => {
        if (change.type === "deleted") void this.flush();
      },
    });
  }

  /** Starts watching; the first write happens once the informer has synced. */
  start(): void {
    this.#informer.start();
    void this.#informer.synced().then(() => {
      this.#synced = true;
      return this.flush();
    });
  }

  close(): void {
    this.#informer.close();
  }

  write(status: NodeStatus): Promise<void> {
    this.#want = nodeStateStatus(status);
    return this.flush();
  }

  /** Brings the object to the last wanted status (rejects when a write failed). */
  flush(): Promise<void> {
    return this.#serial.run(async () => {
      const want = this.#want;
      if (!this.#synced || want === undefined) return;
      const existing = this.#informer.get(this.#options.nodeName) ?? (await this.#create());
      if (sameNodeState(existing.status, want)) return;
      const path = `${collectionPath(RESOURCE)}/${this.#options.nodeName}/status`;
      const body = { status: Object.fromEntries(FIELDS.map((f) => [f, want[f] === "" ? null : want[f]])) };
      const patched = (await requestJson(this.#options.kubeConfig, path, {
        method: "PATCH",
        body,
        contentType: MERGE_PATCH,
      })) as NodeStateObject;
      this.#informer.upsert(patched);
    });
  }

  async #create(): Promise<NodeStateObject> {
    const body = {
      apiVersion: FRRK8S_API_VERSION,
      kind: "FRRNodeState",
      metadata: { name: this.#options.nodeName },
    };
    const created = (await requestJson(this.#options.kubeConfig, collectionPath(RESOURCE), {
      method: "POST",
      body,
    })) as NodeStateObject;
    this.#informer.upsert(created);
    return created;
  }
}
