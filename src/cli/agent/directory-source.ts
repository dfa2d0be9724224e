// The standalone agent's NodeSource: a directory of YAML (FRRConfigurations, Secrets, the node's
// Node object, FRRK8sConfiguration), read with the CLI's loader and watched for changes. A file
// that cannot be read or parsed is a read problem for the status, never an exception.
import { statSync, watch, type FSWatcher } from "node:fs";
import type { NodeInputs, NodeSource } from "../../ports/node-source.ts";
import { CliError } from "../exit-codes.ts";
import { collectObjects } from "../input-objects.ts";
import { buildInputSet, HOSTNAME_LABEL } from "../input-set.ts";
import { expandInputPaths, loadInput } from "../load-input.ts";

export interface DirectorySourceOptions {
  dir: string;
  nodeName: string;
  /** Added to (and overriding) the labels of the node's Node object, if the directory has one. */
  extraLabels?: Readonly<Record<string, string>>;
  /** Re-read at least this often even without a file event (events can be missed). */
  rescanMs?: number;
  /**
   * A file modified less than this long ago may still be being written (a plain write truncates
   * the file first: a reader in between sees it empty, a valid "no configuration"). read() waits
   * until the directory has been still this long, and reads again if it changed while reading.
   */
  settleMs?: number;
}

const DEFAULT_RESCAN_MS = 10_000;
const DEFAULT_SETTLE_MS = 50;
/** Bound on settle rounds: a directory that never stops changing is read as it is. */
const MAX_SETTLE_ROUNDS = 20;

/** Names, sizes and modification times of the input files; "" when they cannot be listed. */
function fingerprint(dir: string): { text: string; newestMs: number } {
  try {
    let newestMs = 0;
    const parts = expandInputPaths([dir]).map((file) => {
      const s = statSync(file, { bigint: true });
      newestMs = Math.max(newestMs, Number(s.mtimeMs));
      return `${file}\0${String(s.size)}\0${String(s.mtimeNs)}`;
    });
    return { text: parts.join("\n"), newestMs };
  } catch {
    return { text: "", newestMs: 0 };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The inputs once the directory is still: no file changed within settleMs, none during the read. */
async function readSettled(options: DirectorySourceOptions): Promise<NodeInputs> {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  let before = fingerprint(options.dir);
  for (let round = 0; ; round++) {
    const last = round === MAX_SETTLE_ROUNDS;
    // Recently modified (or dated in the future): read once it has stayed the same for settleMs.
    if (!last && settleMs > 0 && Date.now() - before.newestMs < settleMs) {
      await sleep(settleMs);
      const now = fingerprint(options.dir);
      const still = now.text === before.text;
      before = now;
      if (!still) continue;
    }
    const inputs = readInputs(options);
    const after = fingerprint(options.dir);
    if (last || after.text === before.text) return inputs;
    before = after;
  }
}

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
    read: async () => {
      try {
        return await readSettled(options);
      } catch (err) {
        const problem = err instanceof CliError ? err.message : "cannot read the input directory";
        const empty: NodeInputs = {
          nodeLabels: {},
          configurations: [],
          secrets: [],
          readProblems: [problem],
        };
        return empty;
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
