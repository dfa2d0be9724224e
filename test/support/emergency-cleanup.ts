// Last-resort cleanup for resources that must not outlive the test process (daemons, network
// namespaces, temp dirs). The normal path is an explicit async teardown (after() hooks); this
// registry only runs when the process is interrupted (SIGINT/SIGTERM/SIGHUP) or exits without
// having torn down. Cleanups must therefore be synchronous and must not throw.

type Cleanup = () => void;

const cleanups = new Map<number, { what: string; run: Cleanup }>();
let nextId = 1;
let installed = false;

function runAll(): void {
  // Newest first: daemons were registered after the namespace they run in.
  for (const id of [...cleanups.keys()].reverse()) {
    const c = cleanups.get(id);
    cleanups.delete(id);
    try {
      c?.run();
    } catch (e) {
      process.stderr.write(`emergency cleanup of ${c?.what ?? "?"} failed: ${String(e)}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      runAll();
      // Conventional exit status for "killed by signal".
      process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
    });
  }
}

/**
 * Register a synchronous cleanup to run if the process is interrupted or exits first.
 * Returns a function that unregisters it (call it once the resource was released normally).
 */
export function onEmergencyExit(what: string, run: Cleanup): () => void {
  install();
  const id = nextId++;
  cleanups.set(id, { what, run });
  return () => {
    cleanups.delete(id);
  };
}
