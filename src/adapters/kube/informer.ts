// A small informer over client-node's `Watch`: list, then watch from the list's resourceVersion with
// bookmarks on. client-node's own informer never asks for bookmarks and stops for good on any
// error but 410; this one never stops until close():
//   - BOOKMARK events advance the resourceVersion (a re-watch does not replay history);
//   - 410 Gone (HTTP status, or an ERROR event with code 410) → relist, then watch again;
//   - any other error or a closed stream → watch again after a bounded exponential backoff
//     (200 ms doubling to 10 s; reset once a watch delivered an event).
//
// Usage:
//   const informer = new Informer<V1Secret>({
//     kubeConfig, resource: { apiVersion: "v1", kind: "Secret", plural: "secrets", namespace: "ns" },
//     labelSelector: "a=b",                       // optional, as is fieldSelector
//     transform: (s) => stripped(s),              // optional: what the store keeps
//     onChange: (change) => { ... },              // added / modified / deleted, after the store changed
//   });
//   informer.start();
//   await informer.synced();                      // resolves after the first successful list
//   informer.list(); informer.get("ns/name");
//   informer.resync();                            // relist now, transforming every object again
//   informer.close();                             // stops the watch; synced() never resolves after it
// The deep path: client-node's package index loads its whole generated API (~80 MB RSS).
import { Watch } from "@kubernetes/client-node/dist/watch.js";
import type { KubeAccess } from "./access.ts";
import type { KubeList } from "./objects.ts";
import { requestJson } from "./rest.ts";

export interface ResourceRef {
  /** `v1`, `frrk8s.metallb.io/v1beta1`, ... */
  apiVersion: string;
  /** For logs. */
  kind: string;
  /** The URL segment: `secrets`, `frrconfigurations`. */
  plural: string;
  /** Omitted: cluster-scoped, or every namespace. */
  namespace?: string;
}

/** What the informer needs of an object (client-node's KubernetesObject and plain JSON both fit). */
export interface InformerObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export type ChangeType = "added" | "modified" | "deleted";

export interface Change<T> {
  type: ChangeType;
  object: T;
  /** The stored object this one replaced (modified) or removed (deleted). */
  previous?: T;
}

/** The subset of the runtime's Log the informer uses (adapters do not import the runtime). */
export interface InformerLog {
  debug(msg: string, fields?: { object?: string; reason?: string; count?: number }): void;
  warn(msg: string, fields?: { object?: string; reason?: string; delayMs?: number }): void;
}

export interface InformerOptions<T extends InformerObject> {
  kubeConfig: KubeAccess;
  resource: ResourceRef;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * What the store keeps of each object (drop what is not needed: memory, secrets). A list page's
   * objects are transformed as the page arrives, so a relist never holds every raw object.
   */
  transform?: (object: T) => T;
  onChange?: (change: Change<T>) => void;
  log?: InformerLog;
  backoff?: { initialMs: number; maxMs: number };
}

export interface InformerStats {
  lists: number;
  watches: number;
  /** Relists caused by 410 Gone. */
  gone: number;
}

const DEFAULT_BACKOFF = { initialMs: 200, maxMs: 10_000 };
const LIST_PAGE_SIZE = 100;
/** The apiserver sends a bookmark about every minute; a watch silent for longer is dead. */
const WATCH_IDLE_TIMEOUT_MS = 130_000;

/** `ns/name`, or `name` for cluster-scoped objects: the store key. */
export function objectKey(object: InformerObject): string {
  const ns = object.metadata?.namespace;
  const name = object.metadata?.name ?? "";
  return ns === undefined || ns === "" ? name : `${ns}/${name}`;
}

