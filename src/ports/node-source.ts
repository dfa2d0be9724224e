// Where the node agent reads its inputs: a directory of YAML (standalone) or the Kubernetes API.
import type { SecretObject } from "../core/snapshot.ts";

export interface NodeInputs {
  nodeLabels: Readonly<Record<string, string>>;
  /** FRRConfigurations as decoded from YAML/JSON (possibly malformed: the core reports it). */
  configurations: readonly unknown[];
  secrets: readonly SecretObject[];
  /** From FRRK8sConfiguration `config`, when present. */
  logLevel?: string;
  /** The node has no IPv4 address besides loopback (router-id fallback). */
  ipv6OnlyNode?: boolean;
  /** Problems reading the inputs (unparsable file, ...): shown in status, never thrown. */
  readProblems: readonly string[];
}

export interface NodeSource {
  /** The current inputs. */
  read(): Promise<NodeInputs>;
  /** Calls `onChange` (possibly often: callers coalesce) when an input may have changed. */
  watch(onChange: () => void): { close(): void };
}
