// Admission of an FRRConfiguration (the validating webhook's decision), pure.
//
// The object is merged, with the same pipeline the agents run, with the configurations each node
// it selects already has; nodes that have the same set of configurations share one run (fast.ts
// narrows that further to the configurations that can interact with the object). An error
// denies only when the object causes it: errors the node already had without the object (a
// configuration that was broken before) are not held against it. Secret references are not
// resolved (a Secret may be created after the configuration), as upstream.
import type { FRRConfiguration } from "../../api/types.ts";
import type { Issue, ObjectRef } from "../issues.ts";
import { isWithin } from "../path.ts";
import { decodeConfiguration, type DecodedConfiguration } from "../select.ts";
import { selectorMatches } from "../selector.ts";
import {
  configurationKey,
  type ClusterIndex,
  type ConfigurationSet,
  type Labels,
  type StoredConfiguration,
} from "./cluster-index.ts";
import type { IssueCollector, NodeGroup } from "./collect.ts";
import { collectIssuesFast } from "./fast.ts";
import { GRACEFUL_RESTART_CHANGED, gracefulRestartChanges } from "./graceful-restart.ts";
import { denialMessage, warningTexts } from "./message.ts";
import { collectIssuesStraightforward } from "./reference.ts";

export interface AdmissionRequestView {
  /** CREATE, UPDATE, DELETE or CONNECT. */
  operation: string;
  namespace: string;
  /** Empty on a create with generateName. */
  name: string;
  object: unknown;
  oldObject: unknown;
}

export interface AdmissionOptions {
  /**
   * The namespace the agents read FRRConfigurations from. Objects are merged only with the
   * configurations of that namespace, and an object elsewhere gets a warning. Empty: every
   * namespace (upstream's behaviour).
   */
  agentNamespace: string;
}

export interface AdmissionDecision {
  allowed: boolean;
  /** HTTP-like status of a denial: 400 when the object cannot be decoded, else 403. */
  code: number;
  message: string;
  warnings: string[];
}

export function admit(
  request: AdmissionRequestView,
  cluster: ClusterIndex,
  options: AdmissionOptions,
): AdmissionDecision {
  return decide(request, cluster, options, collectIssuesFast);
}

/** The same decision found the slow, obvious way: the oracle of the fast one's tests. */
export function admitStraightforward(
  request: AdmissionRequestView,
  cluster: ClusterIndex,
  options: AdmissionOptions,
): AdmissionDecision {
  return decide(request, cluster, options, collectIssuesStraightforward);
}

function decide(
  request: AdmissionRequestView,
  cluster: ClusterIndex,
  options: AdmissionOptions,
  collectIssues: IssueCollector,
): AdmissionDecision {
  if (request.operation !== "CREATE" && request.operation !== "UPDATE") return allow([]);
  const object = withIdentity(request);
  if (object === undefined) {
    return deny(400, "the request holds no FRRConfiguration object (a JSON object is expected)", []);
  }
  const decoded = decodeConfiguration(object, 0);
  const self = decoded.object;
  if (hasBrokenSelector(decoded)) {
    const errors = decoded.issues
      .filter((i) => i.severity === "error")
      .map((issue) => ({ issue, nodes: [] }));
    return deny(400, denialMessage(errors, self), []);
  }
  const notes: string[] = [...namespaceWarning(self, options), ...gracefulRestartWarnings(request, decoded)];
  const nodes = selectedNodes(decoded, cluster);
  if (nodes.length === 0) notes.push(NO_NODE_WARNING);
  // Alone: not merged with anything, so it is checked as if it selected one empty node.
  const alone = nodes.length === 0 || isIgnored(self, options);
  const groups = alone ? [ALONE] : groupByConfigurations(nodes, cluster, self, options);
  const found = collectIssues(groups, alone ? withoutSelector(object) : object, self, cluster);
  const warnings = [...notes, ...warningTexts(found.warnings, self)];
  if (found.errors.length > 0) {
    const code = found.errors.some((e) => isDecodeIssue(e.issue, self)) ? 400 : 403;
    return deny(code, denialMessage(found.errors, self), warnings);
  }
  return allow(warnings);
}

export const NO_NODE_WARNING =
  "spec.nodeSelector selects no node at present: the object was checked on its own, not merged with other configurations";

const ALONE: NodeGroup = { nodes: [], labels: {}, existing: [] };

function allow(warnings: string[]): AdmissionDecision {
  return { allowed: true, code: 200, message: "", warnings };
}

