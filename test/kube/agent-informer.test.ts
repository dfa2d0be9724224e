// Kube tier: our informer against a real kube-apiserver. The store follows creates, updates and
// deletes; label and field selectors hold; a restart of the apiserver (whose new watch cache no
// longer has the informer's resourceVersion: 410 Gone) makes it relist, and a change made after
// the restart still arrives.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadKubeConfig } from "../../src/adapters/kube/client.ts";
import { type Change, Informer } from "../../src/adapters/kube/informer.ts";
import type { KubeObject } from "../../src/adapters/kube/objects.ts";
import { type ControlPlane, startControlPlane } from "../support/kube/control-plane.ts";
import { waitFor } from "../support/lab/util.ts";

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const WAIT = { timeoutMs: 30_000 };
const NS = "informer-test";

describe("informer on a real apiserver", () => {
  let cp: ControlPlane | undefined;
  const informers: Informer<ConfigMap>[] = [];

  const kubectl = async (args: string[], input?: string): Promise<void> => {
    await cp!.kubectlChecked(args, input === undefined ? {} : { input });
  };
  const start = (
    options: { labelSelector?: string; fieldSelector?: string },
    changes: Change<ConfigMap>[],
  ) => {
    const informer = new Informer<ConfigMap>({
      kubeConfig: loadKubeConfig(cp!.kubeconfig),
      resource: { apiVersion: "v1", kind: "ConfigMap", plural: "configmaps", namespace: NS },
      ...options,
      onChange: (change) => changes.push(change),
    });
    informers.push(informer);
    informer.start();
    return informer;
  };
  const names = (informer: Informer<ConfigMap>): string[] =>
    informer
      .list()
      .map((c) => c.metadata?.name ?? "")
      .sort();

  before(async () => {
    cp = await startControlPlane({ installCrds: false });
    await kubectl(["create", "namespace", NS]);
  });

  after(async () => {
    for (const informer of informers) informer.close();
    await cp?.stop();
  });

  test("store follows adds, updates and deletes; selectors hold", async () => {
    await kubectl(["create", "configmap", "-n", NS, "before", "--from-literal=k=1"]);
    const all: Change<ConfigMap>[] = [];
    const everything = start({}, all);
    const labelled = start({ labelSelector: "pick=yes" }, []);
    const byName = start({ fieldSelector: "metadata.name=named" }, []);
    await Promise.all(informers.map((i) => i.synced()));
    assert.ok(names(everything).includes("before"), "the initial list");
    await kubectl(["create", "configmap", "-n", NS, "named", "--from-literal=k=1"]);
    await kubectl(
      ["apply", "-f", "-"],
      `apiVersion: v1
kind: ConfigMap
metadata: {name: picked, namespace: ${NS}, labels: {pick: "yes"}}
data: {k: "1"}
`,
    );
    await waitFor(
      "both in the full store",
      () => ["named", "picked"].every((n) => names(everything).includes(n)),
      WAIT,
    );
    await waitFor("picked in the labelled store", () => names(labelled).includes("picked"), WAIT);
    await waitFor("named in the named store", () => names(byName).includes("named"), WAIT);
    assert.deepEqual(names(labelled), ["picked"]);
    assert.deepEqual(names(byName), ["named"]);
    await kubectl(["patch", "configmap", "-n", NS, "before", "--type=merge", "-p", '{"data":{"k":"2"}}']);
    await waitFor("the update", () => everything.get(`${NS}/before`)?.data?.["k"] === "2", WAIT);
    assert.ok(
      all.some((c) => c.type === "modified" && c.previous?.data?.["k"] === "1"),
      "modified with previous",
    );
    await kubectl(["delete", "configmap", "-n", NS, "before"]);
    await waitFor("the delete", () => !names(everything).includes("before"), WAIT);
    assert.ok(all.some((c) => c.type === "deleted" && c.object.metadata?.name === "before"));
  });

  test("an apiserver restart: 410 Gone → relist; a change after it arrives", async () => {
    const changes: Change<ConfigMap>[] = [];
    const informer = start({}, changes);
    await informer.synced();
    const { lists, gone } = informer.stats();
    // A write the configmap watch does not see moves etcd past the informer's resourceVersion:
    // the restarted apiserver's watch cache starts after it.
    await kubectl(["create", "namespace", "moves-the-revision"]);
    await cp!.restartApiserver();
    await kubectl(["create", "configmap", "-n", NS, "after-restart", "--from-literal=k=1"]);
    await waitFor("the change after the restart", () => names(informer).includes("after-restart"), WAIT);
    assert.ok(informer.stats().gone > gone, `410 seen: ${JSON.stringify(informer.stats())}`);
    assert.ok(informer.stats().lists > lists, "relisted");
    assert.ok(changes.some((c) => c.type === "added" && c.object.metadata?.name === "after-restart"));
  });
});
