// Parsing and normalising configuration texts that mostly repeat what was seen before.
//
// The engine plans every apply against FRR's views read back after the previous one, and parses
// each new rendered configuration. From one apply to the next almost every top-level section is
// unchanged (500 neighbors: 1,000 route-map entries, 500 prefix-lists and one router), so each
// text is cut into sections at the lines that open a top-level block, and the tree of a section
// seen in one of the last texts is reused: the same objects, so the differ can also skip a pair
// of blocks it compared before (diff.ts). The result equals parseFrrConfig of the whole text.
import { type ConfigBlock, emptyBlock, mergeConfigs, opensTopBlock, parseFrrConfig } from "./parse.ts";

/** How many texts' sections are kept: the views of four daemons plus rendered configurations. */
const TEXTS_KEPT = 8;

interface Section {
  /** The section parsed on its own: root lines and at most one top-level block. */
  tree: ConfigBlock;
  /** Number of the last text that used it. */
  used: number;
}

const sections = new Map<string, Section>();
let texts = 0;

/**
 * parseFrrConfig(text), sharing the blocks of unchanged sections with earlier results. Never
 * mutate it. Whole texts are not remembered here: the planner keeps its normalised trees by text.
 */
export function parseReusingSections(text: string): ConfigBlock {
  const number = ++texts;
  const parts = splitSections(text).map((part) => {
    let section = sections.get(part);
    if (section === undefined) sections.set(part, (section = { tree: parseFrrConfig(part), used: number }));
    section.used = number;
    return section.tree;
  });
  for (const [part, section] of sections) if (section.used <= number - TEXTS_KEPT) sections.delete(part);
  return joinSections(parts);
}

/** The text cut before every line that opens a top-level block (the parser returns to the root there). */
export function splitSections(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf("\n", at);
    const next = end === -1 ? text.length : end + 1;
    if (at > start && opensTopBlock(text.slice(at, next).trim())) {
      parts.push(text.slice(start, at));
      start = at;
    }
    at = next;
  }
  if (start < text.length || parts.length === 0) parts.push(text.slice(start));
  return parts;
}

/**
 * The sections' trees as one: root lines in first-occurrence order, each once; a block whose
 * header occurs in one section only is that section's block itself, repeated headers are merged
 * into a new block (as the parser merges them).
 */
function joinSections(parts: readonly ConfigBlock[]): ConfigBlock {
  const root = emptyBlock("");
  const seenLines = new Set<string>();
  const byHeader = new Map<string, ConfigBlock[]>();
  for (const part of parts) {
    for (const line of part.lines) {
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      root.lines.push(line);
    }
    for (const block of part.blocks) {
      const same = byHeader.get(block.header);
      if (same === undefined) byHeader.set(block.header, [block]);
      else same.push(block);
    }
  }
  for (const same of byHeader.values()) {
    root.blocks.push(same.length === 1 ? same[0]! : mergeConfigs(same.map(asRootOf)).blocks[0]!);
  }
  return root;
}

/** A root holding just `block` (mergeConfigs merges roots). */
function asRootOf(block: ConfigBlock): ConfigBlock {
  return { header: "", lines: [], blocks: [block] };
}
