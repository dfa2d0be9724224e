// Offline check of an FRRConfiguration against the OpenAPI schema of its CRD (deploy/crds), as the
// apiserver does before any webhook: types, enums, ranges, lengths, required fields, formats.
// The CEL rules (x-kubernetes-validations: connectTime, RD and RT) are NOT checked here, as ajv has
// no CEL; they are tested against a real kube-apiserver. Unknown fields pass: the apiserver prunes them.
// eslint-disable-next-line no-restricted-imports -- the CRD YAML is this module's data; nothing else here is I/O
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from "ajv";
import { parse } from "yaml";

export interface SchemaIssue {
  /** Field path in the object, like `spec.bgp.routers[0].neighbors[1].port`. */
  path: string;
  message: string;
}

const FRR_CONFIGURATION_CRD = new URL(
  "../../deploy/crds/frrk8s.metallb.io_frrconfigurations.yaml",
  import.meta.url,
);

// Kubernetes extensions to OpenAPI that carry no JSON-schema meaning.
const KUBERNETES_KEYWORDS = [
  "x-kubernetes-validations",
  "x-kubernetes-map-type",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-int-or-string",
  "x-kubernetes-embedded-resource",
];

/** The openAPIV3Schema of the FRRConfiguration CRD (version v1beta1). */
export function loadFrrConfigurationSchema(): SchemaObject {
  const crd = parse(readFileSync(FRR_CONFIGURATION_CRD, "utf8")) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: SchemaObject } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === "v1beta1");
  if (version === undefined) throw new Error("FRRConfiguration CRD has no v1beta1 version");
  return version.schema.openAPIV3Schema;
}

// --- Formats, as the apiserver (kube-openapi strfmt) checks them -------------------------------------
// ipv4 and cidr are "sloppy" there (IPv4 octets may have leading zeros, as before Go 1.17); ipv6 is strict.

const DIGITS = /^[0-9]+$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function decimalAtMost(text: string, max: number): boolean {
  return DIGITS.test(text) && Number(text) <= max;
}

function isIPv4Text(text: string, sloppy: boolean): boolean {
  const octets = text.split(".");
  const canonical = (o: string): boolean => sloppy || o.length === 1 || !o.startsWith("0");
  return octets.length === 4 && octets.every((o) => decimalAtMost(o, 255) && canonical(o));
}

function isIPv6Text(text: string, sloppy: boolean): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === "" ? [] : half.split(":")));
  const lastHalf = halves[halves.length - 1] ?? "";
  let width = 0;
  for (const [index, group] of groups.entries()) {
    const embeddedIPv4 = index === groups.length - 1 && lastHalf !== "" && group.includes(".");
    if (embeddedIPv4 && !isIPv4Text(group, sloppy)) return false;
    if (!embeddedIPv4 && !HEX_GROUP.test(group)) return false;
    width += embeddedIPv4 ? 2 : 1;
  }
  return halves.length === 2 ? width <= 7 : width === 8;
}

function isIPText(text: string, sloppy: boolean): boolean {
  return isIPv4Text(text, sloppy) || isIPv6Text(text, sloppy);
}

export function isIPv4Format(text: string): boolean {
  return isIPText(text, true) && text.includes(".");
}

export function isIPv6Format(text: string): boolean {
  return isIPText(text, false) && text.includes(":");
}

export function isCidrFormat(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const bits = isIPv4Text(address, true) ? 32 : isIPv6Text(address, true) ? 128 : undefined;
  return bits !== undefined && decimalAtMost(text.slice(slash + 1), bits);
}

// --- Validation ------------------------------------------------------------------------------------

function compile(schema: SchemaObject): ValidateFunction {
  // strictTypes off: upstream puts `format: cidr` on arrays, where it has no effect.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addVocabulary(KUBERNETES_KEYWORDS);
  // The apiserver does not check integer formats.
  ajv.addFormat("int32", { type: "number", validate: () => true });
  ajv.addFormat("int64", { type: "number", validate: () => true });
  ajv.addFormat("ipv4", isIPv4Format);
  ajv.addFormat("ipv6", isIPv6Format);
  ajv.addFormat("cidr", isCidrFormat);
  return ajv.compile(schema);
}

let frrConfigurationValidator: ValidateFunction | undefined;

/** `/spec/bgp/routers/0/asn` becomes `spec.bgp.routers[0].asn`. */
function fieldPath(pointer: string, child?: string): string {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/");
  if (child !== undefined) segments.push(child);
  return segments
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((path, s) => (DIGITS.test(s) ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`), "");
}

function toIssue(error: ErrorObject): SchemaIssue {
  const params = error.params as { missingProperty?: string; allowedValues?: unknown[] };
  if (error.keyword === "required" && params.missingProperty !== undefined) {
    return { path: fieldPath(error.instancePath, params.missingProperty), message: "Required value" };
  }
  if (error.keyword === "enum" && params.allowedValues !== undefined) {
    const allowed = params.allowedValues.map((v) => JSON.stringify(v)).join(", ");
    return { path: fieldPath(error.instancePath), message: `must be one of ${allowed}` };
  }
  return { path: fieldPath(error.instancePath), message: error.message ?? error.keyword };
}

/** Problems of `obj` against the FRRConfiguration CRD schema (not its CEL rules); empty when valid. */
export function validateAgainstCrd(obj: unknown): SchemaIssue[] {
  frrConfigurationValidator ??= compile(loadFrrConfigurationSchema());
  if (frrConfigurationValidator(obj)) return [];
  const issues = (frrConfigurationValidator.errors ?? []).map(toIssue);
  // advertiseVNIs carries its enum twice (an allOf, as upstream): report each problem once.
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
