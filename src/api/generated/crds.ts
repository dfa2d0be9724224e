/* eslint-disable */
// GENERATED FILE, DO NOT EDIT. Run npm run gen:types
// Source: deploy/crds/*.yaml (frrk8s.metallb.io/v1beta1).

/**
 * DynamicASN lets FRR detect the remote AS: internal (same AS as the router)
 * or external (a different AS).
 */
export type DynamicASNMode = "internal" | "external";
/**
 * Mode is "filtered" (only the listed prefixes) or "all" (every prefix of
 * the router).
 */
export type AllowMode = "all" | "filtered";
export type AddressFamily = "unicast" | "evpn";
/**
 * AdvertiseVNIs is "All" to advertise every local VNI, or "Disabled".
 */
export type AdvertiseVNIs = ("Disabled" | "All") & string;
export type AdvertisePrefixType = "unicast";

/**
 * FRRConfigurationSpec defines the desired state of FRRConfiguration.
 */
export interface FRRConfigurationSpec {
  bgp?: BGPConfig;
  raw?: RawConfig;
  nodeSelector?: LabelSelector;
}
/**
 * BGP is the configuration related to the BGP protocol.
 */
export interface BGPConfig {
  /**
   * Routers is the list of routers FRR configures (one per VRF).
   *
   * @maxItems 50
   */
  routers?: Router[];
  /**
   * BFDProfiles is the list of BFD profiles the neighbors of this configuration can use.
   */
  bfdProfiles?: BFDProfile[];
}
/**
 * Router is a BGP router instance, identified by its VRF.
 */
export interface Router {
  /**
   * ASN is the local AS number of the router.
   */
  asn: number;
  /**
   * ID is the BGP router ID.
   */
  id?: string;
  /**
   * VRF is the host VRF of the router; empty means the default VRF.
   */
  vrf?: string;
  /**
   * Neighbors is the list of BGP neighbors of this router.
   */
  neighbors?: Neighbor[];
  /**
   * Prefixes is the list of prefixes this router may advertise.
   */
  prefixes?: string[];
  /**
   * Imports is the list of VRFs whose routes this router imports.
   */
  imports?: Import[];
  evpn?: EVPNConfig;
}
/**
 * Neighbor is a BGP neighbor the router peers with.
 */
export interface Neighbor {
  /**
   * ASN is the remote AS number of the neighbor.
   * ASN and DynamicASN are mutually exclusive and one of them must be specified.
   */
  asn?: number;
  dynamicASN?: DynamicASNMode;
  /**
   * LocalASN is the AS number the router presents to this neighbor.
   */
  localASN?: number;
  /**
   * SourceAddress is the source IP address or interface name of the session.
   */
  sourceaddress?: string;
  /**
   * Address is the IP address of the neighbor.
   * Address and Interface are mutually exclusive and one of them must be specified.
   */
  address?: string;
  /**
   * Interface is the node interface of an unnumbered BGP session; it enables both
   * the IPv4 and IPv6 address families.
   */
  interface?: string;
  /**
   * Port is the port to dial when establishing the session. Defaults to 179.
   */
  port?: number;
  /**
   * Password is the TCP MD5 password of the session.
   * Password and PasswordSecret are mutually exclusive.
   */
  password?: string;
  passwordSecret?: SecretReference;
  /**
   * HoldTime is the requested BGP hold time, per RFC4271. Defaults to 180s.
   */
  holdTime?: string;
  /**
   * KeepaliveTime is the requested BGP keepalive time, per RFC4271. Defaults to 60s.
   */
  keepaliveTime?: string;
  /**
   * ConnectTime is how long BGP waits between connection attempts to the neighbor.
   */
  connectTime?: string;
  /**
   * EBGPMultiHop indicates that the neighbor is multiple hops away.
   */
  ebgpMultiHop?: boolean;
  /**
   * BFDProfile names a profile of this configuration's bfdProfiles; unset means no BFD.
   */
  bfdProfile?: string;
  /**
   * EnableGracefulRestart enables BGP graceful restart with this neighbor.
   */
  enableGracefulRestart?: boolean;
  toAdvertise?: Advertise;
  toReceive?: Receive;
  /**
   * Deprecated: DisableMP is ignored. Use DualStackAddressFamily instead.
   */
  disableMP?: boolean;
  /**
   * DualStackAddressFamily enables the neighbor in both the IPv4 and the IPv6
   * unicast address families, whatever the family of its address.
   */
  dualStackAddressFamily?: boolean;
  /**
   * AddressFamilies lists the address families the neighbor is enabled in.
   *
   * @maxItems 2
   */
  addressFamilies?: AddressFamily[];
}
/**
 * PasswordSecret names a secret of type kubernetes.io/basic-auth, in the namespace
 * of the frr-k8s daemon, holding the password under the key "password".
 */
