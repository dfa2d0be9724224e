// Fault injection for the property tests: take a valid configuration and break one field at any
// depth (replace its value, delete it, or add an unknown sibling), so the pipeline sees inputs
// that are valid everywhere except in one spot.
import fc from "fast-check";

export type Segment = string | number;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every path in a JSON-like tree, the root (`[]`) included, in a stable order. */
export function allPaths(value: unknown, prefix: Segment[] = [], out: Segment[][] = []): Segment[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
  return out;
}

export type Mutation =
  | { kind: "replace"; at: number; value: unknown }
  | { kind: "delete"; at: number }
  | { kind: "add"; at: number; key: string; value: unknown };

function containerAt(root: unknown, path: readonly Segment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isRecord(node) && typeof segment === "string") node = node[segment];
    else return undefined;
  }
  return node;
}

/** Applies one mutation to a deep copy. `at` indexes `allPaths` (modulo its length). */
export function applyMutation(
  root: unknown,
  mutation: Mutation,
  pathFilter: (path: readonly Segment[]) => boolean = () => true,
): unknown {
  const copy: unknown = structuredClone(root);
  const candidates = allPaths(copy).filter(pathFilter);
  if (candidates.length === 0) return copy;
  const path = candidates[mutation.at % candidates.length]!;
  if (mutation.kind === "add") {
    const target = containerAt(copy, path);
    if (isRecord(target)) target[mutation.key] = mutation.value;
    else if (Array.isArray(target)) target.push(mutation.value);
    return copy;
  }
  if (path.length === 0) return mutation.kind === "replace" ? mutation.value : undefined;
  const parent = containerAt(copy, path.slice(0, -1));
  const last = path.at(-1)!;
  if (Array.isArray(parent) && typeof last === "number") {
    if (mutation.kind === "replace") parent[last] = mutation.value;
    else parent.splice(last, 1);
  } else if (isRecord(parent) && typeof last === "string") {
    if (mutation.kind === "replace") parent[last] = mutation.value;
    else Reflect.deleteProperty(parent, last);
  }
  return copy;
}

/** Values a user (or a broken tool) might plausibly put anywhere. */
const DOMAIN_VALUES: readonly unknown[] = [
  "",
  " ",
  "\n",
  "a b",
  "x".repeat(300),
  "default",
  "all",
  "filtered",
  "internal",
  "external",
  "unicast",
  "evpn",
  "All",
  "Disabled",
  "fast",
  "red",
  "eth1",
  "192.0.2.1",
  "192.0.2.300",
  "2001:db8::1",
  "2001:db8::1%eth0",
  "::ffff:192.0.2.1",
  "10.0.0.0/24",
  "10.0.0.1/24",
  "10.0.0.0/33",
  "2001:db8:a::/64",
  "fd00::/129",
  "65000:100",
  "large:1:2:3",
  "70000:1",
  "*:100",
  "90s",
  "0",
  "-5s",
  "1.5s",
  "99999999999999999999h",
  "300ms",
  0,
  -1,
  1,
  3,
  24,
  128,
  129,
  179,
  16385,
  64512,
  65001,
  4294967295,
  4294967296,
  1e21,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  [],
  {},
  [""],
  [null],
  { prefix: "10.0.0.0/8", le: 4, ge: 40 },
  { name: "fast" },
  { vrf: "nope" },
];

export const junkValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DOMAIN_VALUES) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true }) },
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: junkValueArb }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom("asn", "prefixes", "mode", "password", "vrf"),
      ),
      value: junkValueArb,
    }),
  },
);

/** Paths under `spec` only: the object keeps its name and namespace. */
export const underSpec = (path: readonly Segment[]): boolean => path[0] === "spec";
