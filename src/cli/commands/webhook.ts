// `frrk8s webhook`: the validating webhook for FRRConfigurations (HTTPS, self-managed certificate
// unless --disable-cert-rotation) and the cleaner of deleted nodes' status objects, as upstream's
// statuscleaner. Runs until SIGINT/SIGTERM.
import { isIP } from "node:net";
import { Command, InvalidArgumentError, Option } from "commander";
import { createLogger, LOG_LEVELS, type LogLevel } from "../../runtime/logger.ts";
import { CliError, EXIT_OK } from "../exit-codes.ts";
import type { CliIo, ExitCodeSink } from "./common.ts";

interface WebhookFlags {
  namespace?: string;
  kubeconfig?: string;
  listen: { host: string; port: number };
  certServiceName: string;
  certSecret: string;
  webhookConfiguration: string;
  certExtraSan?: string[];
  disableCertRotation?: boolean;
  certDir: string;
  logLevel: LogLevel;
}

/** `0.0.0.0:19443`, `127.0.0.1:0`, `[::1]:19443`. */
function listenAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  const host = match?.[1] ?? match?.[2] ?? "";
  const port = Number(match?.[3]);
  if (!match || isIP(host) === 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not IP:PORT (e.g. 0.0.0.0:19443).`);
  }
  return { host, port };
}

function sanList(value: string, previous: string[] | undefined): string[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const name of names) {
    if (isIP(name) === 0 && !/^[a-z0-9*]([-a-z0-9.]*[a-z0-9])?$/i.test(name)) {
      throw new InvalidArgumentError(`"${name}" is neither an IP address nor a DNS name.`);
    }
  }
  return [...(previous ?? []), ...names];
}

export function webhookCommand(io: CliIo, setExitCode: ExitCodeSink): Command {
  return new Command("webhook")
    .description("run the validating webhook for FRRConfigurations and the status cleaner")
    .addOption(
      new Option("--namespace <ns>", "the frr-k8s namespace (agents, Secret, BGPSessionStates)").env(
        "NAMESPACE",
      ),
    )
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
    .addOption(
      new Option("--listen <ip:port>", "HTTPS address")
        .argParser(listenAddress)
        .default({ host: "0.0.0.0", port: 19443 }, "0.0.0.0:19443"),
    )
    .option(
      "--cert-service-name <name>",
      "Service the certificate is for (<name>.<namespace>.svc)",
      "frr-k8s-webhook-service",
    )
    .option(
      "--cert-secret <name>",
      "Secret holding the CA and serving certificate",
      "frr-k8s-webhook-server-cert",
    )
    .option(
      "--webhook-configuration <name>",
      "ValidatingWebhookConfiguration whose caBundle is kept current",
      "frr-k8s-validating-webhook-configuration",
    )
    .option("--cert-extra-san <name,...>", "extra DNS names or IPs in the certificate (repeatable)", sanList)
    .option(
      "--disable-cert-rotation",
      "serve tls.crt/tls.key from --cert-dir instead of a self-managed certificate",
    )
    .option(
      "--cert-dir <dir>",
      "certificate directory for --disable-cert-rotation",
      "/tmp/k8s-webhook-server/serving-certs",
    )
    .addOption(
      new Option("--log-level <level>", "log level, unless FRRK8sConfiguration config sets one")
        .choices(LOG_LEVELS)
        .default("info"),
    )
    .action(async (flags: WebhookFlags) => {
      await webhook(flags, io);
      setExitCode(EXIT_OK);
    });
}

async function webhook(flags: WebhookFlags, io: CliIo): Promise<void> {
  const namespace = flags.namespace ?? "";
  if (namespace === "") throw new CliError("--namespace (or $NAMESPACE) is required: the frr-k8s namespace");
  const log = createLogger({ level: flags.logLevel });
  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // Loaded here, not at the top: it loads all of client-node (~80 MB), which other commands
  // (the agent on every node) must not pay for.
  const { runWebhook } = await import("../webhook/run-webhook.ts");
  try {
    await runWebhook(
      {
        namespace,
        ...(flags.kubeconfig !== undefined && { kubeconfig: flags.kubeconfig }),
        host: flags.listen.host,
        port: flags.listen.port,
        certServiceName: flags.certServiceName,
        certSecret: flags.certSecret,
        webhookConfiguration: flags.webhookConfiguration,
        certExtraSans: flags.certExtraSan ?? [],
        disableCertRotation: flags.disableCertRotation ?? false,
        certDir: flags.certDir,
        logLevel: flags.logLevel,
      },
      log,
      stop.signal,
    );
  } catch (err) {
    throw new CliError(`webhook: ${err instanceof Error ? err.message.split("\n", 1)[0]! : String(err)}`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  io.stderr("frrk8s webhook: stopped\n");
}
