// Arbitraries for realistic FRRConfiguration sets. Every attribute of a shared neighbor, BFD
// profile, VNI or local preference comes from one canonical table, and each configuration only
// chooses whether to set it, so configurations overlap heavily (same neighbors, prefixes and
// profiles across configs, different spellings of the same address) and yet merge cleanly:
// the generated sets are valid unless a test injects a fault on purpose.
import fc from "fast-check";
import type {
  BFDProfile,
  EVPNConfig,
  FRRConfiguration,
  LabelSelector,
  Neighbor,
  PrefixSelector,
  Router,
} from "../../src/api/types.ts";
import type { PipelineOptions, SecretObject } from "../../src/core/snapshot.ts";
import { HOSTNAME_LABEL, NODE } from "./support.ts";

export const NAMESPACES = ["frr-k8s-system", "tenant-a"] as const;
export const DAEMON_NS = NAMESPACES[0];

type Family = "ipv4" | "ipv6" | "dual";

interface PeerSpec {
  /** Address spellings (all the same address) or an interface name. */
  spellings: readonly string[];
  isInterface?: boolean;
  family: Family;
  dualStack?: boolean;
  asn: number | "internal" | "external";
  port?: number;
  timers?: readonly [hold: string, keepalive: string];
  connectTime?: string;
  password?: string;
  sourceaddress?: string;
  bfdProfile?: string;
  ebgpMultiHop?: boolean;
  gracefulRestart?: boolean;
  localASN?: number;
  nextHopV4?: string;
  nextHopV6?: string;
}

/** Routers of one VRF always share the ASN; "blue" is the L3VNI VRF and never has neighbors. */
const VRF_ASN: Readonly<Record<string, number>> = { "": 64512, red: 64512, blue: 4200000000 };
const VRF_ID: Readonly<Record<string, string>> = { "": "10.0.0.1", red: "10.0.0.2", blue: "10.0.0.3" };

export const PASSWORD_MARK = "S3cr3t";

export const PEERS: readonly PeerSpec[] = [
  {
    spellings: ["192.0.2.1"],
    family: "ipv4",
    asn: 65001,
    port: 180,
    timers: ["90s", "30s"],
    password: `${PASSWORD_MARK}-peer0`,
    bfdProfile: "fast",
    localASN: 64999,
    nextHopV4: "192.0.2.254",
  },
  {
    spellings: ["192.0.2.2"],
    family: "ipv4",
    asn: 64512,
    port: 179,
    ebgpMultiHop: false,
    gracefulRestart: true,
    connectTime: "5s",
    sourceaddress: "10.0.0.9",
  },
  {
    spellings: ["2001:db8::1", "2001:DB8:0::1", "2001:0db8::0001"],
    family: "ipv6",
    asn: "external",
    bfdProfile: "slow",
    nextHopV6: "2001:db8::fe",
    password: `${PASSWORD_MARK}_peer2!`,
    ebgpMultiHop: true,
    timers: ["3s", "1s"],
  },
  {
    spellings: ["2001:db8::2", "2001:DB8::2"],
    family: "dual",
    dualStack: true,
    asn: 65002,
    localASN: 65100,
    timers: ["0s", "0s"],
    nextHopV4: "192.0.2.253",
    nextHopV6: "2001:db8::fd",
    gracefulRestart: false,
  },
  {
    spellings: ["eth1"],
    isInterface: true,
    family: "dual",
    asn: "internal",
    port: 1790,
    bfdProfile: "multi",
    connectTime: "1m",
    password: `${PASSWORD_MARK}.peer4`,
  },
  {
    spellings: ["198.51.100.7"],
    family: "ipv4",
    asn: 4200000001,
    timers: ["180s", "60s"],
    sourceaddress: "eth0",
    ebgpMultiHop: true,
  },
];

export const BFD_PROFILES: readonly BFDProfile[] = [
  { name: "fast", receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3 },
  { name: "slow", receiveInterval: 1000, echoMode: true, echoInterval: 100 },
  { name: "multi", minimumTtl: 10, passiveMode: true, echoMode: false },
  { name: "spare", detectMultiplier: 5 },
];

