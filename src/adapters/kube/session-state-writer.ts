// BGPSessionState objects of this node (§1.3, §5.5): one per FRR neighbor and VRF, created with
// generateName `<node>-`, then their status patched (the apiserver drops status on create);
// updated only when labels or status differ; deleted when FRR no longer has the neighbor.
// An informer on the node's objects (label node=<node>) is what "differ" compares with.
import type { KubeAccess } from "./access.ts";
import type { SessionState } from "../../ports/frr.ts";
import { FRRK8S_API_VERSION, PLURAL } from "./api.ts";
import { collectionPath, Informer, type InformerLog, type ResourceRef } from "./informer.ts";
import type { OwnerReference } from "./objects.ts";
import { ApiError, MERGE_PATCH, requestJson } from "./rest.ts";
import { Serial } from "./serial.ts";
import {
  LABEL_NODE,
  planSessionStates,
  sessionLabels,
  type SessionStateObject,
  type SessionStateStatus,
} from "./session-states.ts";

export interface PodRef {
  name: string;
  uid: string;
}

export interface SessionStateWriterOptions {
  kubeConfig: KubeAccess;
  namespace: string;
  nodeName: string;
  /** The agent's pod, owner of the objects (garbage-collected with it); none outside a pod. */
  pod?: PodRef;
  log?: InformerLog;
}

export class SessionStateWriter {
  readonly #options: SessionStateWriterOptions;
  readonly #resource: ResourceRef;
  readonly #informer: Informer<SessionStateObject>;
  readonly #serial = new Serial();
  #synced = false;
  #want: readonly SessionState[] | undefined;

  constructor(options: SessionStateWriterOptions) {
    this.#options = options;
    this.#resource = {
      apiVersion: FRRK8S_API_VERSION,
      kind: "BGPSessionState",
      plural: PLURAL.bgpSessionState,
      namespace: options.namespace,
    };
    this.#informer = new Informer<SessionStateObject>({
      kubeConfig: options.kubeConfig,
      resource: this.#resource,
      labelSelector: `${LABEL_NODE}=${options.nodeName}`,
      ...(options.log && { log: options.log }),
    });
  }

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

  write(sessions: readonly SessionState[]): Promise<void> {
    this.#want = sessions;
    return this.flush();
  }

  flush(): Promise<void> {
    return this.#serial.run(async () => {
      if (!this.#synced || this.#want === undefined) return;
      const plan = planSessionStates(this.#options.nodeName, this.#want, this.#informer.list());
      for (const name of plan.remove) await this.#delete(name);
      for (const status of plan.create) await this.#create(status);
      for (const { name, status } of plan.update) await this.#update(name, status);
    });
  }

  #path(name = ""): string {
    return `${collectionPath(this.#resource)}${name === "" ? "" : `/${encodeURIComponent(name)}`}`;
  }

  async #create(status: SessionStateStatus): Promise<void> {
    const { namespace, nodeName, pod } = this.#options;
    const body = {
      apiVersion: FRRK8S_API_VERSION,
      kind: "BGPSessionState",
      metadata: {
        generateName: `${nodeName}-`,
        namespace,
        labels: sessionLabels(status),
        ...(pod && { ownerReferences: [ownerReference(pod)] }),
      },
    };
    const created = (await requestJson(this.#options.kubeConfig, this.#path(), {
      method: "POST",
      body,
    })) as SessionStateObject;
    this.#informer.upsert(created);
    await this.#patch(`${this.#path(created.metadata?.name)}/status`, { status });
  }

  async #update(name: string, status: SessionStateStatus): Promise<void> {
    const existing = this.#informer.get(`${this.#options.namespace}/${name}`);
    const labels = sessionLabels(status);
    const have = existing?.metadata?.labels ?? {};
    if (Object.entries(labels).some(([k, v]) => have[k] !== v)) {
      await this.#patch(this.#path(name), { metadata: { labels } });
    }
    if (!sameStatusFields(existing, status)) await this.#patch(`${this.#path(name)}/status`, { status });
  }

  async #patch(path: string, body: unknown): Promise<void> {
    const patched = (await requestJson(this.#options.kubeConfig, path, {
      method: "PATCH",
      body,
      contentType: MERGE_PATCH,
    })) as SessionStateObject;
    this.#informer.upsert(patched);
  }

  async #delete(name: string): Promise<void> {
    try {
      await requestJson(this.#options.kubeConfig, this.#path(name), { method: "DELETE" });
    } catch (err) {
      if (!(err instanceof ApiError && err.statusCode === 404)) throw err;
    }
  }
}

function ownerReference(pod: PodRef): OwnerReference {
  return { apiVersion: "v1", kind: "Pod", name: pod.name, uid: pod.uid };
}

function sameStatusFields(object: SessionStateObject | undefined, want: SessionStateStatus): boolean {
  const have = object?.status ?? {};
  return (Object.keys(want) as (keyof SessionStateStatus)[]).every((k) => have[k] === want[k]);
}
