// Removes the status objects of nodes that no longer exist: the FRRNodeState named after the
// node (cluster-scoped) and the BGPSessionStates labelled `frrk8s.metallb.io/node=<node>` in the
// frr-k8s namespace. Runs in the webhook process, at start-up, when a Node is deleted, and
// hourly as a sweep. A node is only judged gone after the apiserver says so (GET → 404): a node
// that the cache has not seen yet, or that came back, keeps its objects.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { FRRK8S_GROUP, FRRK8S_VERSION, PLURAL } from "./client.ts";

export const NODE_LABEL = "frrk8s.metallb.io/node";
const SWEEP_INTERVAL_MS = 3_600_000;

export interface CleanerLog {
  info(msg: string, fields?: { object?: string; count?: number }): void;
  warn(msg: string, fields?: { object?: string; reason?: string }): void;
}

export interface StatusCleanerOptions {
  kubeConfig: KubeConfig;
  /** Where BGPSessionStates live (the frr-k8s namespace). */
  namespace: string;
  /** The node cache (synced before the first run): nodes it holds are never cleaned. */
  nodeKnown: (name: string) => boolean;
  log: CleanerLog;
}

interface Listed {
  items?: { metadata?: { name?: string; labels?: Record<string, string> } }[];
}

function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

export class StatusCleaner {
  readonly #options: StatusCleanerOptions;
  readonly #objects: CustomObjectsApi;
  readonly #core: CoreV1Api;
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: StatusCleanerOptions) {
    this.#options = options;
    this.#objects = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.#core = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  /** A first clean now, then an hourly sweep. */
  start(): void {
    this.trigger();
    this.#timer = setInterval(() => {
      this.trigger();
    }, SWEEP_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Runs a clean; triggers during a run coalesce into one more run. */
  trigger(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop();
  }

  /** Resolves when no clean is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #loop(): Promise<void> {
    do {
      try {
        await this.clean();
      } catch (err) {
        this.#options.log.warn("status cleaning failed", {
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    } while (this.#takeAgain());
    this.#running = undefined;
  }

  /** Whether a trigger came during the run (and clears it). */
  #takeAgain(): boolean {
    const again = this.#again;
    this.#again = false;
    return again;
  }

  /** One pass: delete every status object of a node the apiserver no longer has. */
  async clean(): Promise<number> {
    const { namespace } = this.#options;
    const common = { group: FRRK8S_GROUP, version: FRRK8S_VERSION };
    const states = (await this.#objects.listClusterCustomObject({
      ...common,
      plural: PLURAL.frrNodeState,
    })) as Listed;
    const sessions = (await this.#objects.listNamespacedCustomObject({
      ...common,
      namespace,
      plural: PLURAL.bgpSessionState,
      labelSelector: NODE_LABEL,
    })) as Listed;
    const nodeOfState = (states.items ?? []).map((s) => s.metadata?.name ?? "");
    const nodeOfSession = (sessions.items ?? []).map((s) => s.metadata?.labels?.[NODE_LABEL] ?? "");
    const gone = await this.#goneNodes(new Set([...nodeOfState, ...nodeOfSession]));
    let deleted = 0;
    for (const item of states.items ?? []) {
      const name = item.metadata?.name ?? "";
      if (!gone.has(name)) continue;
      deleted += await this.#delete(`FRRNodeState ${name}`, () =>
        this.#objects.deleteClusterCustomObject({ ...common, plural: PLURAL.frrNodeState, name }),
      );
    }
    for (const item of sessions.items ?? []) {
      const name = item.metadata?.name ?? "";
      if (!gone.has(item.metadata?.labels?.[NODE_LABEL] ?? "")) continue;
      deleted += await this.#delete(`BGPSessionState ${namespace}/${name}`, () =>
        this.#objects.deleteNamespacedCustomObject({
          ...common,
          namespace,
          plural: PLURAL.bgpSessionState,
          name,
        }),
      );
    }
    return deleted;
  }

  /** Nodes neither in the cache nor in the apiserver. */
  async #goneNodes(candidates: ReadonlySet<string>): Promise<Set<string>> {
    const gone = new Set<string>();
    for (const node of candidates) {
      if (node === "" || this.#options.nodeKnown(node)) continue;
      try {
        await this.#core.readNode({ name: node });
      } catch (err) {
        if (statusCodeOf(err) === 404) gone.add(node);
        else throw err;
      }
    }
    return gone;
  }

  async #delete(object: string, remove: () => Promise<unknown>): Promise<number> {
    try {
      await remove();
      this.#options.log.info("status object of a deleted node removed", { object });
      return 1;
    } catch (err) {
      if (statusCodeOf(err) === 404) return 0;
      throw err;
    }
  }
}