interface PrefixSpec {
  spellings: readonly string[];
  family: "ipv4" | "ipv6";
  localPref: number;
}

export const PREFIXES: readonly PrefixSpec[] = [
  { spellings: ["10.0.0.0/24"], family: "ipv4", localPref: 100 },
  { spellings: ["10.0.1.0/24"], family: "ipv4", localPref: 200 },
  { spellings: ["192.168.0.0/16"], family: "ipv4", localPref: 100 },
  { spellings: ["172.16.5.0/24"], family: "ipv4", localPref: 0 },
  { spellings: ["2001:db8:a::/64", "2001:DB8:A:0::/64"], family: "ipv6", localPref: 300 },
  { spellings: ["2001:db8:b::/64", "2001:0db8:000b::/64"], family: "ipv6", localPref: 100 },
  { spellings: ["fd00::/8"], family: "ipv6", localPref: 4294967295 },
];

export const COMMUNITIES = ["65000:100", "065000:0100", "65000:200", "large:1:2:3", "0:0"] as const;

const SELECTORS: readonly PrefixSelector[] = [
  { prefix: "10.10.0.0/16" },
  { prefix: "10.10.0.0/16", le: 24 },
  { prefix: "10.20.0.0/16", ge: 20, le: 24 },
  { prefix: "10.20.0.0/16", ge: 24 },
  { prefix: "0.0.0.0/0", le: 32 },
  { prefix: "2001:db8:100::/48", le: 64 },
  { prefix: "2001:DB8:100::/48", ge: 56, le: 64 },
  { prefix: "::/0", ge: 128 },
];

const L2VNIS = [
  { vni: 100, rd: "65000:100", importRTs: ["65000:100", "65001:100"], exportRTs: ["65000:100"] },
  { vni: 200, rd: "192.0.2.1:200", importRTs: [], exportRTs: [] },
  { vni: 300, rd: undefined, importRTs: [], exportRTs: [] },
] as const;

/** Pick the entries of `pool` whose flag is set (flags shorter than the pool leave the rest out). */
function pick<T>(pool: readonly T[], flags: readonly boolean[]): T[] {
  return pool.filter((_, i) => flags[i] === true);
}

const flags = (n: number): fc.Arbitrary<boolean[]> => fc.array(fc.boolean(), { minLength: n, maxLength: n });

/** Which optional attributes of its canonical peer a configuration sets. */
const neighborChoiceArb = fc.record({
  spelling: fc.nat({ max: 2 }),
  set: flags(13),
  password: fc.constantFrom("inline", "secret-string", "secret-data", "secret-other-ns-ref"),
  advertise: fc.constantFrom("none", "all", "filtered"),
  advertised: flags(PREFIXES.length),
  localPref: fc.boolean(),
  communities: fc.array(flags(PREFIXES.length), {
    minLength: COMMUNITIES.length,
    maxLength: COMMUNITIES.length,
  }),
  receive: fc.constantFrom("none", "all", "filtered"),
  selectors: flags(SELECTORS.length),
  addressFamilies: fc.constantFrom(
    undefined,
    ["unicast"],
    ["unicast", "evpn"],
    ["evpn", "unicast"],
    ["evpn"],
  ),
  prefixSpelling: fc.nat({ max: 1 }),
});

const routerChoiceArb = fc.record({
  peers: flags(PEERS.length),
  duplicatePeer: fc.option(fc.nat({ max: PEERS.length - 1 }), { nil: undefined }),
  neighbors: fc.array(neighborChoiceArb, { minLength: PEERS.length, maxLength: PEERS.length }),
  prefixes: flags(PREFIXES.length),
  prefixSpelling: fc.nat({ max: 1 }),
  setId: fc.boolean(),
  importOther: fc.boolean(),
  split: fc.boolean(),
});

const evpnChoiceArb = fc.record({
  advertiseVNIs: fc.constantFrom(undefined, "All" as const),
  advertiseSVI: fc.constantFrom(undefined, true),
  l2vnis: flags(L2VNIS.length),
  rts: flags(3),
});

