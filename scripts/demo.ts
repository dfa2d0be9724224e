// The demo: examples/demo rendered by `frrk8s render` and applied to a real FRR "node", peering
// with a real FRR "router", each in its own network namespace. Shows the session, routes both
// ways (and the ones filtered out) in a table, then removes everything it created.
//
//   npm run demo            # runs, prints, cleans up
//   npm run demo -- --keep  # leaves the lab up and prints how to look inside and tear it down
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChecked, runCommand, sleep } from "../test/support/exec.ts";
import { frrPrerequisiteProblems, startFrr, type FrrInstance } from "../test/support/frr-daemons.ts";
import { createNamespace, type Namespace } from "../test/support/netns.ts";

const ROOT = join(import.meta.dirname, "..");
const NODE_IP = "10.0.0.1";
const PEER_IP = "10.0.0.2";
const WAIT_MS = 60_000;

const PEER_CONFIG = `router bgp 64513
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor ${NODE_IP} remote-as 64512
 neighbor ${NODE_IP} timers connect 5
 address-family ipv4 unicast
  network 10.100.1.0/24
  network 10.200.0.0/24
 exit-address-family
exit
`;

interface Lab {
  node: Namespace;
  peer: Namespace;
  nodeFrr: FrrInstance;
  peerFrr: FrrInstance;
  dir: string;
}

function frrk8s(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/frrk8s.js"), ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function step(text: string): void {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`);
}

async function buildLab(dir: string): Promise<Lab> {
  const node = await createNamespace(`frrk8s-demo-node-${process.pid}`, { forwarding: true });
  const peer = await createNamespace(`frrk8s-demo-peer-${process.pid}`, { forwarding: true });
  await runChecked("ip", [
    "-n",
    node.name,
    "link",
    "add",
    "eth0",
    "type",
    "veth",
    "peer",
    "name",
    "eth0",
    "netns",
    peer.name,
  ]);
  for (const [ns, ip] of [
    [node, NODE_IP],
    [peer, PEER_IP],
  ] as const) {
    await runChecked("ip", ["-n", ns.name, "addr", "add", `${ip}/24`, "dev", "eth0"]);
    await runChecked("ip", ["-n", ns.name, "link", "set", "eth0", "up"]);
  }
  const nodeFrr = await startFrr({ netns: node.name });
  const peerFrr = await startFrr({ netns: peer.name });
  return { node, peer, nodeFrr, peerFrr, dir };
}

async function loadConfig(frr: FrrInstance, file: string): Promise<void> {
  const r = await frr.loadFile(file);
  const output = (r.stdout + r.stderr).trim();
  if (r.code !== 0 || output !== "") throw new Error(`FRR refused ${file}:\n${output}`);
}

async function vtyshJson(frr: FrrInstance, command: string): Promise<unknown> {
  const r = await frr.vtysh(["-c", command]);
  return JSON.parse(r.stdout || "{}") as unknown;
}

async function sessionState(frr: FrrInstance, neighbor: string): Promise<string> {
  const json = (await vtyshJson(frr, `show bgp neighbors ${neighbor} json`)) as Record<
    string,
    { bgpState?: string }
  >;
  return json[neighbor]?.bgpState ?? "unknown";
}

/** Polls until `check` is true or the bound is reached; returns the last value of `check`. */
async function waitFor(check: () => Promise<boolean>, timeoutMs = WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 600 && Date.now() < deadline; attempt++) {
    if (await check()) return true;
    await sleep(250);
  }
  return check();
}

async function bgpRoute(
  frr: FrrInstance,
  prefix: string,
): Promise<{ present: boolean; communities: string }> {
  const json = (await vtyshJson(frr, `show bgp ipv4 unicast ${prefix} json`)) as {
    paths?: { community?: { string?: string } }[];
  };
  const paths = json.paths ?? [];
  return { present: paths.length > 0, communities: paths[0]?.community?.string ?? "" };
}

async function kernelRoute(ns: Namespace, prefix: string): Promise<boolean> {
  const r = await runCommand("ip", ["-n", ns.name, "route", "show", prefix, "proto", "bgp"]);
  return r.stdout.trim() !== "";
}

