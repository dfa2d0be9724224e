// Reusing the sections of earlier texts (tree-cache.ts, and the memos in diff.ts built on it)
// must never change a result: every tree equals parseFrrConfig of the whole text, and every plan
// equals the plan computed on freshly parsed trees (new objects: no memo can answer).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { asFrrShowsIt } from "./diff.ts";
import { environmentLine } from "./lines.ts";
import { parseFrrConfig, type ConfigBlock } from "./parse.ts";
import { planApply, planTrees, VIEW_DAEMONS, type ApplyPlan, type RunningViews } from "./plan.ts";
import { parseReusingSections, splitSections } from "./tree-cache.ts";

const GOLDEN = join(import.meta.dirname, "../../../test/golden");
const goldens: string[] = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .flatMap((dir) => {
    try {
      return [readFileSync(join(GOLDEN, dir, "frr.conf"), "utf8")];
    } catch {
      return []; // a case that renders no configuration (issues.json only)
    }
  });

/** Texts sharing most sections with `text`: each one with a different line or section left out. */
function variants(text: string): string[] {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 1; i < lines.length; i += Math.max(1, Math.floor(lines.length / 6))) {
    out.push([...lines.slice(0, i), ...lines.slice(i + 1)].join("\n"));
  }
  const sections = splitSections(text);
  if (sections.length > 2) out.push(sections.filter((_, i) => i !== 1).join(""));
  return out;
}

function freshPlan(rendered: string, running: RunningViews): ApplyPlan {
  const shown = (t: string): ConfigBlock => asFrrShowsIt(parseFrrConfig(t));
  const desired = shown(rendered);
  const trees = Object.fromEntries(VIEW_DAEMONS.map((d) => [d, shown(running[d])])) as Record<
    (typeof VIEW_DAEMONS)[number],
    ConfigBlock
  >;
  return planTrees({ ...desired, lines: desired.lines.filter((l) => !environmentLine(l)) }, trees);
}

const views = (bgpd: string, zebra = ""): RunningViews => ({ bgpd, zebra, staticd: "", bfdd: "" });

describe("parseReusingSections", () => {
  test("equals parseFrrConfig for every golden configuration and variants sharing its sections", () => {
    assert.ok(goldens.length > 100);
    for (const text of goldens) {
      for (const t of [text, ...variants(text), text])
        assert.deepEqual(parseReusingSections(t), parseFrrConfig(t));
    }
  });

  test("merges a header repeated in another section, root lines once, in first-occurrence order", () => {
    const text = `frr defaults traditional
router bgp 64512
 neighbor 192.0.2.1 remote-as 64513
 address-family ipv4 unicast
  network 10.0.0.0/24
 exit-address-family
exit
ip prefix-list a seq 1 permit 10.0.0.0/24
route-map rm permit 1
exit
ip prefix-list a seq 1 permit 10.0.0.0/24
router bgp 64512
 address-family ipv4 unicast
  import vrf red
  network 10.0.0.0/24
 exit-address-family
exit
router bgp 64512 vrf red
exit
`;
    assert.deepEqual(parseReusingSections(text), parseFrrConfig(text));
    const tree = parseReusingSections(text);
    assert.deepEqual(
      tree.blocks.map((b) => b.header),
      ["router bgp 64512", "route-map rm permit 1", "router bgp 64512 vrf red"],
    );
    assert.deepEqual(tree.blocks[0]?.blocks[0]?.lines, ["network 10.0.0.0/24", "import vrf red"]);
    assert.deepEqual(tree.lines, ["frr defaults traditional", "ip prefix-list a seq 1 permit 10.0.0.0/24"]);
  });

  test("raw config: unindented, indented top-level blocks, no exits, CRLF, no final newline, empty", () => {
    for (const text of [
      "route-map x permit 1\nset metric 5\nrouter bgp 1\nneighbor 192.0.2.9 remote-as 2\naddress-family ipv4 unicast\nnetwork 10.1.0.0/16",
      "  route-map x permit 1\r\n  set metric 5\r\n  ip prefix-list p seq 5 permit 10.0.0.0/8\r\nbfd\r\n profile p\r\n  detect-multiplier 5\r\n",
      "",
      "\n\n",
      "!\nend\n",
    ]) {
      assert.deepEqual(parseReusingSections(text), parseFrrConfig(text), JSON.stringify(text));
    }
  });

  test("shares the blocks of unchanged sections between texts, never a changed one", () => {
    const a = parseReusingSections(
      "route-map x permit 1\n set metric 1\nexit\nroute-map y permit 1\n set metric 2\nexit\n",
    );
    const b = parseReusingSections(
      "route-map x permit 1\n set metric 1\nexit\nroute-map y permit 1\n set metric 3\nexit\n",
    );
    assert.equal(b.blocks[0], a.blocks[0]);
    assert.notEqual(b.blocks[1], a.blocks[1]);
    assert.deepEqual(b.blocks[1]?.lines, ["set metric 3"]);
  });
});

describe("planApply with reused trees and diffs", () => {
  test("equals the plan on freshly parsed trees, golden to golden and golden to its variants", () => {
    let compared = 0;
    goldens.forEach((text, i) => {
      const next = goldens[(i + 1) % goldens.length] ?? "";
      for (const [desired, running] of [
        [next, views(text)],
        [text, views(next, text)],
        ...variants(text).map((v): [string, RunningViews] => [v, views(text)]),
        ...variants(text).map((v): [string, RunningViews] => [text, views(v)]),
      ] as [string, RunningViews][]) {
        assert.deepEqual(planApply(desired, running), freshPlan(desired, running));
        compared++;
      }
    });
    assert.ok(compared > 1000, `${compared} plans`);
  });
});
