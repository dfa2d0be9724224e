// What the webhook knows of the cluster: the Nodes (name → labels) and the FRRConfigurations,
// indexed by their node selector so that finding the configurations of one node costs a few map
// reads instead of a scan of every configuration (6,000 of them in the benchmark).
//
// Index: a configuration whose selector requires `key=value` (a matchLabels entry, or an `In`
// expression: one entry per value) is filed under that pair; a node can only match it if it has
// the pair. Any other configuration (no selector, only NotIn/Exists/...) is checked for every node.
import type { LabelSelector } from "../../api/types.ts";
import { prepareConfiguration, type PreparedConfiguration } from "../model-issues.ts";
import { isWithin } from "../path.ts";
import { decodeConfiguration } from "../select.ts";
import { selectorMatches } from "../selector.ts";
import { DependencyIndex } from "./dependency-index.ts";
import { footprintOf, type Footprint } from "./footprint.ts";
import { ADMISSION_OPTIONS } from "./options.ts";

export interface StoredConfiguration {
  /** `namespace/name` */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The object as read from the API (what the pipeline decodes). */
  readonly raw: unknown;
  readonly selector: LabelSelector | undefined;
}

export type Labels = Readonly<Record<string, string>>;

export function configurationKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function anchors(selector: LabelSelector | undefined): string[] {
  const labels = Object.entries(selector?.matchLabels ?? {});
  if (labels.length > 0) return [pair(labels[0]![0], labels[0]![1])];
  const inExpression = (selector?.matchExpressions ?? []).find((e) => e.operator === "In");
  return inExpression ? (inExpression.values ?? []).map((value) => pair(inExpression.key, value)) : [];
}

