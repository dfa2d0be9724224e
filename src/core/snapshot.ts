// What the pure pipeline needs to compute one node's FRR configuration. Adapters (Kubernetes
// informers, the standalone file source, the offline CLI) build it; nothing here does I/O.

/** A Kubernetes Secret as stored: `data` values are base64, `stringData` plain. */
export interface SecretObject {
  metadata?: { name?: string; namespace?: string };
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface NodeSnapshot {
  nodeName: string;
  /** The node's labels; `kubernetes.io/hostname` is not implied, adapters add it. */
  nodeLabels: Readonly<Record<string, string>>;
  /** FRRConfiguration objects as decoded from YAML/JSON, possibly malformed. */
  configurations: readonly unknown[];
  secrets: readonly SecretObject[];
  options: PipelineOptions;
}

export interface PipelineOptions {
  /** `hostname` line of frr.conf. */
  hostname: string;
  /** frr-k8s log level word (all, debug, info, warn, error, none); default info. */
  logLevel?: string;
  /** CIDRs never accepted from any neighbor (`--always-block`). */
  alwaysBlock?: readonly string[];
  /**
   * True when the node has no IPv4 address other than loopback: routers without an explicit
   * `id` then get a router-id derived from the hostname (FRR needs an IPv4 router-id).
   */
  ipv6OnlyNode?: boolean;
  /**
   * Admission mode (the webhook): secret references are not resolved, so a missing Secret
   * never blocks admission; everything else is checked.
   */
  skipSecretResolution?: boolean;
}
