// The objects of the input, checked for what the CLI itself needs (unique names, node labels,
// the log level) and indexed so that an issue's object can be found again.
import { isIPv4 } from "node:net";
import type { LogLevel } from "../api/types.ts";
import type { ObjectRef } from "../core/issues.ts";
import type { SecretObject } from "../core/snapshot.ts";
import { CliError } from "./exit-codes.ts";
import { isRecord, where, type InputObject } from "./input-objects.ts";

export const LOG_LEVELS: readonly LogLevel[] = ["all", "debug", "info", "warn", "error", "none"];
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface NodeInfo {
  name: string;
  /** The Node's labels, `kubernetes.io/hostname` defaulted to the node name. */
  labels: Record<string, string>;
  /** The Node lists InternalIP/ExternalIP addresses and none of them is IPv4. */
  ipv6Only: boolean;
}

export interface InputSet {
  configurations: readonly InputObject[];
  secrets: readonly SecretObject[];
  nodes: readonly NodeInfo[];
  /** `spec.logLevel` of the FRRK8sConfiguration named `config`, if set. */
  logLevel: LogLevel | undefined;
  find(ref: ObjectRef): InputObject | undefined;
}

export function buildInputSet(objects: readonly InputObject[]): InputSet {
  const index = indexObjects(objects);
  const ofKind = (kind: InputObject["kind"]): InputObject[] => objects.filter((o) => o.kind === kind);
  const configurations = ofKind("FRRConfiguration");
  return {
    configurations,
    secrets: ofKind("Secret").map(secretOf),
    nodes: ofKind("Node").map(nodeInfoOf),
    logLevel: logLevelOf(ofKind("FRRK8sConfiguration")),
    find: (ref) => index.get(refKey(ref)) ?? findUnnamed(configurations, ref) ?? findByName(objects, ref),
  };
}

/**
 * The core names a configuration without metadata.name `#<index>`, its position in the
 * snapshot's configuration list (which is the input order of the FRRConfigurations).
 */
export function configurationRefName(object: InputObject, index: number): string {
  return object.name === "" ? `#${index}` : object.name;
}

function findUnnamed(configurations: readonly InputObject[], ref: ObjectRef): InputObject | undefined {
  const match = /^#(\d+)$/.exec(ref.name);
  if (ref.kind !== "FRRConfiguration" || !match) return undefined;
  const object = configurations[Number(match[1])];
  return object?.name === "" ? object : undefined;
}

/** Identity of an object, as a map key. */
export function refKey(ref: { kind: string; namespace: string; name: string }): string {
  return `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}`;
}

/** Index by kind/namespace/name; two objects with the same identity are an input error. */
function indexObjects(objects: readonly InputObject[]): Map<string, InputObject> {
  const index = new Map<string, InputObject>();
  for (const object of objects) {
    if (object.name === "") continue; // nameless configurations are reported by the core
    const key = refKey(object);
    const previous = index.get(key);
    if (previous) {
      const id = object.namespace ? `${object.namespace}/${object.name}` : object.name;
      throw new CliError(
        `${where(object.origin)}: duplicate ${object.kind} ${id} (first defined at ${where(previous.origin)})`,
      );
    }
    index.set(key, object);
  }
  return index;
}

/** Fallback when the core names an object without its namespace: a unique kind + name match. */
function findByName(objects: readonly InputObject[], ref: ObjectRef): InputObject | undefined {
  const matches = objects.filter((o) => o.kind === ref.kind && o.name === ref.name);
  return matches.length === 1 ? matches[0] : undefined;
}

function secretOf(object: InputObject): SecretObject {
  const { value } = object;
  const secret: SecretObject = { metadata: { name: object.name, namespace: object.namespace } };
  if (typeof value["type"] === "string") secret.type = value["type"];
  const data = stringMap(value["data"]);
  if (data) secret.data = data;
  const stringData = stringMap(value["stringData"]);
  if (stringData) secret.stringData = stringData;
  return secret;
}

/** Keeps string values only (never reports values: they are secret). */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

function nodeInfoOf(object: InputObject): NodeInfo {
  const metadata = isRecord(object.value["metadata"]) ? object.value["metadata"] : {};
  const labels = labelsOf(metadata["labels"], object);
  labels[HOSTNAME_LABEL] ??= object.name;
  return { name: object.name, labels, ipv6Only: isIPv6Only(object.value["status"]) };
}

function labelsOf(value: unknown, object: InputObject): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value))
    throw new CliError(`${where(object.origin, "metadata.labels")}: labels must be a mapping`);
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value)) {
    if (typeof label !== "string") {
      const at = where(object.origin, `metadata.labels["${key}"]`);
      throw new CliError(`${at}: label ${key} of Node ${object.name} must be a string (quote it)`);
    }
    labels[key] = label;
  }
  return labels;
}

function isIPv6Only(status: unknown): boolean {
  if (!isRecord(status) || !Array.isArray(status["addresses"])) return false;
  const ips = status["addresses"]
    .filter(isRecord)
    .filter((a) => a["type"] === "InternalIP" || a["type"] === "ExternalIP")
    .map((a) => a["address"])
    .filter((a): a is string => typeof a === "string");
  return ips.length > 0 && !ips.some((ip) => isIPv4(ip));
}

function logLevelOf(objects: readonly InputObject[]): LogLevel | undefined {
  const config = objects.find((o) => o.name === "config");
  if (!config) return undefined;
  const spec = isRecord(config.value["spec"]) ? config.value["spec"] : {};
  const level = spec["logLevel"];
  if (level === undefined || level === null || level === "") return undefined;
  if (typeof level === "string" && (LOG_LEVELS as readonly string[]).includes(level))
    return level as LogLevel;
  throw new CliError(
    `${where(config.origin, "spec.logLevel")}: FRRK8sConfiguration config: logLevel must be one of ${LOG_LEVELS.join(", ")}`,
  );
}
