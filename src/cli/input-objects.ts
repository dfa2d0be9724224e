// Parsed documents → the Kubernetes objects the CLI uses, each with where it came from.
// FRRConfiguration and FRRK8sConfiguration (frrk8s.metallb.io/v1beta1), Secret and Node (v1) are
// kept; `*List` kinds are unpacked; other kinds (MetalLB CRs, Services, ...) are ignored.
// A document that is not an object with `apiVersion` and `kind` is an input error.
import { API_VERSION } from "../api/types.ts";
import { CliError, formatPosition } from "./exit-codes.ts";
import type { SourceDocument } from "./load-input.ts";
import { locateField, type ObjectSource } from "./source-lines.ts";

export type UsedKind = "FRRConfiguration" | "FRRK8sConfiguration" | "Secret" | "Node";

export interface InputObject {
  kind: UsedKind;
  namespace: string;
  name: string;
  value: Record<string, unknown>;
  origin: ObjectSource;
}

const USED_KINDS: Record<UsedKind, string> = {
  FRRConfiguration: API_VERSION,
  FRRK8sConfiguration: API_VERSION,
  Secret: "v1",
  Node: "v1",
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `file:line:column` of a field of an object (or of its nearest existing parent). */
export function where(origin: ObjectSource, fieldPath = ""): string {
  return formatPosition(locateField(origin, fieldPath));
}

/** Every used object of every document, in input order. */
export function collectObjects(docs: readonly SourceDocument[]): InputObject[] {
  const objects: InputObject[] = [];
  for (const source of docs) {
    const origin: ObjectSource = { source, basePath: [] };
    collectFrom(toPlain(source), origin, objects);
  }
  return objects;
}

function toPlain(source: SourceDocument): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split("\n", 1)[0] ?? "") : "";
    throw new CliError(`${where({ source, basePath: [] })}: cannot read document: ${reason}`);
  }
}

function collectFrom(value: unknown, origin: ObjectSource, out: InputObject[], inherited?: TypeMeta): void {
  if (!isRecord(value)) {
    throw new CliError(
      `${where(origin)}: not a Kubernetes object (expected a mapping with apiVersion and kind)`,
    );
  }
  const meta = typeMetaOf(value, origin, inherited);
  if (meta.kind.endsWith("List") && Array.isArray(value["items"])) {
    const itemMeta = listItemMeta(meta);
    value["items"].forEach((item: unknown, i) => {
      const itemOrigin = { source: origin.source, basePath: [...origin.basePath, "items", i] };
      collectFrom(item, itemOrigin, out, itemMeta);
    });
    return;
  }
  const kind = usedKind(meta, origin);
  if (kind) out.push(makeObject(kind, value, origin));
}

interface TypeMeta {
  apiVersion: string;
  kind: string;
}

function typeMetaOf(value: Record<string, unknown>, origin: ObjectSource, inherited?: TypeMeta): TypeMeta {
  return {
    apiVersion: typeField(value, "apiVersion", origin, inherited?.apiVersion),
    kind: typeField(value, "kind", origin, inherited?.kind),
  };
}

function typeField(
  value: Record<string, unknown>,
  field: keyof TypeMeta,
  origin: ObjectSource,
  fallback?: string,
): string {
  const v = value[field] ?? fallback;
  if (typeof v === "string" && v !== "") return v;
  throw new CliError(
    `${where(origin, field)}: object has no ${field}: every document needs apiVersion and kind`,
  );
}

/** Items of a typed list (`NodeList`) may omit their kind; items of a plain `List` may not. */
function listItemMeta(list: TypeMeta): TypeMeta | undefined {
  if (list.kind === "List") return undefined;
  return { apiVersion: list.apiVersion, kind: list.kind.slice(0, -"List".length) };
}

function usedKind(meta: TypeMeta, origin: ObjectSource): UsedKind | undefined {
  if (!Object.hasOwn(USED_KINDS, meta.kind)) return undefined;
  const kind = meta.kind as UsedKind;
  const expected = USED_KINDS[kind];
  if (meta.apiVersion === expected) return kind;
  if (groupOf(meta.apiVersion) === groupOf(expected)) {
    throw new CliError(
      `${where(origin, "apiVersion")}: unsupported apiVersion ${meta.apiVersion} for ${kind} (expected ${expected})`,
    );
  }
  return undefined; // same kind name in another API group: not ours
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

function makeObject(kind: UsedKind, value: Record<string, unknown>, origin: ObjectSource): InputObject {
  const metadata = isRecord(value["metadata"]) ? value["metadata"] : {};
  const name = metadata["name"];
  const namespace = metadata["namespace"];
  if (kind !== "FRRConfiguration" && (typeof name !== "string" || name === "")) {
    throw new CliError(`${where(origin, "metadata.name")}: ${kind} has no metadata.name`);
  }
  return {
    kind,
    name: typeof name === "string" ? name : "",
    namespace: typeof namespace === "string" ? namespace : "",
    value,
    origin,
  };
}
