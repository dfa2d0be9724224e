// The demo: the frrk8s agent, in standalone mode, applies examples/demo to a real FRR "node" that
// peers with a real FRR "router", each in its own network namespace. Shows what the agent reports,
// the session, routes both ways (and the ones filtered out) in a table, then removes everything.
//
//   npm run demo            # runs, prints, cleans up (also when stdin is not a terminal)
//   npm run demo -- --keep  # keeps the lab and the agent up until Ctrl-C (which tears them down)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { frrPrerequisiteProblems } from "../test/support/frr-daemons.ts";
import { startAgent, type AgentProcess } from "../test/support/lab/agent-process.ts";
import { kernelRoutes } from "../test/support/lab/node-frr.ts";
import { buildLab, type Lab } from "../test/support/lab/topology.ts";
import { waitFor } from "../test/support/lab/util.ts";

const ROOT = join(import.meta.dirname, "..");
const NODE = "demo-node";
const ROUTER_IP = "10.0.0.2";
const WAIT = { timeoutMs: 60_000 };

function step(text: string): void {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`);
}

function frrk8s(args: string[]): string {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/frrk8s.js"), ...args], { encoding: "utf8" });
  return (r.stdout + r.stderr).trim();
}

async function routerHas(lab: Lab, prefix: string): Promise<{ present: boolean; communities: string[] }> {
  const route = (await lab.peer("router").bgp.routes()).find((r) => r.prefix === prefix);
  return { present: route !== undefined, communities: route?.communities ? [...route.communities] : [] };
}

async function nodeKernelHas(lab: Lab, prefix: string): Promise<boolean> {
  return (await kernelRoutes(lab.node.ns.name)).some((r) => r.prefix === prefix);
}

async function report(lab: Lab): Promise<boolean> {
  const sent = await routerHas(lab, "192.168.10.0/24");
  const unsent = await routerHas(lab, "192.168.11.0/24");
  const received = await nodeKernelHas(lab, "10.100.1.0/24");
  const filtered = await nodeKernelHas(lab, "10.200.0.0/24");
  const rows: [string, string, string, boolean][] = [
    [
      "192.168.10.0/24",
      "node → router",
      sent.present
        ? `in the router's BGP table, community ${sent.communities.join(" ") || "none"}`
        : "missing",
      sent.present && sent.communities.includes("64512:100"),
    ],
    [
      "192.168.11.0/24",
      "node → router",
      unsent.present ? "advertised (unexpected)" : "not advertised: not allowed for this neighbor",
      !unsent.present,
    ],
    [
      "10.100.1.0/24",
      "router → node",
      received ? "in the node's kernel routing table (proto bgp)" : "missing",
      received,
    ],
    [
      "10.200.0.0/24",
      "router → node",
      filtered ? "accepted (unexpected)" : "refused by route-map 10.0.0.2-in (not in toReceive)",
      !filtered,
    ],
  ];
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd([16, 14, 52][i] ?? 0)).join("  ");
  console.log(`${line(["prefix", "direction", "result"])}  ok`);
  for (const [prefix, direction, result, ok] of rows)
    console.log(`${line([prefix, direction, result])}  ${ok ? "✔" : "✘"}`);
  return rows.every((r) => r[3]);
}

function printKeepHelp(lab: Lab, agent: AgentProcess): void {
  step("The lab stays up until you press Ctrl-C (--keep); meanwhile, in another terminal:");
  console.log(`agent status:  npx frrk8s status --url ${agent.url}`);
  console.log(`node's FRR:    vtysh --vty_socket ${lab.nodeFrr().dir} -c 'show bgp summary'`);
  console.log(`edit config:   ${agent.dir}/demo.yaml (the agent applies changes at once)`);
  console.log(`node routes:   ip -n ${lab.node.ns.name} route`);
  console.log("tear down:     Ctrl-C here (stops the agent and the daemons, deletes the namespaces)");
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

async function main(): Promise<number> {
  const keep = process.argv.includes("--keep");
  const problems = await frrPrerequisiteProblems();
  if (problems.length > 0) throw new Error(`cannot run FRR here: ${problems.join("; ")}`);

  step("frrk8s validate -f examples/invalid   (every problem, with its field path and line)");
  console.log(frrk8s(["validate", "-f", join(ROOT, "examples/invalid")]));

  step(
    `A lab: node ${NODE} (FRR, AS 64512) ⇄ router ${ROUTER_IP} (FRR, AS 64513), each in its own network namespace`,
  );
  const lab = await buildLab({
    node: { asn: 64512 },
    peers: [
      {
        name: "router",
        kind: "frr",
        asn: 64513,
        ipv4: `${ROUTER_IP}/24`,
        announce: ["10.100.1.0/24", "10.200.0.0/24"],
      },
    ],
  });
  let agent: AgentProcess | undefined;
  try {
    step("frrk8s agent --config-dir <examples/demo> --node demo-node   (two configurations, merged)");
    agent = await startAgent(lab, {
      node: NODE,
      files: { "demo.yaml": readFileSync(join(ROOT, "examples/demo/demo.yaml"), "utf8") },
    });
    const running = agent;
    await waitFor(
      "the session and the routes",
      async () => {
        const status = await running.status().catch(() => undefined);
        const up = status?.sessions.some((s) => s.bgpState === "Established") === true;
        return (
          up &&
          (await routerHas(lab, "192.168.10.0/24")).present &&
          (await nodeKernelHas(lab, "10.100.1.0/24"))
        );
      },
      WAIT,
    );
    await new Promise((r) => setTimeout(r, 2_500)); // one status refresh, for the prefix counters
    step(`frrk8s status   (what the agent reports)`);
    console.log(frrk8s(["status", "--url", agent.url]));
    step("Routes, as the router and the node's kernel see them");
    const ok = await report(lab);
    console.log(ok ? "\ndemo: everything as configured" : "\ndemo: something is not as configured (see ✘)");
    if (keep) {
      printKeepHelp(lab, agent);
      await untilInterrupted();
    }
    return ok ? 0 : 1;
  } finally {
    await agent?.stop();
    await lab.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
