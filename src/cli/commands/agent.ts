// `frrk8s agent`: the node agent. Inputs come from a watched directory of YAML (`--config-dir`,
// standalone) or from the Kubernetes API (informers in `--namespace`; status written to
// FRRNodeState, BGPSessionState and Events); every change coalesces into one reconcile (pipeline →
// apply when changed → status); a periodic verify re-applies what a restarted FRR daemon lost and
// refreshes the status. Status, metrics and health are served over HTTP on loopback. Runs until
// SIGINT/SIGTERM.
import { hostname as osHostname } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { EngineApplier } from "../../adapters/frr/engine-applier.ts";
import type { FrrApplier } from "../../ports/frr.ts";
import { ReloadApplier } from "../../adapters/frr/reload-applier.ts";
import { VtyshStatusReader } from "../../adapters/frr/status-reader.ts";
import type { FrrInstanceOptions } from "../../adapters/frr/vtysh.ts";
import { startStatusServer } from "../../adapters/http/status-server.ts";
import { loadKubeAccess } from "../../adapters/kube/access.ts";
import { KubeSource } from "../../adapters/kube/kube-source.ts";
import { KubeStatusSink } from "../../adapters/kube/status-sink.ts";
import { NodeAgent } from "../../controllers/node-agent.ts";
import { systemClock } from "../../ports/clock.ts";
import type { NodeSource } from "../../ports/node-source.ts";
import type { StatusSink } from "../../ports/node-status.ts";
import { createLogger, type Log, LOG_LEVELS, type LogLevel, parseLogLevel } from "../../runtime/logger.ts";
import { AgentMetrics } from "../../runtime/metrics.ts";
import { ReconcileLoop } from "../../runtime/reconcile-loop.ts";
import { parseCidrs, parseLabels } from "../flags.ts";
import type { CliIo, ExitCodeSink } from "./common.ts";
import { CliError, EXIT_INPUT, EXIT_OK } from "../exit-codes.ts";

interface AgentFlags {
  configDir?: string;
  namespace?: string;
  kubeconfig?: string;
  podName?: string;
  podUid?: string;
  node: string;
  hostname: string;
  nodeLabels?: Record<string, string>;
  alwaysBlock?: string[];
  logLevel: LogLevel;
  vtySocket?: string;
  pathspace?: string;
  frrConfigDir?: string;
  listen: string;
  coalesceMs: number;
  verifySeconds: number;
  applyMode: "engine" | "reload";
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`"${value}" is not a non-negative integer.`);
  return n;
}

function hostPort(value: string): string {
  if (!/^[^:]+:\d+$/.test(value))
    throw new InvalidArgumentError(`"${value}" is not HOST:PORT (e.g. 127.0.0.1:9140).`);
  return value;
}

export function agentCommand(io: CliIo, setExitCode: ExitCodeSink): Command {
  return new Command("agent")
    .description(
      "run the node agent: apply the FRRConfigurations of a directory, or of the Kubernetes API, to this node's FRR",
    )
    .option(
      "--config-dir <dir>",
      "directory of YAML: FRRConfigurations, Secrets, the Node, FRRK8sConfiguration (else: Kubernetes)",
    )
    .addOption(new Option("--namespace <ns>", "Kubernetes: the agent's namespace").env("NAMESPACE"))
    .option(
      "--kubeconfig <path>",
      "Kubernetes: kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)",
    )
    .addOption(
      new Option("--pod-name <name>", "Kubernetes: the agent's pod (owner of BGPSessionStates)").env(
        "POD_NAME",
      ),
    )
    .addOption(new Option("--pod-uid <uid>", "Kubernetes: the agent's pod UID").env("POD_UID"))
    .addOption(new Option("--node <name>", "this node's name").env("NODE_NAME").default(osHostname()))
    .option(
      "--hostname <name>",
      "the hostname line of frr.conf (default: this machine's hostname)",
      osHostname(),
    )
    .option("--node-labels <k=v,...>", "labels added to the node's own", parseLabels)
    .option("--always-block <cidr,...>", "prefixes never accepted from any neighbor", parseCidrs)
    .addOption(
      new Option("--log-level <level>", "agent and FRR log level").choices(LOG_LEVELS).default("info"),
    )
    .option("--vty-socket <dir>", "FRR's vty socket directory (FRR started with --vty_socket)")
    .option("--pathspace <name>", "FRR's pathspace (FRR started with -N)")
    .option("--frr-config-dir <dir>", "FRR's configuration directory (vtysh --config_dir)")
    .option("--listen <host:port>", "status, metrics and health server", hostPort, "127.0.0.1:9140")
    .option("--coalesce-ms <ms>", "changes within this window apply together", positiveInt, 200)
    .option("--verify-seconds <s>", "how often FRR is checked for lost configuration", positiveInt, 30)
    .addOption(
      new Option("--apply-mode <mode>", "engine: our incremental apply; reload: frr-reload.py as upstream")
        .choices(["engine", "reload"])
        .default("engine"),
    )
    .action(async (flags: AgentFlags) => {
      if (flags.configDir === undefined && (flags.namespace ?? "") === "")
        throw new CliError(
          "agent: give --config-dir, or --namespace (or NAMESPACE) to run on Kubernetes",
          EXIT_INPUT,
        );
      await runAgent(flags, io);
      setExitCode(EXIT_OK);
    });
}

