// Run an FRR instance under watchfrr, the way a node runs it (shared/docs/frr-lab.md §1a): pathspace
// `-N <name>`, configuration in /etc/frr/<name>/{daemons,frr.conf,vtysh.conf}, pid files, vty
// sockets, zserv.api and bfdd.sock in /var/run/frr/<name>/, and watchfrr joining the network
// namespace of the same name (`--netns`), so that every daemon it starts runs there. watchfrr
// restarts a daemon that dies (`watchfrr.sh restart <d>`, which boots it with
// `vtysh -N <name> -b -d <d>` from /etc/frr/<name>/frr.conf); zebra dying restarts all of them.
//
// How it is started: watchfrr itself, as a foreground child of the test, with the command line
// `frrinit.sh start <name>` builds from the daemons file (`watchfrr -N <name> -F <profile>
// <watchfrr_options> zebra bgpd staticd bfdd`) minus `-d`. frrinit.sh would daemonize watchfrr:
// we would learn its pid from a pid file only, its log would go to syslog (none here), and
// `frrinit.sh stop` polls with `kill -0`, which counts zombies as alive (pitfall 14: 5-6 s per
// stop here). As its parent we know its pid at once, see it exit, keep its log (and its restart
// jobs' output) in /var/run/frr/<name>/watchfrr.out, and the emergency cleanup can kill it
// synchronously. The daemons are started by watchfrr's jobs with `-d` (as in production), so they
// are not our children: they are found through their pid files, checked against /proc (not a
// zombie, `-N <name>` on the command line, same start time) before any signal.
//
// stop(): watchfrr first (frozen, its running start/restart jobs noted, killed, then the jobs, so
// nothing starts a daemon again), then the daemons by pid, zebra last (SIGTERM, bounded wait,
// SIGKILL), then a sweep of any process left with `-N <name>` (the name holds our pid: no one
// else's), then both directories. The emergency cleanup does the same synchronously with SIGKILL.
//
// Differences from production, for tests: `--min-restart-interval` is 1 s (default 60 s: a second
// crash of the same daemon within a minute would wait for it), and every daemon logs to
// /var/run/frr/<name>/<daemon>.log (`--log file:`), which logTail() reads.
import { spawn, type ChildProcess } from "node:child_process";
import {
  accessSync,
  chmodSync,
  constants,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { onEmergencyExit } from "./emergency-cleanup.ts";
import { describeFailure, runCommand, sleep, within } from "./exec.ts";
import { sameConfig, undoCommands } from "./frr-config.ts";
import {
  ALL_DAEMONS,
  FRR_LIB_DIR,
  frrPrerequisiteProblems,
  VTYSH,
  type FrrDaemon,
  type FrrInstance,
} from "./frr-daemons.ts";

export const FRR_ETC_DIR = "/etc/frr";
export const FRR_RUN_DIR = "/var/run/frr";
const WATCHFRR = join(FRR_LIB_DIR, "watchfrr");

export interface StartWatchfrrOptions {
  /** Network namespace (created by the caller); also the pathspace name, as `--netns` requires. */
  netns: string;
  /** Daemons to run; zebra is always started. Default: zebra, bgpd, staticd, bfdd. */
  daemons?: readonly FrrDaemon[];
  /** Defaults profile (`frr_profile`, `-F`). Default "traditional", like frr-k8s. */
  profile?: "traditional" | "datacenter";
  /** The boot configuration, /etc/frr/<name>/frr.conf. Default: empty. */
  config?: string;
  /** watchfrr's `--min-restart-interval` in seconds. Default 1 (FRR's default is 60). */
  minRestartIntervalSec?: number;
  /** Bound for the start (all daemons up, configured, watchfrr idle). Default 30 s. */
  startTimeoutMs?: number;
  /** Default time limit of vtysh() calls. Default 60 s. */
  vtyshTimeoutMs?: number;
}

export interface WatchfrrInstance extends FrrInstance {
  readonly pathspace: string;
  /** /etc/frr/<name>: daemons, frr.conf (written by `vtysh write`, e.g. frr-reload.py --overwrite). */
  readonly confDir: string;
  /** /var/run/frr/<name>: pid files, sockets, logs (also `dir`). */
  readonly runDir: string;
  /** watchfrr's pid while it runs. */
  watchfrrPid(): number | undefined;
  /** The last `maxBytes` of watchfrr's output (its log and its start/restart jobs' messages). */
  watchfrrLog(maxBytes?: number): string;
  /**
   * Why the instance is not settled yet, or undefined when it is: every daemon runs (pid file,
   * live process) and answers vtysh, `show watchfrr` reports them Up in phase Idle, and watchfrr
   * runs no start/restart job (so a restarted daemon has got its boot configuration).
   */
  unsettled(): Promise<string | undefined>;
  /** Wait (bounded, default 60 s) until settled; resolves with the daemons' pids. */
  waitSettled(options?: { timeoutMs?: number }): Promise<Partial<Record<FrrDaemon, number>>>;
}

/**
 * Things missing for FRR under watchfrr (empty when all is there): what direct mode needs
 * (frrPrerequisiteProblems), watchfrr and the scripts it runs, and a writable /etc/frr.
 */
export async function watchfrrPrerequisiteProblems(
  daemons: readonly FrrDaemon[] = ALL_DAEMONS,
): Promise<string[]> {
  const problems = await frrPrerequisiteProblems(daemons);
  for (const [file, mode] of [
    [WATCHFRR, constants.X_OK],
    [join(FRR_LIB_DIR, "watchfrr.sh"), constants.R_OK],
    [join(FRR_LIB_DIR, "frrcommon.sh"), constants.R_OK],
    [FRR_ETC_DIR, constants.W_OK],
  ] as const) {
    try {
      accessSync(file, mode);
    } catch {
      problems.push(
        `${file} is missing or not ${mode === constants.W_OK ? "writable" : "usable"} (frr package)`,
      );
    }
  }
  return problems;
}

/** The instance as a WatchfrrInstance; throws for an FRR instance in direct mode. */
export function asWatchfrr(frr: FrrInstance): WatchfrrInstance {
  if (frr.pathspace === undefined || !("waitSettled" in frr)) {
    throw new Error(`FRR in ${frr.netns} does not run under watchfrr`);
  }
  return frr as WatchfrrInstance;
}

// ---------------------------------------------------------------------------------------------
// Processes, by pid, checked against /proc

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  /** Start time in clock ticks since boot: tells a pid from a later process reusing it. */
  start: string;
}

