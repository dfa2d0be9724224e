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

export function renderFrrConfig(model: FrrModel): string {
  const counters = new Counters();
  const filters = model.routers.flatMap((r) =>
    r.neighbors.flatMap((n) => renderNeighborFilters(n, model.alwaysBlock, counters)),
  );
  const lines = [
    ...header(model),
    ...filters,
    ...vrfVniBindings(model),
    ...model.routers.flatMap(renderRouter),
    ...model.routers.flatMap(renderImports),
    ...renderBfd(model.bfdProfiles),
    ...rawConfig(model),
  ];
  return `${lines.join("\n")}\n`;
}