function deny(code: number, message: string, warnings: string[]): AdmissionDecision {
  return { allowed: false, code, message, warnings };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object with the request's namespace and name (a generated name is not known yet). */
function withIdentity(request: AdmissionRequestView): Record<string, unknown> | undefined {
  if (!isPlainObject(request.object)) return undefined;
  const metadata = isPlainObject(request.object["metadata"]) ? request.object["metadata"] : {};
  const generateName = typeof metadata["generateName"] === "string" ? metadata["generateName"] : "";
  const name = request.name || (typeof metadata["name"] === "string" ? metadata["name"] : "");
  return {
    ...request.object,
    metadata: {
      ...metadata,
      namespace: request.namespace || metadata["namespace"],
      name: name || (generateName ? `${generateName}<generated>` : ""),
    },
  };
}

function withoutSelector(object: Record<string, unknown>): Record<string, unknown> {
  const spec = isPlainObject(object["spec"]) ? object["spec"] : {};
  const rest = Object.fromEntries(Object.entries(spec).filter(([key]) => key !== "nodeSelector"));
  return { ...object, spec: rest };
}

function hasBrokenSelector(decoded: DecodedConfiguration): boolean {
  return decoded.brokenPaths.some(
    (path) =>
      path === "" || path === "spec" || path === "metadata.name" || isWithin(path, "spec.nodeSelector"),
  );
}

function isDecodeIssue(issue: Issue, self: ObjectRef): boolean {
  return issue.object.name === self.name && issue.object.namespace === self.namespace && !issue.conflictsWith
    ? DECODE_CODES.has(issue.code)
    : false;
}

const DECODE_CODES = new Set<string>([
  "INVALID_TYPE",
  "REQUIRED_FIELD_MISSING",
  "INVALID_ENUM_VALUE",
  "VALUE_OUT_OF_RANGE",
  "INVALID_DURATION",
]);

function isIgnored(self: ObjectRef, options: AdmissionOptions): boolean {
  return options.agentNamespace !== "" && self.namespace !== options.agentNamespace;
}

function namespaceWarning(self: ObjectRef, options: AdmissionOptions): string[] {
  if (!isIgnored(self, options)) return [];
  return [
    `metadata.namespace: the frr-k8s agents read FRRConfigurations only in namespace "${options.agentNamespace}": this object in "${self.namespace}" has no effect (checked on its own)`,
  ];
}

function gracefulRestartWarnings(request: AdmissionRequestView, decoded: DecodedConfiguration): string[] {
  if (request.operation !== "UPDATE" || !isPlainObject(request.oldObject)) return [];
  const old = decodeConfiguration(request.oldObject, 0).config;
  const updated: FRRConfiguration = decoded.config;
  return gracefulRestartChanges(updated, old).map((path) => `${path}: ${GRACEFUL_RESTART_CHANGED}`);
}

interface NodeRef {
  name: string;
  labels: Labels;
}

function selectedNodes(decoded: DecodedConfiguration, cluster: ClusterIndex): NodeRef[] {
  const selector = decoded.config.spec?.nodeSelector;
  const found: NodeRef[] = [];
  for (const [name, labels] of cluster.nodes()) {
    if (selectorMatches(selector, labels)) found.push({ name, labels });
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface FilteredSet {
  existing: StoredConfiguration[];
  key: string;
}

/** The configurations of the set the object merges with: not itself, only the agents'. */
function mergedWith(
  set: ConfigurationSet,
  cluster: ClusterIndex,
  self: ObjectRef,
  options: AdmissionOptions,
): FilteredSet {
  const selfKey = configurationKey(self.namespace, self.name);
  const all = cluster.configurationsOf(set);
  const existing = all.filter(
    (c) => c.key !== selfKey && (options.agentNamespace === "" || c.namespace === options.agentNamespace),
  );
  return { existing, key: existing.length === all.length ? set.key : existing.map((c) => c.key).join("\n") };
}

function groupByConfigurations(
  nodes: readonly NodeRef[],
  cluster: ClusterIndex,
  self: ObjectRef,
  options: AdmissionOptions,
): NodeGroup[] {
  const filtered = new Map<ConfigurationSet, FilteredSet>();
  const groups = new Map<string, NodeGroup>();
  for (const node of nodes) {
    const set = cluster.configurationSetOf(node.name);
    const merged = filtered.get(set) ?? mergedWith(set, cluster, self, options);
    filtered.set(set, merged);
    const { existing, key } = merged;
    const group = groups.get(key) ?? { nodes: [], labels: node.labels, existing };
    group.nodes.push(node.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}
