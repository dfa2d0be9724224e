// The hand-written API types must stay equal to the ones generated from the CRDs, and the committed
// generated file must be what the generator produces now. The type checks run under `npm run typecheck`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { generateCrdTypes, OUTPUT } from "../../scripts/gen-types.ts";
import type * as gen from "./generated/crds.ts";
import type * as api from "./types.ts";

// True only when A and B are identical types (not merely mutually assignable).
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the identity trick needs T
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Leaves first: tsc gives up deep in nested arrays (routers[].neighbors[].withLocalPref[]) and then
// caches the inner pairs as equal, so every named type is compared on its own, before its parents.
export const typesMatch = {
  dynamicAsnMode: true as Equal<api.DynamicASNMode, gen.DynamicASNMode>,
  addressFamily: true as Equal<api.AddressFamily, gen.AddressFamily>,
  allowMode: true as Equal<api.AllowMode, gen.AllowMode>,
  advertiseVnis: true as Equal<api.AdvertiseVNIs, gen.AdvertiseVNIs>,
  logLevel: true as Equal<api.LogLevel, gen.LogLevel>,
  secretReference: true as Equal<api.SecretReference, gen.SecretReference>,
  nextHop: true as Equal<api.NextHop, gen.NextHop>,
  allowedOut: true as Equal<api.AllowedOutPrefixes, gen.AllowedOutPrefixes>,
  importVrf: true as Equal<api.Import, gen.Import>,
  l2vni: true as Equal<api.L2VNI, gen.L2VNI>,
  l3vni: true as Equal<api.L3VNI, gen.L3VNI>,
  evpnConfig: true as Equal<api.EVPNConfig, gen.EVPNConfig>,
  bfdProfile: true as Equal<api.BFDProfile, gen.BFDProfile>,
  rawConfig: true as Equal<api.RawConfig, gen.RawConfig>,
  labelSelectorRequirement: true as Equal<api.LabelSelectorRequirement, gen.LabelSelectorRequirement>,
  labelSelector: true as Equal<api.LabelSelector, gen.LabelSelector>,
  frrNodeStateStatus: true as Equal<api.FRRNodeStateStatus, gen.FRRNodeStateStatus>,
  bgpSessionStateStatus: true as Equal<api.BGPSessionStateStatus, gen.BGPSessionStateStatus>,
  frrK8sConfigurationSpec: true as Equal<api.FRRK8sConfigurationSpec, gen.FRRK8sConfigurationSpec>,
  localPref: true as Equal<api.LocalPrefPrefixes, gen.LocalPrefPrefixes>,
  community: true as Equal<api.CommunityPrefixes, gen.CommunityPrefixes>,
  prefixSelector: true as Equal<api.PrefixSelector, gen.PrefixSelector>,
  allowedIn: true as Equal<api.AllowedInPrefixes, gen.AllowedInPrefixes>,
  advertise: true as Equal<api.Advertise, gen.Advertise>,
  receive: true as Equal<api.Receive, gen.Receive>,
  neighbor: true as Equal<api.Neighbor, gen.Neighbor>,
  router: true as Equal<api.Router, gen.Router>,
  bgpConfig: true as Equal<api.BGPConfig, gen.BGPConfig>,
  frrConfigurationSpec: true as Equal<api.FRRConfigurationSpec, gen.FRRConfigurationSpec>,
} satisfies Record<string, true>;

test("hand-written API types equal the CRD-generated ones (checked by tsc)", () => {
  assert.deepEqual(new Set(Object.values(typesMatch)), new Set([true]));
});

test("committed src/api/generated/crds.ts is up to date (npm run gen:types)", async () => {
  const committed = readFileSync(OUTPUT, "utf8");
  assert.equal(await generateCrdTypes(), committed);
});
