// Generated FRR object names (route-maps, prefix-lists) belong to one BGP session: two distinct
// sessions must never share them, or one session's policy silently applies to the other.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { FRRConfiguration, Router } from "../../src/api/types.ts";
import { computeNodeConfig } from "../../src/core/pipeline.ts";
import { runOptions, snapshotOf } from "./support.ts";

/** Route-map name → the sessions (`vrf/peer`) that use it, read back from frr.conf. */
function routeMapUsers(frrConfig: string): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>();
  let vrf = "";
  for (const line of frrConfig.split("\n")) {
    const router = /^router bgp \S+(?: vrf (\S+))?$/.exec(line);
    if (router) vrf = router[1] ?? "";
    const use = /^ {2}neighbor (\S+) route-map (\S+) (?:in|out)$/.exec(line);
    if (use) users.set(use[2]!, (users.get(use[2]!) ?? new Set()).add(`${vrf}/${use[1]!}`));
  }
  return users;
}

const VRFS = ["", "red", "blue"] as const;
const INTERFACES = ["eth0", "eth0-red", "eth0-blue", "eth1", "eth1-red", "red"] as const;

const sessionsArb = fc.uniqueArray(
  fc.record({
    iface: fc.constantFrom(...INTERFACES),
    vrf: fc.constantFrom(...VRFS),
    asn: fc.integer({ min: 65001, max: 65004 }),
  }),
  { minLength: 1, maxLength: 6, selector: (s) => `${s.vrf}/${s.iface}` },
);

function configOf(sessions: readonly { iface: string; vrf: string; asn: number }[]): FRRConfiguration {
  const routers: Router[] = VRFS.flatMap((vrf) => {
    const neighbors = sessions.filter((s) => s.vrf === vrf).map((s) => ({ interface: s.iface, asn: s.asn }));
    return neighbors.length === 0 ? [] : [{ asn: 64512, ...(vrf !== "" && { vrf }), neighbors }];
  });
  return { metadata: { name: "sessions", namespace: "frr-k8s-system" }, spec: { bgp: { routers } } };
}

// Found by this property (upstream's naming scheme): the neighbor ID is `<interface>-<vrf>`, so
// interface `eth0` in VRF `red` and interface `eth0-red` in the default VRF would share
// `eth0-red-in` / `eth0-red-out`. The core now refuses that (NEIGHBOR_ID_COLLISION).
test("distinct sessions never share a generated route-map (or an error is reported)", () => {
  fc.assert(
    fc.property(sessionsArb, (sessions) => {
      const result = computeNodeConfig(snapshotOf([configOf(sessions)]));
      if (result.frrConfig === undefined) return;
      for (const [name, users] of routeMapUsers(result.frrConfig)) {
        assert.equal(users.size, 1, `route-map ${name} is shared by ${[...users].join(", ")}`);
      }
    }),
    runOptions(300),
  );
});
