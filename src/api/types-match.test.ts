// The hand-written API types must stay equal to the ones generated from the CRDs, and the committed
// generated file must be what the generator produces now. The type checks run under `npm run typecheck`.
// eslint-disable-next-line no-restricted-imports -- a test may use Node's runner, unlike api/ code
import assert from "node:assert/strict";
// eslint-disable-next-line no-restricted-imports -- see above
import { readFileSync } from "node:fs";
// eslint-disable-next-line no-restricted-imports -- see above
import { test } from "node:test";
import { generateCrdTypes, OUTPUT } from "../../scripts/gen-types.ts";
import type * as gen from "./generated/crds.ts";
import type * as api from "./types.ts";

// True only when A and B are identical types (not merely mutually assignable).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const typesMatch = {
  frrConfigurationSpec: true as Equal<api.FRRConfigurationSpec, gen.FRRConfigurationSpec>,
  bgpConfig: true as Equal<api.BGPConfig, gen.BGPConfig>,
  rawConfig: true as Equal<api.RawConfig, gen.RawConfig>,
  labelSelector: true as Equal<api.LabelSelector, gen.LabelSelector>,
  labelSelectorRequirement: true as Equal<api.LabelSelectorRequirement, gen.LabelSelectorRequirement>,
  router: true as Equal<api.Router, gen.Router>,
  importVrf: true as Equal<api.Import, gen.Import>,
  neighbor: true as Equal<api.Neighbor, gen.Neighbor>,
  dynamicAsnMode: true as Equal<api.DynamicASNMode, gen.DynamicASNMode>,
  addressFamily: true as Equal<api.AddressFamily, gen.AddressFamily>,
  secretReference: true as Equal<api.SecretReference, gen.SecretReference>,
  advertise: true as Equal<api.Advertise, gen.Advertise>,
  allowedOut: true as Equal<api.AllowedOutPrefixes, gen.AllowedOutPrefixes>,
  allowMode: true as Equal<api.AllowMode, gen.AllowMode>,
  localPref: true as Equal<api.LocalPrefPrefixes, gen.LocalPrefPrefixes>,
  community: true as Equal<api.CommunityPrefixes, gen.CommunityPrefixes>,
  nextHop: true as Equal<api.NextHop, gen.NextHop>,
  receive: true as Equal<api.Receive, gen.Receive>,
  allowedIn: true as Equal<api.AllowedInPrefixes, gen.AllowedInPrefixes>,
  prefixSelector: true as Equal<api.PrefixSelector, gen.PrefixSelector>,
  bfdProfile: true as Equal<api.BFDProfile, gen.BFDProfile>,
  evpnConfig: true as Equal<api.EVPNConfig, gen.EVPNConfig>,
  advertiseVnis: true as Equal<api.AdvertiseVNIs, gen.AdvertiseVNIs>,
  l2vni: true as Equal<api.L2VNI, gen.L2VNI>,
  l3vni: true as Equal<api.L3VNI, gen.L3VNI>,
  frrNodeStateStatus: true as Equal<api.FRRNodeStateStatus, gen.FRRNodeStateStatus>,
  bgpSessionStateStatus: true as Equal<api.BGPSessionStateStatus, gen.BGPSessionStateStatus>,
  frrK8sConfigurationSpec: true as Equal<api.FRRK8sConfigurationSpec, gen.FRRK8sConfigurationSpec>,
  logLevel: true as Equal<api.LogLevel, gen.LogLevel>,
} satisfies Record<string, true>;

test("hand-written API types equal the CRD-generated ones (checked by tsc)", () => {
  assert.ok(Object.values(typesMatch).every((ok) => ok));
});

test("committed src/api/generated/crds.ts is up to date (npm run gen:types)", async () => {
  const committed = readFileSync(OUTPUT, "utf8");
  assert.equal(await generateCrdTypes(), committed);
});