export interface SecretReference {
  /**
   * Name of the secret.
   */
  name?: string;
  /**
   * Namespace of the secret.
   */
  namespace?: string;
}
/**
 * ToAdvertise is the outbound policy towards this neighbor.
 */
export interface Advertise {
  allowed?: AllowedOutPrefixes;
  /**
   * WithLocalPref sets a local preference on some advertised prefixes.
   */
  withLocalPref?: LocalPrefPrefixes[];
  /**
   * WithCommunity sets a BGP community on some advertised prefixes.
   */
  withCommunity?: CommunityPrefixes[];
  nextHop?: NextHop;
}
/**
 * Allowed lists the router prefixes that may be advertised to this neighbor.
 */
export interface AllowedOutPrefixes {
  prefixes?: string[];
  mode?: AllowMode;
}
/**
 * LocalPrefPrefixes is a list of prefixes with a local preference.
 */
export interface LocalPrefPrefixes {
  /**
   * Prefixes is the list of prefixes with this local preference.
   *
   * @minItems 1
   */
  prefixes?: string[];
  /**
   * LocalPref is the local preference of the prefixes.
   */
  localPref?: number;
}
/**
 * CommunityPrefixes is a list of prefixes with a community.
 */
export interface CommunityPrefixes {
  /**
   * Prefixes is the list of prefixes with this community.
   *
   * @minItems 1
   */
  prefixes?: string[];
  /**
   * Community is the standard (A:B) or large (large:X:Y:Z) community.
   */
  community?: string;
}
/**
 * NextHop overrides the next hop of the advertised routes.
 */
export interface NextHop {
  /**
   * IPv4 is the next hop of IPv4 routes.
   */
  ipv4?: string;
  /**
   * IPv6 is the global next hop of IPv6 routes.
   */
  ipv6?: string;
}
/**
 * ToReceive is the inbound policy from this neighbor.
 */
export interface Receive {
  allowed?: AllowedInPrefixes;
}
/**
 * Allowed selects the prefixes accepted from this neighbor.
 */
export interface AllowedInPrefixes {
  prefixes?: PrefixSelector[];
  mode?: AllowMode;
}
/**
 * PrefixSelector selects received prefixes.
 */
export interface PrefixSelector {
  prefix?: string;
  /**
   * Le accepts matching prefixes of this length or shorter.
   */
  le?: number;
  /**
   * Ge accepts matching prefixes of this length or longer.
   */
  ge?: number;
}
/**
 * Import is a VRF imported by a router.
 */
export interface Import {
  /**
   * VRF is the name of the imported VRF ("default" for the default VRF).
   */
  vrf?: string;
}
/**
 * EVPN is the EVPN configuration of the router.
 */
export interface EVPNConfig {
  advertiseVNIs?: AdvertiseVNIs;
  /**
   * AdvertiseSVI advertises the SVI IP addresses.
   */
  advertiseSVI?: boolean;
  /**
   * L2VNIs is the list of layer 2 VNIs.
   *
   * @maxItems 10
   */
  l2vnis?: L2VNI[];
  l3vni?: L3VNI;
}
/**
 * L2VNI is a layer 2 VNI.
 */
export interface L2VNI {
  /**
   * VNI is the VXLAN network identifier.
   */
  vni: number;
  /**
   * RD is the route distinguisher, ASN:NN or IPv4:NN.
   */
  rd?: string;
  /**
   * ImportRTs is the list of route targets to import; '*' matches any global administrator.
   *
   * @maxItems 100
   */
  importRTs?: string[];
  /**
   * ExportRTs is the list of route targets to export.
   *
   * @maxItems 100
   */
  exportRTs?: string[];
}
/**
 * L3VNI is the layer 3 VNI of the router's VRF.
 */
export interface L3VNI {
  /**
   * VNI is the VXLAN network identifier.
   */
  vni: number;
  /**
   * RD is the route distinguisher, ASN:NN or IPv4:NN.
   */
  rd?: string;
  /**
   * ImportRTs is the list of route targets to import; '*' matches any global administrator.
   *
   * @maxItems 100
   */
  importRTs?: string[];
  /**
   * ExportRTs is the list of route targets to export.
   *
   * @maxItems 100
   */
  exportRTs?: string[];
  /**
   * AdvertisePrefixes lists the route types advertised in this VNI.
   *
   * @minItems 1
   * @maxItems 1
   */
  advertisePrefixes: AdvertisePrefixType[];
}
/**
 * BFDProfile is the BFD configuration of a BGP session.
 */
