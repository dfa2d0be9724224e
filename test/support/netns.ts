// Linux network namespaces for tests (needs root and iproute2's `ip`).
//
// Rules these helpers keep: a test only touches namespaces it created itself (unique names), and
// every namespace is deleted again, also when the process is interrupted (emergency cleanup).
import { spawnSync } from "node:child_process";
import { onEmergencyExit } from "./emergency-cleanup.ts";
import { runChecked, runCommand } from "./exec.ts";

const IP = "ip";
const IP_TIMEOUT_MS = 10_000;

export interface Namespace {
  readonly name: string;
  /** `[file, args]` that run `command args` inside this namespace (for spawn/execFile). */
  command(file: string, args?: readonly string[]): [string, string[]];
  /** Delete the namespace (idempotent). */
  delete(): Promise<void>;
}

export interface CreateNamespaceOptions {
  /** Bring `lo` up (default true). Needed for anything that connects over TCP to 127.0.0.1. */
  loopbackUp?: boolean;
  /** Set net.ipv4.ip_forward and net.ipv6.conf.all.forwarding to 1 (default false). */
  forwarding?: boolean;
}

/** A namespace name unique to this process: `<prefix>-<pid>[-<suffix>]` (Linux limit: 255 chars). */
export function uniqueNamespaceName(prefix: string, suffix?: string | number): string {
  return suffix === undefined ? `${prefix}-${process.pid}` : `${prefix}-${process.pid}-${suffix}`;
}

/** The names of all network namespaces `ip netns` knows (in /run/netns). */
export async function listNamespaces(): Promise<string[]> {
  const r = await runChecked(IP, ["netns", "list"], { timeoutMs: IP_TIMEOUT_MS });
  return r.stdout
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n !== "");
}

/** `[file, args]` that run `command args` inside namespace `name` (`ip netns exec`, which execs: same pid). */
export function netnsCommand(name: string, file: string, args: readonly string[] = []): [string, string[]] {
  return [IP, ["netns", "exec", name, file, ...args]];
}

/**
 * Create network namespace `name`. Fails if it already exists (so a test never adopts someone
 * else's namespace). The namespace is deleted on emergency exit until `delete()` is called.
 */
export async function createNamespace(
  name: string,
  options: CreateNamespaceOptions = {},
): Promise<Namespace> {
  await runChecked(IP, ["netns", "add", name], { timeoutMs: IP_TIMEOUT_MS });
  const unregister = onEmergencyExit(`netns ${name}`, () => {
    deleteNamespaceSync(name);
  });
  const ns: Namespace = {
    name,
    command: (file, args = []) => netnsCommand(name, file, args),
    delete: async () => {
      await deleteNamespace(name);
      unregister();
    },
  };
  try {
    if (options.loopbackUp ?? true) {
      await runChecked(IP, ["-n", name, "link", "set", "lo", "up"], { timeoutMs: IP_TIMEOUT_MS });
    }
    if (options.forwarding ?? false) {
      for (const key of ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]) {
        await runChecked(IP, ["netns", "exec", name, "sysctl", "-q", "-w", key], {
          timeoutMs: IP_TIMEOUT_MS,
        });
      }
    }
  } catch (e) {
    await ns.delete();
    throw e;
  }
  return ns;
}

/** Delete namespace `name`; a namespace that does not exist (any more) is not an error. */
export async function deleteNamespace(name: string): Promise<void> {
  const r = await runCommand(IP, ["netns", "delete", name], { timeoutMs: IP_TIMEOUT_MS });
  if (r.code !== 0 && (await listNamespaces()).includes(name)) {
    throw new Error(`cannot delete netns ${name}: ${r.stderr.trim()}`);
  }
}

/** Synchronous variant for signal/exit handlers. Never throws. */
export function deleteNamespaceSync(name: string): void {
  spawnSync(IP, ["netns", "delete", name], { stdio: "ignore", timeout: IP_TIMEOUT_MS });
}
