// Pure helpers around FRR configuration text: read vtysh's error output, and compute the commands
// that take a running configuration back to a baseline. No I/O here, so they are unit-tested
// without FRR (test/frr/frr-config.test.ts).

/** One complaint printed by vtysh while reading a configuration. */
export interface VtyshProblem {
  /** 1-based line of the configuration file, when vtysh named one ("line 34: ..."). */
  line?: number;
  /** That line of the file, when known. */
  source?: string;
  /** vtysh's message without the "line N: " prefix. */
  message: string;
}

/**
 * Messages FRR 8.4 prints for commands it does apply: notices, not rejections. Anything else a
 * daemon prints while reading a file is treated as a rejection, because vtysh's exit status alone
 * misses some (a daemon answering CMD_WARNING, e.g. "This command is only supported under EVPN
 * VRF", still gives exit 0 with `-f`). Each entry was checked: the command shows up in
 * `show running-config` afterwards.
 */
const NOTICES: readonly RegExp[] = [
  // bgpd, `neighbor X graceful-restart[-helper|-disable]`: applied, takes effect on the next session.
  /^Graceful restart configuration changed, reset this peer to take effect$/,
  // bfdd, `echo-mode` in a profile or peer: applied; a remark about IPv6 interoperability.
  /^% Echo mode works correctly for IPv4, but only works when the peer is also FRR for IPv6\.$/,
];

/**
 * bgpd's "The route-map 'X' does not exist." for a neighbor that references a route-map the file
 * defines further down: the reference is stored and resolved once the route-map exists, so that
 * is a notice. A route-map the file never defines stays a problem (BGP then filters everything).
 */
function definedLater(message: string, fileText: string | undefined): boolean {
  const m = /^The route-map '(.+)' does not exist\.$/.exec(message);
  if (m === null || fileText === undefined) return false;
  const name = m[1] ?? "";
  return fileText.split("\n").some((l) => l.startsWith(`route-map ${name} `));
}

/** What vtysh printed while reading a configuration file. */
export interface VtyshOutput {
  /** Rejected commands and other complaints (any output that is not a known notice). */
  problems: VtyshProblem[];
  /** Known notices (see NOTICES): the command was applied. */
  notices: string[];
}

/**
 * Read the output of `vtysh [--dryrun] -f FILE`. FRR 8.4 prints nothing for an accepted file; a
 * rejected line gives `line N: % Unknown command[..]: <text>` (or another `%` message) on stderr,
 * and messages from a daemon (printed on stdout, without a line number) may follow. stdout and
 * stderr are read alike. Every non-empty line that is not a known notice is a problem.
 */
export function readVtyshOutput(output: string, fileText?: string): VtyshOutput {
  const fileLines = fileText?.split("\n");
  const problems: VtyshProblem[] = [];
  const notices: string[] = [];
  for (const raw of output.split("\n")) {
    const text = raw.trimEnd();
    if (text.trim() === "") continue;
    if (NOTICES.some((re) => re.test(text)) || definedLater(text, fileText)) {
      notices.push(text);
      continue;
    }
    const m = /^line (\d+): ?(.*)$/.exec(text);
    if (m === null) {
      problems.push({ message: text });
      continue;
    }
    const line = Number(m[1]);
    const source = fileLines?.[line - 1];
    problems.push({ line, message: m[2] ?? "", ...(source !== undefined && { source }) });
  }
  return { problems, notices };
}

/** A configuration file as numbered commands for `vtysh -E -c configure -c <cmd> ...` (blank lines dropped). */
export function echoCommands(fileText: string): { line: number; text: string }[] {
  return fileText
    .split("\n")
    .map((l, i) => ({ line: i + 1, text: l.trimEnd() }))
    .filter((c) => c.text.trim() !== "");
}

/**
 * Attribute the output of `vtysh -E -c configure -c <cmd1> -c <cmd2> ...` to the commands: with
 * `-E` vtysh echoes every command after its prompt (`host(config-router)# <cmd>`), so everything
 * between two echoes was printed for the first of them. Messages before the first file command
 * (or for `configure` itself) get no line. Note: in `-c` mode vtysh stops at the first hard error,
 * so this is used only to place messages that `-f` printed without a line number.
 */