export interface BFDProfile {
  /**
   * Name is the name neighbors use to reference the profile.
   */
  name: string;
  /**
   * ReceiveInterval is the minimum receive interval in milliseconds (default 300).
   */
  receiveInterval?: number;
  /**
   * TransmitInterval is the minimum transmit interval in milliseconds (default 300).
   */
  transmitInterval?: number;
  /**
   * DetectMultiplier multiplies the remote interval into the loss detection timer (default 3).
   */
  detectMultiplier?: number;
  /**
   * EchoInterval is the echo interval in milliseconds (default 50).
   */
  echoInterval?: number;
  /**
   * EchoMode enables echo mode; not supported on multi-hop sessions.
   */
  echoMode?: boolean;
  /**
   * PassiveMode waits for the peer's control packets before sending any.
   */
  passiveMode?: boolean;
  /**
   * MinimumTTL is the minimum TTL of incoming packets, for multi-hop sessions (default 254).
   */
  minimumTtl?: number;
}
/**
 * Raw is a snippet of FRR configuration appended to the rendered one.
 * UNSUPPORTED: for experimentation only.
 */
export interface RawConfig {
  /**
   * Priority orders the snippets; lower values are appended first.
   */
  priority?: number;
  /**
   * RawConfig is the verbatim FRR configuration text.
   */
  rawConfig?: string;
}
/**
 * NodeSelector limits the nodes that apply this configuration. When unset, every
 * node applies it.
 */
export interface LabelSelector {
  /**
   * MatchLabels is a map of label key/value pairs that must all match.
   */
  matchLabels?: {
    [k: string]: string;
  };
  /**
   * MatchExpressions is a list of label selector requirements, ANDed.
   */
  matchExpressions?: LabelSelectorRequirement[];
}
/**
 * A label selector requirement relates a label key to a set of values.
 */
export interface LabelSelectorRequirement {
  /**
   * Key is the label key the selector applies to.
   */
  key: string;
  /**
   * Operator is one of In, NotIn, Exists and DoesNotExist.
   */
  operator: string;
  /**
   * Values is the list of label values, empty for Exists and DoesNotExist.
   */
  values?: string[];
}

/**
 * FRRConfigurationStatus is empty; the status is never written.
 */
export interface FRRConfigurationStatus {}

/**
 * FRRNodeStateSpec is empty.
 */
export interface FRRNodeStateSpec {}

/**
 * FRRNodeStateStatus is the observed state of the node's FRR instance.
 */
export interface FRRNodeStateStatus {
  /**
   * RunningConfig is the running configuration of FRR, with passwords retracted.
   */
  runningConfig?: string;
  /**
   * LastReloadResult is "success" or the error of the last FRR reload.
   */
  lastReloadResult?: string;
  /**
   * LastConversionResult is "success" or "failed:" and the error of the last conversion.
   */
  lastConversionResult?: string;
}

/**
 * BGPSessionStateSpec is empty.
 */
export interface BGPSessionStateSpec {}

/**
 * BGPSessionStateStatus is the observed state of the BGP session.
 */
export interface BGPSessionStateStatus {
  /**
   * Node is the name of the node running the session.
   */
  node?: string;
  /**
   * Peer is the neighbor address (IPv6 expanded, with "-" for ":") or interface.
   */
  peer?: string;
  /**
   * VRF is the VRF of the session, empty for the default VRF.
   */
  vrf?: string;
  /**
   * BGPStatus is FRR's BGP state of the session, such as Established.
   */
  bgpStatus?: string;
  /**
   * BFDStatus is FRR's BFD status of the peer, or N/A.
   */
  bfdStatus?: string;
}

/**
 * LogLevel overrides the --log-level flag of every component and FRR's own logging.
 */
export type LogLevel = "all" | "debug" | "info" | "warn" | "error" | "none";

/**
 * FRRK8sConfigurationSpec defines the desired settings.
 */
export interface FRRK8sConfigurationSpec {
  logLevel?: LogLevel;
}

/**
 * FRRK8sConfigurationStatus is empty.
 */
export interface FRRK8sConfigurationStatus {}
