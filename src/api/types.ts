// TypeScript shapes of the frrk8s.metallb.io/v1beta1 resources, field for field as upstream.
// The CRD YAML under deploy/crds/ is the source of truth: types-match.test.ts checks, at compile
// time, that these types equal the ones generated from it (src/api/generated/).

export const GROUP = "frrk8s.metallb.io";
export const VERSION = "v1beta1";
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface FRRConfiguration {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: FRRConfigurationSpec;
  status?: Record<string, never>;
}

export interface FRRConfigurationSpec {
  bgp?: BGPConfig;
  raw?: RawConfig;
  nodeSelector?: LabelSelector;
}

export interface RawConfig {
  priority?: number;
  rawConfig?: string;
}

export interface BGPConfig {
  routers?: Router[];
  bfdProfiles?: BFDProfile[];
}

export interface Router {
  asn: number;
  id?: string;
  vrf?: string;
  neighbors?: Neighbor[];
  prefixes?: string[];
  imports?: Import[];
  evpn?: EVPNConfig;
}

export interface Import {
  vrf?: string;
}

export type DynamicASNMode = "internal" | "external";
export type AddressFamily = "unicast" | "evpn";
export type AllowMode = "all" | "filtered";

export interface SecretReference {
  name?: string;
  namespace?: string;
}

export interface Neighbor {
  asn?: number;
  dynamicASN?: DynamicASNMode;
  localASN?: number;
  sourceaddress?: string;
  address?: string;
  interface?: string;
  port?: number;
  password?: string;
  passwordSecret?: SecretReference;
  holdTime?: string;
  keepaliveTime?: string;
  connectTime?: string;
  ebgpMultiHop?: boolean;
  bfdProfile?: string;
  enableGracefulRestart?: boolean;
  toAdvertise?: Advertise;
  toReceive?: Receive;
  disableMP?: boolean;
  dualStackAddressFamily?: boolean;
  addressFamilies?: AddressFamily[];
}

export interface Advertise {
  allowed?: AllowedOutPrefixes;
  withLocalPref?: LocalPrefPrefixes[];
  withCommunity?: CommunityPrefixes[];
  nextHop?: NextHop;
}

export interface AllowedOutPrefixes {
  prefixes?: string[];
  mode?: AllowMode;
}

export interface LocalPrefPrefixes {
  prefixes?: string[];
  localPref?: number;
}

export interface CommunityPrefixes {
  prefixes?: string[];
  community?: string;
}

export interface NextHop {
  ipv4?: string;
  ipv6?: string;
}

export interface Receive {
  allowed?: AllowedInPrefixes;
}

export interface AllowedInPrefixes {
  prefixes?: PrefixSelector[];
  mode?: AllowMode;
}

export interface PrefixSelector {
  prefix?: string;
  le?: number;
  ge?: number;
}

export interface BFDProfile {
  name: string;
  receiveInterval?: number;
  transmitInterval?: number;
  detectMultiplier?: number;
  echoInterval?: number;
  echoMode?: boolean;
  passiveMode?: boolean;
  minimumTtl?: number;
}

export type AdvertiseVNIs = "Disabled" | "All";

export interface EVPNConfig {
  advertiseVNIs?: AdvertiseVNIs;
  advertiseSVI?: boolean;
  l2vnis?: L2VNI[];
  l3vni?: L3VNI;
}

export interface VNIProperties {
  rd?: string;
  importRTs?: string[];
  exportRTs?: string[];
}

export interface L2VNI extends VNIProperties {
  vni: number;
}

export interface L3VNI extends VNIProperties {
  vni: number;
  advertisePrefixes: "unicast"[];
}

export interface FRRNodeStateStatus {
  runningConfig?: string;
  lastReloadResult?: string;
  lastConversionResult?: string;
}

export interface BGPSessionStateStatus {
  node?: string;
  peer?: string;
  vrf?: string;
  bgpStatus?: string;
  bfdStatus?: string;
}

export type LogLevel = "all" | "debug" | "info" | "warn" | "error" | "none";

export interface FRRK8sConfigurationSpec {
  logLevel?: LogLevel;
}