const l3vniChoiceArb = fc.record({ rd: fc.boolean(), rts: flags(2) });

const selectorChoiceArb = fc.constantFrom("none", "empty", "hostname", "exists", "in", "other-node");

export interface ConfigOptions {
  /** Allow `spec.raw` (raw snippets are all kept, so a copy of a configuration adds its raw text again). */
  raw?: boolean;
  /** Allow configurations whose nodeSelector does not match the node. */
  unselected?: boolean;
}

const configChoiceArb = (opts: ConfigOptions) =>
  fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    vrfs: flags(3),
    routers: fc.array(routerChoiceArb, { minLength: 2, maxLength: 2 }),
    blue: fc.record({
      prefixes: flags(PREFIXES.length),
      l3vni: fc.option(l3vniChoiceArb, { nil: undefined }),
      setId: fc.boolean(),
    }),
    evpn: fc.option(evpnChoiceArb, { nil: undefined }),
    extraProfiles: flags(BFD_PROFILES.length),
    selector: opts.unselected ? selectorChoiceArb : selectorChoiceArb.filter((s) => s !== "other-node"),
    raw: opts.raw
      ? fc.option(fc.record({ priority: fc.constantFrom(-1, 0, 5), line: fc.nat({ max: 3 }) }), {
          nil: undefined,
        })
      : fc.constant(undefined),
  });

type ConfigChoice = ReturnType<typeof configChoiceArb> extends fc.Arbitrary<infer T> ? T : never;
type RouterChoice = ConfigChoice["routers"][number];
type NeighborChoiceValue = RouterChoice["neighbors"][number];

function familyAllows(peer: Family, prefix: "ipv4" | "ipv6"): boolean {
  return peer === "dual" || peer === prefix;
}

function secretName(peerIndex: number, kind: "string" | "data"): string {
  return `peer${peerIndex}-${kind}`;
}

/** Secrets for every peer password, in both namespaces, as stringData and as base64 data. */
export function peerSecrets(): SecretObject[] {
  return NAMESPACES.flatMap((namespace) =>
    PEERS.flatMap((peer, index) =>
      peer.password === undefined
        ? []
        : [
            {
              metadata: { name: secretName(index, "string"), namespace },
              type: "kubernetes.io/basic-auth",
              stringData: { username: "ignored", password: peer.password },
            },
            {
              metadata: { name: secretName(index, "data"), namespace },
              type: "kubernetes.io/basic-auth",
              data: { password: Buffer.from(peer.password, "utf8").toString("base64") },
            },
          ],
    ),
  );
}

function passwordFields(peer: PeerSpec, index: number, choice: NeighborChoiceValue): Partial<Neighbor> {
  if (peer.password === undefined) return {};
  switch (choice.password) {
    case "inline":
      return { password: peer.password };
    case "secret-string":
      return { passwordSecret: { name: secretName(index, "string") } };
    case "secret-data":
      return { passwordSecret: { name: secretName(index, "data") } };
    default:
      return { passwordSecret: { name: secretName(index, "data"), namespace: DAEMON_NS } };
  }
}

interface RouterScope {
  vrf: string;
  /** Canonical-able prefix spellings this configuration declares for the router (own + imports). */
  advertisable: readonly number[];
}

