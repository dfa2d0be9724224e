// Files → parsed YAML documents with positions. `-f` takes files, directories (recursively,
// *.yaml/*.yml/*.json in sorted order) or `-` for stdin. Syntax errors are input errors (exit 2)
// reported as `file:line:column: message`, without the source excerpt the yaml library appends
// (the offending line could hold a password).
import { readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import { CliError, formatPosition } from "./exit-codes.ts";

/** One YAML document of one input file. */
export interface SourceDocument {
  file: string;
  /** 0-based index of the document inside its file. */
  index: number;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

const INPUT_EXTENSIONS = [".yaml", ".yml", ".json"];
const STDIN = "-";

/** Expand `-f` arguments into the list of files to read, in order, each file once. */
export function expandInputPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const found = path === STDIN ? [STDIN] : filesOf(path);
    for (const file of found) if (!files.includes(file)) files.push(file);
  }
  return files;
}

function filesOf(path: string): string[] {
  const stats = statOrThrow(path);
  if (!stats.isDirectory()) return [path];
  const entries = readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((rel) => INPUT_EXTENSIONS.some((ext) => rel.toLowerCase().endsWith(ext)))
    .map((rel) => join(path, rel))
    .filter((file) => statOrThrow(file).isFile())
    .sort();
  if (entries.length === 0) throw new CliError(`${path}: directory has no .yaml, .yml or .json file`);
  return entries;
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    throw new CliError(`${path}: ${systemErrorText(err)}`);
  }
}

function systemErrorText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return typeof code === "string" ? `cannot read (${code})` : "cannot read";
}

function readText(file: string): string {
  try {
    return readFileSync(file === STDIN ? 0 : file, "utf8");
  } catch (err) {
    throw new CliError(`${displayName(file)}: ${systemErrorText(err)}`);
  }
}

function displayName(file: string): string {
  return file === STDIN ? "<stdin>" : file;
}

/** Parse one file's text into its non-empty documents; the first syntax error is thrown. */
export function parseDocuments(file: string, text: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(parsed)) return [];
  const docs: SourceDocument[] = [];
  parsed.forEach((doc, index) => {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
      const where = formatPosition({ file, line: pos.line, column: pos.col });
      throw new CliError(`${where}: YAML syntax error: ${firstLine(error.message)}`);
    }
    if (!isEmptyDocument(doc)) docs.push({ file, index, doc, lineCounter });
  });
  return docs;
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents as { value?: unknown; items?: unknown } | null;
  return contents === null || (contents.items === undefined && contents.value === null);
}

/** The yaml library's message without the position suffix and the source excerpt. */
function firstLine(message: string): string {
  const line = message.split("\n", 1)[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}

/** Read and parse every input path. */
export function loadInput(paths: readonly string[]): SourceDocument[] {
  const docs: SourceDocument[] = [];
  for (const file of expandInputPaths(paths)) {
    docs.push(...parseDocuments(displayName(file), readText(file)));
  }
  return docs;
}
