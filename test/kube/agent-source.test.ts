// Kube tier: the agent's KubeSource against a real apiserver, in process. It reads the node's
// labels, the configurations, the Secrets they reference (one created before any reference is
// read once) and FRRK8sConfiguration's log level; an unreferenced Secret is neither kept nor
// a trigger.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadKubeConfig } from "../../src/adapters/kube/client.ts";
import { KubeSource } from "../../src/adapters/kube/kube-source.ts";
import { type ControlPlane, startControlPlane } from "../support/kube/control-plane.ts";
import { sleep } from "../support/exec.ts";
import { waitFor } from "../support/lab/util.ts";

const NS = "frr-k8s-system";
const NODE = "source-node";
const WAIT = { timeoutMs: 30_000 };

const secret = (name: string, password: string): string => `apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: ${NS}}
type: kubernetes.io/basic-auth
stringData: {password: ${password}}
`;

const configuration = (secretName: string): string => `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: uses-secret, namespace: ${NS}}
spec:
  bgp:
    routers:
    - asn: 64512
      neighbors:
      - {address: 192.0.2.1, asn: 64513, passwordSecret: {name: ${secretName}}}
`;

describe("KubeSource on a real apiserver", () => {
  let cp: ControlPlane | undefined;
  let source: KubeSource | undefined;
  let triggers = 0;
  const levels: (string | undefined)[] = [];

  const apply = async (yaml: string): Promise<void> => {
    await cp!.kubectlChecked(["apply", "-f", "-"], { input: yaml });
  };

  before(async () => {
    cp = await startControlPlane();
    await apply(`apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: Node
metadata: {name: ${NODE}, labels: {rack: r1}}
`);
    await apply(secret("early", "early-pw"));
    source = new KubeSource({
      kubeConfig: loadKubeConfig(cp.kubeconfig),
      namespace: NS,
      nodeName: NODE,
      onLogLevel: (level) => levels.push(level),
    });
    source.watch(() => triggers++);
    await source.start();
  });

  after(async () => {
    source?.close();
    await cp?.stop();
  });

  test("the node's labels, with kubernetes.io/hostname by default", async () => {
    const inputs = await source!.read();
    assert.deepEqual(inputs.readProblems, []);
    assert.deepEqual(inputs.nodeLabels, { "kubernetes.io/hostname": NODE, rack: "r1" });
    assert.deepEqual(inputs.secrets, [], "no configuration references a Secret yet");
  });

  test("a Secret referenced after it was stored is read with its data", async () => {
    await apply(configuration("early"));
    await waitFor("the configuration", async () => (await source!.read()).configurations.length === 1, WAIT);
    const inputs = await source!.read();
    assert.equal(inputs.secrets.length, 1);
    assert.equal(inputs.secrets[0]!.metadata?.name, "early");
    assert.equal(Buffer.from(inputs.secrets[0]!.data?.["password"] ?? "", "base64").toString(), "early-pw");
    assert.deepEqual(source!.secretValues(), ["early-pw"]);
  });

  test("an unreferenced Secret is no trigger and not read; a referenced one's change is", async () => {
    const before = triggers;
    await apply(secret("unrelated", "unrelated-pw"));
    await sleep(2_000); // a negative: the event had time to arrive
    assert.equal(triggers, before, "no trigger for an unreferenced Secret");
    assert.ok(!(await source!.read()).secrets.some((s) => s.metadata?.name === "unrelated"));
    assert.ok(!source!.secretValues().includes("unrelated-pw"));
    await apply(secret("early", "changed-pw"));
    await waitFor("a trigger", () => triggers > before, WAIT);
    await waitFor("the new password", () => source!.secretValues().includes("changed-pw"), WAIT);
  });

  test("FRRK8sConfiguration config: its log level (all read as debug), unset when deleted", async () => {
    await apply(`apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRK8sConfiguration
metadata: {name: config, namespace: ${NS}}
spec: {logLevel: all}
`);
    await waitFor("the level", async () => (await source!.read()).logLevel === "debug", WAIT);
    assert.equal(levels.at(-1), "debug");
    await cp!.kubectlChecked(["delete", "frrk8sconfiguration", "-n", NS, "config"]);
    await waitFor("no level", async () => (await source!.read()).logLevel === undefined, WAIT);
    assert.equal(levels.at(-1), undefined);
  });

  test("configurations of other nodes are neither handed over nor a trigger; a label change relists them", async () => {
    const forRack = (name: string, rack: string): string => `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata: {name: ${name}, namespace: ${NS}}
spec:
  nodeSelector: {matchLabels: {rack: ${rack}}}
  bgp: {routers: [{asn: 64512, neighbors: [{address: 192.0.2.9, asn: 64513}]}]}
`;
    const nameOf = (c: unknown): string => (c as { metadata?: { name?: string } }).metadata?.name ?? "";
    const names = async (): Promise<string[]> => (await source!.read()).configurations.map(nameOf).sort();
    await apply(forRack("rack-r1", "r1"));
    await apply(forRack("rack-r2", "r2"));
    await waitFor("rack-r1", async () => (await names()).includes("rack-r1"), WAIT);
    assert.ok(!(await names()).includes("rack-r2"), "a configuration of other nodes is not handed over");
    const before = triggers;
    await apply(forRack("rack-r2", "r2").replace("192.0.2.9", "192.0.2.10"));
    await sleep(2_000); // a negative: the event had time to arrive
    assert.equal(triggers, before, "no trigger for a configuration of other nodes");
    await cp!.kubectlChecked(["label", "node", NODE, "rack=r2", "--overwrite"]);
    await waitFor("rack-r2 selected", async () => (await names()).includes("rack-r2"), WAIT);
    const r2 = (await source!.read()).configurations.find((c) => nameOf(c) === "rack-r2");
    assert.match(JSON.stringify(r2), /192\.0\.2\.10/, "its full spec, as stored now");
    await waitFor("rack-r1 gone", async () => !(await names()).includes("rack-r1"), WAIT);
    await cp!.kubectlChecked(["delete", "frrconfiguration", "-n", NS, "rack-r1", "rack-r2"]);
  });

  test("the node's Node missing: a read problem", async () => {
    await cp!.kubectlChecked(["delete", "node", NODE]);
    await waitFor("the problem", async () => (await source!.read()).readProblems.length > 0, WAIT);
    assert.match((await source!.read()).readProblems[0]!, /Node source-node not found/);
  });
});