function pair(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

/**
 * The stored form of an FRRConfiguration, or undefined when its selector cannot be evaluated:
 * the agents then fail on every node whatever else exists, so it can never matter to admission.
 */
export function storedConfiguration(raw: unknown): StoredConfiguration | undefined {
  const decoded = decodeConfiguration(raw, 0);
  const broken = decoded.brokenPaths.some(
    (path) =>
      path === "" || path === "spec" || isWithin(path, "spec.nodeSelector") || path === "metadata.name",
  );
  if (broken) return undefined;
  const { namespace, name } = decoded.object;
  const selector = decoded.config.spec?.nodeSelector;
  return { key: configurationKey(namespace, name), namespace, name, raw, selector };
}

/**
 * The configurations one or more nodes select, by key in key order. Membership depends only on
 * selectors and labels, so a set stays right when a configuration's content changes.
 */
export interface ConfigurationSet {
  readonly keys: readonly string[];
  /** The keys, joined: equal sets have equal keys. */
  readonly key: string;
}

/** A stored configuration decoded and converted for admission, and what it can merge with. */
export interface PreparedStored {
  readonly configuration: PreparedConfiguration;
  readonly footprint: Footprint;
}

function resourceVersion(raw: unknown): unknown {
  return (raw as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
}

/** The same object as stored, by the API's resourceVersion (objects without one never are). */
function sameVersion(known: unknown, raw: unknown): boolean {
  const version = resourceVersion(raw);
  return typeof version === "string" && version !== "" && version === resourceVersion(known);
}

function sameSelector(a: StoredConfiguration | undefined, b: StoredConfiguration | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a.selector) === JSON.stringify(b.selector);
}

export class ClusterIndex {
  readonly #nodes = new Map<string, Labels>();
  readonly #configurations = new Map<string, StoredConfiguration>();
  /** `key\0value` → configurations requiring that label. */
  readonly #byLabel = new Map<string, Map<string, StoredConfiguration>>();
  /** Configurations to check on every node. */
  readonly #everywhere = new Map<string, StoredConfiguration>();
  /** Per stored object: an update stores a new object, so its old preparation is dropped. */
  readonly #prepared = new WeakMap<StoredConfiguration, PreparedStored>();
  /** Node → its configurations, until a configuration or the node changes. */
  readonly #setOfNode = new Map<string, ConfigurationSet>();
  /** The sets above by key, so that nodes with the same configurations share one object. */
  readonly #sets = new Map<string, ConfigurationSet>();
  /** What each configuration can interact with (footprint.ts), for dependentOn(). */
  readonly #dependencies = new DependencyIndex<StoredConfiguration>();
  /** Changes of any configuration: configurationsOf() results stay valid while it is unchanged. */
  #version = 0;
  readonly #configurationsOfSet = new WeakMap<
    ConfigurationSet,
    { version: number; configurations: StoredConfiguration[] }
  >();

  get nodeCount(): number {
    return this.#nodes.size;
  }

  get configurationCount(): number {
    return this.#configurations.size;
  }

  setNode(name: string, labels: Labels): void {
    this.#nodes.set(name, labels);
    this.#setOfNode.delete(name);
  }

  deleteNode(name: string): void {
    this.#nodes.delete(name);
    this.#setOfNode.delete(name);
  }

  hasNode(name: string): boolean {
    return this.#nodes.has(name);
  }

  nodes(): IterableIterator<[string, Labels]> {
    return this.#nodes.entries();
  }

  /** Add or replace a configuration (by namespace/name); one with a broken selector is dropped. */
  setConfiguration(namespace: string, name: string, raw: unknown): void {
    const known = this.#configurations.get(configurationKey(namespace, name));
    if (known && sameVersion(known.raw, raw)) return; // a relist: keep what was prepared
    const stored = storedConfiguration(raw);
    const valid = stored?.key === configurationKey(namespace, name);
    this.#removeConfiguration(namespace, name, valid && sameSelector(known, stored));
    if (!valid) return;
    if (!sameSelector(known, stored)) this.#forgetSetsSelectedBy(stored.selector);
    this.#configurations.set(stored.key, stored);
    this.#version++;
    // Prepared now, while the informer delivers it, rather than in the first admission request.
    this.#dependencies.add(stored, this.prepared(stored).footprint);
    const pairs = anchors(stored.selector);
    if (pairs.length === 0) this.#everywhere.set(stored.key, stored);
    for (const p of pairs) {
      const bucket = this.#byLabel.get(p) ?? new Map<string, StoredConfiguration>();
      bucket.set(stored.key, stored);
      this.#byLabel.set(p, bucket);
    }
  }

  deleteConfiguration(namespace: string, name: string): void {
    this.#removeConfiguration(namespace, name, false);
  }

  /** Removes it from the maps; the node sets it was in stay when it comes back with its selector. */
  #removeConfiguration(namespace: string, name: string, keepSets: boolean): void {
    const key = configurationKey(namespace, name);
    const stored = this.#configurations.get(key);
    if (!stored) return;
    if (!keepSets) this.#forgetSetsSelectedBy(stored.selector);
    this.#configurations.delete(key);
    this.#version++;
    this.#dependencies.delete(stored, this.prepared(stored).footprint);
    this.#everywhere.delete(key);
    for (const p of anchors(stored.selector)) {
      const bucket = this.#byLabel.get(p);
      bucket?.delete(key);
      if (bucket?.size === 0) this.#byLabel.delete(p);
    }
  }

  /** A configuration with this selector came or went: the nodes it selects have another set. */
  #forgetSetsSelectedBy(selector: LabelSelector | undefined): void {
    for (const node of this.#setOfNode.keys()) {
      if (selectorMatches(selector, this.#nodes.get(node) ?? {})) this.#setOfNode.delete(node);
    }
  }

  /** The configurations of a known node (cached: nodes are many, changes few). */
  configurationSetOf(node: string): ConfigurationSet {
    const known = this.#setOfNode.get(node);
    if (known) return known;
    const keys = this.configurationsFor(this.#nodes.get(node) ?? {}).map((c) => c.key);
    const key = keys.join("\n");
    const set = this.#sets.get(key) ?? { keys, key };
    // Sets no node uses any more are dropped now and then, not tracked one by one.
    if (this.#sets.size > 2 * this.#nodes.size + 16) this.#sets.clear();
    this.#sets.set(key, set);
    this.#setOfNode.set(node, set);
    return set;
  }

  /** The set's configurations as stored now. Do not modify the array. */
  configurationsOf(set: ConfigurationSet): readonly StoredConfiguration[] {
    const known = this.#configurationsOfSet.get(set);
    if (known?.version === this.#version) return known.configurations;
    const configurations = set.keys.flatMap((key) => this.#configurations.get(key) ?? []);
    this.#configurationsOfSet.set(set, { version: this.#version, configurations });
    return configurations;
  }

  /** The stored configurations that are not independent of `footprint` (footprint.ts). */
  dependentOn(footprint: Footprint): ReadonlySet<StoredConfiguration> {
    return this.#dependencies.dependentOn(footprint);
  }

  /** The configuration decoded and converted once, however many admissions merge it. */
  prepared(stored: StoredConfiguration): PreparedStored {
    const known = this.#prepared.get(stored);
    if (known) return known;
    const configuration = prepareConfiguration(decodeConfiguration(stored.raw, 0), ADMISSION_OPTIONS);
    const prepared = { configuration, footprint: footprintOf(configuration) };
    this.#prepared.set(stored, prepared);
    return prepared;
  }

  /** The configurations whose selector matches these labels, sorted by namespace/name. */
  configurationsFor(labels: Labels): StoredConfiguration[] {
    const found: StoredConfiguration[] = [];
    const consider = (candidates: Iterable<StoredConfiguration>): void => {
      for (const c of candidates) if (selectorMatches(c.selector, labels)) found.push(c);
    };
    consider(this.#everywhere.values());
    for (const [key, value] of Object.entries(labels)) {
      const bucket = this.#byLabel.get(pair(key, value));
      if (bucket) consider(bucket.values());
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
