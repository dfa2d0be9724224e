// FRR configuration text (our rendered frr.conf, or `show running-config`) as a tree of blocks.
//
// The parser follows FRR's command nodes by keyword, not by indentation: raw config written by
// users is often unindented and without `exit`s, and vtysh accepts it. Repeated block headers merge
// (our renderer writes `import vrf` in a second `router bgp` section); repeated lines are kept once.

export interface ConfigBlock {
  /** The line that opens the block ("router bgp 64512", " address-family ipv4 unicast" trimmed); "" for the root. */
  header: string;
  /** Plain commands of this block, in order, each once. */
  lines: string[];
  /** Sub-blocks in order, unique headers. */
  blocks: ConfigBlock[];
}

/** Lines that carry no configuration: banners, separators, comments. */
const NOISE = [/^!/, /^end$/, /^Building configuration/, /^Current configuration:?$/];

/** Blocks opened at the top level, wherever they appear. */
const TOP_BLOCKS =
  /^(router \S+|route-map \S+ (permit|deny) \d+|bfd$|vrf \S+$|interface \S+|line vty$|key chain \S+|nexthop-group \S+|pbr-map \S+|mpls ldp$|segment-routing$)/;

/** Top-level commands: seen inside a policy or routing block, they end it (vtysh falls back to the top). */
const TOP_LINES =
  /^(ip (prefix-list|route|nht|forwarding|protocol|import-table|as-path)|ipv6 (prefix-list|route|nht|forwarding|protocol)|bgp (community-list|large-community-list|extcommunity-list|as-path)|log |hostname |frr |service |debug |agentx$|no (ip|ipv6) forwarding$)/;

/** Sub-blocks per parent kind: what opens them and how they close. */
interface SubBlockRule {
  parent: RegExp;
  opens: RegExp;
}
const SUB_BLOCKS: readonly SubBlockRule[] = [
  { parent: /^router bgp /, opens: /^address-family \S+( \S+)?$/ },
  { parent: /^address-family l2vpn evpn$/, opens: /^vni \d+$/ },
  { parent: /^bfd$/, opens: /^(profile \S+|peer \S+.*)$/ },
];

const CLOSERS = new Set(["exit", "exit-address-family", "exit-vni", "exit-vrf", "quit"]);

export function emptyBlock(header: string): ConfigBlock {
  return { header, lines: [], blocks: [] };
}

/** True for a line (trimmed) that opens a top-level block: the parser returns to the root there. */
export function opensTopBlock(line: string): boolean {
  return TOP_BLOCKS.test(line);
}

/** Parse FRR configuration text into a tree; never throws (unknown lines stay where they are). */
export function parseFrrConfig(text: string): ConfigBlock {
  const root = emptyBlock("");
  const stack: ConfigBlock[] = [root];
  const current = (): ConfigBlock => stack[stack.length - 1] ?? root;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || NOISE.some((re) => re.test(line))) continue;
    if (CLOSERS.has(line)) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    if (TOP_BLOCKS.test(line)) {
      stack.length = 1;
      stack.push(childBlock(root, line));
      continue;
    }
    if (stack.length > 1 && TOP_LINES.test(line) && !allowsTopLines(stack)) stack.length = 1;
    const opened = openSubBlock(stack, line);
    if (opened !== undefined) {
      stack.push(opened);
      continue;
    }
    addLine(current(), line);
  }
  return root;
}

/** `interface` and `vrf` blocks have their own `ip ...` commands (addresses, static routes). */
function allowsTopLines(stack: readonly ConfigBlock[]): boolean {
  const top = stack[1]?.header ?? "";
  return top.startsWith("interface ") || top.startsWith("vrf ");
}

/** If `line` opens a sub-block of a block on the stack, pop to that block and return the new child. */
function openSubBlock(stack: ConfigBlock[], line: string): ConfigBlock | undefined {
  for (let depth = stack.length - 1; depth >= 1; depth--) {
    const parent = stack[depth];
    if (parent === undefined) continue;
    const rule = SUB_BLOCKS.find((r) => r.parent.test(parent.header) && r.opens.test(line));
    if (rule === undefined) continue;
    stack.length = depth + 1;
    return childBlock(parent, line);
  }
  return undefined;
}

// Indexes for merging repeated headers and lines in linear time (10,000-entry prefix-lists).
const childIndex = new WeakMap<ConfigBlock, Map<string, ConfigBlock>>();
const lineIndex = new WeakMap<ConfigBlock, Set<string>>();

function childBlock(parent: ConfigBlock, header: string): ConfigBlock {
  let index = childIndex.get(parent);
  if (index === undefined) childIndex.set(parent, (index = new Map<string, ConfigBlock>()));
  const existing = index.get(header);
  if (existing !== undefined) return existing;
  const block = emptyBlock(header);
  parent.blocks.push(block);
  index.set(header, block);
  return block;
}

function addLine(block: ConfigBlock, line: string): void {
  let seen = lineIndex.get(block);
  if (seen === undefined) lineIndex.set(block, (seen = new Set<string>()));
  if (seen.has(line)) return;
  seen.add(line);
  block.lines.push(line);
}

/** The union of several trees (lines and blocks of each, first occurrence order). */
export function mergeConfigs(trees: readonly ConfigBlock[]): ConfigBlock {
  const root = emptyBlock("");
  const into = (target: ConfigBlock, source: ConfigBlock): void => {
    for (const line of source.lines) addLine(target, line);
    for (const block of source.blocks) into(childBlock(target, block.header), block);
  };
  for (const tree of trees) into(root, tree);
  return root;
}

/** Every line of the tree with its block path, depth first, in order (for tests and reports). */
export function flattenConfig(block: ConfigBlock, path: readonly string[] = []): string[] {
  const here = block.header === "" ? path : [...path, block.header];
  const prefix = here.join(" / ");
  return [
    ...(block.header === "" ? [] : [prefix]),
    ...block.lines.map((l) => (prefix === "" ? l : `${prefix} / ${l}`)),
    ...block.blocks.flatMap((b) => flattenConfig(b, here)),
  ];
}
