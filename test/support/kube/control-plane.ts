// A real Kubernetes control plane for the kube and e2e tiers: etcd and kube-apiserver (built by
// scripts/kube-bins.sh, cached outside the repo) on free loopback ports, an admin kubeconfig, our
// CRDs installed, and the real kubectl to talk to it. Each suite starts its own and stops it; the
// processes are killed by PID, also when the test process is interrupted.
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onEmergencyExit } from "../emergency-cleanup.ts";
import { type CommandResult, describeFailure, runCommand, runChecked, sleep } from "../exec.ts";
import { freePort } from "../lab/agent-process.ts";

const REPO = new URL("../../../", import.meta.url).pathname;
const ETCD = "/usr/bin/etcd";
const READY_TIMEOUT_MS = 90_000;

export interface KubectlOptions {
  input?: string;
  timeoutMs?: number;
}

export interface ControlPlane {
  /** An admin kubeconfig file (system:masters). */
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** The directory holding kube-apiserver and kubectl. */
  binDir: string;
  /** Runs the real kubectl against this control plane; never rejects on a non-zero exit. */
  kubectl(args: readonly string[], opts?: KubectlOptions): Promise<CommandResult>;
  /** Like kubectl, but rejects with kubectl's output unless it exits 0. */
  kubectlChecked(args: readonly string[], opts?: KubectlOptions): Promise<CommandResult>;
  /** Stops and starts kube-apiserver on the same port with the same etcd data. */
  restartApiserver(): Promise<void>;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Install deploy/crds and wait until they are served. Default true. */
  installCrds?: boolean;
}

let binDirPromise: Promise<string> | undefined;

/** Builds (first run on a machine) or finds the cached binaries. */
export function kubeBinDir(): Promise<string> {
  binDirPromise ??= runChecked("bash", [join(REPO, "scripts/kube-bins.sh")], { timeoutMs: 1_800_000 }).then(
    (r) => r.stdout.trim(),
  );
  return binDirPromise;
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binDir = await kubeBinDir();
  const dir = mkdtempSync(join(tmpdir(), "frrk8s-kube-"));
  const processes = new Map<string, ChildProcess>();
  const unregister = onEmergencyExit(`control plane in ${dir}`, () => {
    for (const child of processes.values()) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    const [etcdPort, peerPort, apiPort] = await distinctFreePorts(3);
    processes.set("etcd", startEtcd(dir, etcdPort, peerPort));
    const server = `https://127.0.0.1:${String(apiPort)}`;
    const token = randomBytes(24).toString("hex");
    const apiArgs = apiserverArgs(dir, apiPort, etcdPort, token);
    const startApiserver = (): void => {
      processes.set(
        "apiserver",
        spawnLogged(join(binDir, "kube-apiserver"), apiArgs, join(dir, "apiserver.log")),
      );
    };
    startApiserver();
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, kubeconfigText(server, token), { mode: 0o600 });
    const kubectl = (args: readonly string[], opts: KubectlOptions = {}): Promise<CommandResult> =>
      runCommand(join(binDir, "kubectl"), ["--kubeconfig", kubeconfig, ...args], {
        timeoutMs: opts.timeoutMs ?? 30_000,
        ...(opts.input !== undefined && { input: opts.input }),
      });
    const kubectlChecked = async (args: readonly string[], opts?: KubectlOptions): Promise<CommandResult> => {
      const r = await kubectl(args, opts);
      if (r.code !== 0) throw new Error(describeFailure(r));
      return r;
    };
    await waitReady(kubectl, processes, dir);
    if (options.installCrds ?? true) await installCrds(kubectlChecked);
    return {
      kubeconfig,
      server,
      binDir,
      kubectl,
      kubectlChecked,
      restartApiserver: async () => {
        await stopProcess(processes.get("apiserver"));
        startApiserver();
        await waitReady(kubectl, processes, dir);
      },
      stop: async () => {
        await stopProcess(processes.get("apiserver"));
        await stopProcess(processes.get("etcd"));
        processes.clear();
        rmSync(dir, { recursive: true, force: true });
        unregister();
      },
    };
  } catch (e) {
    for (const child of processes.values()) await stopProcess(child);
    const log = tail(join(dir, "apiserver.log"));
    rmSync(dir, { recursive: true, force: true });
    unregister();
    throw new Error(`control plane did not start: ${String(e)}\n--- kube-apiserver log (tail) ---\n${log}`, {
      cause: e,
    });
  }
}