function procInfo(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, state: fields[0] ?? "", ppid: Number(fields[1]), start: fields[19] ?? "" };
  } catch {
    return undefined;
  }
}

function running(info: ProcInfo | undefined): boolean {
  return info !== undefined && info.state !== "Z" && info.state !== "X";
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/** True if `pid` runs (not a zombie) with `-N <pathspace>` on its command line. */
function ownDaemon(pid: number, pathspace: string): boolean {
  if (!running(procInfo(pid))) return false;
  const args = cmdline(pid);
  return args.some((a, i) => (a === "-N" || a === "--pathspace") && args[i + 1] === pathspace);
}

function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

/** Every live descendant of `pid` (watchfrr's start/restart jobs: sh, watchfrr.sh, vtysh -b). */
function descendants(pid: number): ProcInfo[] {
  const infos = allPids()
    .map(procInfo)
    .filter((i): i is ProcInfo => running(i));
  const out: ProcInfo[] = [];
  let frontier = [pid];
  for (let depth = 0; depth < 20 && frontier.length > 0; depth++) {
    const next = infos.filter((i) => frontier.includes(i.ppid));
    out.push(...next);
    frontier = next.map((i) => i.pid);
  }
  return out;
}

/** Signal `p` if it is still the same process (same start time). */
function signalSame(p: ProcInfo, signal: NodeJS.Signals): void {
  const now = procInfo(p.pid);
  if (running(now) && now?.start === p.start) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // gone in between
    }
  }
}

/** Every process (not a zombie) whose command line has `-N <pathspace>`: the daemons, also unlisted ones. */
function pathspaceProcesses(pathspace: string): number[] {
  return allPids().filter((pid) => ownDaemon(pid, pathspace));
}

/** uid/gid of user and group `frr`. */
function frrIds(): { uid: number; gid: number } {
  const id = (file: string) => {
    const line = readFileSync(file, "utf8")
      .split("\n")
      .find((l) => l.startsWith("frr:"));
    if (line === undefined) throw new Error(`no frr entry in ${file} (apt-get install frr)`);
    return Number(line.split(":")[2]);
  };
  return { uid: id("/etc/passwd"), gid: id("/etc/group") };
}

