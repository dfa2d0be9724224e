// From what FRR runs (per-daemon running configs) and what we want (rendered frr.conf) to the
// batches of commands that get there: one `vtysh [-d daemon] -f` per batch, in order.
//
// Where each part lives: BGP routers and the policies they use (prefix-lists, route-maps, BGP
// community lists) go to bgpd only. vtysh without -d would also send policies to zebra and bfdd
// (both keep a copy, and 1000-entry prefix-lists cost 3x as much: shared/docs/frr-lab.md §3a);
// copies left there (e.g. by a `vtysh -b` boot) are removed. Everything else (logging, bfd, vrf,
// interfaces, static routes, raw config we do not classify) goes through vtysh as usual, to every
// daemon that knows the command, diffed against the union of the daemons' configs (what
// `show running-config` prints, without reading bgpd's large part twice).
import { type Command, diffConfig, asFrrShowsIt, sortByPhase } from "./diff.ts";
import { environmentLine, exitCommand, forwardingLine } from "./lines.ts";
import { type ConfigBlock, mergeConfigs, parseFrrConfig } from "./parse.ts";
import { parseReusingSections } from "./tree-cache.ts";
import { sessionResets, type SessionReset } from "./resets.ts";

export type Target = "bgpd" | "zebra" | "staticd" | "bfdd" | "all";

/** `show running-config <daemon>` of each daemon ("" for one that is not running). */
export interface RunningViews {
  bgpd: string;
  zebra: string;
  staticd: string;
  bfdd: string;
}

export const VIEW_DAEMONS = ["bgpd", "zebra", "staticd", "bfdd"] as const;
export type ViewDaemon = (typeof VIEW_DAEMONS)[number];

export interface TargetedCommand extends Command {
  target: Target;
}

export interface ApplyBatch {
  target: Target;
  /** The vtysh -f file. */
  text: string;
  /** The commands in it (for per-command error reports). */
  commands: TargetedCommand[];
}

export interface ApplyPlan {
  batches: ApplyBatch[];
  /** Established sessions FRR will reset to apply the change. */
  resets: SessionReset[];
}

const POLICY_LINE =
  /^((ip|ipv6) prefix-list |bgp (community-list|large-community-list|extcommunity-list|as-path) )/;
const POLICY_BLOCK = /^route-map /;

function isBgpdLine(line: string): boolean {
  return POLICY_LINE.test(line);
}
function isBgpdBlock(header: string): boolean {
  return POLICY_BLOCK.test(header) || header.startsWith("router bgp ");
}

function part(root: ConfigBlock, line: (l: string) => boolean, block: (h: string) => boolean): ConfigBlock {
  return { header: "", lines: root.lines.filter(line), blocks: root.blocks.filter((b) => block(b.header)) };
}

const bgpdPart = (root: ConfigBlock): ConfigBlock => part(root, isBgpdLine, isBgpdBlock);
const policyPart = (root: ConfigBlock): ConfigBlock => part(root, isBgpdLine, (h) => POLICY_BLOCK.test(h));
const restPart = (root: ConfigBlock): ConfigBlock =>
  part(
    root,
    (l) => !isBgpdLine(l),
    (h) => !isBgpdBlock(h),
  );

/** The wanted configuration as FRR will show it. */
export function desiredTree(rendered: string): ConfigBlock {
  const root = shownTree(rendered);
  return { ...root, lines: root.lines.filter((l) => !environmentLine(l)) };
}

/**
 * A configuration text as a tree in FRR's spelling, remembered for the last few texts: the engine
 * plans every change against the views it read after the previous one, and checks each apply
 * against the configuration it planned. Sections seen in earlier texts are not parsed again
 * (tree-cache.ts). Trees are never mutated.
 */
const shownTrees = new Map<string, ConfigBlock>();
const SHOWN_TREES_KEPT = 8;

function shownTree(text: string): ConfigBlock {
  const known = shownTrees.get(text);
  if (known !== undefined) return known;
  const tree = asFrrShowsIt(parseReusingSections(text));
  shownTrees.set(text, tree);
  for (const old of shownTrees.keys()) {
    if (shownTrees.size <= SHOWN_TREES_KEPT) break;
    shownTrees.delete(old);
  }
  return tree;
}

