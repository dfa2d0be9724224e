// What the agent's informers keep of each object, and the facts read from them. Pure functions:
// the store holds only what the pipeline reads (memory with thousands of objects; no Secret data
// that no FRRConfiguration references; never the last-applied annotation, which copies a Secret).
import { isIPv4 } from "node:net";
import { decodeConfiguration } from "../../core/select.ts";
import { selectorMatches } from "../../core/selector.ts";
import type { KubeObject, NodeObject, ObjectMeta, SecretData } from "./objects.ts";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** Metadata without managedFields and the last-applied annotation. */
function compactMetadata(metadata: ObjectMeta | undefined): ObjectMeta {
  if (metadata === undefined) return {};
  const rest = { ...metadata };
  delete rest.managedFields;
  if (rest.annotations === undefined) return rest;
  const annotations = Object.fromEntries(
    Object.entries(rest.annotations).filter(([k]) => k !== LAST_APPLIED),
  );
  delete rest.annotations;
  return Object.keys(annotations).length > 0 ? { ...rest, annotations } : rest;
}

export function compactConfiguration<T extends KubeObject>(object: T): T {
  return { ...object, metadata: compactMetadata(object.metadata) };
}

/** A configuration that does not select the node: what identifies it (Events need its uid). */
export type ConfigurationStub = KubeObject;

/**
 * The stub of a configuration the pipeline does not need on a node with `labels`; undefined when
 * it is needed: it selects the node, or it has errors (a selector that cannot be evaluated is an
 * error on every node; keeping anything with errors lets the pipeline decide as it always did).
 */
export function stubUnlessNeeded(
  object: KubeObject,
  labels: Readonly<Record<string, string>>,
): ConfigurationStub | undefined {
  const decoded = decodeConfiguration(object, 0);
  if (decoded.brokenPaths.length > 0) return undefined;
  if (selectorMatches(decoded.config.spec?.nodeSelector, labels)) return undefined;
  const { name, namespace, resourceVersion, uid } = object.metadata ?? {};
  return {
    ...(object.apiVersion !== undefined && { apiVersion: object.apiVersion }),
    ...(object.kind !== undefined && { kind: object.kind }),
    metadata: {
      ...(name && { name }),
      ...(namespace && { namespace }),
      ...(resourceVersion && { resourceVersion }),
      ...(uid && { uid }),
    },
  };
}

/** A Node reduced to its name, labels and addresses (labels select, addresses give the family). */
export function compactNode(node: NodeObject): NodeObject {
  const { name, labels, resourceVersion, uid } = node.metadata ?? {};
  const addresses = node.status?.addresses;
  return {
    metadata: {
      ...(name && { name }),
      ...(labels && { labels }),
      ...(resourceVersion && { resourceVersion }),
      ...(uid && { uid }),
    },
    ...(addresses && { status: { addresses } }),
  };
}

/** A Secret with its data only when a configuration references it by name. */
export function compactSecret(secret: SecretData, referenced: ReadonlySet<string>): SecretData {
  const { name, namespace, resourceVersion } = secret.metadata ?? {};
  const keep = name !== undefined && referenced.has(name);
  return {
    metadata: {
      ...(name && { name }),
      ...(namespace && { namespace }),
      ...(resourceVersion && { resourceVersion }),
    },
    ...(secret.type !== undefined && { type: secret.type }),
    ...(keep && secret.data !== undefined && { data: secret.data }),
  };
}

export interface NodeFacts {
  labels: Record<string, string>;
  /** No IPv4 InternalIP/ExternalIP among some addresses (the router-id fallback). */
  ipv6Only: boolean;
}

export function nodeFacts(node: NodeObject): NodeFacts {
  const ips = (node.status?.addresses ?? [])
    .filter((a) => a.type === "InternalIP" || a.type === "ExternalIP")
    .map((a) => a.address);
  return { labels: { ...node.metadata?.labels }, ipv6Only: ips.length > 0 && !ips.some((ip) => isIPv4(ip)) };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Every `spec.bgp.routers[].neighbors[]` of the configurations, as records. */
function neighborsOf(configurations: readonly KubeObject[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const configuration of configurations) {
    const spec = (configuration as { spec?: unknown }).spec;
    const bgp = isRecord(spec) ? spec["bgp"] : undefined;
    for (const router of arrayOf(isRecord(bgp) ? bgp["routers"] : undefined)) {
      out.push(...arrayOf(isRecord(router) ? router["neighbors"] : undefined).filter(isRecord));
    }
  }
  return out;
}

/** Names in `spec.bgp.routers[].neighbors[].passwordSecret.name` of every configuration. */
export function referencedSecrets(configurations: readonly KubeObject[]): Set<string> {
  const names = new Set<string>();
  for (const neighbor of neighborsOf(configurations)) {
    const ref = neighbor["passwordSecret"];
    const name = isRecord(ref) ? ref["name"] : undefined;
    if (typeof name === "string" && name !== "") names.add(name);
  }
  return names;
}

/** Inline `password` values of every neighbor. */
export function inlinePasswords(configurations: readonly KubeObject[]): string[] {
  return neighborsOf(configurations)
    .map((n) => n["password"])
    .filter((p): p is string => typeof p === "string" && p !== "");
}
