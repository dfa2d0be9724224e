// Two FRR instances ("node" and "peer") in their own network namespaces, joined by one veth pair,
// for the FRR adapter tests and the JSON fixture capture (test/fixtures/frr-json/capture.ts).
//
//   netns <prefix>-n-<pid>   n-eth0 192.0.2.1/24 2001:db8:100::1/64  <-veth->  p-eth0 192.0.2.2/24 2001:db8:100::2/64   netns <prefix>-p-<pid>
//
// Addresses exist only inside the two namespaces (documentation ranges). The veth ends are created
// directly in the namespaces, so nothing is added to the host's namespace. Forwarding is on in both
// (else `no ip forwarding` shows up in every reload diff, lab pitfall 7), IPv6 DAD is off (pitfall 11).
// stop() removes everything by pid and namespace name, and the emergency cleanup registered by
// netns.ts / frr-daemons.ts covers an interrupted run.
import { hostname } from "node:os";
import { computeNodeConfig } from "../../src/core/pipeline.ts";
import { runChecked } from "../support/exec.ts";
import { frrPrerequisiteProblems, startFrr, type FrrInstance } from "../support/frr-daemons.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../support/netns.ts";

export const NODE_V4 = "192.0.2.1";
export const PEER_V4 = "192.0.2.2";
export const NODE_V6 = "2001:db8:100::1";
export const PEER_V6 = "2001:db8:100::2";
export const NODE_AS = 64512;
export const PEER_AS = 64513;

/**
 * The UTS host name, which FRR always reports (`ip netns exec` keeps the host's UTS namespace).
 * A rendered config must carry `hostname <this>` or every reload diff contains
 * `no hostname ...` (lab pitfall 5).
 */
export const HOSTNAME = hostname();

export interface AdapterLab {
  node: FrrInstance;
  peer: FrrInstance;
  /** Stop both instances and delete both namespaces; every step runs even if an earlier one failed. */
  stop(): Promise<void>;
}

const IP_TIMEOUT = { timeoutMs: 10_000 };

export async function startAdapterLab(
  prefix: string,
  options: { withPeer?: boolean } = {},
): Promise<AdapterLab> {
  const problems = await frrPrerequisiteProblems();
  if (problems.length > 0) {
    throw new Error(
      `cannot run FRR here:\n  ${problems.join("\n  ")}\nInstall FRR (scripts/test-all.sh) or set FRRK8S_SKIP_FRR=1 to skip.`,
    );
  }
  const withPeer = options.withPeer ?? true;
  const namespaces: Namespace[] = [];
  const instances: FrrInstance[] = [];
  const stop = async () => {
    const errors: unknown[] = [];
    for (const i of instances.splice(0).reverse()) await i.stop().catch((e: unknown) => errors.push(e));
    for (const n of namespaces.splice(0).reverse()) await n.delete().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, "adapter lab cleanup failed");
  };
  try {
    const nodeNs = await createNamespace(uniqueNamespaceName(`${prefix}-n`), { forwarding: true });
    namespaces.push(nodeNs);
    const peerNs = await createNamespace(uniqueNamespaceName(`${prefix}-p`), { forwarding: true });
    namespaces.push(peerNs);
    await link(nodeNs.name, peerNs.name);
    instances.push(await startFrr({ netns: nodeNs.name }));
    if (withPeer) instances.push(await startFrr({ netns: peerNs.name }));
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  const [node, peer] = instances;
  return { node: node!, peer: peer ?? node!, stop };
}

async function link(nodeNs: string, peerNs: string): Promise<void> {
  await runChecked(
    "ip",
    ["link", "add", "n-eth0", "netns", nodeNs, "type", "veth", "peer", "name", "p-eth0", "netns", peerNs],
    IP_TIMEOUT,
  );
  const ends = [
    { ns: nodeNs, dev: "n-eth0", v4: NODE_V4, v6: NODE_V6 },
    { ns: peerNs, dev: "p-eth0", v4: PEER_V4, v6: PEER_V6 },
  ];
  for (const { ns, dev, v4, v6 } of ends) {
    await runChecked(
      "ip",
      ["netns", "exec", ns, "sysctl", "-q", "-w", `net.ipv6.conf.${dev}.accept_dad=0`],
      IP_TIMEOUT,
    );
    await runChecked("ip", ["-n", ns, "addr", "add", `${v4}/24`, "dev", dev], IP_TIMEOUT);
    await runChecked("ip", ["-n", ns, "addr", "add", `${v6}/64`, "dev", dev, "nodad"], IP_TIMEOUT);
    await runChecked("ip", ["-n", ns, "link", "set", dev, "up"], IP_TIMEOUT);
  }
}

/** Poll `check` until it returns a value (not undefined); bounded by time and by count. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const interval = options.intervalMs ?? 250;
  const deadline = Date.now() + options.timeoutMs;
  const maxTries = Math.ceil(options.timeoutMs / interval) + 1;
  let last: unknown;
  for (let i = 0; i < maxTries; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  throw new Error(
    `timed out after ${options.timeoutMs} ms waiting for ${options.what}` +
      (last === undefined
        ? ""
        : ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})`),
  );
}

/** frr.conf for the node, rendered by the project's own pipeline from one FRRConfiguration spec. */
export function renderNodeConfig(spec: Record<string, unknown>): string {
  const result = computeNodeConfig({
    nodeName: "node-1",
    nodeLabels: {},
    configurations: [
      {
        apiVersion: "frrk8s.metallb.io/v1beta1",
        kind: "FRRConfiguration",
        metadata: { name: "adapter-test", namespace: "frr-k8s-system" },
        spec,
      },
    ],
    secrets: [],
    options: { hostname: HOSTNAME },
  });
  if (result.frrConfig === undefined) {
    throw new Error(`test spec does not render: ${JSON.stringify(result.issues, null, 2)}`);
  }
  return result.frrConfig;
}