/** The URL path of a resource collection (`/api/v1/namespaces/ns/secrets`). */
export function collectionPath(resource: ResourceRef): string {
  const root = resource.apiVersion.includes("/")
    ? `/apis/${resource.apiVersion}`
    : `/api/${resource.apiVersion}`;
  const ns = resource.namespace === undefined ? "" : `/namespaces/${resource.namespace}`;
  return `${root}${ns}/${resource.plural}`;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const record = err as { statusCode?: unknown; code?: unknown };
  if (typeof record.statusCode === "number") return record.statusCode;
  return typeof record.code === "number" ? record.code : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** How one watch connection ended. */
type WatchEnd =
  | { kind: "gone" }
  | { kind: "closed"; sawEvents: boolean }
  | { kind: "error"; reason: string; sawEvents: boolean };

export class Informer<T extends InformerObject> {
  readonly #options: InformerOptions<T>;
  readonly #store = new Map<string, T>();
  readonly #stop = new AbortController();
  readonly #stats: InformerStats = { lists: 0, watches: 0, gone: 0 };
  #resourceVersion = "";
  #currentWatch: AbortController | undefined;
  #resyncRequested = false;
  #started = false;
  #resolveSynced: () => void = () => undefined;
  readonly #synced: Promise<void>;

  constructor(options: InformerOptions<T>) {
    this.#options = options;
    this.#synced = new Promise((resolve) => {
      this.#resolveSynced = resolve;
    });
  }

  /** Starts listing and watching in the background (idempotent). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#run();
  }

  /** Resolves once the store holds a complete list. */
  synced(): Promise<void> {
    return this.#synced;
  }

  list(): T[] {
    return [...this.#store.values()];
  }

  get(key: string): T | undefined {
    return this.#store.get(key);
  }

  stats(): InformerStats {
    return { ...this.#stats };
  }

  /** Puts a freshly read object into the store (e.g. after a GET), as a watch event would. */
  upsert(object: T): void {
    this.#apply("MODIFIED", object, true);
  }

  /**
   * Relists now (ending the current watch) and transforms every object again, unchanged or not:
   * for a transform whose result depends on something else that changed.
   */
  resync(): void {
    this.#resyncRequested = true;
    this.#currentWatch?.abort();
  }

  close(): void {
    this.#stop.abort();
    this.#currentWatch?.abort();
  }

  #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  get #name(): string {
    const { kind, namespace } = this.#options.resource;
    return namespace === undefined ? kind : `${kind} ${namespace}/*`;
  }

  async #run(): Promise<void> {
    const backoff = this.#options.backoff ?? DEFAULT_BACKOFF;
    let delay = backoff.initialMs;
    let needList = true;
    while (!this.#stopped()) {
      if (needList) {
        const listed = await this.#relist();
        if (!listed) {
          await sleep(delay, this.#stop.signal);
          delay = Math.min(backoff.maxMs, delay * 2);
          continue;
        }
        // A resync asked for during the list: the list may predate what changed.
        needList = this.#resyncRequested;
        if (needList) continue;
      }
      const end = await this.#watchOnce();
      if (this.#stopped()) return;
      if (this.#resyncRequested) {
        needList = true;
        continue;
      }
      if (end.kind === "gone") {
        this.#stats.gone++;
        this.#options.log?.debug("watch expired, relisting", { object: this.#name });
        needList = true;
        continue;
      }
      if (end.sawEvents) delay = backoff.initialMs;
      if (end.kind === "error") {
        this.#options.log?.warn("watch failed, restarting", {
          object: this.#name,
          reason: end.reason,
          delayMs: delay,
        });
      }
      if (end.kind === "error" || !end.sawEvents) {
        await sleep(delay, this.#stop.signal);
        delay = Math.min(backoff.maxMs, delay * 2);
      }
    }
  }

  /** Lists every page; replaces the store and reports the differences. False on failure. */
  async #relist(): Promise<boolean> {
    const force = this.#resyncRequested;
    this.#resyncRequested = false;
    try {
      const fresh = new Map<string, T>();
      let continueToken = "";
      let resourceVersion = "";
      do {
        const page = (await requestJson(
          this.#options.kubeConfig,
          this.#listPath(continueToken),
        )) as KubeList<T>;
        for (const item of page.items ?? []) fresh.set(objectKey(item), this.#stored(item, force));
        continueToken = page.metadata?.continue ?? "";
        resourceVersion = page.metadata?.resourceVersion ?? "";
      } while (continueToken !== "" && !this.#stopped());
      this.#stats.lists++;
      this.#replace(fresh, force);
      this.#resourceVersion = resourceVersion;
      this.#resolveSynced();
      return true;
    } catch (err) {
      this.#resyncRequested ||= force;
      this.#options.log?.warn("list failed, retrying", { object: this.#name, reason: describe(err) });
      return false;
    }
  }

  /** What the store would keep of a listed object: the stored one when unchanged. */
  #stored(raw: T, force: boolean): T {
    const previous = this.#store.get(objectKey(raw));
    if (!force && previous !== undefined && sameVersion(previous, raw)) return previous;
    return this.#options.transform ? this.#options.transform(raw) : raw;
  }

  #listPath(continueToken: string): string {
    const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
    if (this.#options.labelSelector !== undefined) query.set("labelSelector", this.#options.labelSelector);
    if (this.#options.fieldSelector !== undefined) query.set("fieldSelector", this.#options.fieldSelector);
    if (continueToken !== "") query.set("continue", continueToken);
    return `${collectionPath(this.#options.resource)}?${query.toString()}`;
  }

  /** Makes the store hold `fresh` (transformed objects), reporting each difference. */
  #replace(fresh: ReadonlyMap<string, T>, force: boolean): void {
    for (const [key, object] of fresh) {
      const previous = this.#store.get(key);
      if (previous === object || (!force && previous !== undefined && sameVersion(previous, object)))
        continue;
      this.#put(key, object, previous);
    }
    for (const [key, previous] of [...this.#store]) {
      if (!fresh.has(key)) this.#apply("DELETED", previous);
    }
  }

  /** One watch connection, from the current resourceVersion until it ends. */
  async #watchOnce(): Promise<WatchEnd> {
    // Watch reads only getCurrentCluster() and applySecurityAuthentication() of its KubeConfig.
    const watch = new Watch(this.#options.kubeConfig as unknown as ConstructorParameters<typeof Watch>[0]);
    // client-node aborts a watch silent for 30 s; bookmarks come about every minute.
    Reflect.set(watch, "requestTimeoutMs", WATCH_IDLE_TIMEOUT_MS);
    // Written by the event callback while the connection is open.
    const seen: { events: boolean; gone: boolean; error?: string } = { events: false, gone: false };
    this.#stats.watches++;
    const ended = new Promise<unknown>((resolve) => {
      const params = {
        allowWatchBookmarks: true,
        resourceVersion: this.#resourceVersion,
        timeoutSeconds: 240 + Math.floor(Math.random() * 60),
        fieldSelector: this.#options.fieldSelector,
        labelSelector: this.#options.labelSelector,
      };
      const onEvent = (type: string, object: unknown): void => {
        seen.events = true;
        if (type === "ERROR") {
          seen.gone ||= statusCodeOf(object) === 410;
          seen.error = (object as { message?: string } | undefined)?.message ?? "ERROR event";
          this.#currentWatch?.abort();
          return;
        }
        this.#onEvent(type, object as T);
      };
      watch
        .watch(collectionPath(this.#options.resource), params, onEvent, resolve)
        .then((controller) => {
          this.#currentWatch = controller;
          // close() or resync() while connecting: end this watch now.
          if (this.#stop.signal.aborted || this.#resyncRequested) controller.abort();
        })
        .catch(resolve);
    });
    const err = await ended;
    this.#currentWatch = undefined;
    if (seen.gone || statusCodeOf(err) === 410) return { kind: "gone" };
    if (seen.error !== undefined) return { kind: "error", reason: seen.error, sawEvents: false };
    if (err === null || err === undefined) return { kind: "closed", sawEvents: seen.events };
    return { kind: "error", reason: describe(err), sawEvents: seen.events };
  }

  #onEvent(type: string, object: T): void {
    const resourceVersion = object.metadata?.resourceVersion;
    if (resourceVersion !== undefined) this.#resourceVersion = resourceVersion;
    if (type === "BOOKMARK") return;
    this.#apply(type, object);
  }

  /** `force`: store even when the resourceVersion is the one stored (the transform may differ). */
  #apply(type: string, raw: T, force = false): void {
    const key = objectKey(raw);
    const previous = this.#store.get(key);
    if (type === "DELETED") {
      if (!this.#store.delete(key)) return;
      this.#options.onChange?.({ type: "deleted", object: previous ?? raw, ...(previous && { previous }) });
      return;
    }
    if (previous !== undefined && sameVersion(previous, raw) && !force) return;
    this.#put(key, this.#options.transform ? this.#options.transform(raw) : raw, previous);
  }

  #put(key: string, object: T, previous: T | undefined): void {
    this.#store.set(key, object);
    this.#options.onChange?.(
      previous === undefined ? { type: "added", object } : { type: "modified", object, previous },
    );
  }
}

function sameVersion(a: InformerObject, b: InformerObject): boolean {
  return a.metadata?.resourceVersion === b.metadata?.resourceVersion;
}
