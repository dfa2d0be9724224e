// The internal model handed from conversion to merge to rendering. The renderer never sees API
// types; every list here is sorted and de-duplicated by the time rendering starts.
import type { IpFamily } from "./ip.ts";
import type { ObjectRef } from "./issues.ts";

/** Where a value came from: the object and the field path inside it. */
export interface Origin {
  object: ObjectRef;
  path: string;
}

export type NeighborFamily = IpFamily | "dual";

export interface PrefixSelectorModel {
  prefix: string;
  family: IpFamily;
  le?: number;
  ge?: number;
}

/** Prefixes that get one `set` action: a local preference or a community. */
export interface PropertyList {
  family: IpFamily;
  action:
    { kind: "localPref"; value: number } | { kind: "community"; key: string; value: string; large: boolean };
  prefixes: string[];
  /** The withLocalPref / withCommunity entry that first declared this list. */
  origin: Origin;
}

export interface OutgoingModel {
  ipv4: string[];
  ipv6: string[];
  nextHopIpv4?: string;
  nextHopIpv6?: string;
  properties: PropertyList[];
}

export interface IncomingModel {
  all: boolean;
  ipv4: PrefixSelectorModel[];
  ipv6: PrefixSelectorModel[];
}

export interface TimersModel {
  /** Milliseconds as written; rendered in whole seconds. */
  holdTime?: number;
  keepaliveTime?: number;
  connectTime?: number;
}

export interface NeighborModel {
  /** Address or interface, with `-<vrf>` for a non-default VRF: the root of every generated name. */
  id: string;
  /** `<asn>@<address>` as upstream names neighbors in messages. */
  name: string;
  vrf: string;
  /** A number, `internal` or `external`. */
  asn: string;
  address?: string;
  interface?: string;
  family: NeighborFamily;
  port?: number;
  timers: TimersModel;
  password?: string;
  sourceAddress?: string;
  bfdProfile?: string;
  ebgpMultiHop?: boolean;
  gracefulRestart?: boolean;
  localAsn?: number;
  addressFamilies: string[];
  outgoing: OutgoingModel;
  incoming: IncomingModel;
  /** Which configuration first set each mergeable field, for conflict messages. */
  origins: Record<string, Origin>;
}

export interface VniModel {
  vni: number;
  /** The l2vnis[i] / l3vni entry that first declared it. */
  origin: Origin;
  rd?: string;
  importRts: string[];
  exportRts: string[];
}

export interface L3VniModel extends VniModel {
  advertisePrefixes: string[];
}

export interface EvpnModel {
  advertiseVnis?: "Disabled" | "All";
  advertiseSvi?: boolean;
  l2vnis: VniModel[];
  l3vni?: L3VniModel;
  origins: Record<string, Origin>;
}

export interface RouterModel {
  asn: number;
  id?: string;
  vrf: string;
  neighbors: NeighborModel[];
  ipv4Prefixes: string[];
  ipv6Prefixes: string[];
  importVrfs: string[];
  evpn?: EvpnModel;
  /** Some part failed conversion (and was reported): rules needing the whole router are skipped. */
  incomplete?: boolean;
  origins: Record<string, Origin>;
}

export interface BfdProfileModel {
  name: string;
  receiveInterval?: number;
  transmitInterval?: number;
  detectMultiplier?: number;
  echoInterval?: number;
  echoMode?: boolean;
  passiveMode?: boolean;
  minimumTtl?: number;
  origin: Origin;
}

export interface RawSnippet {
  priority: number;
  configName: string;
  text: string;
}

export interface AlwaysBlockModel {
  prefix: string;
  family: IpFamily;
}

export interface FrrModel {
  /** FRR's word: debugging, informational, warnings, errors, emergencies. */
  logLevel: string;
  hostname: string;
  routers: RouterModel[];
  bfdProfiles: BfdProfileModel[];
  alwaysBlock: AlwaysBlockModel[];
  rawSnippets: RawSnippet[];
}
