// A tiny declarative description of a resource's shape (what the CRD's OpenAPI schema and its
// CEL rules say), and a decoder that walks untrusted input with it. Invalid values are reported
// with their field path and dropped; the decoder never throws.
import { child, item } from "../path.ts";
import type { IssueCode } from "../issues.ts";

export interface CheckFailure {
  code: IssueCode;
  message: string;
}

export type Shape =
  | {
      type: "string";
      enum?: readonly string[];
      maxLength?: number;
      check?: (value: string) => CheckFailure | undefined;
      /** Never echo the value in messages (passwords). */
      sensitive?: boolean;
    }
  | { type: "integer"; min?: number; max?: number }
  | { type: "boolean" }
  | {
      type: "object";
      fields: Readonly<Record<string, Shape>>;
      required?: readonly string[];
      open?: boolean;
      /** Keep the object even when a required field is missing or invalid (default: drop it). */
      keepIncomplete?: boolean;
    }
  | { type: "array"; items: Shape; minItems?: number; maxItems?: number }
  | { type: "stringMap" };

export interface ShapeProblem {
  code: IssueCode;
  path: string;
  message: string;
  severity: "error" | "warning";
}

export interface Decoded {
  value: unknown;
  problems: ShapeProblem[];
}

const err = (code: IssueCode, path: string, message: string): ShapeProblem => ({
  code,
  path,
  message,
  severity: "error",
});

function describe(value: unknown, sensitive = false): string {
  if (value === null) return "null";
  if (sensitive) return Array.isArray(value) ? "a list" : `a ${typeof value}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function decodeShape(shape: Shape, value: unknown, path: string): Decoded {
  const problems: ShapeProblem[] = [];
  const result = decodeValue(shape, value, path, problems);
  return { value: result, problems };
}

function decodeValue(shape: Shape, value: unknown, path: string, problems: ShapeProblem[]): unknown {
  switch (shape.type) {
    case "string":
      return decodeString(shape, value, path, problems);
    case "integer":
      return decodeInteger(shape, value, path, problems);
    case "boolean":
      if (typeof value === "boolean") return value;
      problems.push(err("INVALID_TYPE", path, `must be true or false, got ${describe(value)}`));
      return undefined;
    case "object":
      return decodeObject(shape, value, path, problems);
    case "array":
      return decodeArray(shape, value, path, problems);
    case "stringMap":
      return decodeStringMap(value, path, problems);
  }
}

type StringShape = Extract<Shape, { type: "string" }>;

function decodeString(shape: StringShape, value: unknown, path: string, problems: ShapeProblem[]): unknown {
  if (typeof value !== "string") {
    problems.push(err("INVALID_TYPE", path, `must be a string, got ${describe(value, shape.sensitive)}`));
    return undefined;
  }
  if (shape.enum && !shape.enum.includes(value)) {
    const allowed = shape.enum.map((e) => `"${e}"`).join(", ");
    problems.push(err("INVALID_ENUM_VALUE", path, `unsupported value "${value}": must be one of ${allowed}`));
    return undefined;
  }
  if (shape.maxLength !== undefined && value.length > shape.maxLength) {
    problems.push(err("VALUE_OUT_OF_RANGE", path, `must be at most ${shape.maxLength} characters long`));
    return undefined;
  }
  const failure = shape.check?.(value);
  if (failure) {
    problems.push(err(failure.code, path, failure.message));
    return undefined;
  }
  return value;
}

type IntegerShape = Extract<Shape, { type: "integer" }>;

function decodeInteger(shape: IntegerShape, value: unknown, path: string, problems: ShapeProblem[]): unknown {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    problems.push(err("INVALID_TYPE", path, `must be an integer, got ${describe(value)}`));
    return undefined;
  }
  const tooSmall = shape.min !== undefined && value < shape.min;
  const tooBig = shape.max !== undefined && value > shape.max;
  if (tooSmall || tooBig) {
    const range = `${shape.min ?? "-∞"}..${shape.max ?? "∞"}`;
    problems.push(err("VALUE_OUT_OF_RANGE", path, `${value} is out of range: must be within ${range}`));
    return undefined;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type ObjectShape = Extract<Shape, { type: "object" }>;

function decodeObject(shape: ObjectShape, value: unknown, path: string, problems: ShapeProblem[]): unknown {
  if (!isPlainObject(value)) {
    problems.push(err("INVALID_TYPE", path, `must be an object, got ${describe(value)}`));
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const fieldShape = shape.fields[key];
    const fieldPath = child(path, key);
    if (!fieldShape) {
      if (shape.open) out[key] = raw;
      else
        problems.push({
          code: "UNKNOWN_FIELD",
          path: fieldPath,
          message: `unknown field "${key}" is ignored`,
          severity: "warning",
        });
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const decoded = decodeValue(fieldShape, raw, fieldPath, problems);
    if (decoded !== undefined) out[key] = decoded;
  }
  for (const key of shape.required ?? []) {
    if (value[key] === undefined || value[key] === null) {
      problems.push(err("REQUIRED_FIELD_MISSING", child(path, key), `required field "${key}" is missing`));
    }
  }
  // Without its required fields an object means nothing: later stages see a hole, not half an object.
  const incomplete = (shape.required ?? []).some((key) => out[key] === undefined);
  return incomplete && !shape.keepIncomplete ? undefined : out;
}

type ArrayShape = Extract<Shape, { type: "array" }>;

function isPlainStringShape(shape: Shape): boolean {
  return shape.type === "string" && !shape.enum && shape.maxLength === undefined && !shape.check;
}

function decodeArray(shape: ArrayShape, value: unknown, path: string, problems: ShapeProblem[]): unknown {
  if (!Array.isArray(value)) {
    problems.push(err("INVALID_TYPE", path, `must be a list, got ${describe(value)}`));
    return undefined;
  }
  if (shape.maxItems !== undefined && value.length > shape.maxItems) {
    problems.push(
      err("TOO_MANY_ITEMS", path, `has ${value.length} items, at most ${shape.maxItems} allowed`),
    );
  }
  if (shape.minItems !== undefined && value.length < shape.minItems) {
    problems.push(
      err("TOO_FEW_ITEMS", path, `has ${value.length} items, at least ${shape.minItems} required`),
    );
  }
  if (isPlainStringShape(shape.items) && value.every((entry) => typeof entry === "string")) {
    return value; // the common case (prefix lists): nothing to check per item, nothing to copy
  }
  // Invalid items stay as holes so later stages report paths with the user's indices.
  return value.map((entry, index) => decodeValue(shape.items, entry, item(path, index), problems));
}

function decodeStringMap(value: unknown, path: string, problems: ShapeProblem[]): unknown {
  if (!isPlainObject(value)) {
    problems.push(err("INVALID_TYPE", path, `must be a map of strings, got ${describe(value)}`));
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw === "string") out[key] = raw;
    else problems.push(err("INVALID_TYPE", child(path, key), `must be a string, got ${describe(raw)}`));
  }
  return out;
}