const STOP_GRACE_MS = 5_000;
const KILL_GRACE_MS = 3_000;

/** Poll `check` every `intervalMs` until true or `timeoutMs`; bounded by time and count. */
async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < Math.ceil(timeoutMs / intervalMs) + 10; i++) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
  return false;
}

/** The `show watchfrr` answer: phase and per-daemon state. */
export function parseShowWatchfrr(text: string): { phase: string; states: Record<string, string> } {
  const phase = /global phase:\s*(\S+)/.exec(text)?.[1] ?? "";
  const states: Record<string, string> = {};
  // Daemon lines are indented by two spaces ("  bgpd                 Up"), the settings by one.
  for (const m of text.matchAll(/^ {2}([a-z0-9-]+)\s+(\S.*?)\s*$/gm)) {
    if (m[1] !== undefined && m[2] !== undefined) states[m[1]] = m[2];
  }
  return { phase, states };
}

/**
 * Start FRR under watchfrr with pathspace = `options.netns`. Resolves once settled (see
 * `unsettled()`); rejects, after removing everything it made, if that does not happen in time.
 * Refuses to run if /etc/frr/<name> or /var/run/frr/<name> exists (never adopt another instance).
 */
export async function startWatchfrr(options: StartWatchfrrOptions): Promise<WatchfrrInstance> {
  const name = options.netns;
  // FRR refuses '/' and '.' in a pathspace; keep to what namespace and path names take safely.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new Error(`pathspace ${name}: [A-Za-z0-9_-]{1,64}`);
  const ids = frrIds();
  const confDir = join(FRR_ETC_DIR, name);
  const runDir = join(FRR_RUN_DIR, name);
  for (const d of [confDir, runDir]) {
    if (existsSync(d)) throw new Error(`${d} exists: another FRR instance uses pathspace ${name}`);
  }
  // frrcommon.sh always starts zebra and staticd (watchfrr's "restart all" runs them whatever it watches).
  const daemons = ALL_DAEMONS.filter(
    (d) => d === "zebra" || d === "staticd" || (options.daemons ?? ALL_DAEMONS).includes(d),
  );
  const profile = options.profile ?? "traditional";
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const vtyshTimeoutMs = options.vtyshTimeoutMs ?? 60_000;
  // -T 600: watchfrr kills a start/restart job (which includes `vtysh -b` of the boot config)
  // still running after 20 s by default, silently cutting a big config short (pitfall 1).
  const watchfrrOptions = [
    "--netns",
    ...["-T", "600"],
    ...["--min-restart-interval", String(options.minRestartIntervalSec ?? 1)],
  ];
  const watchfrrLogFile = join(runDir, "watchfrr.out");

  let child: ChildProcess | undefined;
  let childPid: number | undefined;
  let childExit: Promise<void> = Promise.resolve();
  let childExited = true;
  let baseline = "";

  const pidOf = (d: FrrDaemon): number | undefined => {
    try {
      const pid = Number(readFileSync(join(runDir, `${d}.pid`), "utf8").trim());
      return Number.isInteger(pid) && pid > 0 && ownDaemon(pid, name) ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const pids = (): Partial<Record<FrrDaemon, number>> => {
    const out: Partial<Record<FrrDaemon, number>> = {};
    for (const d of daemons) {
      const pid = pidOf(d);
      if (pid !== undefined) out[d] = pid;
    }
    return out;
  };

  /** Synchronous hard stop: watchfrr, its jobs, every daemon of the pathspace (SIGKILL). */
  const killAllSync = (): void => {
    if (!childExited) child?.kill("SIGSTOP");
    const jobs = childPid === undefined || childExited ? [] : descendants(childPid);
    if (!childExited) child?.kill("SIGKILL");
    for (const j of jobs) signalSame(j, "SIGKILL");
    for (const pid of pathspaceProcesses(name)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  };
  // Only what we made is removed (a directory appearing meanwhile makes mkdirSync throw first).
  let madeConfDir = false;
  let madeRunDir = false;
  const removeDirs = (): void => {
    if (madeConfDir) rmSync(confDir, { recursive: true, force: true });
    if (madeRunDir) rmSync(runDir, { recursive: true, force: true });
  };
  const unregister = onEmergencyExit(`FRR under watchfrr, pathspace ${name}`, () => {
    killAllSync();
    removeDirs();
  });

  const writeConfDir = (): void => {
    mkdirSync(confDir, { mode: 0o750 });
    madeConfDir = true;
    const optionLine = (d: FrrDaemon) =>
      `${d}_options="-A 127.0.0.1 --log file:${join(runDir, `${d}.log`)}${d === "zebra" ? " -s 90000000" : ""}"`;
    const files: [string, string][] = [
      [
        "daemons",
        [
          "# written by the frrk8s test harness (test/support/frr-watchfrr.ts)",
          ...ALL_DAEMONS.filter((d) => d !== "zebra").map(
            (d) => `${d}=${daemons.includes(d) ? "yes" : "no"}`,
          ),
          "vtysh_enable=yes",
          ...daemons.map(optionLine),
          `watchfrr_options="${watchfrrOptions.join(" ")}"`,
          `frr_profile="${profile}"`,
          "",
        ].join("\n"),
      ],
      ["frr.conf", options.config ?? "!\n"],
      ["vtysh.conf", "service integrated-vtysh-config\n"],
    ];
    for (const [file, text] of files) {
      const path = join(confDir, file);
      writeFileSync(path, text, { mode: 0o640 });
      chmodSync(path, 0o640);
      chownSync(path, ids.uid, ids.gid);
    }
    chownSync(confDir, ids.uid, ids.gid);
  };

  const makeRunDir = (): void => {
    // As frrcommon.sh's daemon_start makes it (install -o frr -g frr -d, then chmod gu+x).
    mkdirSync(runDir, { mode: 0o750 });
    madeRunDir = true;
    chownSync(runDir, ids.uid, ids.gid);
  };

  const vtysh: FrrInstance["vtysh"] = (args, opts = {}) =>
    runCommand(VTYSH, ["-N", name, ...args], { timeoutMs: opts.timeoutMs ?? vtyshTimeoutMs });

  const runningConfig = async (): Promise<string> => {
    const r = await vtysh(["-c", "show running-config"]);
    if (r.code !== 0) throw new Error(describeFailure(r));
    return r.stdout;
  };

  const readTail = (file: string, maxBytes: number): string => {
    try {
      return readFileSync(file, "utf8").slice(-maxBytes);
    } catch {
      return "";
    }
  };
  const logTail = (daemon: FrrDaemon, maxBytes = 2000) => readTail(join(runDir, `${daemon}.log`), maxBytes);
  const watchfrrLog = (maxBytes = 4000) => readTail(watchfrrLogFile, maxBytes);

  const unsettled = async (): Promise<string | undefined> => {
    if (childExited) return `watchfrr exited:\n${watchfrrLog(1500)}`;
    const missing = daemons.filter((d) => pidOf(d) === undefined);
    if (missing.length > 0) return `not running: ${missing.join(", ")}`;
    const jobs = descendants(childPid ?? 0);
    if (jobs.length > 0)
      return `watchfrr runs a job: ${jobs.map((j) => cmdline(j.pid).join(" ")).join("; ")}`;
    const shown = await vtysh(["-c", "show watchfrr"], { timeoutMs: 5_000 });
    if (shown.code !== 0) return describeFailure(shown);
    const { phase, states } = parseShowWatchfrr(shown.stdout);
    const notUp = daemons.filter((d) => states[d] !== "Up");
    if (phase !== "Idle" || notUp.length > 0)
      return `show watchfrr: phase ${phase}, not Up: ${notUp.join(", ")}`;
    const r = await vtysh(["-c", "show running-config"], { timeoutMs: 5_000 });
    return r.code === 0 ? undefined : describeFailure(r);
  };

  const waitSettled = async (opts: { timeoutMs?: number } = {}) => {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    let last: string | undefined = "not checked";
    const ok = await pollUntil(
      async () => {
        last = await unsettled();
        return last === undefined;
      },
      timeoutMs,
      100,
    );
    if (!ok) {
      throw new Error(
        `FRR under watchfrr (pathspace ${name}) not settled within ${timeoutMs} ms: ${last}\n` +
          `watchfrr:\n${watchfrrLog(1500)}`,
      );
    }
    return pids();
  };

  const start = async (): Promise<void> => {
    makeRunDir();
    const fd = openSync(watchfrrLogFile, "a");
    try {
      const args = ["-N", name, "-F", profile, ...watchfrrOptions, ...daemons];
      child = spawn(WATCHFRR, args, { stdio: ["ignore", fd, fd] });
    } finally {
      closeSync(fd);
    }
    const c = child;
    childPid = c.pid;
    if (childPid === undefined) throw new Error(`cannot start ${WATCHFRR}`);
    childExited = false;
    childExit = new Promise((resolve) => {
      c.once("exit", () => {
        childExited = true;
        resolve();
      });
      c.once("error", () => {
        childExited = true;
        resolve();
      });
    });
    await waitSettled({ timeoutMs: startTimeoutMs });
    baseline = await runningConfig();
  };

  /** Stop with bounded waits: watchfrr and its jobs, then the daemons (SIGTERM, then SIGKILL), zebra last. */
  const stopAll = async (): Promise<void> => {
    if (!childExited && childPid !== undefined) {
      // Frozen first, so that it forks no job while its jobs are noted (once it is gone they are
      // reparented and no longer found as its descendants). watchfrr has nothing to clean up.
      child?.kill("SIGSTOP");
      const jobs = descendants(childPid);
      child?.kill("SIGKILL");
      if (!(await within(childExit, KILL_GRACE_MS)))
        throw new Error(`watchfrr (pid ${childPid}) does not exit`);
      // A job cut short is fine: everything stops now. Left running, it would start daemons again.
      // (What a job started after the note runs with -N <name>: the sweep below finds it.)
      for (const j of jobs) signalSame(j, "SIGKILL");
    }
    // A killed job may have started a daemon just before: a few rounds until none is left.
    for (let round = 0; round < 3; round++) {
      const listed = [...daemons].reverse().flatMap((d) => {
        const pid = pidOf(d);
        return pid === undefined ? [] : [pid];
      });
      const all = [...new Set([...listed, ...pathspaceProcesses(name)])];
      if (all.length === 0) return;
      for (const pid of all) {
        const p = procInfo(pid);
        if (p === undefined) continue;
        signalSame(p, "SIGTERM");
        if (
          !(await pollUntil(() => procInfo(pid)?.start !== p.start || !running(procInfo(pid)), STOP_GRACE_MS))
        ) {
          signalSame(p, "SIGKILL");
          if (
            !(await pollUntil(
              () => procInfo(pid)?.start !== p.start || !running(procInfo(pid)),
              KILL_GRACE_MS,
            ))
          )
            throw new Error(`FRR daemon pid ${pid} (pathspace ${name}) does not exit`);
        }
      }
    }
    const left = pathspaceProcesses(name);
    if (left.length > 0)
      throw new Error(`FRR processes of pathspace ${name} keep running: ${left.join(", ")}`);
  };

  let stopped = false;
  const instance: WatchfrrInstance = {
    netns: name,
    pathspace: name,
    dir: runDir,
    confDir,
    runDir,
    daemons,
    pids,
    exited: () =>
      // watchfrr restarts daemons: report those not running right now.
      daemons.filter((d) => pidOf(d) === undefined).map((daemon) => ({ daemon, code: null, signal: null })),
    vtysh,
    loadFile: (file, opts) => vtysh(["-f", file], opts),
    runningConfig,
    logTail,
    watchfrrPid: () => (childExited ? undefined : childPid),
    watchfrrLog,
    unsettled,
    waitSettled,
    restart: async () => {
      // Like a reboot of the node: everything stops, then boots from /etc/frr/<name>/frr.conf.
      await stopAll();
      rmSync(runDir, { recursive: true, force: true });
      await start();
    },
    reset: async (current) => {
      if ((await unsettled()) === undefined) {
        let config = current ?? (await runningConfig());
        if (sameConfig(config, baseline)) return "unchanged";
        for (let round = 0; round < 3; round++) {
          const file = join(runDir, "undo.conf");
          writeFileSync(file, `${undoCommands(config, baseline).join("\n")}\n`);
          await vtysh(["-f", file]);
          config = await runningConfig();
          if (sameConfig(config, baseline)) return "reset";
        }
      }
      await instance.restart();
      return "restarted";
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await stopAll();
      } finally {
        removeDirs();
        unregister();
      }
    },
  };

  try {
    writeConfDir();
    await start();
  } catch (e) {
    await stopAll().catch(() => {
      killAllSync();
    });
    removeDirs();
    unregister();
    throw e;
  }
  return instance;
}
