// Agent scenarios with the node's FRR under watchfrr, as on a real node: pathspace `-N <node netns>`,
// /etc/frr/<name>/frr.conf kept by the agent's applier (the default engine writes it; with
// `--apply-mode reload`, frr-reload.py --reload --overwrite has FRR write it), and watchfrr
// restarting a daemon that dies (`watchfrr.sh restart <d>` boots it from that frr.conf; zebra
// dying restarts them all). The real `frrk8s agent` runs with `--pathspace`.
//
//   a. sessions up, the node's prefix at the peers, the peers' prefixes in the node's kernel table;
//   b. bgpd killed (-9) with the agent's periodic verify effectively off: the configuration comes
//      back from frr.conf alone (the agent applies nothing), sessions and routes too; the password
//      is in frr.conf (not readable by others) and nowhere else;
//   c. zebra killed: watchfrr restarts it (and the others); the routes are back in the new zebra
//      and in the kernel;
//   d. a new agent, with `--apply-mode reload` (frr-reload.py, as upstream) and its verify on
//      (every 2 s), and bgpd killed: converges too (watchfrr and the agent may both re-apply),
//      /status ends with lastReloadResult "success", frr.conf stays whole.
//
// One lab: an FRR peer (MD5 password) and a BIRD peer.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { asWatchfrr, watchfrrPrerequisiteProblems, type WatchfrrInstance } from "../support/frr-watchfrr.ts";
import {
  metricValue,
  nodeYaml,
  passwordSecretYaml,
  startAgent,
  type AgentProcess,
} from "../support/lab/agent-process.ts";
import { birdPeerPrerequisiteProblems } from "../support/lab/peer-bird.ts";
import { frrJson } from "../support/lab/frr-state.ts";
import { waitForFrrEstablished, waitForKernelRoute } from "../support/lab/node-frr.ts";
import { waitForEstablished, waitForReceived } from "../support/lab/peer.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { waitFor } from "../support/lab/util.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const NODE = "wf-node";
const NODE_ASN = 64512;
const PASSWORD = "watchfrr-lab-S3cret";
const ADVERTISED = "10.88.0.0/24";
const WAIT = { timeoutMs: 40_000 };
/** watchfrr notices a death at once and restarts after ~5 s; zebra's restart of all takes longer. */
const RESTART_WAIT = { timeoutMs: 45_000 };
/** "Off": longer than the test runs. */
const VERIFY_OFF_SECONDS = 3600;

const PEERS = [
  { name: "frr", kind: "frr", asn: 64761, ip: "192.168.186.2", announce: "10.89.1.0/24" },
  { name: "bird", kind: "bird", asn: 64762, ip: "192.168.187.2", announce: "10.89.2.0/24" },
] as const;

function configYaml(): string {
  const neighbors = PEERS.map(
    (p) => `      - address: ${p.ip}
        asn: ${p.asn}
        connectTime: 2s${p.name === "frr" ? "\n        passwordSecret: {name: frr-peer-password}" : ""}
        toAdvertise: {allowed: {prefixes: [${ADVERTISED}]}}
        toReceive: {allowed: {prefixes: [{prefix: ${p.announce}}]}}`,
  ).join("\n");
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: watchfrr, namespace: frr-k8s-system}
spec:
  bgp:
    routers:
    - asn: ${NODE_ASN}
      prefixes: [${ADVERTISED}]
      neighbors:
