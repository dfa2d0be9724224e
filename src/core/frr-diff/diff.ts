// The commands that turn one FRR configuration tree into another, in an order FRR accepts.
//
// Why this order (phases): policies (prefix-lists, route-maps) exist before a router refers to
// them, so a new prefix is never first filtered and then held back by bgpd's route-map update
// timer (frr-reload.py's order costs ~3.5 s there: shared/docs/frr-lab.md §3c); route-maps go
// before the prefix-lists they match (bgpd creates a route-map entry whose prefix-list exists
// 2-3x slower: 100 neighbors' first apply took 14.6 s the other way round, 6.3 s this way); VRF routers go
// before the default router when removed and after it when added (FRR refuses to delete a default
// instance with VRFs); `import vrf` comes after every router exists (else bgpd creates an "auto"
// instance); objects a router stops using are removed after the router changed.
import { type ConfigBlock, emptyBlock } from "./parse.ts";
import {
  blockRemovalCommand,
  definedNeighbor,
  asFrrPrintsIt,
  hiddenByFrr,
  neighborOf,
  removalCommand,
  replacementKey,
  systemLine,
  withListSequences,
} from "./lines.ts";

export const PHASE = {
  base: 0,
  routeMapAdd: 1,
  policyAdd: 2,
  router: 3,
  vrfRouterRemove: 4,
  defaultRouterRemove: 5,
  defaultRouterAdd: 6,
  vrfRouterAdd: 7,
  imports: 8,
  policyRemove: 9,
  last: 10,
} as const;

export interface Command {
  /** Headers of the blocks the command runs in, outermost first. */
  path: readonly string[];
  /** The command; undefined: just enter `path` (creates a block that has no lines, e.g. all defaults). */
  text?: string;
  kind: "add" | "remove";
  phase: number;
}

interface Phases {
  add: number;
  /** Removing a sub-block (a BFD profile: after bgpd stopped using it). */
  remove: number;
  /** Removing a line (before the adds of the same phase: `vni 2` needs `vni 1` gone first). */
  lineRemove: number;
}

/** Shared while diffing one top-level block: its phases, neighbors removed, the output. */
interface BlockContext {
  phases: Phases;
  removedNeighbors: Set<string>;
  out: Command[];
}

/** Commands turning `running` into `desired` (both root blocks), ordered for FRR. */
export function diffConfig(running: ConfigBlock, desired: ConfigBlock): Command[] {
  const out: Command[] = [];
  diffRootLines(running.lines, desired.lines, out);
  const wanted = new Map(desired.blocks.map((b) => [b.header, b]));
  const have = new Map(running.blocks.map((b) => [b.header, b]));
  const removedMaps = new Set<string>();
  for (const block of running.blocks) {
    if (wanted.has(block.header)) continue;
    const map = routeMapName(block.header);
    if (map !== undefined) {
      removeRouteMapEntry(block.header, map, desired, removedMaps, out);
      continue;
    }
    removeBlock([], block, { phases: rootPhases(block.header), removedNeighbors: new Set(), out });
  }
  for (const block of desired.blocks) {
    const current = have.get(block.header);
    if (current === undefined) addBlock([], block, rootPhases(block.header).add, out);
    else out.push(...diffTopBlock(current, block));
  }
  return sortByPhase(out);
}

/**
 * The last commands computed for each desired top-level block, with the running block they were
 * computed against: trees share unchanged blocks between texts (tree-cache.ts), so a pair seen
 * before (1,000 route-map entries at 500 neighbors) is not compared again. Blocks and commands
 * are never mutated.
 */
const lastTopDiffs = new WeakMap<ConfigBlock, { running: ConfigBlock; commands: readonly Command[] }>();

function diffTopBlock(running: ConfigBlock, desired: ConfigBlock): readonly Command[] {
  const last = lastTopDiffs.get(desired);
  if (last?.running === running) return last.commands;
  const commands: Command[] = [];
  diffBlock([], running, desired, {
    phases: keptPhases(desired.header),
    removedNeighbors: new Set(),
    out: commands,
  });
  lastTopDiffs.set(desired, { running, commands });
  return commands;
}

