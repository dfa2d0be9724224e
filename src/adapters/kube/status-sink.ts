// The agent's StatusSink on the Kubernetes API: FRRNodeState, BGPSessionState and conversion
// Events, each written only when it changed. A failed write is logged and retried at the next
// publish (every reconcile and every verify pass), never thrown into the agent.
import type { KubeAccess } from "./access.ts";
import type { ObjectRef } from "../../core/issues.ts";
import type { NodeStatus, StatusSink } from "../../ports/node-status.ts";
import { EventWriter } from "./event-writer.ts";
import type { InformerLog } from "./informer.ts";
import { NodeStateWriter } from "./node-state-writer.ts";
import { type PodRef, SessionStateWriter } from "./session-state-writer.ts";

export interface KubeStatusSinkOptions {
  kubeConfig: KubeAccess;
  namespace: string;
  nodeName: string;
  pod?: PodRef;
  log?: InformerLog;
  uidOf?: (object: ObjectRef) => string | undefined;
  secretValues?: () => Iterable<string>;
}

export class KubeStatusSink implements StatusSink {
  readonly #log: InformerLog | undefined;
  readonly #nodeState: NodeStateWriter;
  readonly #sessions: SessionStateWriter;
  readonly #events: EventWriter;

  constructor(options: KubeStatusSinkOptions) {
    const { kubeConfig, namespace, nodeName, log } = options;
    this.#log = log;
    this.#nodeState = new NodeStateWriter({ kubeConfig, nodeName, ...(log && { log }) });
    this.#sessions = new SessionStateWriter({
      kubeConfig,
      namespace,
      nodeName,
      ...(options.pod && { pod: options.pod }),
      ...(log && { log }),
    });
    this.#events = new EventWriter({
      kubeConfig,
      nodeName,
      ...(options.uidOf && { uidOf: options.uidOf }),
      ...(options.secretValues && { secretValues: options.secretValues }),
    });
  }

  start(): void {
    this.#nodeState.start();
    this.#sessions.start();
  }

  close(): void {
    this.#nodeState.close();
    this.#sessions.close();
  }

  async publish(status: NodeStatus): Promise<void> {
    await Promise.all([
      this.#guard("FRRNodeState", this.#nodeState.write(status)),
      this.#guard("BGPSessionState", this.#sessions.write(status.sessions)),
      this.#guard("Event", this.#events.write(status.issues)),
    ]);
  }

  async #guard(object: string, write: Promise<void>): Promise<void> {
    try {
      await write;
    } catch (err) {
      this.#log?.warn("status write failed", {
        object,
        reason: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