async function report(lab: Lab): Promise<boolean> {
  const rows: [string, string, string, boolean][] = [];
  const sent = await bgpRoute(lab.peerFrr, "192.168.10.0/24");
  rows.push([
    "192.168.10.0/24",
    "node → router",
    sent.present ? `in the router's BGP table, community ${sent.communities || "none"}` : "missing",
    sent.present && sent.communities.includes("64512:100"),
  ]);
  const unsent = await bgpRoute(lab.peerFrr, "192.168.11.0/24");
  rows.push([
    "192.168.11.0/24",
    "node → router",
    unsent.present ? "advertised (unexpected)" : "not advertised: not allowed for this neighbor",
    !unsent.present,
  ]);
  const received = await kernelRoute(lab.node, "10.100.1.0/24");
  rows.push([
    "10.100.1.0/24",
    "router → node",
    received ? "in the node's kernel routing table (proto bgp)" : "missing",
    received,
  ]);
  const filtered = await bgpRoute(lab.nodeFrr, "10.200.0.0/24");
  rows.push([
    "10.200.0.0/24",
    "router → node",
    filtered.present ? "accepted (unexpected)" : "refused by route-map 10.0.0.2-in (not in toReceive)",
    !filtered.present,
  ]);
  const width = [16, 14, 52];
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i] ?? 0)).join("  ");
  console.log(line(["prefix", "direction", "result"]) + "  ok");
  for (const [prefix, direction, result, ok] of rows)
    console.log(line([prefix, direction, result]) + `  ${ok ? "✔" : "✘"}`);
  return rows.every((r) => r[3]);
}

async function teardown(lab: Lab): Promise<void> {
  await lab.nodeFrr.stop();
  await lab.peerFrr.stop();
  await lab.node.delete();
  await lab.peer.delete();
  rmSync(lab.dir, { recursive: true, force: true });
}

function printKeepHelp(lab: Lab): void {
  step("The lab stays up (--keep)");
  console.log(`look inside:  vtysh --vty_socket ${lab.nodeFrr.dir} -c 'show bgp summary'`);
  console.log(`              vtysh --vty_socket ${lab.peerFrr.dir} -c 'show bgp ipv4 unicast'`);
  console.log(`              ip -n ${lab.node.name} route`);
  console.log(
    `tear down:    kill ${Object.values({ ...lab.nodeFrr.pids(), ...lab.peerFrr.pids() }).join(" ")}; ip netns del ${lab.node.name}; ip netns del ${lab.peer.name}; rm -rf ${lab.dir}`,
  );
}

async function main(): Promise<number> {
  const keep = process.argv.includes("--keep");
  const problems = await frrPrerequisiteProblems();
  if (problems.length > 0) throw new Error(`cannot run FRR here: ${problems.join("; ")}`);

  step("frrk8s validate -f examples/invalid   (every problem, with its field path and line)");
  console.log(frrk8s(["validate", "-f", join(ROOT, "examples/invalid")]).stdout.trim());

  step("frrk8s render -f examples/demo --node demo-node   (two configurations merged)");
  const rendered = frrk8s(["render", "-f", join(ROOT, "examples/demo"), "--node", "demo-node"]);
  if (rendered.status !== 0) throw new Error(`render failed: ${rendered.stderr}`);
  console.log(
    rendered.stdout
      .split("\n")
      .filter((l) => /^(router|route-map|ip prefix-list| neighbor)/.test(l))
      .join("\n"),
  );

  const dir = mkdtempSync(join(tmpdir(), "frrk8s-demo-"));
  chmodSync(dir, 0o755); // the config files are read by vtysh and the daemons
  const lab = await buildLab(dir);
  try {
    step(
      `Real FRR: node ${NODE_IP} (AS 64512) ⇄ router ${PEER_IP} (AS 64513), each in its own network namespace`,
    );
    writeFileSync(join(dir, "node.conf"), rendered.stdout);
    writeFileSync(join(dir, "peer.conf"), PEER_CONFIG);
    await loadConfig(lab.nodeFrr, join(dir, "node.conf"));
    await loadConfig(lab.peerFrr, join(dir, "peer.conf"));
    const up = await waitFor(async () => (await sessionState(lab.nodeFrr, PEER_IP)) === "Established");
    console.log(`BGP session: ${await sessionState(lab.nodeFrr, PEER_IP)}`);
    if (up)
      await waitFor(
        async () =>
          (await kernelRoute(lab.node, "10.100.1.0/24")) &&
          (await bgpRoute(lab.peerFrr, "192.168.10.0/24")).present,
      );
    const ok = up && (await report(lab));
    if (keep) printKeepHelp(lab);
    console.log(ok ? "\ndemo: everything as configured" : "\ndemo: something is not as configured (see ✘)");
    return ok ? 0 : 1;
  } finally {
    if (!keep) await teardown(lab);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
