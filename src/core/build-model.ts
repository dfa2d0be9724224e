// select → decode → convert → merge → validate: the node's FrrModel, or the issues that stop it.
import { compareStrings, sortBy } from "./collections.ts";
import { convertConfiguration, type ConvertedConfiguration } from "./convert/configuration.ts";
import { createReporter, type Reporter } from "./convert/reporter.ts";
import { formatCidr, maskCidr, parseCidr } from "./ip.ts";
import { hasErrors, sortIssues, type Issue, type ObjectRef } from "./issues.ts";
import { frrLogLevel, LOG_LEVELS } from "./log-level.ts";
import { mergeBfdProfiles } from "./merge/bfd.ts";
import { mergeVni } from "./merge/evpn.ts";
import { mergeRouters, selfMergeRouter } from "./merge/router.ts";
import { validateMergedEvpn } from "./merge/validate-evpn.ts";
import { validateUniqueNeighborIds } from "./merge/validate-names.ts";
import type { AlwaysBlockModel, BfdProfileModel, FrrModel, RawSnippet, RouterModel } from "./model.ts";
import { isWithin } from "./path.ts";
import { checkWord } from "./convert/names-check.ts";
import { fallbackRouterId } from "./router-id.ts";
import { selectForNode, type DecodedConfiguration } from "./select.ts";
import type { NodeSnapshot, PipelineOptions } from "./snapshot.ts";
import { finalizeRouter } from "./finalize.ts";

export interface ModelResult {
  issues: Issue[];
  selected: ObjectRef[];
  model?: FrrModel;
}

const OPTIONS: ObjectRef = { kind: "Options", namespace: "", name: "flags" };

function alwaysBlock(options: PipelineOptions, reporter: Reporter): AlwaysBlockModel[] {
  return (options.alwaysBlock ?? []).flatMap((text, index) => {
    const cidr = parseCidr(text);
    if (cidr) return [{ prefix: formatCidr(maskCidr(cidr)), family: cidr.family }];
    reporter.error(
      "INVALID_CIDR",
      `alwaysBlock[${index}]`,
      `always-block entry "${text}" is not a valid CIDR`,
    );
    return [];
  });
}

function logLevel(options: PipelineOptions, reporter: Reporter): string {
  const level = frrLogLevel(options.logLevel);
  if (level) return level;
  reporter.error(
    "INVALID_ENUM_VALUE",
    "logLevel",
    `log level "${options.logLevel ?? ""}" must be one of ${LOG_LEVELS.join(", ")}`,
  );
  return "informational";
}

export interface Contributions {
  routers: RouterModel[];
  bfdProfiles: BfdProfileModel[];
  raw: RawSnippet[];
}

/** One selected configuration's contributions; its issues go to `issues`. Node-independent. */
export function convertEntry(
  entry: DecodedConfiguration,
  snapshot: Pick<NodeSnapshot, "secrets" | "options">,
  issues: Issue[],
): ConvertedConfiguration {
  const reporter = createReporter(entry.object, issues);
  return convertConfiguration(
    entry.config,
    {
      reporter,
      namespace: entry.object.namespace,
      secrets: snapshot.secrets,
      skipSecretResolution: snapshot.options.skipSecretResolution ?? false,
      isBroken: (path) => entry.brokenPaths.some((broken) => isWithin(broken, path)),
    },
    (a, b) => mergeVni(a, b, reporter),
  );
}

/** Every configuration's contributions, in order. */
export function collectContributions(converted: readonly ConvertedConfiguration[]): Contributions {
  const out: Contributions = { routers: [], bfdProfiles: [], raw: [] };
  for (const c of converted) {
    out.routers.push(...c.routers);
    out.bfdProfiles.push(...c.bfdProfiles);
    if (c.raw) out.raw.push(c.raw);
  }
  return out;
}

function mergeAllRouters(routers: readonly RouterModel[], reporter: Reporter): RouterModel[] {
  const byVrf = new Map<string, RouterModel>();
  for (const router of routers) {
    const kept = byVrf.get(router.vrf);
    byVrf.set(router.vrf, kept ? mergeRouters(kept, router, reporter) : selfMergeRouter(router, reporter));
  }
  return sortBy([...byVrf.values()], (r) => r.vrf);
}

function sortRaw(raw: readonly RawSnippet[]): RawSnippet[] {
  return [...raw].sort(
    (a, b) =>
      a.priority - b.priority || compareStrings(a.configName, b.configName) || compareStrings(a.text, b.text),
  );
}

/** The options' own issues (reported on the Options object), and what they resolve to. */
export function checkOptions(
  options: PipelineOptions,
  reporter: Reporter,
): { level: string; blocked: AlwaysBlockModel[] } {
  const level = logLevel(options, reporter);
  checkWord(reporter, "hostname", options.hostname, "hostname");
  return { level, blocked: alwaysBlock(options, reporter) };
}

/** Merge every contribution and run the post-merge rules; issues go to the reporter's list. */
export function mergeContributions(
  contributions: Contributions,
  reporter: Reporter,
): { routers: RouterModel[]; bfdProfiles: BfdProfileModel[] } {
  const routers = mergeAllRouters(contributions.routers, reporter);
  validateMergedEvpn(routers, reporter);
  validateUniqueNeighborIds(routers, reporter);
  return { routers, bfdProfiles: mergeBfdProfiles(contributions.bfdProfiles, reporter) };
}

export function optionsReporter(issues: Issue[]): Reporter {
  return createReporter(OPTIONS, issues);
}

export function buildModel(snapshot: NodeSnapshot): ModelResult {
  const { selected, issues } = selectForNode(snapshot.configurations, snapshot.nodeLabels);
  const reporter = optionsReporter(issues);
  const { level, blocked } = checkOptions(snapshot.options, reporter);
  const contributions = collectContributions(selected.map((entry) => convertEntry(entry, snapshot, issues)));
  const { routers, bfdProfiles } = mergeContributions(contributions, reporter);
  const result: ModelResult = { issues: sortIssues(issues), selected: selected.map((s) => s.object) };
  if (hasErrors(issues)) return result;
  const routerId = snapshot.options.ipv6OnlyNode ? fallbackRouterId(snapshot.options.hostname) : undefined;
  return {
    ...result,
    model: {
      logLevel: level,
      hostname: snapshot.options.hostname,
      routers: routers.map((r) => finalizeRouter(r, routerId)),
      bfdProfiles,
      alwaysBlock: blocked,
      rawSnippets: sortRaw(contributions.raw),
    },
  };
}
