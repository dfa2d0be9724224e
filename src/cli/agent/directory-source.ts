// The standalone agent's NodeSource: a directory of YAML (FRRConfigurations, Secrets, the node's
// Node object, FRRK8sConfiguration), read with the CLI's loader and watched for changes. A file
// that cannot be read or parsed is a read problem for the status, never an exception.
import { watch, type FSWatcher } from "node:fs";
import type { NodeInputs, NodeSource } from "../../ports/node-source.ts";
import { CliError } from "../exit-codes.ts";
import { collectObjects } from "../input-objects.ts";
import { buildInputSet, HOSTNAME_LABEL } from "../input-set.ts";
import { loadInput } from "../load-input.ts";

export interface DirectorySourceOptions {
  dir: string;
  nodeName: string;
  /** Added to (and overriding) the labels of the node's Node object, if the directory has one. */
  extraLabels?: Readonly<Record<string, string>>;
  /** Re-read at least this often even without a file event (events can be missed). */
  rescanMs?: number;
}

const DEFAULT_RESCAN_MS = 10_000;

function readInputs(options: DirectorySourceOptions): NodeInputs {
  const input = buildInputSet(collectObjects(loadInput([options.dir])));
  const node = input.nodes.find((n) => n.name === options.nodeName);
  return {
    nodeLabels: { [HOSTNAME_LABEL]: options.nodeName, ...node?.labels, ...options.extraLabels },
    configurations: input.configurations.map((c) => c.value),
    secrets: input.secrets,
    ...(input.logLevel !== undefined && { logLevel: input.logLevel }),
    ...(node?.ipv6Only === true && { ipv6OnlyNode: true }),
    readProblems: [],
  };
}

export function directorySource(options: DirectorySourceOptions): NodeSource {
  return {
    read: () => {
      try {
        return Promise.resolve(readInputs(options));
      } catch (err) {
        const problem = err instanceof CliError ? err.message : "cannot read the input directory";
        const empty: NodeInputs = {
          nodeLabels: {},
          configurations: [],
          secrets: [],
          readProblems: [problem],
        };
        return Promise.resolve(empty);
      }
    },
    watch: (onChange) => {
      let watcher: FSWatcher | undefined;
      try {
        watcher = watch(options.dir, { recursive: true }, () => {
          onChange();
        });
        watcher.on("error", () => undefined); // the periodic rescan still notices changes
      } catch {
        watcher = undefined;
      }
      const rescan = setInterval(onChange, options.rescanMs ?? DEFAULT_RESCAN_MS);
      return {
        close: () => {
          watcher?.close();
          clearInterval(rescan);
        },
      };
    },
  };
}