${neighbors}
`;
}

const AGENT_FILES = {
  "node.yaml": nodeYaml(NODE),
  "secret.yaml": passwordSecretYaml("frr-peer-password", PASSWORD),
  "config.yaml": configYaml(),
};

describe(
  "agent on FRR under watchfrr (pathspace): daemons killed, configuration back",
  { skip: SKIP },
  () => {
    let lab: Lab | undefined;
    let frr: WatchfrrInstance | undefined;
    let agent: AgentProcess | undefined;

    before(async () => {
      const problems = [...(await watchfrrPrerequisiteProblems()), ...(await birdPeerPrerequisiteProblems())];
      assert.deepEqual(
        problems,
        [],
        `cannot run the watchfrr lab here:\n  ${problems.join("\n  ")}\n` +
          "Install them (scripts/test-all.sh) or set FRRK8S_SKIP_LAB=1 to skip.",
      );
      lab = await buildLab({
        node: { asn: NODE_ASN, supervisor: "watchfrr" },
        peers: PEERS.map((p) => ({
          name: p.name,
          kind: p.kind,
          asn: p.asn,
          ipv4: `${p.ip}/24`,
          announce: [p.announce],
          ...(p.name === "frr" && { neighborOptions: { password: PASSWORD } }),
        })),
      });
      frr = asWatchfrr(lab.nodeFrr());
      agent = await startAgent(lab, { node: NODE, files: AGENT_FILES, verifySeconds: VERIFY_OFF_SECONDS });
    });

    after(async () => {
      await agent?.stop();
      await lab?.destroy();
    });

    /** What to print when a wait fails: watchfrr, the node's bgpd and zebra, the agent. */
    const diagnostics = (): string =>
      [
        `watchfrr:\n${frr?.watchfrrLog(2500) ?? ""}`,
        `node bgpd log:\n${frr?.logTail("bgpd", 2000) ?? ""}`,
        `node zebra log:\n${frr?.logTail("zebra", 1500) ?? ""}`,
        `agent output:\n${agent?.output().slice(-3000) ?? ""}`,
      ].join("\n\n");

    const explained = async <T>(what: Promise<T>): Promise<T> => {
      try {
        return await what;
      } catch (e) {
        throw new Error(`${(e as Error).message}\n\n${diagnostics()}`, { cause: e });
      }
    };

    /** Sessions Established at both ends, the node's prefix at every peer, theirs in the node's kernel. */
    const converged = async (): Promise<void> => {
      const l = lab!;
      await explained(
        waitForFrrEstablished(
          frr!,
          PEERS.map((p) => p.ip),
          WAIT,
        ),
      );
      for (const p of PEERS) {
        const peer = l.peer(p.name).bgp;
        await explained(waitForEstablished(peer, undefined, WAIT));
        await explained(waitForReceived(peer, ADVERTISED, () => true, WAIT));
        await explained(waitForKernelRoute(l.node.ns.name, p.announce, () => true, WAIT));
      }
    };

    /** Kill `daemon` by the pid in its pid file; resolves once watchfrr runs a new one and is idle. */
    const killAndWaitRestart = async (daemon: "bgpd" | "zebra") => {
      const f = frr!;
      const before = f.pids();
      const old = before[daemon];
      assert.ok(old !== undefined, `${daemon} is not running: ${JSON.stringify(before)}`);
      process.kill(old, "SIGKILL");
      await explained(
        waitFor(
          `watchfrr to start a new ${daemon}`,
          () => {
            const pid = f.pids()[daemon];
            return pid !== undefined && pid !== old;
          },
          RESTART_WAIT,
        ),
      );
      const after = await explained(f.waitSettled(RESTART_WAIT));
      assert.notEqual(after[daemon], old, `${daemon} has its old pid`);
      return { before, after };
    };

    const frrConf = (): string => readFileSync(join(frr!.confDir, "frr.conf"), "utf8");

    const appliedCount = async (): Promise<number> =>
      metricValue(await agent!.metrics(), "frrk8s_apply_results_total", 'outcome="applied"');

    test("sessions come up, the node's prefix reaches the peers, theirs the node's kernel", async () => {
      await converged();
      const status = await agent!.status();
      assert.equal(status.lastReloadResult, "success");
      // The applier wrote the pathspace's frr.conf: what a restarted daemon boots from.
      await waitFor(
        "router bgp in /etc/frr/<name>/frr.conf",
        () => frrConf().includes(`router bgp ${NODE_ASN}`),
        {
          timeoutMs: 10_000,
        },
      );
    });

    test("bgpd killed, agent idle: watchfrr restarts it and frr.conf brings the configuration back", async () => {
      const l = lab!;
      const f = frr!;
      assert.match(frrConf(), new RegExp(`^router bgp ${NODE_ASN}$`, "m"));
      assert.match(frrConf(), /^ neighbor 192\.168\.186\.2 password /m);
      const applied = await appliedCount();
      const transitions = await Promise.all(PEERS.map((p) => l.peer(p.name).bgp.establishedTransitions()));

      await killAndWaitRestart("bgpd");
      const running = await f.runningConfig();
      assert.match(
        running,
        new RegExp(`^router bgp ${NODE_ASN}$`, "m"),
        "bgpd came back without its configuration",
      );
      for (const p of PEERS) assert.ok(running.includes(`neighbor ${p.ip} remote-as ${p.asn}`), running);
      await converged();

      // The sessions went down and up again (not an old Established seen before the kill).
      const now = await Promise.all(PEERS.map((p) => l.peer(p.name).bgp.establishedTransitions()));
      PEERS.forEach((p, i) => {
        const sum = (r: Record<string, number> | undefined) =>
          Object.values(r ?? {}).reduce((a, b) => a + b, 0);
        assert.ok(sum(now[i]) > sum(transitions[i]), `${p.name}: no new session (${JSON.stringify(now[i])})`);
      });
      assert.equal(await appliedCount(), applied, "the agent applied: the recovery was not watchfrr's alone");
    });

    test("the password is in frr.conf (not readable by others) and nowhere else", async () => {
      const f = frr!;
      const conf = join(f.confDir, "frr.conf");
      assert.ok(frrConf().includes(PASSWORD), "frr.conf has no password: the session could not come back");
      assert.equal(statSync(conf).mode & 0o007, 0, `${conf} is readable by others`);
      // frr.conf.sav is the previous frr.conf, kept by `vtysh write`.
      const allowed = new Set([conf, `${conf}.sav`]);
      for (const dir of [f.confDir, f.runDir]) {
        for (const name of readdirSync(dir)) {
          const file = join(dir, name);
          if (allowed.has(file) || !statSync(file).isFile()) continue;
          assert.ok(!readFileSync(file, "utf8").includes(PASSWORD), `${file} contains the password`);
        }
      }
      for (const path of ["/status", "/metrics"])
        assert.ok(!(await agent!.get(path)).text.includes(PASSWORD), `${path} contains the password`);
      assert.ok(!agent!.output().includes(PASSWORD), "the agent's output contains the password");
    });

    test("zebra killed: watchfrr restarts it (and the others); routes are back in zebra and the kernel", async (t) => {
      const l = lab!;
      const f = frr!;
      const { before, after } = await killAndWaitRestart("zebra");
      const restarted = f.daemons.filter((d) => before[d] !== after[d]);
      t.diagnostic(`restarted by watchfrr: ${restarted.join(", ")}`);
      await converged();
      for (const p of PEERS) {
        // The new zebra has the route from bgpd and installed it (the kernel check alone could see a
        // route the killed zebra left behind).
        await explained(
          waitFor(
            `${p.announce} installed by the new zebra`,
            async () => {
              const routes = (await frrJson(f, `show ip route ${p.announce} json`)) as Record<
                string,
                { protocol?: string; installed?: boolean }[] | undefined
              >;
              return routes[p.announce]?.some((r) => r.protocol === "bgp" && r.installed === true) === true;
            },
            WAIT,
          ),
        );
        await waitForKernelRoute(l.node.ns.name, p.announce, () => true, WAIT);
      }
      assert.match(await f.runningConfig(), new RegExp(`^router bgp ${NODE_ASN}$`, "m"));
    });

    test("agent with frr-reload.py and verify on (2 s), bgpd killed: converges, /status reports success", async (t) => {
      const l = lab!;
      const started = Date.now();
      const phases: string[] = [];
      const phase = (what: string) => phases.push(`${what} +${Date.now() - started} ms`);
      await agent!.stop();
      agent = await startAgent(l, {
        node: NODE,
        files: AGENT_FILES,
        verifySeconds: 2,
        extraArgs: ["--apply-mode", "reload"],
      });
      let last = "";
      await explained(
        waitFor(
          "the new agent's first apply",
          async () => {
            const s = await agent!.status();
            last = `lastReloadResult: ${s.lastReloadResult}; lastConversionResult: ${s.lastConversionResult}`;
            return s.lastReloadResult === "success";
          },
          { ...WAIT, describe: () => last },
        ),
      );
      phase("first apply");
      const applied = await appliedCount();

      await killAndWaitRestart("bgpd");
      phase("bgpd restarted");
      await converged();
      phase("converged");
      const status = await explained(
        waitFor(
          "lastReloadResult success in /status",
          async () => {
            const s = await agent!.status();
            return s.lastReloadResult === "success" && !s.configStale ? s : undefined;
          },
          WAIT,
        ),
      );
      phase("status success");
      assert.match(status.runningConfig, new RegExp(`^router bgp ${NODE_ASN}$`, "m"));
      t.diagnostic(`applies by the agent during the recovery: ${(await appliedCount()) - applied}`);
      t.diagnostic(phases.join(", "));
      // Whoever re-applied, what a restart boots from is still the whole configuration.
      assert.match(frrConf(), new RegExp(`^router bgp ${NODE_ASN}$`, "m"));
      for (const p of PEERS) assert.ok(frrConf().includes(`neighbor ${p.ip} remote-as ${p.asn}`), frrConf());
    });
  },
);
