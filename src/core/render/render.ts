// FrrModel → frr.conf text: deterministic, one trailing newline, in the order FRR needs
// (filters before the routers that reference them).
import type { FrrModel } from "../model.ts";
import { renderBfd } from "./bfd.ts";
import { Counters } from "./counters.ts";
import { renderNeighborFilters } from "./filters.ts";
import { renderImports, renderRouter } from "./router.ts";

const DEBUG_LINES = [
  "debug zebra events",
  "debug zebra nht",
  "debug zebra kernel",
  "debug zebra rib",
  "debug zebra nexthop",
  "debug bgp neighbor-events",
  "debug bgp updates",
  "debug bgp keepalives",
  "debug bgp nht",
  "debug bgp zebra",
  "debug bfd network",
  "debug bfd peer",
  "debug bfd zebra",
];

function header(model: FrrModel): string[] {
  return [
    `log stdout ${model.logLevel}`,
    "log timestamp precision 3",
    ...(model.logLevel === "debugging" ? DEBUG_LINES : []),
    `hostname ${model.hostname}`,
    "ip nht resolve-via-default",
    "ipv6 nht resolve-via-default",
    "!",
  ];
}

function vrfVniBindings(model: FrrModel): string[] {
  return model.routers.flatMap((r) =>
    r.vrf && r.evpn?.l3vni ? [`vrf ${r.vrf}`, ` vni ${r.evpn.l3vni.vni}`, "exit-vrf", "!"] : [],
  );
}

function rawConfig(model: FrrModel): string[] {
  return model.rawSnippets.flatMap((s) => s.text.replace(/\n+$/, "").split("\n"));
}

/** The file as lines (no trailing empty line): what the apply path diffs and writes. */
export function renderFrrLines(model: FrrModel): string[] {
  const counters = new Counters();
  // One array for the whole file: large configs have hundreds of thousands of lines.
  const lines = header(model);
  for (const router of model.routers) {
    for (const neighbor of router.neighbors)
      renderNeighborFilters(neighbor, model.alwaysBlock, counters, lines);
  }
  const append = (part: readonly string[]): void => {
    for (const line of part) lines.push(line);
  };
  append(vrfVniBindings(model));
  for (const router of model.routers) append(renderRouter(router));
  for (const router of model.routers) append(renderImports(router));
  append(renderBfd(model.bfdProfiles));
  append(rawConfig(model));
  return lines;
}

export function renderFrrConfig(model: FrrModel): string {
  return `${renderFrrLines(model).join("\n")}\n`;
}