function advertiseOf(
  peer: PeerSpec,
  choice: NeighborChoiceValue,
  scope: RouterScope,
): Neighbor["toAdvertise"] {
  if (choice.advertise === "none") return undefined;
  const usable = scope.advertisable.filter((i) => familyAllows(peer.family, PREFIXES[i]!.family));
  const advertised =
    choice.advertise === "all" ? usable : usable.filter((i) => choice.advertised[i] === true);
  const spell = (i: number): string => {
    const spellings = PREFIXES[i]!.spellings;
    return spellings[choice.prefixSpelling % spellings.length]!;
  };
  const byPref = new Map<number, string[]>();
  if (choice.localPref) {
    for (const i of advertised)
      byPref.set(PREFIXES[i]!.localPref, [...(byPref.get(PREFIXES[i]!.localPref) ?? []), spell(i)]);
  }
  const withCommunity = COMMUNITIES.flatMap((community, c) => {
    const prefixes = advertised.filter((i) => choice.communities[c]?.[i] === true).map(spell);
    return prefixes.length > 0 ? [{ community, prefixes }] : [];
  });
  return {
    allowed:
      choice.advertise === "all"
        ? { mode: "all", ...(choice.set[10] === true && { prefixes: advertised.map(spell) }) }
        : { prefixes: advertised.map(spell), mode: "filtered" },
    ...(byPref.size > 0 && {
      withLocalPref: [...byPref].map(([localPref, prefixes]) => ({ localPref, prefixes })),
    }),
    ...(withCommunity.length > 0 && { withCommunity }),
    ...(choice.set[11] === true && {
      nextHop: {
        ...(peer.nextHopV4 !== undefined && { ipv4: peer.nextHopV4 }),
        ...(peer.nextHopV6 !== undefined && { ipv6: peer.nextHopV6 }),
      },
    }),
  };
}

function receiveOf(choice: NeighborChoiceValue): Neighbor["toReceive"] {
  if (choice.receive === "none") return undefined;
  if (choice.receive === "all") return { allowed: { mode: "all" } };
  return { allowed: { prefixes: pick(SELECTORS, choice.selectors).map((s) => ({ ...s })) } };
}

function neighborOf(index: number, choice: NeighborChoiceValue, scope: RouterScope): Neighbor {
  const peer = PEERS[index]!;
  const set = (bit: number): boolean => choice.set[bit] === true;
  const where = peer.spellings[choice.spelling % peer.spellings.length]!;
  const advertise = advertiseOf(peer, choice, scope);
  const receive = receiveOf(choice);
  return {
    ...(peer.isInterface ? { interface: where } : { address: where }),
    ...(typeof peer.asn === "number" ? { asn: peer.asn } : { dynamicASN: peer.asn }),
    ...(peer.dualStack !== undefined && { dualStackAddressFamily: peer.dualStack }),
    ...(set(0) && peer.port !== undefined && { port: peer.port }),
    ...(set(1) && peer.timers !== undefined && { holdTime: peer.timers[0], keepaliveTime: peer.timers[1] }),
    ...(set(2) && peer.connectTime !== undefined && { connectTime: peer.connectTime }),
    ...(set(3) ? passwordFields(peer, index, choice) : {}),
    ...(set(4) && peer.sourceaddress !== undefined && { sourceaddress: peer.sourceaddress }),
    ...(set(5) && peer.bfdProfile !== undefined && { bfdProfile: peer.bfdProfile }),
    ...(set(6) && peer.ebgpMultiHop !== undefined && { ebgpMultiHop: peer.ebgpMultiHop }),
    ...(set(7) && peer.gracefulRestart !== undefined && { enableGracefulRestart: peer.gracefulRestart }),
    ...(set(8) && peer.localASN !== undefined && { localASN: peer.localASN }),
    ...(set(9) && { disableMP: true }),
    ...(choice.addressFamilies !== undefined && { addressFamilies: [...choice.addressFamilies] }),
    ...(advertise !== undefined && { toAdvertise: advertise }),
    ...(receive !== undefined && { toReceive: receive }),
  };
}

/** A bare second entry for the same peer in the same router: it must merge into the first. */
function duplicateOf(index: number): Neighbor {
  const peer = PEERS[index]!;
  const where = peer.spellings.at(-1)!;
  return {
    ...(peer.isInterface ? { interface: where } : { address: where }),
    ...(typeof peer.asn === "number" ? { asn: peer.asn } : { dynamicASN: peer.asn }),
    ...(peer.dualStack !== undefined && { dualStackAddressFamily: peer.dualStack }),
  };
}

function prefixSpelling(i: number, choice: number): string {
  const spellings = PREFIXES[i]!.spellings;
  return spellings[choice % spellings.length]!;
}