function frrInstance(flags: AgentFlags): FrrInstanceOptions {
  return {
    ...(flags.vtySocket !== undefined && { vtySocketDir: flags.vtySocket }),
    ...(flags.pathspace !== undefined && { pathspace: flags.pathspace }),
    ...(flags.frrConfigDir !== undefined && { configDir: flags.frrConfigDir }),
  };
}

async function runAgent(flags: AgentFlags, io: CliIo): Promise<void> {
  const log = createLogger({ level: flags.logLevel, node: flags.node });
  const metrics = new AgentMetrics();
  const inputs =
    flags.configDir === undefined
      ? await kubeInputs(flags, log)
      : await directoryInputs(flags, flags.configDir);
  const source = inputs.source;
  const instance = frrInstance(flags);
  // Its private work directory (batch files can hold passwords) goes at shutdown.
  const applier: FrrApplier & { close(): Promise<void> } =
    flags.applyMode === "reload" ? new ReloadApplier(instance) : new EngineApplier(instance);
  const agent = new NodeAgent(
    {
      nodeName: flags.node,
      hostname: flags.hostname,
      logLevel: flags.logLevel,
      alwaysBlock: flags.alwaysBlock ?? [],
    },
    {
      source,
      frr: applier,
      frrStatus: new VtyshStatusReader(instance),
      sink: inputs.sink,
      clock: systemClock,
      observer: metrics,
    },
  );
  let verifyDue = false;
  const loop = new ReconcileLoop({
    clock: systemClock,
    coalesceMs: flags.coalesceMs,
    reconcile: async () => {
      if (verifyDue) {
        verifyDue = false;
        await agent.verify();
      }
      return agent.reconcile();
    },
    onRun: (report) => {
      const fields = {
        outcome: report.outcome.kind,
        durationMs: Math.round(report.durationMs),
        retries: report.retries,
      };
      const reason = "error" in report.outcome ? report.outcome.error : undefined;
      if (reason === undefined) log.info("reconciled", fields);
      else log.warn("reconcile did not apply the configuration", { ...fields, reason });
    },
  });
  const [host = "127.0.0.1", port = "9140"] = flags.listen.split(":");
  const server = await startStatusServer({
    host,
    port: Number(port),
    metrics,
    ready: () => agent.hasApplied(),
    status: () => agent.status(),
  });
  log.info("agent started", { address: server.url, object: inputs.description });
  const stopping = waitForSignal();
  // FRR's running configuration is read while the informers sync: the first apply plans at once.
  void applier.prefetch?.();
  if (!(await Promise.race([inputs.start().then(() => true), stopping.then(() => false)]))) {
    await shutdown();
    return;
  }
  const watcher = source.watch(() => {
    loop.trigger();
  });
  const verifyTimer = setInterval(() => {
    verifyDue = true;
    loop.trigger();
  }, flags.verifySeconds * 1000);
  loop.trigger();
  await stopping;
  clearInterval(verifyTimer);
  watcher.close();
  await shutdown();

  async function shutdown(): Promise<void> {
    io.stderr("frrk8s agent: stopping\n");
    await loop.stop();
    inputs.close();
    await applier.close();
    await server.close();
    log.info("agent stopped");
  }
}

/** Where the agent reads its inputs and writes its status. */
interface AgentInputs {
  source: NodeSource;
  sink: StatusSink;
  /** Resolves once the inputs can be read (the informers have synced). */
  start(): Promise<void>;
  close(): void;
  description: string;
}

/** Loaded here only: the directory source reads YAML, which the Kubernetes mode never needs. */
async function directoryInputs(flags: AgentFlags, dir: string): Promise<AgentInputs> {
  const { directorySource } = await import("../agent/directory-source.ts");
  const source = directorySource({ dir, nodeName: flags.node, extraLabels: flags.nodeLabels ?? {} });
  const sink: StatusSink = { publish: () => Promise.resolve() };
  return { source, sink, start: () => Promise.resolve(), close: () => undefined, description: dir };
}

async function kubeInputs(flags: AgentFlags, log: Log): Promise<AgentInputs> {
  const kubeConfig = await loadKubeAccess(flags.kubeconfig);
  const namespace = flags.namespace ?? "";
  const kubeLog = log.child({ component: "kube" });
  const source = new KubeSource({
    kubeConfig,
    namespace,
    nodeName: flags.node,
    log: kubeLog,
    // FRRK8sConfiguration `config` sets the agent's own level too; unset: back to --log-level.
    onLogLevel: (level) => {
      log.setLevel(parseLogLevel(level ?? "") ?? flags.logLevel);
    },
  });
  const pod =
    flags.podName !== undefined && flags.podUid !== undefined && flags.podName !== "" && flags.podUid !== ""
      ? { name: flags.podName, uid: flags.podUid }
      : undefined;
  const sink = new KubeStatusSink({
    kubeConfig,
    namespace,
    nodeName: flags.node,
    log: kubeLog,
    ...(pod && { pod }),
    uidOf: (ref) => source.configuration(ref.namespace, ref.name)?.metadata?.uid,
    secretValues: () => source.secretValues(),
  });
  return {
    source,
    sink,
    start: async () => {
      sink.start();
      await source.start();
    },
    close: () => {
      source.close();
      sink.close();
    },
    description: `namespace ${namespace}`,
  };
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
