// One decoded FRRConfiguration → its routers, BFD profiles and raw snippet, plus issues.
// Every reference (BFD profile, imported VRF, advertised prefix) resolves within this object.
import type { BFDProfile, FRRConfiguration } from "../../api/types.ts";
import { indexed, sortedUnique } from "../collections.ts";
import type { BfdProfileModel, RawSnippet, RouterModel } from "../model.ts";
import { child, item } from "../path.ts";
import type { ConfigContext } from "./context.ts";
import type { VniMerge } from "./evpn.ts";
import { checkWord } from "./names-check.ts";
import { canonicalPrefix, maskedForm } from "./prefix.ts";
import { convertRouter, type RouterInput } from "./router.ts";

export interface ConvertedConfiguration {
  routers: RouterModel[];
  bfdProfiles: BfdProfileModel[];
  raw?: RawSnippet;
}

const ROUTERS = "spec.bgp.routers";
const PROFILES = "spec.bgp.bfdProfiles";

function bfdProfileModel(profile: BFDProfile, path: string, ctx: ConfigContext): BfdProfileModel {
  return { ...profile, origin: { object: ctx.reporter.object, path } };
}

function convertBfdProfiles(
  config: FRRConfiguration,
  ctx: ConfigContext,
): { models: BfdProfileModel[]; names: Set<string> } {
  const names = new Set<string>();
  const models: BfdProfileModel[] = [];
  for (const [index, profile] of indexed(config.spec?.bgp?.bfdProfiles)) {
    const at = item(PROFILES, index);
    if (!checkWord(ctx.reporter, child(at, "name"), profile.name, "bfd profile name")) continue;
    if (names.has(profile.name)) {
      ctx.reporter.error(
        "DUPLICATE_BFD_PROFILE",
        child(at, "name"),
        `duplicate bfd profile name ${profile.name} in this configuration`,
      );
      continue;
    }
    names.add(profile.name);
    if (!ctx.isBroken(at)) models.push(bfdProfileModel(profile, at, ctx));
  }
  return { models, names };
}

function collectRouterInputs(
  config: FRRConfiguration,
  ctx: ConfigContext,
): { inputs: RouterInput[]; vrfPrefixes: Map<string, string[]> } {
  const inputs: RouterInput[] = [];
  const vrfPrefixes = new Map<string, string[]>();
  for (const [index, router] of indexed(config.spec?.bgp?.routers)) {
    const path = item(ROUTERS, index);
    const ownPrefixes = sortedUnique(
      indexed(router.prefixes).flatMap(
        ([i, text]) => canonicalPrefix(ctx.reporter, child(path, "prefixes"), text, i)?.prefix ?? [],
      ),
    );
    const vrf = router.vrf ?? "";
    // A prefix refused for host bits still counts as declared (masked), so neighbors that
    // advertise it get no second, misleading issue.
    const declared = indexed(router.prefixes).flatMap(([, text]) => maskedForm(text) ?? []);
    vrfPrefixes.set(vrf, sortedUnique([...(vrfPrefixes.get(vrf) ?? []), ...ownPrefixes, ...declared]));
    inputs.push({ router, path, ownPrefixes, mergeable: !isRouterBroken(path, ctx) });
  }
  return { inputs, vrfPrefixes };
}

/** A router whose asn or vrf failed decoding cannot be merged; its neighbors are still checked. */
function isRouterBroken(path: string, ctx: ConfigContext): boolean {
  return ["asn", "vrf"].some((field) => ctx.isBroken(child(path, field)));
}

function rawSnippet(config: FRRConfiguration, ctx: ConfigContext): RawSnippet | undefined {
  const raw = config.spec?.raw;
  if (!raw?.rawConfig) return undefined;
  return { priority: raw.priority ?? 0, configName: ctx.reporter.object.name, text: raw.rawConfig };
}

export function convertConfiguration(
  config: FRRConfiguration,
  baseCtx: Omit<ConfigContext, "bfdProfileNames">,
  mergeVni: VniMerge,
): ConvertedConfiguration {
  const profiles = convertBfdProfiles(config, { ...baseCtx, bfdProfileNames: new Set() });
  const ctx: ConfigContext = { ...baseCtx, bfdProfileNames: profiles.names };
  const { inputs, vrfPrefixes } = collectRouterInputs(config, ctx);
  const routers = inputs.flatMap((input) => convertRouter(input, vrfPrefixes, ctx, mergeVni) ?? []);
  const raw = rawSnippet(config, ctx);
  return { routers, bfdProfiles: profiles.models, ...(raw && { raw }) };
}
