// Kube tier: the real `frrk8s agent` process on the Kubernetes API of a real kube-apiserver, with
// the node's real FRR peering with an FRR router in a network namespace. Objects are written with
// kubectl as a user would. Checks: the configuration reaches FRR (the MD5 password from a Secret
// included) and FRRNodeState and BGPSessionState show it; a conversion error leaves an Event with
// the field path and `failed: …` in FRRNodeState; a configuration for another node is ignored;
// FRRNodeState is recreated when deleted; the agent follows changes across an apiserver restart;
// FRRK8sConfiguration's level reaches FRR and the agent's log; the password appears in no status
// object, Event or log line.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { frrPrerequisiteProblems } from "../support/frr-daemons.ts";
import { type ControlPlane, startControlPlane } from "../support/kube/control-plane.ts";
import { startAgent, type AgentProcess } from "../support/lab/agent-process.ts";
import { waitForEstablished } from "../support/lab/peer.ts";
import { buildLab, type Lab } from "../support/lab/topology.ts";
import { waitFor } from "../support/lab/util.ts";
import { sleep } from "../support/exec.ts";

const SKIP =
  process.env.FRRK8S_SKIP_FRR === "1" || process.env.FRRK8S_SKIP_LAB === "1" ? "FRRK8S_SKIP_LAB=1" : false;
const NS = "frr-k8s-system";
const NODE = "kube-agent-node";
const PASSWORD = "kube-agent-S3cret-pw";
const PEER_IP = "192.168.121.2";
const WAIT = { timeoutMs: 40_000 };

const base = `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: Node
metadata: {name: ${NODE}, labels: {kubernetes.io/hostname: ${NODE}, rack: r1}}
---
apiVersion: v1
kind: Secret
metadata: {name: peer-password, namespace: ${NS}}
type: kubernetes.io/basic-auth
stringData: {password: ${PASSWORD}}
`;

function peering(prefixes: readonly string[]): string {
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: peering, namespace: ${NS}}
spec:
  nodeSelector: {matchLabels: {rack: r1}}
  bgp:
    routers:
    - asn: 64512
      prefixes: [${prefixes.join(", ")}]
      neighbors:
      - address: ${PEER_IP}
        asn: 64621
        connectTime: 2s
        passwordSecret: {name: peer-password}
        toAdvertise: {allowed: {prefixes: [${prefixes.join(", ")}]}}
`;
}

/** A neighbor towards an address nobody answers: its session stays in Active/Connect. */
function configFor(name: string, selector: string, neighbor: string, extra = ""): string {
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: ${name}, namespace: ${NS}}
spec:
  nodeSelector: {matchLabels: {${selector}}}
  bgp:
    routers:
    - asn: 64512
      neighbors:
      - address: ${neighbor}
        asn: 64700
${extra}`;
}

interface NodeState {
  metadata: { name: string; uid: string };
  status?: { lastConversionResult?: string; lastReloadResult?: string; runningConfig?: string };
}

interface SessionStateObject {
  metadata: { name: string; labels?: Record<string, string> };
  status?: Record<string, string>;
}

