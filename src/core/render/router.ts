// The `router bgp` block of one VRF.
import type { EvpnModel, RouterModel, VniModel } from "../model.ts";
import { activatesUnicast, activationLines, peerToken, sessionLines } from "./neighbor.ts";

const indent = (lines: string[], by = " "): string[] => lines.map((l) => by + l);

function unicastFamily(router: RouterModel, family: "ipv4" | "ipv6"): string[] {
  const prefixes = family === "ipv4" ? router.ipv4Prefixes : router.ipv6Prefixes;
  const body = [
    ...prefixes.map((p) => `network ${p}`),
    ...router.neighbors.filter((n) => activatesUnicast(n, family)).flatMap(activationLines),
  ];
  if (body.length === 0) return [];
  return ["!", `address-family ${family} unicast`, ...indent(body), "exit-address-family"];
}

const routerHeader = (router: RouterModel): string =>
  router.vrf ? `router bgp ${router.asn} vrf ${router.vrf}` : `router bgp ${router.asn}`;

/**
 * `import vrf X` creates X's BGP instance (with the importing router's AS) when it does not exist
 * yet, so imports are written after every router, reopening each importing one.
 */
export function renderImports(router: RouterModel): string[] {
  if (router.importVrfs.length === 0) return [];
  const family = (afi: string): string[] => [
    `address-family ${afi} unicast`,
    ...indent(router.importVrfs.map((vrf) => `import vrf ${vrf}`)),
    "exit-address-family",
  ];
  return [routerHeader(router), ...indent([...family("ipv4"), ...family("ipv6")]), "exit", "!"];
}

function vniLines(vni: VniModel): string[] {
  return [
    ...(vni.rd === undefined ? [] : [`rd ${vni.rd}`]),
    ...vni.importRts.map((rt) => `route-target import ${rt}`),
    ...vni.exportRts.map((rt) => `route-target export ${rt}`),
  ];
}

function evpnFamily(router: RouterModel, evpn: EvpnModel): string[] {
  // An L2VNI without RD or route targets needs no block: FRR derives everything itself.
  const l2 = evpn.l2vnis.filter((v) => v.rd !== undefined || v.importRts.length + v.exportRts.length > 0);
  const l3 = evpn.l3vni;
  const body = [
    ...router.neighbors
      .filter((n) => n.addressFamilies.includes("evpn"))
      .map((n) => `neighbor ${peerToken(n)} activate`),
    ...(evpn.advertiseVnis === "All" ? ["advertise-all-vni"] : []),
    ...(evpn.advertiseSvi ? ["advertise-svi-ip"] : []),
    ...l2.flatMap((v) => [`vni ${v.vni}`, ...indent(vniLines(v)), "exit-vni"]),
    ...(l3
      ? [
          ...(l3.advertisePrefixes.includes("unicast")
            ? ["advertise ipv4 unicast", "advertise ipv6 unicast"]
            : []),
          ...vniLines(l3),
        ]
      : []),
  ];
  return ["!", "address-family l2vpn evpn", ...indent(body), "exit-address-family"];
}

export function renderRouter(router: RouterModel): string[] {
  const header = routerHeader(router);
  const body = [
    "no bgp ebgp-requires-policy",
    "no bgp network import-check",
    "no bgp default ipv4-unicast",
    "bgp graceful-restart preserve-fw-state",
    ...(router.id === undefined ? [] : [`bgp router-id ${router.id}`]),
    ...router.neighbors.flatMap((n) => sessionLines(n, router)),
    ...unicastFamily(router, "ipv4"),
    ...unicastFamily(router, "ipv6"),
    ...(router.evpn ? evpnFamily(router, router.evpn) : []),
  ];
  return [header, ...indent(body), "exit", "!"];
}