/** The plan that turns `running` into `rendered`; empty batches when FRR already runs it. */
export function planApply(rendered: string, running: RunningViews): ApplyPlan {
  return planTrees(desiredTree(rendered), {
    bgpd: shownTree(running.bgpd),
    zebra: shownTree(running.zebra),
    staticd: shownTree(running.staticd),
    bfdd: shownTree(running.bfdd),
  });
}

/** planApply on trees: `desired` as desiredTree() makes it, each daemon's view as asFrrShowsIt() does. */
export function planTrees(desired: ConfigBlock, trees: Readonly<Record<ViewDaemon, ConfigBlock>>): ApplyPlan {
  // Both sides in FRR's spelling: a line FRR hides is never a difference, whichever side has it.
  const bgpd = trees.bgpd;
  const managesForwarding = desired.lines.some(forwardingLine);
  const merged = mergeConfigs(VIEW_DAEMONS.map((d) => restPart(trees[d])));
  merged.lines = merged.lines.filter((l) => !environmentLine(l) && (managesForwarding || !forwardingLine(l)));
  // zebra keeps policies only when raw config uses them there (`ip protocol bgp route-map X`).
  const zebraUsesPolicies = desired.lines.some((l) => /^ip(v6)? protocol /.test(l));
  const empty: ConfigBlock = { header: "", lines: [], blocks: [] };
  const commands: TargetedCommand[] = [
    ...targeted(diffConfig(bgpdPart(bgpd), bgpdPart(desired)), "bgpd"),
    ...targeted(diffConfig(restPart(merged), restPart(desired)), "all"),
    ...targeted(
      diffConfig(policyPart(trees.zebra), zebraUsesPolicies ? policyPart(desired) : empty),
      "zebra",
    ),
    ...targeted(diffConfig(policyPart(trees.bfdd), empty), "bfdd"),
  ];
  const ordered = sortByPhase(commands);
  return { batches: toBatches(ordered), resets: sessionResets(ordered, bgpd) };
}

/** The plan that brings each daemon back to what it ran before (`before`), from `after`. */
export function planRestore(before: RunningViews, after: RunningViews): ApplyPlan {
  const tree = (text: string): ConfigBlock => {
    const root = parseFrrConfig(text);
    return { ...root, lines: root.lines.filter((l) => !environmentLine(l)) };
  };
  const ordered = sortByPhase(
    VIEW_DAEMONS.flatMap((d) => targeted(diffConfig(tree(after[d]), tree(before[d])), d)),
  );
  return { batches: toBatches(ordered), resets: [] };
}

function targeted(commands: readonly Command[], target: Target): TargetedCommand[] {
  return commands.map((c) => ({ ...c, target }));
}

function toBatches(commands: readonly TargetedCommand[]): ApplyBatch[] {
  const batches: ApplyBatch[] = [];
  for (const c of commands) {
    const last = batches[batches.length - 1];
    if (last?.target === c.target) last.commands.push(c);
    else batches.push({ target: c.target, text: "", commands: [c] });
  }
  return batches.map((b) => ({ ...b, text: commandsText(b.commands) }));
}

/** Commands as a vtysh -f file: blocks entered and left explicitly, indented like FRR. */
export function commandsText(commands: readonly Command[]): string {
  const lines: string[] = [];
  const path: string[] = [];
  const leave = (depth: number): void => {
    while (path.length > depth) {
      const header = path.pop() ?? "";
      // No `exit` after a route-map entry: in a vtysh -f file each one makes bgpd commit what it
      // has batched so far (300 neighbors' first apply: 15.7 s with them, 1.9 s without). The next
      // command is a top-level one, which vtysh runs in the parent node by itself.
      if (path.length === 0 && header.startsWith("route-map ")) continue;
      lines.push(`${" ".repeat(path.length)}${exitCommand(header)}`);
    }
  };
  for (const c of commands) {
    let common = 0;
    while (common < path.length && common < c.path.length && path[common] === c.path[common]) common++;
    leave(common);
    for (const header of c.path.slice(common)) {
      lines.push(`${" ".repeat(path.length)}${header}`);
      path.push(header);
    }
    if (c.text !== undefined) lines.push(`${" ".repeat(path.length)}${c.text}`);
  }
  leave(0);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** How many commands a plan sends (block entries that only create a block count as one). */
export function planSize(plan: ApplyPlan): number {
  return plan.batches.reduce((n, b) => n + b.commands.length, 0);
}
