// Field path → line in the input. An issue's path (`spec.bgp.routers[0].neighbors[1].asn`) is
// walked through the YAML syntax tree of the object it names; the deepest node that exists gives
// the position (the key of a map entry, or the start of a sequence item), so a missing field
// points at its nearest existing parent and, at worst, at the start of the object.
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { SourcePosition } from "./exit-codes.ts";
import type { SourceDocument } from "./load-input.ts";

export type PathSegment = string | number;

/** Where an object lives: its document and its path inside it (`["items", 3]` inside a List). */
export interface ObjectSource {
  source: SourceDocument;
  basePath: readonly PathSegment[];
}

const SEGMENT = /\.?([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\]/y;

/**
 * Split a field path into keys and indices. Accepts `a.b[0].c`, `a["x.y/z"]` and `a['x']`.
 * Parsing stops at the first character it does not understand (the rest is ignored).
 */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (SEGMENT.lastIndex < path.length && (match = SEGMENT.exec(path)) !== null) {
    const [, key, index, doubleQuoted, singleQuoted] = match;
    if (index !== undefined) segments.push(Number(index));
    else if (doubleQuoted !== undefined) segments.push(unquote(doubleQuoted));
    else segments.push(key ?? singleQuoted ?? "");
  }
  return segments;
}

/** The content of a JSON string literal (the core quotes keys with JSON.stringify). */
function unquote(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

/** The position of `fieldPath` inside the object, or of its nearest existing parent. */
export function locateField(object: ObjectSource, fieldPath: string): SourcePosition {
  const { doc, lineCounter, file } = object.source;
  const segments = [...object.basePath, ...parseFieldPath(fieldPath)];
  const offset = deepestOffset(doc.contents, segments, (node) => resolveAlias(node, object.source));
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

function resolveAlias(node: unknown, source: SourceDocument): unknown {
  return isAlias(node) ? node.resolve(source.doc) : node;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function deepestOffset(root: unknown, segments: PathSegment[], resolve: (n: unknown) => unknown): number {
  let node = resolve(root);
  let offset = startOf(node) ?? 0;
  let i = 0;
  while (i < segments.length) {
    const step = childOf(node, segments, i);
    if (!step) break;
    offset = step.offset ?? startOf(step.node) ?? offset;
    node = resolve(step.node);
    i += step.consumed;
  }
  return offset;
}

interface Step {
  node: unknown;
  offset: number | undefined;
  consumed: number;
}

function childOf(node: unknown, segments: PathSegment[], i: number): Step | undefined {
  const segment = segments[i];
  if (isSeq(node) && typeof segment === "number") {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { node: item, offset: startOf(item), consumed: 1 };
  }
  if (!isMap(node)) return undefined;
  // A key may itself contain dots (`kubernetes.io/hostname`): try the longest join first.
  for (let count = segments.length - i; count >= 1; count--) {
    const key = segments.slice(i, i + count).join(".");
    const pair = node.items.find((p) => keyText(p) === key);
    if (pair) return { node: pair.value, offset: startOf(pair.key), consumed: count };
  }
  return undefined;
}

function keyText(pair: Pair): string | undefined {
  const key: unknown = pair.key;
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}
