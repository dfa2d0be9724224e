// The node agent's reconciler: level-driven, one pass reads every input, runs the pure pipeline,
// applies the result to FRR only when it changed, and publishes what happened. It never throws:
// every pass ends in a typed outcome for the runtime's loop.
import type { SessionReset } from "../core/frr-diff/resets.ts";
import { hasErrors, type Issue } from "../core/issues.ts";
import { computeNodeConfig } from "../core/pipeline.ts";
import { redactPasswords } from "../core/redact.ts";
import type { Clock } from "../ports/clock.ts";
import type { ApplyOutcome, BfdPeerState, FrrApplier, FrrStatusReader, SessionState } from "../ports/frr.ts";
import type { NodeInputs, NodeSource } from "../ports/node-source.ts";
import type { NodeStatus, StatusSink } from "../ports/node-status.ts";
import type { ReconcileOutcome } from "../runtime/reconcile-loop.ts";

/** What the agent reports to metrics; optional so tests and tools can leave it out. */
export interface AgentObserver {
  reconciled(failed: boolean): void;
  applied(outcome: ApplyOutcome | { kind: "unchanged" }): void;
  status(status: NodeStatus): void;
}

export interface NodeAgentOptions {
  nodeName: string;
  /** The `hostname` line of frr.conf: the node's own hostname (FRR keeps the UTS name). */
  hostname: string;
  /** Used when no FRRK8sConfiguration sets one. */
  logLevel?: string;
  alwaysBlock?: readonly string[];
}

export interface NodeAgentDeps {
  source: NodeSource;
  frr: FrrApplier;
  frrStatus: FrrStatusReader;
  sink: StatusSink;
  clock: Clock;
  observer?: AgentObserver;
}

export class NodeAgent {
  private readonly options: NodeAgentOptions;
  private readonly deps: NodeAgentDeps;
  /** The configuration FRR was last brought to (verified by FRR's own check). */
  private lastApplied: string | undefined;
  private current: NodeStatus;

  constructor(options: NodeAgentOptions, deps: NodeAgentDeps) {
    this.options = options;
    this.deps = deps;
    this.current = emptyStatus(options.nodeName);
  }

  status(): NodeStatus {
    return this.current;
  }

  /** True once FRR runs a configuration computed from the inputs. */
  hasApplied(): boolean {
    return this.lastApplied !== undefined;
  }

  async reconcile(): Promise<ReconcileOutcome> {
    // Nothing applied yet: FRR's state is read while the inputs load and the pipeline runs.
    if (this.lastApplied === undefined) void this.deps.frr.prefetch?.();
    const inputs = await this.deps.source.read();
    if (inputs.readProblems.length > 0) {
      return this.finish(
        { conversion: `failed: cannot read the inputs: ${inputs.readProblems.join("; ")}`, issues: [] },
        "terminal",
      );
    }
    const result = computeNodeConfig({
      nodeName: this.options.nodeName,
      nodeLabels: inputs.nodeLabels,
      configurations: inputs.configurations,
      secrets: inputs.secrets,
      options: this.pipelineOptions(inputs),
    });
    if (result.frrConfig === undefined || hasErrors(result.issues)) {
      const errors = result.issues.filter((i) => i.severity === "error").length;
      return this.finish(
        { conversion: `failed: ${errors} issue${errors === 1 ? "" : "s"}`, issues: result.issues },
        "terminal",
      );
    }
    return this.applyDesired(result.frrConfig, result.issues);
  }

  private pipelineOptions(inputs: NodeInputs): Parameters<typeof computeNodeConfig>[0]["options"] {
    const logLevel = inputs.logLevel ?? this.options.logLevel;
    return {
      hostname: this.options.hostname,
      ...(logLevel !== undefined && { logLevel }),
      ...(this.options.alwaysBlock && { alwaysBlock: this.options.alwaysBlock }),
      ...(inputs.ipv6OnlyNode !== undefined && { ipv6OnlyNode: inputs.ipv6OnlyNode }),
    };
  }