function evpnOf(choice: NonNullable<ConfigChoice["evpn"]>): EVPNConfig {
  const l2vnis = pick([...L2VNIS], choice.l2vnis).map((v) => ({
    vni: v.vni,
    ...(v.rd !== undefined && { rd: v.rd }),
    // explicit route targets stay explicit in every configuration (never mixed with implicit)
    ...(v.importRTs.length > 0 && {
      importRTs: [...v.importRTs.filter((_, i) => choice.rts[i] !== false), v.importRTs[0]!],
    }),
    ...(v.exportRTs.length > 0 && { exportRTs: [...v.exportRTs] }),
  }));
  // FRR takes an RD or route targets on an L2VNI only with advertise-all-vni.
  const needsAll = l2vnis.some(
    (v) => v.rd !== undefined || v.importRTs !== undefined || v.exportRTs !== undefined,
  );
  const advertiseVNIs = needsAll ? "All" : choice.advertiseVNIs;
  return {
    ...(advertiseVNIs !== undefined && { advertiseVNIs }),
    ...(choice.advertiseSVI !== undefined && { advertiseSVI: choice.advertiseSVI }),
    ...(l2vnis.length > 0 && { l2vnis }),
  };
}

function neighborRouter(
  vrf: string,
  choice: RouterChoice,
  vrfsInConfig: readonly string[],
  evpn?: EVPNConfig,
): Router[] {
  const own = PREFIXES.map((_, i) => i).filter((i) => choice.prefixes[i] === true);
  const other = vrf === "" ? "red" : "";
  const importing = choice.importOther && vrfsInConfig.includes(other);
  // Imported prefixes are advertisable only through the import's own router prefixes; the
  // generator declares them in that router, so only own prefixes are offered here.
  const scope: RouterScope = { vrf, advertisable: own };
  const peers = PEERS.map((_, i) => i).filter((i) => choice.peers[i] === true);
  const neighbors = peers.map((i) => neighborOf(i, choice.neighbors[i]!, scope));
  if (choice.duplicatePeer !== undefined && peers.includes(choice.duplicatePeer)) {
    neighbors.push(duplicateOf(choice.duplicatePeer));
  }
  const hasEvpnPeer = neighbors.some((n) => n.addressFamilies?.includes("evpn") === true);
  const base = {
    asn: VRF_ASN[vrf]!,
    ...(vrf !== "" && { vrf }),
    ...(choice.setId && { id: VRF_ID[vrf]! }),
    ...(importing && { imports: [{ vrf: other === "" ? "default" : other }] }),
  };
  const prefixes = own.map((i) => prefixSpelling(i, choice.prefixSpelling));
  const evpnPart = evpn && hasEvpnPeer ? { evpn } : {};
  if (!choice.split || neighbors.length < 2) {
    return [
      {
        ...base,
        ...(neighbors.length > 0 && { neighbors }),
        ...(prefixes.length > 0 && { prefixes }),
        ...evpnPart,
      },
    ];
  }
  const half = Math.ceil(neighbors.length / 2);
  return [
    {
      ...base,
      neighbors: neighbors.slice(0, half),
      ...(prefixes.length > 0 && { prefixes: prefixes.slice(0, 2) }),
      ...evpnPart,
    },
    {
      ...base,
      neighbors: neighbors.slice(half),
      ...(prefixes.length > 2 && { prefixes: prefixes.slice(2) }),
    },
  ];
}

function blueRouter(choice: ConfigChoice["blue"]): Router {
  const prefixes = PREFIXES.map((_, i) => i)
    .filter((i) => choice.prefixes[i] === true)
    .map((i) => prefixSpelling(i, 0));
  const l3 = choice.l3vni;
  return {
    asn: VRF_ASN["blue"]!,
    vrf: "blue",
    ...(choice.setId && { id: VRF_ID["blue"]! }),
    ...(prefixes.length > 0 && { prefixes }),
    ...(l3 && {
      evpn: {
        l3vni: {
          vni: 5000,
          advertisePrefixes: ["unicast"],
          ...(l3.rd && { rd: "65000:5000" }),
          importRTs: l3.rts[0] === true ? ["65000:5000", "65002:5000"] : ["65000:5000"],
          exportRTs: l3.rts[1] === true ? ["65000:5000", "65001:5000"] : ["65000:5000"],
        },
      },
    }),
  };
}

