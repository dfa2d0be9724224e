// The CLI as the image ships it: src/ compiled to JavaScript by `npm run build`'s tsconfig. Each
// build goes to a fresh directory beside src/ (same depth as dist/), so the relative paths the code
// resolves at run time (deploy/crds) and node_modules work exactly as from dist/, and concurrent
// test processes never write into each other's output.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "../..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

export interface CompiledCli {
  /** The compiled `cli/main.js`: run it with `node` (what the image's bin shim imports). */
  readonly main: string;
  /** The output directory (`<root>/.dist-*`). */
  readonly dir: string;
  /** Remove the output directory. Idempotent. */
  remove(): void;
}

export async function buildCompiledCli(): Promise<CompiledCli> {
  const dir = mkdtempSync(join(ROOT, ".dist-"));
  try {
    await promisify(execFile)(
      process.execPath,
      [TSC, "-p", join(ROOT, "tsconfig.build.json"), "--noCheck", "--outDir", dir],
      { cwd: ROOT, timeout: 120_000 },
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    main: join(dir, "cli/main.js"),
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