describe("agent on the Kubernetes API", { skip: SKIP }, () => {
  let cp: ControlPlane;
  let lab: Lab;
  let agent: AgentProcess;
  /** Undone in reverse order, whatever part of before() ran. */
  const cleanups: (() => Promise<void>)[] = [];

  const apply = async (yaml: string): Promise<void> => {
    await cp.kubectlChecked(["apply", "-f", "-"], { input: yaml });
  };
  const getJson = async <T>(args: string[]): Promise<T> =>
    JSON.parse((await cp.kubectlChecked(["get", ...args, "-o", "json"])).stdout) as T;
  const nodeState = (): Promise<NodeState> => getJson<NodeState>(["frrnodestate", NODE]);
  const sessionStates = async (): Promise<SessionStateObject[]> =>
    (await getJson<{ items: SessionStateObject[] }>(["bgpsessionstates", "-n", NS])).items;
  const waitNodeState = (what: string, check: (s: NodeState) => boolean): Promise<unknown> =>
    waitFor(
      what,
      async () => check(await nodeState().catch(() => ({ metadata: { name: "", uid: "" } }))),
      WAIT,
    );

  before(async () => {
    assert.deepEqual(await frrPrerequisiteProblems(), [], "FRR is needed (scripts/test-all.sh installs it)");
    cp = await startControlPlane();
    cleanups.push(() => cp.stop());
    lab = await buildLab({
      node: { asn: 64512 },
      peers: [
        {
          name: "r1",
          kind: "frr",
          asn: 64621,
          ipv4: `${PEER_IP}/24`,
          neighborOptions: { password: PASSWORD },
        },
      ],
    });
    cleanups.push(() => lab.destroy());
    await apply(base);
    await apply(peering(["10.61.0.0/24"]));
    agent = await startAgent(lab, {
      node: NODE,
      kube: { kubeconfig: cp.kubeconfig, namespace: NS },
      verifySeconds: 2,
    });
    cleanups.push(() => agent.stop());
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test("reconciles: session up with the Secret's password; FRRNodeState and BGPSessionState written", async () => {
    await waitForEstablished(lab.peer("r1").bgp, undefined, WAIT);
    await waitNodeState("FRRNodeState success", (s) => s.status?.lastConversionResult === "success");
    const state = await nodeState();
    assert.equal(state.status?.lastReloadResult, "success");
    assert.match(state.status.runningConfig ?? "", new RegExp(`neighbor ${PEER_IP} password <retracted>`));
    await waitFor(
      "BGPSessionState Established",
      async () => (await sessionStates()).some((s) => s.status?.["bgpStatus"] === "Established"),
      WAIT,
    );
    const [session, ...others] = await sessionStates();
    assert.equal(others.length, 0, "one neighbor, one BGPSessionState");
    assert.ok(session!.metadata.name.startsWith(`${NODE}-`), session!.metadata.name);
    assert.deepEqual(session!.metadata.labels, {
      "frrk8s.metallb.io/node": NODE,
      "frrk8s.metallb.io/peer": PEER_IP,
      "frrk8s.metallb.io/vrf": "",
    });
    assert.deepEqual(session!.status, {
      node: NODE,
      peer: PEER_IP,
      vrf: "",
      bgpStatus: "Established",
      bfdStatus: "N/A",
    });
  });

  test("a session towards a dead IPv6 address: peer label fully expanded, not Established", async () => {
    await apply(configFor("dead-v6", "rack: r1", "fd00:99::7"));
    const label = "fd00-0099-0000-0000-0000-0000-0000-0007";
    await waitFor(
      "BGPSessionState of fd00:99::7",
      async () =>
        (await sessionStates()).some((s) => s.metadata.labels?.["frrk8s.metallb.io/peer"] === label),
      WAIT,
    );
    const session = (await sessionStates()).find((s) => s.status?.["peer"] === label);
    assert.ok(session, "status.peer is the label form");
    assert.notEqual(session.status?.["bgpStatus"], "Established");
    await cp.kubectlChecked(["delete", "frrconfiguration", "-n", NS, "dead-v6"]);
    await waitFor(
      "its BGPSessionState deleted",
      async () => !(await sessionStates()).some((s) => s.status?.["peer"] === label),
      WAIT,
    );
  });

  test("a configuration for another node is ignored", async () => {
    await apply(configFor("other-node", "rack: r2", "192.0.2.77"));
    await apply(configFor("marker", "rack: r1", "192.0.2.78"));
    // The marker (applied after) shows the agent reconciled past the other node's configuration.
    await waitNodeState("marker applied", (s) => (s.status?.runningConfig ?? "").includes("192.0.2.78"));
    assert.doesNotMatch((await nodeState()).status?.runningConfig ?? "", /192\.0\.2\.77/);
    assert.ok(!(await sessionStates()).some((s) => s.status?.["peer"] === "192.0.2.77"));
    await cp.kubectlChecked(["delete", "frrconfiguration", "-n", NS, "other-node", "marker"]);
  });

  test("a node label change: a configuration now selecting the node is applied, one no longer selecting it removed", async () => {
    await cp.kubectlChecked(["label", "node", NODE, "stage=a"]);
    await apply(configFor("stage-a", "stage: a", "192.0.2.81"));
    await apply(configFor("stage-b", "stage: b", "192.0.2.82"));
    const running = async (): Promise<string> => (await nodeState()).status?.runningConfig ?? "";
    await waitNodeState("stage-a applied", (s) => (s.status?.runningConfig ?? "").includes("192.0.2.81"));
    assert.doesNotMatch(await running(), /192\.0\.2\.82/);
    await cp.kubectlChecked(["label", "node", NODE, "stage=b", "--overwrite"]);
    await waitNodeState("stage-b applied, stage-a removed", (s) => {
      const config = s.status?.runningConfig ?? "";
      return config.includes("192.0.2.82") && !config.includes("192.0.2.81");
    });
    await cp.kubectlChecked(["delete", "frrconfiguration", "-n", NS, "stage-a", "stage-b"]);
    await cp.kubectlChecked(["label", "node", NODE, "stage-"]);
  });

  test("a conversion error: an Event with the field path, FRRNodeState failed, FRR keeps the last good config", async () => {
    await apply(
      configFor("broken", "rack: r1", "192.0.2.79", "        passwordSecret: {name: no-such-secret}\n"),
    );
    await waitNodeState("FRRNodeState failed", (s) =>
      (s.status?.lastConversionResult ?? "").startsWith("failed: "),
    );
    const events = async (): Promise<{ reason: string; message: string; type: string }[]> =>
      (
        await getJson<{ items: { reason: string; message: string; type: string }[] }>([
          "events",
          "-n",
          NS,
          "--field-selector",
          "involvedObject.kind=FRRConfiguration,involvedObject.name=broken",
        ])
      ).items;
    await waitFor("the Event", async () => (await events()).length > 0, WAIT);
    const [event] = await events();
    assert.equal(event!.type, "Warning");
    assert.equal(event!.reason, "ConversionFailed");
    assert.match(event!.message, /spec\.bgp\.routers\[0\]\.neighbors\[0\]\.passwordSecret: .*no-such-secret/);
    assert.doesNotMatch((await nodeState()).status?.runningConfig ?? "", /192\.0\.2\.79/);
    // Later passes with the same issues emit no second Event (verify runs every 2 s).
    await sleep(5_000);
    assert.equal((await events()).length, 1);
    await cp.kubectlChecked(["delete", "frrconfiguration", "-n", NS, "broken"]);
    await waitNodeState("FRRNodeState success again", (s) => s.status?.lastConversionResult === "success");
  });

  test("FRRNodeState is recreated when deleted", async () => {
    const before = await nodeState();
    await cp.kubectlChecked(["delete", "frrnodestate", NODE]);
    await waitNodeState(
      "recreated with its status",
      (s) => s.metadata.uid !== before.metadata.uid && s.status?.lastConversionResult === "success",
    );
  });

  test("an apiserver restart: a change made after it is reconciled", async () => {
    await cp.restartApiserver();
    await apply(peering(["10.61.0.0/24", "10.62.0.0/24"]));
    await waitNodeState("the new prefix in FRR", (s) =>
      (s.status?.runningConfig ?? "").includes("10.62.0.0/24"),
    );
  });

  test("FRRK8sConfiguration logLevel sets FRR's log level and the agent's own", async () => {
    await apply(`apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRK8sConfiguration
metadata: {name: config, namespace: ${NS}}
spec: {logLevel: error}
`);
    await waitNodeState("log stdout errors", (s) =>
      (s.status?.runningConfig ?? "").includes("log stdout errors"),
    );
    const reconciledLines = (): number => agent.output().split('"msg":"reconciled"').length - 1;
    const before = reconciledLines();
    await sleep(5_000); // verify passes (every 2 s) log "reconciled" at info
    assert.equal(reconciledLines(), before, "no info lines at level error");
    await cp.kubectlChecked(["delete", "frrk8sconfiguration", "-n", NS, "config"]);
    await waitFor("info lines again", () => reconciledLines() > before, WAIT);
  });

  test("the password is in no status object, Event or log line", async () => {
    const objects = await cp.kubectlChecked([
      "get",
      "frrnodestates,bgpsessionstates,events",
      "-A",
      "-o",
      "yaml",
    ]);
    assert.ok(objects.stdout.includes(NODE), "the objects were read");
    assert.ok(!objects.stdout.includes(PASSWORD), "no password in status objects or Events");
    assert.ok(agent.output().includes('"msg":"reconciled"'), "the log was read");
    assert.ok(!agent.output().includes(PASSWORD), "no password in the agent's output");
  });
});
