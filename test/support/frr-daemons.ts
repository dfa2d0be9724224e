// Run an FRR instance (zebra, bgpd, bfdd, staticd, ...) inside a network namespace for tests,
// in "direct mode" (shared/docs/frr-lab.md §1b): every daemon is a foreground child process of
// the test, with its own directory for vty sockets, pid files, the zserv socket and bfdd's
// control socket, started empty (`-f /dev/null`). Configuration is pushed with `vtysh -f`.
//
// Why children instead of `-d`: we are their parent, so we see them exit (`waitpid`) instead of
// polling pids that linger as zombies (lab pitfall 14), and we can kill them by pid on failure.
import { spawn, type ChildProcess } from "node:child_process";
import {
  accessSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
} from "node:fs";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onEmergencyExit } from "./emergency-cleanup.ts";
import { describeFailure, runCommand, sleep, within, type CommandResult } from "./exec.ts";
import { sameConfig, undoCommands } from "./frr-config.ts";
import { netnsCommand } from "./netns.ts";

export const FRR_LIB_DIR = "/usr/lib/frr";
export const VTYSH = "vtysh";

export type FrrDaemon = "zebra" | "bgpd" | "bfdd" | "staticd";
/** Start order; zebra first (the others connect to its zserv socket), stopped in reverse. */
export const ALL_DAEMONS: readonly FrrDaemon[] = ["zebra", "bgpd", "staticd", "bfdd"];

export interface StartFrrOptions {
  /** Network namespace the daemons run in (created by the caller, see netns.ts). */
  netns: string;
  /** Instance directory (sockets, pid files, logs). Default: a fresh temp dir, removed by stop(). */
  dir?: string;
  /** Daemons to run; zebra is always started. Default: zebra, bgpd, staticd, bfdd. */
  daemons?: readonly FrrDaemon[];
  /** Defaults profile (`-F`). Default "traditional", like frr-k8s. */
  profile?: "traditional" | "datacenter";
  /** Bound for the start (all vty sockets answering). Default 20 s. */
  startTimeoutMs?: number;
  /** Default time limit of vtysh() calls. Default 60 s. */
  vtyshTimeoutMs?: number;
}

export interface FrrInstance {
  readonly netns: string;
  readonly dir: string;
  readonly daemons: readonly FrrDaemon[];
  /** The pathspace (`-N`) of an instance run under watchfrr (frr-watchfrr.ts); unset in direct mode. */
  readonly pathspace?: string;
  /** Pids of the running daemons (only those still running). */
  pids(): Partial<Record<FrrDaemon, number>>;
  /** Daemons that have exited since the (re)start, with their exit status. */
  exited(): { daemon: FrrDaemon; code: number | null; signal: NodeJS.Signals | null }[];
  /** Run `vtysh --vty_socket DIR --config_dir DIR args...` (outside the netns: the sockets are files). */
  vtysh(args: readonly string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
  /** `vtysh -f file`: load a configuration file into the running daemons. */
  loadFile(file: string, options?: { timeoutMs?: number }): Promise<CommandResult>;
  /** `show running-config` (throws if vtysh fails). */
  runningConfig(): Promise<string>;
  /**
   * Bring the configuration back to the one captured right after start (undo commands, verified
   * against `show running-config`); if that does not converge, or a daemon died, restart the
   * daemons. Resolves with what was done. `current`: the `show running-config` output the caller
   * has just read, if any (saves one vtysh call).
   */
  reset(current?: string): Promise<"unchanged" | "reset" | "restarted">;
  /** Stop all daemons and start them again (same dir, same namespace); re-captures the baseline. */
  restart(): Promise<void>;
  /** The last `maxBytes` of a daemon's stdout/stderr log (for failure messages). */
  logTail(daemon: FrrDaemon, maxBytes?: number): string;
  /** Stop the daemons (SIGTERM, then SIGKILL, bounded waits) and remove a temp dir we created. */
  stop(): Promise<void>;
}

/**
 * Things missing for running FRR daemons in namespaces on this machine (empty when all is there):
 * root, `ip`, `vtysh` and the daemon binaries, and the `frr` user the daemons switch to.
 */
export async function frrPrerequisiteProblems(
  daemons: readonly FrrDaemon[] = ALL_DAEMONS,
): Promise<string[]> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push("must run as root (network namespaces)");
  for (const [file, args] of [
    [VTYSH, ["--help"]],
    ["ip", ["-V"]],
  ] as const) {
    try {
      const r = await runCommand(file, args, { timeoutMs: 10_000 });
      if (r.code !== 0) problems.push(describeFailure(r));
    } catch (e) {
      problems.push(`${file} is not installed (${(e as Error).message})`);
    }
  }
  for (const d of daemons) {
    try {
      accessSync(join(FRR_LIB_DIR, d), constants.X_OK);
    } catch {
      problems.push(`${join(FRR_LIB_DIR, d)} is missing (apt-get install frr)`);
    }
  }
  if (frrIds() === undefined) problems.push("user/group frr does not exist (created by the frr package)");
  return problems;
}