  private async applyDesired(config: string, issues: Issue[]): Promise<ReconcileOutcome> {
    if (config === this.lastApplied) {
      // Unchanged: no FRR command at all (verify() notices a restarted daemon).
      this.deps.observer?.applied({ kind: "unchanged" });
      this.current = { ...this.current, lastConversionResult: "success", issues, configStale: false };
      await this.publish();
      return { kind: "done" };
    }
    return this.apply(config, issues);
  }

  private async apply(config: string, issues: Issue[]): Promise<ReconcileOutcome> {
    const outcome = await this.deps.frr.apply(config);
    this.deps.observer?.applied(outcome);
    if (outcome.kind === "applied") {
      this.lastApplied = config;
      const appliedAt = this.deps.clock.now();
      const resets = outcome.resets ?? [];
      return this.finish({ conversion: "success", issues, reload: "success", appliedAt, resets }, "done");
    }
    const reload = outcome.kind === "rejected" ? outcome.detail : outcome.error;
    return this.finish(
      { conversion: "success", issues, reload },
      outcome.kind === "rejected" ? "terminal" : "retry",
    );
  }

  /**
   * The periodic check: re-applies the last configuration if FRR lost it (a daemon restarted
   * empty), and refreshes sessions and the running config in the status.
   */
  async verify(): Promise<ReconcileOutcome> {
    const config = this.lastApplied;
    if (config !== undefined && (await this.deps.frr.drifted(config).catch(() => true))) {
      this.lastApplied = undefined;
      return this.apply(config, this.current.issues);
    }
    this.current = await this.buildStatus({
      conversion: this.current.lastConversionResult,
      issues: this.current.issues,
      reload: this.current.lastReloadResult,
    });
    await this.publish();
    return { kind: "done" };
  }

  private async finish(result: PassResult, kind: "done" | "terminal" | "retry"): Promise<ReconcileOutcome> {
    this.current = await this.buildStatus(result);
    this.deps.observer?.reconciled(kind !== "done");
    await this.publish();
    if (kind === "done") return { kind: "done" };
    const error =
      result.reload !== undefined && result.reload !== "success" ? result.reload : result.conversion;
    return { kind, error };
  }

  private async publish(): Promise<void> {
    this.deps.observer?.status(this.current);
    await this.deps.sink.publish(this.current).catch(() => undefined);
  }

  private async buildStatus(result: PassResult): Promise<NodeStatus> {
    const [running, sessions, bfdPeers, unconverged] = await Promise.all([
      this.deps.frr.runningConfig().catch(() => ""),
      this.deps.frrStatus.sessions().catch((): SessionState[] => []),
      this.deps.frrStatus.bfdPeers().catch((): BfdPeerState[] => []),
      this.deps.frr.unconverged?.().catch((): string[] => []),
    ]);
    const appliedAt = result.appliedAt ?? this.current.lastAppliedAt;
    const resets = result.resets ?? this.current.lastApplyResets;
    return {
      node: this.options.nodeName,
      lastConversionResult: result.conversion,
      lastReloadResult: result.reload ?? this.current.lastReloadResult,
      runningConfig: redactPasswords(running),
      issues: result.issues,
      sessions,
      bfdPeers,
      configStale:
        result.conversion !== "success" ||
        (result.reload !== undefined && result.reload !== "success" && result.reload !== ""),
      ...(appliedAt !== undefined && { lastAppliedAt: appliedAt }),
      ...(resets !== undefined && { lastApplyResets: resets }),
      ...(unconverged !== undefined && { unconverged }),
    };
  }
}

interface PassResult {
  conversion: string;
  issues: Issue[];
  reload?: string;
  appliedAt?: number;
  /** Sessions reset by this pass's apply (only passes that applied something set it). */
  resets?: SessionReset[];
}

function emptyStatus(node: string): NodeStatus {
  return {
    node,
    lastConversionResult: "",
    lastReloadResult: "",
    runningConfig: "",
    issues: [],
    sessions: [],
    bfdPeers: [],
    configStale: false,
  };
}
