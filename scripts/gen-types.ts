// Generates src/api/generated/crds.ts from the CRD YAML in deploy/crds (the API's source of truth).
// Run with `npm run gen:types`; src/api/types-match.test.ts fails when the committed file drifts.
import { readFileSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { compile, type JSONSchema } from "json-schema-to-typescript";
import { parse } from "yaml";

type Schema = JSONSchema & { properties?: Record<string, Schema>; items?: Schema };

const ROOT = new URL("../", import.meta.url);
export const OUTPUT = new URL("src/api/generated/crds.ts", ROOT);

const BANNER = [
  "/* eslint-disable */",
  "// GENERATED FILE, DO NOT EDIT. Run npm run gen:types",
  "// Source: deploy/crds/*.yaml (frrk8s.metallb.io/v1beta1).",
].join("\n");

// Type names for nested schemas, keyed by path below spec/status ("[]" = array items). The names are
// those of upstream's Go types, as in src/api/types.ts. Nodes not listed stay inline.
const FRR_CONFIGURATION_NAMES: Record<string, string> = {
  bgp: "BGPConfig",
  raw: "RawConfig",
  nodeSelector: "LabelSelector",
  "nodeSelector.matchExpressions[]": "LabelSelectorRequirement",
  "bgp.routers[]": "Router",
  "bgp.bfdProfiles[]": "BFDProfile",
  "bgp.routers[].imports[]": "Import",
  "bgp.routers[].neighbors[]": "Neighbor",
  "bgp.routers[].neighbors[].dynamicASN": "DynamicASNMode",
  "bgp.routers[].neighbors[].addressFamilies[]": "AddressFamily",
  "bgp.routers[].neighbors[].passwordSecret": "SecretReference",
  "bgp.routers[].neighbors[].toAdvertise": "Advertise",
  "bgp.routers[].neighbors[].toAdvertise.allowed": "AllowedOutPrefixes",
  "bgp.routers[].neighbors[].toAdvertise.allowed.mode": "AllowMode",
  "bgp.routers[].neighbors[].toAdvertise.withLocalPref[]": "LocalPrefPrefixes",
  "bgp.routers[].neighbors[].toAdvertise.withCommunity[]": "CommunityPrefixes",
  "bgp.routers[].neighbors[].toAdvertise.nextHop": "NextHop",
  "bgp.routers[].neighbors[].toReceive": "Receive",
  "bgp.routers[].neighbors[].toReceive.allowed": "AllowedInPrefixes",
  "bgp.routers[].neighbors[].toReceive.allowed.mode": "AllowMode",
  "bgp.routers[].neighbors[].toReceive.allowed.prefixes[]": "PrefixSelector",
  "bgp.routers[].evpn": "EVPNConfig",
  "bgp.routers[].evpn.advertiseVNIs": "AdvertiseVNIs",
  "bgp.routers[].evpn.l2vnis[]": "L2VNI",
  "bgp.routers[].evpn.l3vni": "L3VNI",
  "bgp.routers[].evpn.l3vni.advertisePrefixes[]": "AdvertisePrefixType",
};

interface Part {
  file: string;
  field: "spec" | "status";
  name: string;
  names?: Record<string, string>;
}

const PARTS: Part[] = [
  { file: "frrconfigurations", field: "spec", name: "FRRConfigurationSpec", names: FRR_CONFIGURATION_NAMES },
  { file: "frrconfigurations", field: "status", name: "FRRConfigurationStatus" },
  { file: "frrnodestates", field: "spec", name: "FRRNodeStateSpec" },
  { file: "frrnodestates", field: "status", name: "FRRNodeStateStatus" },
  { file: "bgpsessionstates", field: "spec", name: "BGPSessionStateSpec" },
  { file: "bgpsessionstates", field: "status", name: "BGPSessionStateStatus" },
  {
    file: "frrk8sconfigurations",
    field: "spec",
    name: "FRRK8sConfigurationSpec",
    names: { logLevel: "LogLevel" },
  },
  { file: "frrk8sconfigurations", field: "status", name: "FRRK8sConfigurationStatus" },
];

export function crdPath(file: string): URL {
  return new URL(`deploy/crds/frrk8s.metallb.io_${file}.yaml`, ROOT);
}

function loadPart(part: Part): Schema {
  const crd = parse(readFileSync(crdPath(part.file), "utf8")) as {
    spec: { versions: { schema: { openAPIV3Schema: Schema } }[] };
  };
  const schema = crd.spec.versions[0]?.schema.openAPIV3Schema.properties?.[part.field];
  if (schema === undefined) throw new Error(`${part.file}: no ${part.field} schema`);
  return structuredClone(schema);
}

// Compares two schemas that get the same type name; their docs may differ, nothing else.
function withoutDocs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDocs);
  if (typeof schema !== "object" || schema === null) return schema;
  const entries = Object.entries(schema).filter(([key]) => key !== "description" && key !== "title");
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutDocs(value)]));
}

// Sets the titles json-schema-to-typescript names types after. Schemas sharing a name become one
// object, so they are emitted once (AllowMode is used twice).
function nameSchemas(root: Schema, names: Record<string, string>): void {
  const byName = new Map<string, Schema>();
  const unused = new Set(Object.keys(names));
  const visit = (schema: Schema, path: string, assign: (s: Schema) => void): void => {
    const name = names[path];
    if (name !== undefined) {
      unused.delete(path);
      const seen = byName.get(name);
      if (seen !== undefined) {
        if (!isDeepStrictEqual(withoutDocs(seen), withoutDocs(schema))) {
          throw new Error(`schemas named ${name} differ (at ${path})`);
        }
        assign(seen);
        return;
      }
      byName.set(name, Object.assign(schema, { title: name }));
    }
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      visit(child, path === "" ? key : `${path}.${key}`, (s) => (schema.properties![key] = s));
    }
    if (schema.items !== undefined) visit(schema.items, `${path}[]`, (s) => (schema.items = s));
  };
  visit(root, "", () => undefined);
  if (unused.size > 0) throw new Error(`type names for missing schema paths: ${[...unused].join(", ")}`);
}

async function compilePart(part: Part): Promise<string> {
  const schema = loadPart(part);
  nameSchemas(schema, part.names ?? {});
  return compile(schema, part.name, {
    bannerComment: "",
    additionalProperties: false,
    // Not strictIndexSignatures: tsconfig's noUncheckedIndexedAccess already types map reads as
    // `T | undefined`, and a JSON map never holds undefined values (matchLabels is Record<string, string>).
    strictIndexSignatures: false,
    // Bounded arrays (routers maxItems 50, prefixes minItems 1) stay plain arrays, not tuples; the
    // bounds still show in the doc comments.
    ignoreMinAndMaxItems: true,
    unknownAny: true,
    format: true,
    style: { printWidth: 110 },
  });
}

// The compiler capitalises letters after digits in type names (FRRK8SConfigurationSpec).
function restoreKindNames(source: string): string {
  return source.replaceAll(/\bFRRK8SConfiguration/g, "FRRK8sConfiguration");
}

export async function generateCrdTypes(): Promise<string> {
  const chunks: string[] = [];
  for (const part of PARTS) chunks.push((await compilePart(part)).trim());
  return restoreKindNames(`${BANNER}\n\n${chunks.join("\n\n")}\n`);
}

if (import.meta.main) {
  writeFileSync(OUTPUT, await generateCrdTypes());
  console.log(`wrote ${OUTPUT.pathname}`);
}