/** uid/gid of user and group `frr`, from /etc/passwd and /etc/group. */
function frrIds(): { uid: number; gid: number } | undefined {
  const field = (file: string, idx: number) => {
    const line = readFileSync(file, "utf8")
      .split("\n")
      .find((l) => l.startsWith("frr:"));
    return line === undefined ? undefined : Number(line.split(":")[idx]);
  };
  try {
    const uid = field("/etc/passwd", 2);
    const gid = field("/etc/group", 2);
    return uid === undefined || gid === undefined ? undefined : { uid, gid };
  } catch {
    return undefined;
  }
}

interface Running {
  daemon: FrrDaemon;
  child: ChildProcess;
  pid: number;
  exit: Promise<void>;
  status?: { code: number | null; signal: NodeJS.Signals | null };
}

const STOP_GRACE_MS = 5_000;
const KILL_GRACE_MS = 3_000;

/**
 * Start FRR in `options.netns`. Resolves once every daemon's vty socket exists and vtysh
 * answers; rejects (after stopping what it started) if a daemon exits or the start times out.
 */
export async function startFrr(options: StartFrrOptions): Promise<FrrInstance> {
  const ids = frrIds();
  if (ids === undefined) throw new Error("user/group frr does not exist");
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "frrk8s-frr-"));
  const daemons = ALL_DAEMONS.filter((d) => d === "zebra" || (options.daemons ?? ALL_DAEMONS).includes(d));
  const profile = options.profile ?? "traditional";
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const vtyshTimeoutMs = options.vtyshTimeoutMs ?? 60_000;

  // vtysh.conf as frr-reload.py expects it; the daemons (user frr) must be able to write here.
  writeFileSync(join(dir, "vtysh.conf"), "service integrated-vtysh-config\n");
  chownSync(dir, ids.uid, ids.gid);

  let running: Running[] = [];
  let baseline = "";

  const killAllSync = () => {
    for (const r of running) if (r.status === undefined) r.child.kill("SIGKILL");
  };
  const unregister = onEmergencyExit(`FRR in netns ${options.netns}`, () => {
    killAllSync();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  });

  const spawnDaemon = (daemon: FrrDaemon): Running => {
    const extra = daemon === "bfdd" ? ["--bfdctl", join(dir, "bfdd.sock")] : [];
    const args = [
      ...["-F", profile, "-P", "0"], // -P 0: no TCP vty at all; vtysh uses the unix sockets in dir
      ...["--vty_socket", dir, "-i", join(dir, `${daemon}.pid`), "-z", join(dir, "zserv.api")],
      ...["-f", "/dev/null", "--log", "stdout", ...extra],
    ];
    const [file, argv] = netnsCommand(options.netns, join(FRR_LIB_DIR, daemon), args);
    // Output goes to a file, never to a pipe nobody drains: configs say "log stdout".
    const logFd = openSync(join(dir, `${daemon}.out`), "a");
    const child = spawn(file, argv, { stdio: ["ignore", logFd, logFd] });
    closeSync(logFd);
    if (child.pid === undefined) throw new Error(`cannot start ${daemon}`);
    const r: Running = {
      daemon,
      child,
      pid: child.pid,
      exit: new Promise((resolve) => {
        child.once("exit", (code, signal) => {
          r.status = { code, signal };
          resolve();
        });
        child.once("error", () => {
          r.status ??= { code: null, signal: null };
          resolve();
        });
      }),
    };
    return r;
  };

  const stopDaemons = async () => {
    // Reverse start order, zebra last; graceful first, then SIGKILL. Every wait is bounded.
    for (const r of [...running].reverse()) {
      if (r.status !== undefined) continue;
      r.child.kill("SIGTERM");
      if (!(await within(r.exit, STOP_GRACE_MS))) {
        r.child.kill("SIGKILL");
        if (!(await within(r.exit, KILL_GRACE_MS)))
          throw new Error(`${r.daemon} (pid ${r.pid}) does not exit`);
      }
    }
    running = [];
  };

  const vtysh: FrrInstance["vtysh"] = (args, opts = {}) =>
    runCommand(VTYSH, ["--vty_socket", dir, "--config_dir", dir, ...args], {
      timeoutMs: opts.timeoutMs ?? vtyshTimeoutMs,
    });

  const runningConfig = async () => {
    const r = await vtysh(["-c", "show running-config"]);
    if (r.code !== 0) throw new Error(describeFailure(r));
    return r.stdout;
  };

  const logTail = (daemon: FrrDaemon, maxBytes = 2000) => {
    try {
      const text = readFileSync(join(dir, `${daemon}.out`), "utf8");
      return text.slice(-maxBytes);
    } catch {
      return "";
    }
  };

  const deadReport = () =>
    running
      .filter((r) => r.status !== undefined)
      .map(
        (r) =>
          `${r.daemon} exited (code ${String(r.status?.code)}, signal ${String(r.status?.signal)}):\n${logTail(r.daemon)}`,
      )
      .join("\n");

  const start = async () => {
    const deadline = Date.now() + startTimeoutMs;
    // Leftovers of a previous run would make the readiness check below pass too early.
    for (const d of daemons) {
      for (const f of [`${d}.vty`, `${d}.pid`]) rmSync(join(dir, f), { force: true });
    }
    for (const f of ["zserv.api", "bfdd.sock"]) rmSync(join(dir, f), { force: true });
    for (const d of daemons) {
      running.push(spawnDaemon(d));
      // The others connect to zebra's zserv socket: let it appear first (they would retry anyway).
      if (d === "zebra")
        await waitFor(() => existsSync(join(dir, "zserv.api")) || deadReport() !== "", deadline);
    }
    // Ready = every vty socket exists and vtysh gets an answer from all of them.
    let last = "";
    const ready = await waitFor(async () => {
      if (deadReport() !== "") return true;
      if (!daemons.every((d) => existsSync(join(dir, `${d}.vty`)))) return false;
      const r = await vtysh(["-c", "show running-config"], { timeoutMs: 5_000 });
      last = describeFailure(r);
      return r.code === 0;
    }, deadline);
    const dead = deadReport();
    if (dead !== "" || !ready) {
      await stopDaemons();
      throw new Error(
        dead !== ""
          ? `FRR did not start in netns ${options.netns}:\n${dead}`
          : `FRR did not answer within ${startTimeoutMs} ms in netns ${options.netns}: ${last}`,
      );
    }
    baseline = await runningConfig();
  };

  const instance: FrrInstance = {
    netns: options.netns,
    dir,
    daemons,
    pids: () =>
      Object.fromEntries(running.filter((r) => r.status === undefined).map((r) => [r.daemon, r.pid])),
    exited: () =>
      running
        .filter((r) => r.status !== undefined)
        .map((r) => ({ daemon: r.daemon, code: r.status?.code ?? null, signal: r.status?.signal ?? null })),
    vtysh,
    loadFile: (file, opts) => vtysh(["-f", file], opts),
    runningConfig,
    logTail,
    restart: async () => {
      await stopDaemons();
      await start();
    },
    reset: async (current) => {
      if (deadReport() === "") {
        let config = current ?? (await runningConfig());
        if (sameConfig(config, baseline)) return "unchanged";
        // Up to three rounds: a removal can depend on another one (a VRF still used by a BGP
        // instance, an instance that another one imports from).
        for (let round = 0; round < 3; round++) {
          const file = join(dir, "undo.conf");
          writeFileSync(file, `${undoCommands(config, baseline).join("\n")}\n`);
          await vtysh(["-f", file]); // errors are fine here: the comparison decides
          config = await runningConfig();
          if (sameConfig(config, baseline)) return "reset";
        }
      }
      await instance.restart();
      return "restarted";
    },
    stop: async () => {
      try {
        await stopDaemons();
      } finally {
        if (ownDir) rmSync(dir, { recursive: true, force: true });
        unregister();
      }
    },
  };

  try {
    await start();
  } catch (e) {
    await stopDaemons().catch(() => undefined); // whatever did start (start() stops them when not ready)
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    unregister();
    throw e;
  }
  return instance;
}

/** Poll `check` every 50 ms until it returns true or `deadline` (epoch ms) passes. */
async function waitFor(check: () => boolean | Promise<boolean>, deadline: number): Promise<boolean> {
  // Bounded by time and, independently, by count (deadline arithmetic gone wrong must not hang).
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return false;
}
