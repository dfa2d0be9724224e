// core/v1 Events on the FRRConfiguration that caused a conversion failure (upstream emits none:
// docs/compatibility.md). Known secret values are cut out of every message as a second line of
// defence (issues never carry them).
import type { KubeAccess } from "./access.ts";
import type { Issue, ObjectRef } from "../../core/issues.ts";
import { FRRK8S_API_VERSION } from "./api.ts";
import { ConversionEventTracker } from "./conversion-events.ts";
import { requestJson } from "./rest.ts";
import { Serial } from "./serial.ts";

export const EVENT_REASON = "ConversionFailed";
export const EVENT_COMPONENT = "frr-k8s";

export interface EventWriterOptions {
  kubeConfig: KubeAccess;
  nodeName: string;
  /** The object's UID (from the agent's cache), so that `kubectl describe` lists the Event. */
  uidOf?: (object: ObjectRef) => string | undefined;
  /** Secret values the agent knows: never written into an Event. */
  secretValues?: () => Iterable<string>;
}

export function withoutValues(text: string, values: Iterable<string>): string {
  let out = text;
  for (const value of values) if (value.length > 0) out = out.split(value).join("<retracted>");
  return out;
}

export class EventWriter {
  readonly #options: EventWriterOptions;
  readonly #tracker = new ConversionEventTracker();
  readonly #serial = new Serial();

  constructor(options: EventWriterOptions) {
    this.#options = options;
  }

  write(issues: readonly Issue[]): Promise<void> {
    return this.#serial.run(async () => {
      for (const event of this.#tracker.next(issues)) {
        try {
          await this.#emit(event.object, event.message);
        } catch (err) {
          this.#tracker.forget(event.object);
          throw err;
        }
      }
    });
  }

  async #emit(object: ObjectRef, rawMessage: string): Promise<void> {
    const message = withoutValues(rawMessage, this.#options.secretValues?.() ?? []);
    const uid = this.#options.uidOf?.(object);
    const now = new Date().toISOString();
    const path = `/api/v1/namespaces/${encodeURIComponent(object.namespace)}/events`;
    await requestJson(this.#options.kubeConfig, path, {
      method: "POST",
      body: {
        metadata: { generateName: `${object.name}.`, namespace: object.namespace },
        involvedObject: {
          apiVersion: FRRK8S_API_VERSION,
          kind: object.kind,
          namespace: object.namespace,
          name: object.name,
          ...(uid !== undefined && { uid }),
        },
        type: "Warning",
        reason: EVENT_REASON,
        message,
        source: { component: EVENT_COMPONENT, host: this.#options.nodeName },
        reportingComponent: EVENT_COMPONENT,
        reportingInstance: this.#options.nodeName,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }
}
