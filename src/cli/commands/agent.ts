// `frrk8s agent`: the node agent in standalone mode. Inputs come from a watched directory of YAML;
// every change coalesces into one reconcile (pipeline → apply when changed → status); a periodic
// verify re-applies what a restarted FRR daemon lost. Status, metrics and health are served over
// HTTP on loopback. Runs until SIGINT/SIGTERM.
import { hostname as osHostname } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { EngineApplier } from "../../adapters/frr/engine-applier.ts";
import { ReloadApplier } from "../../adapters/frr/reload-applier.ts";
import { VtyshStatusReader } from "../../adapters/frr/status-reader.ts";
import type { FrrInstanceOptions } from "../../adapters/frr/vtysh.ts";
import { startStatusServer } from "../../adapters/http/status-server.ts";
import { NodeAgent } from "../../controllers/node-agent.ts";
import { systemClock } from "../../ports/clock.ts";
import { createLogger, LOG_LEVELS, type LogLevel } from "../../runtime/logger.ts";
import { AgentMetrics } from "../../runtime/metrics.ts";
import { ReconcileLoop } from "../../runtime/reconcile-loop.ts";
import { directorySource } from "../agent/directory-source.ts";
import { parseCidrs, parseLabels } from "../flags.ts";
import type { CliIo, ExitCodeSink } from "./common.ts";
import { EXIT_OK } from "../exit-codes.ts";

interface AgentFlags {
  configDir: string;
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
    .description("run the node agent: apply the FRRConfigurations of a directory to this node's FRR")
    .requiredOption(
      "--config-dir <dir>",
      "directory of YAML: FRRConfigurations, Secrets, the Node, FRRK8sConfiguration",
    )
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
  const source = directorySource({
    dir: flags.configDir,
    nodeName: flags.node,
    extraLabels: flags.nodeLabels ?? {},
  });
  const instance = frrInstance(flags);
  // Its private work directory (batch files can hold passwords) goes at shutdown.
  const applier = flags.applyMode === "reload" ? new ReloadApplier(instance) : new EngineApplier(instance);
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
      sink: { publish: () => Promise.resolve() },
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
  log.info("agent started", { address: server.url, object: flags.configDir });
  const watcher = source.watch(() => {
    loop.trigger();
  });
  const verifyTimer = setInterval(() => {
    verifyDue = true;
    loop.trigger();
  }, flags.verifySeconds * 1000);
  loop.trigger();
  await waitForSignal();
  io.stderr("frrk8s agent: stopping\n");
  clearInterval(verifyTimer);
  watcher.close();
  await loop.stop();
  await applier.close();
  await server.close();
  log.info("agent stopped");
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