export function attributeEchoOutput(
  output: string,
  commands: readonly { line: number; text: string }[],
): VtyshProblem[] {
  const attributed: VtyshProblem[] = [];
  let next = 0;
  let current: { line: number; text: string } | undefined;
  for (const raw of output.split("\n")) {
    const text = raw.trimEnd();
    if (text.trim() === "") continue;
    const expected = commands[next];
    if (expected !== undefined && text.endsWith(`# ${expected.text}`)) {
      current = expected;
      next++;
      continue;
    }
    if (current === undefined && /# configure$/.test(text)) continue;
    attributed.push(
      current === undefined ? { message: text } : { line: current.line, source: current.text, message: text },
    );
  }
  return attributed;
}

/** Human-readable list of problems, one per line. */
export function formatProblems(problems: readonly VtyshProblem[]): string {
  return problems
    .map((p) =>
      p.line === undefined ? `  ${p.message}` : `  line ${p.line} [${p.source ?? "?"}]: ${p.message}`,
    )
    .join("\n");
}

/**
 * A top-level item of a running configuration: a single line (`ip prefix-list ...`) or a block
 * (`router bgp 64512` plus its indented body and closing `exit`).
 */
export interface ConfigItem {
  header: string;
  /** Header plus body, as printed; used to compare items. */
  text: string;
}

const IGNORED_TOP_LEVEL = [/^Building configuration/, /^Current configuration:/, /^frr version /, /^end$/];
const BLOCK_ENDS = new Set(["exit", "exit-vrf"]);

/** Split `show running-config` output into top-level items, in order. */
export function configItems(runningConfig: string): ConfigItem[] {
  const items: ConfigItem[] = [];
  let current: { header: string; lines: string[] } | undefined;
  const flush = () => {
    if (current !== undefined) items.push({ header: current.header, text: current.lines.join("\n") });
    current = undefined;
  };
  for (const raw of runningConfig.split("\n")) {
    const line = raw.trimEnd();
    if (line === "") continue;
    const indented = /^\s/.test(line);
    if (line === "!" || line === "end") {
      flush(); // top-level separators end any item, and belong to none
      continue;
    }
    if (indented || BLOCK_ENDS.has(line)) {
      current?.lines.push(line); // body lines and a block's closing line belong to the open block
      if (!indented) flush();
      continue;
    }
    flush();
    if (IGNORED_TOP_LEVEL.some((re) => re.test(line))) continue;
    current = { header: line, lines: [line] };
  }
  flush();
  return items;
}

/** Deletion order: VRF BGP instances before the default one (FRR refuses otherwise), VRFs last. */
function undoRank(header: string): number {
  if (/^router bgp \S+ vrf /.test(header)) return 0;
  if (header.startsWith("router bgp")) return 1;
  if (header.startsWith("vrf ") || header.startsWith("interface ")) return 3;
  return 2;
}

/** The command that removes a top-level line or block: `no X`, or `X` for a line `no X`. */
export function negate(header: string): string {
  return header.startsWith("no ") ? header.slice(3) : `no ${header}`;
}

/**
 * The command that removes a top-level item completely. Route-maps and prefix-lists are removed
 * by name, not entry by entry: `no route-map X permit 1` leaves an empty route-map X behind in the
 * daemons (invisible in `show running-config`), and bgpd then no longer warns that a referenced
 * route-map X does not exist, so results would depend on the previous scenario.
 */
export function removal(header: string): string {
  const routeMap = /^route-map (\S+) (?:permit|deny) \d+$/.exec(header);
  if (routeMap !== null) return `no route-map ${routeMap[1] ?? ""}`;
  const prefixList = /^(ip|ipv6) prefix-list (\S+) /.exec(header);
  if (prefixList !== null) return `no ${prefixList[1] ?? ""} prefix-list ${prefixList[2] ?? ""}`;
  return negate(header);
}

/**
 * Commands (for one `vtysh -f` file) that turn running configuration `current` back into
 * `baseline`: remove every item that is not in the baseline verbatim, then re-add the baseline
 * items that are missing. Callers must verify the result (`show running-config` equal to the
 * baseline) and fall back to a daemon restart, because `no <header>` is not a universal undo.
 */
export function undoCommands(current: string, baseline: string): string[] {
  const base = configItems(baseline);
  const baseTexts = new Set(base.map((i) => i.text));
  const cur = configItems(current);
  const curTexts = new Set(cur.map((i) => i.text));
  const removals = cur
    .filter((i) => !baseTexts.has(i.text))
    .map((i) => i.header)
    .sort((a, b) => undoRank(a) - undoRank(b));
  const restores = base.filter((i) => !curTexts.has(i.text)).flatMap((i) => i.text.split("\n"));
  return [...new Set(removals.map(removal)), ...restores];
}

/** True when both running configurations have the same items (order-insensitive). */
export function sameConfig(a: string, b: string): boolean {
  const key = (s: string) =>
    configItems(s)
      .map((i) => i.text)
      .sort()
      .join("\n");
  return key(a) === key(b);
}

/** The `router bgp ...` header lines of a configuration file, in order. */
export function bgpRouterHeaders(configText: string): string[] {
  return configText
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.startsWith("router bgp "));
}
