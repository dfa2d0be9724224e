// The real `frrk8s webhook` process against a test control plane: started with node 24 on a
// free loopback port, its output collected, stopped by PID (SIGTERM, bounded wait, SIGKILL),
// also on emergency exit.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { onEmergencyExit } from "../emergency-cleanup.ts";
import { within } from "../exec.ts";

const ROOT = join(import.meta.dirname, "../../..");
const STOP_GRACE_MS = 10_000;

export interface WebhookProcess {
  readonly pid: number;
  output(): string;
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

export function startWebhookProcess(args: readonly string[]): WebhookProcess {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "src/cli/main.ts"), "webhook", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid ?? -1;
  let output = "";
  let exitCode: number | null | undefined;
  child.stdout?.on("data", (b: Buffer) => (output += b.toString("utf8")));
  child.stderr?.on("data", (b: Buffer) => (output += b.toString("utf8")));
  const exited = new Promise<void>((resolve) => {
    child.on("exit", (code) => {
      exitCode = code;
      resolve();
    });
  });
  const unregister = onEmergencyExit(`frrk8s webhook pid ${String(pid)}`, () => {
    if (exitCode === undefined) process.kill(pid, "SIGKILL");
  });
  return {
    pid,
    output: () => output,
    exitCode: () => exitCode,
    stop: async () => {
      if (exitCode === undefined) {
        process.kill(pid, "SIGTERM");
        if (!(await within(exited, STOP_GRACE_MS))) {
          process.kill(pid, "SIGKILL");
          await within(exited, 3_000);
        }
      }
      unregister();
    },
  };
}
