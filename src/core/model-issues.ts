// The issues buildModel would report, without building the model, from configurations that were
// decoded and converted beforehand. Conversion depends only on the configuration (and on Secrets,
// which issues-only callers do not resolve), so a caller can convert each configuration once and
// reuse it in many merges. Merging never modifies its inputs, which makes that reuse safe.
import {
  checkOptions,
  collectContributions,
  convertEntry,
  mergeContributions,
  optionsReporter,
} from "./build-model.ts";
import { compareStrings } from "./collections.ts";
import type { ConvertedConfiguration } from "./convert/configuration.ts";
import { sortIssues, type Issue } from "./issues.ts";
import type { DecodedConfiguration } from "./select.ts";
import type { PipelineOptions } from "./snapshot.ts";

export interface PreparedConfiguration {
  readonly decoded: DecodedConfiguration;
  readonly converted: ConvertedConfiguration;
  /** What conversion reported, in order. */
  readonly convertIssues: readonly Issue[];
}

/** Options under which conversion is node-independent: Secrets are not resolved. */
export type IssuesOnlyOptions = PipelineOptions & { skipSecretResolution: true };

export function prepareConfiguration(
  decoded: DecodedConfiguration,
  options: IssuesOnlyOptions,
): PreparedConfiguration {
  const convertIssues: Issue[] = [];
  const converted = convertEntry(decoded, { secrets: [], options }, convertIssues);
  return { decoded, converted, convertIssues };
}

function byNamespaceAndName(a: PreparedConfiguration, b: PreparedConfiguration): number {
  const x = a.decoded.object;
  const y = b.decoded.object;
  return compareStrings(x.namespace, y.namespace) || compareStrings(x.name, y.name);
}

/**
 * buildModel's issues for a node that selects exactly these configurations (given in the order
 * buildModel would receive them; their namespace/name must be distinct, and none may have a
 * broken selector). Reported in buildModel's order: decode issues in input order, the options',
 * then conversion and merge in namespace/name order.
 */
export function modelIssues(
  configurations: readonly PreparedConfiguration[],
  options: IssuesOnlyOptions,
): Issue[] {
  const issues: Issue[] = configurations.flatMap((c) => c.decoded.issues);
  const reporter = optionsReporter(issues);
  checkOptions(options, reporter);
  const selected = [...configurations].sort(byNamespaceAndName);
  for (const c of selected) issues.push(...c.convertIssues);
  mergeContributions(collectContributions(selected.map((c) => c.converted)), reporter);
  return sortIssues(issues);
}