/** Stable sort by phase: within a phase, commands keep the order they were planned in. */
export function sortByPhase<T extends Command>(commands: readonly T[]): T[] {
  return commands
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.phase - b.c.phase || a.i - b.i)
    .map(({ c }) => c);
}

function isPolicyLine(line: string): boolean {
  return /^(ip|ipv6) prefix-list |^bgp (community-list|large-community-list|extcommunity-list|as-path) /.test(
    line,
  );
}

function routeMapName(header: string): string | undefined {
  return /^route-map (\S+) (permit|deny) \d+$/.exec(header)?.[1];
}

/** Phases of the changes inside a top-level block that stays. */
function keptPhases(header: string): Phases {
  const policy = PHASE.routeMapAdd;
  if (routeMapName(header) !== undefined) return { add: policy, remove: policy, lineRemove: policy };
  const router = PHASE.router;
  if (header.startsWith("router bgp ")) return { add: router, remove: router, lineRemove: router };
  return { add: PHASE.base, remove: PHASE.last, lineRemove: PHASE.base };
}

/** Phases of adding or removing a whole top-level block. */
function rootPhases(header: string): Phases {
  const phases = (add: number, remove: number): Phases => ({ add, remove, lineRemove: remove });
  if (routeMapName(header) !== undefined) return phases(PHASE.routeMapAdd, PHASE.routeMapAdd);
  if (header.startsWith("router bgp ")) {
    const vrf = header.includes(" vrf ");
    return vrf
      ? phases(PHASE.vrfRouterAdd, PHASE.vrfRouterRemove)
      : phases(PHASE.defaultRouterAdd, PHASE.defaultRouterRemove);
  }
  return phases(PHASE.base, PHASE.last);
}

function diffRootLines(running: readonly string[], desired: readonly string[], out: Command[]): void {
  const { added, removed } = lineChanges(running, desired);
  const keptLists = new Set(desired.map(prefixListName).filter((n) => n !== undefined));
  const removedLists = new Set<string>();
  for (const line of removed) {
    const list = prefixListName(line);
    // An entry of a list that stays is removed just before the list's new entries: FRR silently
    // ignores an entry whose prefix another entry of the list still has (a shift of sequence
    // numbers would otherwise need several passes).
    const kept = list !== undefined && keptLists.has(list);
    const phase = kept ? PHASE.policyAdd : isPolicyLine(line) ? PHASE.policyRemove : PHASE.last;
    if (list === undefined || kept) {
      out.push({ path: [], text: removalCommand(line), kind: "remove", phase });
    } else if (!removedLists.has(list)) {
      removedLists.add(list); // the whole list goes: one command instead of one per entry
      out.push({ path: [], text: `no ${list}`, kind: "remove", phase });
    }
  }
  for (const line of added) {
    out.push({ path: [], text: line, kind: "add", phase: isPolicyLine(line) ? PHASE.policyAdd : PHASE.base });
  }
}

/** "ip prefix-list NAME" of a prefix-list entry. */
function prefixListName(line: string): string | undefined {
  return /^((?:ip|ipv6) prefix-list \S+) /.exec(line)?.[1];
}

/** Lines to add and to remove; a removed line replaced by an added one is not removed. */
function lineChanges(
  running: readonly string[],
  desired: readonly string[],
): { added: string[]; removed: string[] } {
  const want = new Set(desired);
  const have = new Set(running);
  const added = desired.filter((l) => !have.has(l));
  const replaced = new Set(added.map(replacementKey));
  const removed = running.filter((l) => !want.has(l) && !replaced.has(replacementKey(l)));
  return { added, removed };
}

/** A route-map entry that is no longer wanted; the whole map when none of its entries is. */
function removeRouteMapEntry(
  header: string,
  map: string,
  desired: ConfigBlock,
  removedMaps: Set<string>,
  out: Command[],
): void {
  const kept = desired.blocks.some((b) => routeMapName(b.header) === map);
  if (kept) {
    out.push({ path: [], text: `no ${header}`, kind: "remove", phase: PHASE.policyRemove });
  } else if (!removedMaps.has(map)) {
    // Entry by entry would leave an empty, invisible route-map behind in bgpd.
    removedMaps.add(map);
    out.push({ path: [], text: `no route-map ${map}`, kind: "remove", phase: PHASE.policyRemove });
  }
}

