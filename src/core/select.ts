// Decode every FRRConfiguration and keep the ones whose nodeSelector matches the node.
import type { FRRConfiguration } from "../api/types.ts";
import { compareStrings } from "./collections.ts";
import { decodeShape } from "./decode/shape.ts";
import { frrConfigurationShape } from "./decode/frr-configuration-shape.ts";
import type { Issue, ObjectRef } from "./issues.ts";
import { isWithin } from "./path.ts";
import { selectorMatches, selectorProblems } from "./selector.ts";

export interface DecodedConfiguration {
  object: ObjectRef;
  config: FRRConfiguration;
  /** Issues of this object alone (shape, selector). */
  issues: Issue[];
  brokenPaths: string[];
}

const KIND = "FRRConfiguration";

function objectRef(raw: unknown, index: number): ObjectRef {
  const meta = (raw as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  const name = typeof meta?.name === "string" && meta.name !== "" ? meta.name : `#${index}`;
  const namespace = typeof meta?.namespace === "string" ? meta.namespace : "";
  return { kind: KIND, namespace, name };
}

export function decodeConfiguration(raw: unknown, index: number): DecodedConfiguration {
  const object = objectRef(raw, index);
  const decoded = decodeShape(frrConfigurationShape, raw, "");
  const issues: Issue[] = decoded.problems.map((p) => ({ ...p, object }));
  if (object.name.startsWith("#")) {
    issues.push({
      code: "INVALID_OBJECT",
      severity: "error",
      path: "metadata.name",
      object,
      message: "the object has no metadata.name",
    });
  }
  const config = (decoded.value ?? {}) as FRRConfiguration;
  const selector = config.spec?.nodeSelector;
  const selectorPath = "spec.nodeSelector";
  for (const problem of selector ? selectorProblems(selector) : []) {
    issues.push({
      code: "INVALID_NODE_SELECTOR",
      severity: "error",
      path: `${selectorPath}.${problem.path}`,
      object,
      message: `invalid NodeSelector: ${problem.message}`,
    });
  }
  const brokenPaths = issues.filter((i) => i.severity === "error").map((i) => i.path);
  return { object, config, issues, brokenPaths };
}

function hasBrokenSelector(decoded: DecodedConfiguration): boolean {
  return decoded.brokenPaths.some(
    (path) => path === "" || isWithin(path, "spec.nodeSelector") || path === "spec",
  );
}

export interface Selection {
  selected: DecodedConfiguration[];
  issues: Issue[];
}

/**
 * Configurations selecting the node, sorted by namespace/name so results never depend on input
 * order. A configuration whose selector cannot be evaluated is an error for every node: it
 * might have been meant for this one.
 */
export function selectForNode(
  configurations: readonly unknown[],
  labels: Readonly<Record<string, string>>,
): Selection {
  const decoded = configurations.map(decodeConfiguration);
  const issues: Issue[] = [];
  const selected: DecodedConfiguration[] = [];
  for (const entry of decoded) {
    if (hasBrokenSelector(entry)) {
      // Whether it selects this node is unknown: all its problems count here.
      issues.push(...entry.issues);
      continue;
    }
    if (!selectorMatches(entry.config.spec?.nodeSelector, labels)) continue;
    selected.push(entry);
    issues.push(...entry.issues);
  }
  // Content breaks ties only between objects of the same namespace/name (then order is moot).
  const content = new Map<DecodedConfiguration, string>();
  const contentOf = (d: DecodedConfiguration): string => {
    const known = content.get(d) ?? JSON.stringify(d.config);
    content.set(d, known);
    return known;
  };
  selected.sort(
    (a, b) =>
      compareStrings(a.object.namespace, b.object.namespace) ||
      compareStrings(a.object.name, b.object.name) ||
      compareStrings(contentOf(a), contentOf(b)),
  );
  return { selected, issues };
}
