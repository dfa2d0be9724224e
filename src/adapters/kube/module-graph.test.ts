// The agent must not load client-node's package index: it imports the whole generated API
// (~80 MB RSS per node); nor yaml, which only render/validate and the directory mode need. A child
// process imports the CLI and the agent command (what `frrk8s agent` loads) and the agent's API
// access, and reports every module loaded.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";

const SRC = join(import.meta.dirname, "../..");

const PROBE = `
import { registerHooks } from "node:module";
const loaded = [];
registerHooks({ load: (url, context, next) => (loaded.push(url), next(url, context)) });
await import(${JSON.stringify(pathToFileURL(join(SRC, "cli/run.ts")).href)});
await import(${JSON.stringify(pathToFileURL(join(SRC, "cli/commands/agent.ts")).href)});
const { loadKubeAccess } = await import(${JSON.stringify(pathToFileURL(join(SRC, "adapters/kube/access.ts")).href)});
await loadKubeAccess(undefined, { KUBERNETES_SERVICE_HOST: "h" }).catch(() => undefined);
process.stdout.write(JSON.stringify(loaded));
`;

test("the CLI and the agent's API access never load client-node's index or its generated API", () => {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", PROBE], {
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const loaded = JSON.parse(run.stdout) as string[];
  const clientNode = loaded.filter((url) => url.includes("/@kubernetes/client-node/"));
  assert.ok(
    clientNode.some((url) => url.endsWith("/dist/watch.js")),
    "the informer's Watch comes from client-node",
  );
  assert.deepEqual(
    clientNode.filter((url) => url.endsWith("/dist/index.js") || url.endsWith("/dist/gen/index.js")),
    [],
  );
  assert.ok(!clientNode.some((url) => url.endsWith("/dist/config.js")), "no KubeConfig");
  assert.ok(
    loaded.some((url) => url.endsWith("/cli/commands/agent.ts")),
    "the probe loaded the agent command",
  );
  assert.deepEqual(
    loaded.filter((url) => url.includes("/node_modules/yaml/")),
    [],
    "no yaml in the agent",
  );
});