function startEtcd(dir: string, clientPort: number, peerPort: number): ChildProcess {
  const client = `http://127.0.0.1:${String(clientPort)}`;
  const peer = `http://127.0.0.1:${String(peerPort)}`;
  return spawnLogged(
    ETCD,
    [
      `--data-dir=${join(dir, "etcd")}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=default=${peer}`,
      "--unsafe-no-fsync",
    ],
    join(dir, "etcd.log"),
  );
}

function apiserverArgs(dir: string, port: number, etcdPort: number, token: string): string[] {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(join(dir, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  writeFileSync(join(dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
  writeFileSync(join(dir, "tokens.csv"), `${token},admin,admin,system:masters\n`, { mode: 0o600 });
  return [
    `--etcd-servers=http://127.0.0.1:${String(etcdPort)}`,
    `--secure-port=${String(port)}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    "--endpoint-reconciler-type=none", // loopback is refused as the kubernetes Service endpoint
    `--cert-dir=${join(dir, "certs")}`,
    `--token-auth-file=${join(dir, "tokens.csv")}`,
    "--authorization-mode=RBAC",
    "--service-cluster-ip-range=10.0.0.0/24",
    "--service-account-issuer=https://kubernetes.default.svc",
    `--service-account-key-file=${join(dir, "sa.pub")}`,
    `--service-account-signing-key-file=${join(dir, "sa.key")}`,
    "--allow-privileged=true",
  ];
}

function kubeconfigText(server: string, token: string): string {
  // The apiserver's self-signed serving certificate is created at start; skip verifying it (loopback).
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: test\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`,
    "users:",
    `- name: admin\n  user:\n    token: ${token}`,
    "contexts:",
    "- name: test\n  context:\n    cluster: test\n    user: admin",
    "current-context: test",
    "",
  ].join("\n");
}

async function waitReady(
  kubectl: (args: readonly string[], opts?: KubectlOptions) => Promise<CommandResult>,
  processes: Map<string, ChildProcess>,
  dir: string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "";
  while (Date.now() < deadline) {
    for (const [name, child] of processes)
      if (child.exitCode !== null)
        throw new Error(`${name} exited ${String(child.exitCode)}: ${tail(join(dir, `${name}.log`))}`);
    const r = await kubectl(["get", "--raw", "/readyz"], { timeoutMs: 5_000 });
    if (r.code === 0 && r.stdout.trim() === "ok") return;
    last = `${r.stdout}${r.stderr}`.trim();
    await sleep(300);
  }
  throw new Error(`kube-apiserver not ready after ${String(READY_TIMEOUT_MS)} ms: ${last}`);
}

async function installCrds(
  kubectl: (args: readonly string[], opts?: KubectlOptions) => Promise<CommandResult>,
): Promise<void> {
  await kubectl(["apply", "--server-side", "-f", join(REPO, "deploy/crds")]);
  await kubectl(["wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"], {
    timeoutMs: 65_000,
  });
}

function spawnLogged(file: string, args: readonly string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, "a");
  try {
    return spawn(file, args, { stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      resolve();
    }),
  );
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function distinctFreePorts(count: 3): Promise<[number, number, number]> {
  const ports = new Set<number>();
  for (let i = 0; ports.size < count && i < count * 10; i++) ports.add(await freePort());
  const [a, b, c] = [...ports];
  if (a === undefined || b === undefined || c === undefined) throw new Error("no free loopback ports");
  return [a, b, c];
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
