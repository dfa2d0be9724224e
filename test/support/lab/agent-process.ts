// The real `frrk8s agent` process for a lab's node: a temp directory of YAML it watches, a free
// loopback port for /status and /metrics, the node FRR's directories, and its output collected.
//
//   const agent = await startAgent(lab, { node: "lab-node", files: { "node.yaml": nodeYaml } });
//   agent.write("config.yaml", "apiVersion: frrk8s.metallb.io/v1beta1 ...");
//   const status = await agent.status();
//   await agent.stop(); // SIGTERM, bounded wait, SIGKILL; also done on emergency exit
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onEmergencyExit } from "../emergency-cleanup.ts";
import type { NodeStatus } from "../../../src/ports/node-status.ts";
import type { Lab } from "./topology.ts";
import { within } from "../exec.ts";

const ROOT = join(import.meta.dirname, "../../..");
const STOP_GRACE_MS = 10_000;
/** The agent container's NODE_OPTIONS in deploy/helm (daemonset.yaml): measure what production runs. */
export const AGENT_NODE_OPTIONS = "--max-semi-space-size=1";
const KILL_GRACE_MS = 3_000;

export interface AgentOptions {
  /** The agent's --node and --hostname. */
  node: string;
  /** Files written before the start (name -> YAML). */
  files?: Readonly<Record<string, string>>;
  /** --always-block prefixes. */
  alwaysBlock?: readonly string[];
  /** --verify-seconds (default 2). */
  verifySeconds?: number;
  /** More flags. */
  extraArgs?: readonly string[];
  /** The CLI script to run (default bin/frrk8s.js, the TypeScript sources); see compiled-cli.ts. */
  script?: string;
  /** Read the inputs from this Kubernetes API instead of the directory (which then stays unused). */
  kube?: { kubeconfig: string; namespace: string };
}

export interface AgentProcess {
  /** The watched directory. */
  readonly dir: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  /** Exit code, once it exited (null when killed by a signal). */
  exitCode(): number | null | undefined;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** GET /status, parsed (rejects on anything but 200). */
  status(): Promise<NodeStatus>;
  /** GET /metrics as text. */
  metrics(): Promise<string>;
  /** GET any path, as text with its HTTP status. */
  get(path: string): Promise<{ status: number; text: string }>;
  /** Write (or overwrite) `name` in the watched directory. */
  write(name: string, yaml: string): void;
  /** Remove `name` from the watched directory. */
  remove(name: string): void;
  /** SIGTERM, bounded wait, then SIGKILL; removes the directory. Idempotent. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === "object" && address) resolve(address.port);
        else reject(new Error("no free port"));
      });
    });
  });
}

/** The value of the sample `name{labels}` in a Prometheus text exposition; NaN when absent. */
export function metricValue(metrics: string, name: string, labels = ""): number {
  const head = labels === "" ? `${name} ` : `${name}{${labels}} `;
  const line = metrics.split("\n").find((l) => l.startsWith(head) || (labels === "" && l === name));
  return line === undefined ? Number.NaN : Number(line.split(" ").at(-1));
}

/** Start the agent on `lab`'s node FRR. */
export async function startAgent(lab: Pick<Lab, "nodeFrr">, options: AgentOptions): Promise<AgentProcess> {
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-agent-lab-"));
  for (const [name, yaml] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), yaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const frr = lab.nodeFrr();
  // Under watchfrr FRR has a pathspace (/var/run/frr/<name>, /etc/frr/<name>); in direct mode one
  // directory holds its sockets and vtysh.conf.
  const instanceArgs =
    frr.pathspace === undefined
      ? ["--vty-socket", frr.dir, "--frr-config-dir", frr.dir]
      : ["--pathspace", frr.pathspace];
  const args = [
    options.script ?? join(ROOT, "bin/frrk8s.js"),
    "agent",
    ...(options.kube === undefined
      ? ["--config-dir", dir]
      : ["--kubeconfig", options.kube.kubeconfig, "--namespace", options.kube.namespace]),
    "--node",
    options.node,
    "--hostname",
    options.node,
    ...instanceArgs,
    "--listen",
    `127.0.0.1:${port}`,
    "--verify-seconds",
    String(options.verifySeconds ?? 2),
    ...((options.alwaysBlock?.length ?? 0) > 0 ? ["--always-block", options.alwaysBlock!.join(",")] : []),
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: AGENT_NODE_OPTIONS },
  });
  const pid = child.pid;
  if (pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error("cannot start the agent");
  }
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", () => {
      exited = true;
      resolve();
    });
  });
  const unregister = onEmergencyExit(`frrk8s agent (pid ${pid})`, () => {
    if (!exited) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, text: await response.text() };
  };
  let stopped = false;
  return {
    dir,
    url,
    pid,
    exitCode: () => (exited ? child.exitCode : undefined),
    output: () => output,
    get,
    status: async () => {
      const r = await get("/status");
      if (r.status !== 200) throw new Error(`/status answered ${r.status}: ${r.text.slice(0, 200)}`);
      return JSON.parse(r.text) as NodeStatus;
    },
    metrics: async () => (await get("/metrics")).text,
    write: (name, yaml) => {
      writeFileSync(join(dir, name), yaml);
    },
    remove: (name) => {
      rmSync(join(dir, name), { force: true });
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        child.kill("SIGTERM");
        if (!(await within(exit, STOP_GRACE_MS))) {
          child.kill("SIGKILL");
          await within(exit, KILL_GRACE_MS);
        }
      }
      unregister();
      rmSync(dir, { recursive: true, force: true });
      if (!exited) throw new Error(`the agent (pid ${pid}) does not exit`);
    },
  };
}

/** A Node object for the agent's directory. */
export function nodeYaml(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const all = { "kubernetes.io/hostname": name, ...labels };
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
${Object.entries(all)
  .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
  .join("\n")}
`;
}

/** A basic-auth Secret in frr-k8s-system carrying `password`. */
export function passwordSecretYaml(name: string, password: string): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: frr-k8s-system}
type: kubernetes.io/basic-auth
stringData: {password: ${JSON.stringify(password)}}
`;
}

/** Established sessions in a status, by peer. */
export function establishedPeers(status: NodeStatus): string[] {
  return status.sessions.filter((s) => s.bgpState === "Established").map((s) => s.peer);
}