function selectorOf(choice: ConfigChoice["selector"]): LabelSelector | undefined {
  switch (choice) {
    case "none":
      return undefined;
    case "empty":
      return {};
    case "hostname":
      return { matchLabels: { [HOSTNAME_LABEL]: NODE } };
    case "exists":
      return { matchExpressions: [{ key: HOSTNAME_LABEL, operator: "Exists" }] };
    case "in":
      return { matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: ["node-0", NODE] }] };
    default:
      return { matchLabels: { [HOSTNAME_LABEL]: "node-2" } };
  }
}

const RAW_LINES = [
  "ip prefix-list raw-a seq 5 permit 10.99.0.0/16",
  "ip prefix-list raw-b seq 5 permit 10.98.0.0/16\nroute-map raw-b permit 10\n match ip address prefix-list raw-b\nexit",
  "! just a comment\n",
  "bfd\n profile raw\n exit\nexit",
];

function configOf(name: string, choice: ConfigChoice): FRRConfiguration {
  const vrfs = ["", "red", "blue"].filter((_, i) => choice.vrfs[i] === true);
  const used = vrfs.length > 0 ? vrfs : [""];
  const evpn = choice.evpn && evpnOf(choice.evpn);
  const routers = used.flatMap((vrf) =>
    vrf === "blue"
      ? [blueRouter(choice.blue)]
      : neighborRouter(vrf, choice.routers[vrf === "" ? 0 : 1]!, used, vrf === "" ? evpn : undefined),
  );
  const referenced = new Set(
    routers.flatMap((r) => (r.neighbors ?? []).flatMap((n) => (n.bfdProfile ? [n.bfdProfile] : []))),
  );
  const bfdProfiles = BFD_PROFILES.filter(
    (p, i) => referenced.has(p.name) || choice.extraProfiles[i] === true,
  ).map((p) => ({ ...p }));
  const nodeSelector = selectorOf(choice.selector);
  return {
    apiVersion: "frrk8s.metallb.io/v1beta1",
    kind: "FRRConfiguration",
    metadata: { name, namespace: choice.namespace },
    spec: {
      bgp: { routers, ...(bfdProfiles.length > 0 && { bfdProfiles }) },
      ...(nodeSelector !== undefined && { nodeSelector }),
      ...(choice.raw && { raw: { priority: choice.raw.priority, rawConfig: RAW_LINES[choice.raw.line]! } }),
    },
  };
}

/** One realistic, valid FRRConfiguration named `name`. */
export function validConfigArb(name: string, opts: ConfigOptions = {}): fc.Arbitrary<FRRConfiguration> {
  return configChoiceArb(opts).map((choice) => configOf(name, choice));
}

/** A set of realistic configurations with distinct names that merge without conflicts. */
export function validConfigSetArb(
  opts: ConfigOptions & { minLength?: number; maxLength?: number } = {},
): fc.Arbitrary<FRRConfiguration[]> {
  return fc
    .array(configChoiceArb(opts), { minLength: opts.minLength ?? 1, maxLength: opts.maxLength ?? 5 })
    .map((choices) => choices.map((choice, i) => configOf(`cfg-${String(i).padStart(2, "0")}`, choice)));
}

export const optionsArb: fc.Arbitrary<Partial<PipelineOptions>> = fc.record(
  {
    logLevel: fc.constantFrom("info", "debug", "all", "warn", "error", "none"),
    alwaysBlock: fc.constantFrom(["192.168.100.0/24"], ["192.168.100.0/24", "fc00::/7"], []),
    ipv6OnlyNode: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** A deep copy renamed (and so a different object for the pipeline). */
export function renamed(config: FRRConfiguration, name: string): FRRConfiguration {
  const copy = structuredClone(config);
  copy.metadata = { ...copy.metadata, name };
  return copy;
}