function diffBlock(
  parent: readonly string[],
  running: ConfigBlock,
  desired: ConfigBlock,
  context: BlockContext,
): void {
  const { phases, removedNeighbors, out } = context;
  const path = [...parent, desired.header];
  const { added, removed: changed } = lineChanges(running.lines, desired.lines);
  const removed = changed.filter((l) => !systemLine(running.header, l));
  const stillDefined = new Set(desired.lines.map(definedNeighbor).filter((n) => n !== undefined));
  for (const line of removed) {
    const defined = definedNeighbor(line);
    if (defined !== undefined && !stillDefined.has(defined)) removedNeighbors.add(defined);
  }
  for (const line of removed) {
    const neighbor = neighborOf(line);
    const removesNeighbor = definedNeighbor(line) !== undefined && neighbor !== undefined;
    if (neighbor !== undefined && removedNeighbors.has(neighbor) && !removesNeighbor) continue;
    out.push({ path, text: removalCommand(line), kind: "remove", phase: phases.lineRemove });
  }
  for (const line of added) out.push({ path, text: line, kind: "add", phase: addPhase(line, phases.add) });
  const wanted = new Set(desired.blocks.map((b) => b.header));
  for (const block of running.blocks) {
    if (!wanted.has(block.header)) removeBlock(path, block, context);
  }
  for (const block of desired.blocks) {
    const current = running.blocks.find((b) => b.header === block.header);
    if (current === undefined) addBlock(path, block, phases.add, out);
    else diffBlock(path, current, block, context);
  }
}

/** `import vrf` waits until every router exists. */
function addPhase(line: string, phase: number): number {
  return line.startsWith("import vrf ") ? PHASE.imports : phase;
}

function addBlock(parent: readonly string[], block: ConfigBlock, phase: number, out: Command[]): void {
  const path = [...parent, block.header];
  out.push({ path, kind: "add", phase });
  for (const line of block.lines) out.push({ path, text: line, kind: "add", phase: addPhase(line, phase) });
  for (const child of block.blocks) addBlock(path, child, phase, out);
}

function removeBlock(parent: readonly string[], block: ConfigBlock, context: BlockContext): void {
  const command = blockRemovalCommand(block.header);
  if (command !== undefined) {
    context.out.push({ path: parent, text: command, kind: "remove", phase: context.phases.remove });
    return;
  }
  diffBlock(parent, block, emptyBlock(block.header), context);
}

/**
 * The wanted configuration (a root block) as FRR will show it: lines in FRR's spelling, defaults
 * and derived values FRR hides dropped. Top-level blocks are normalised once per block object
 * (shared between texts by tree-cache.ts); the root's lines every time (list sequence numbers
 * depend on all of them).
 */
export function asFrrShowsIt(root: ConfigBlock): ConfigBlock {
  return {
    header: root.header,
    lines: shownLines([], [], withListSequences(root.lines)),
    blocks: root.blocks.map(shownTopBlock),
  };
}

const shownTopBlocks = new WeakMap<ConfigBlock, ConfigBlock>();

function shownTopBlock(block: ConfigBlock): ConfigBlock {
  let shown = shownTopBlocks.get(block);
  if (shown === undefined) shownTopBlocks.set(block, (shown = shownBlock(block, [], [])));
  return shown;
}

/** `routerLines`: the lines of the enclosing router (some defaults depend on them). */
function shownBlock(
  block: ConfigBlock,
  path: readonly string[],
  routerLines: readonly string[],
): ConfigBlock {
  const here = [...path, block.header];
  const router = block.header.startsWith("router bgp ") ? block.lines : routerLines;
  return {
    header: block.header,
    lines: shownLines(here, router, block.lines),
    blocks: block.blocks.map((b) => shownBlock(b, here, router)),
  };
}

function shownLines(
  path: readonly string[],
  routerLines: readonly string[],
  lines: readonly string[],
): string[] {
  return [...new Set(lines.flatMap(asFrrPrintsIt))].filter((l) => !hiddenByFrr(path, routerLines, l));
}
