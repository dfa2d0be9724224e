// Kube tier: the real `frrk8s webhook` registered in a real kube-apiserver (clientConfig.url on
// loopback). kubectl shows our denials with issues and field paths, and our warnings; the
// process keeps its certificates in the Secret, injects the caBundle, reuses the certificates
// after a restart, and removes the status objects of deleted nodes.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type ControlPlane, startControlPlane } from "../support/kube/control-plane.ts";
import { freePort } from "../support/lab/agent-process.ts";
import { sleep } from "../support/exec.ts";
import { startWebhookProcess, type WebhookProcess } from "../support/webhook/webhook-process.ts";

const NS = "frr-k8s-system";
const VWC = "frr-k8s-validating-webhook-configuration";
const SECRET = "frr-k8s-webhook-server-cert";
const PATH = "/validate-frrk8s-metallb-io-v1beta1-frrconfiguration";

function webhookConfiguration(port: number): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ${VWC}
webhooks:
  - name: frrconfigurationsvalidationwebhook.metallb.io
    admissionReviewVersions: [v1]
    sideEffects: None
    failurePolicy: Fail
    timeoutSeconds: 10
    clientConfig:
      url: https://127.0.0.1:${String(port)}${PATH}
    rules:
      - apiGroups: [frrk8s.metallb.io]
        apiVersions: [v1beta1]
        operations: [CREATE, UPDATE]
        resources: [frrconfigurations]
`;
}

function node(name: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    kubernetes.io/hostname: ${name}
`;
}

function frrConfiguration(name: string, neighbor: string, namespace = NS): string {
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  bgp:
    routers:
      - asn: 64512
        neighbors:
          - ${neighbor}
`;
}

function statusObjects(nodeName: string): string {
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRNodeState
metadata:
  name: ${nodeName}
---
apiVersion: frrk8s.metallb.io/v1beta1
kind: BGPSessionState
metadata:
  name: ${nodeName}-session
  namespace: ${NS}
  labels:
    frrk8s.metallb.io/node: ${nodeName}
    frrk8s.metallb.io/peer: 192.0.2.1
    frrk8s.metallb.io/vrf: ""
`;
}

/** Polls `check` every 250 ms until it returns true or `ms` passed. */
async function eventually(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  assert.fail(`${what}: not within ${String(ms)} ms`);
}

describe("frrk8s webhook in a real kube-apiserver", { timeout: 600_000 }, () => {
  let cp: ControlPlane;
  let port: number;
  let webhook: WebhookProcess;

  const start = async (): Promise<WebhookProcess> => {
    const process = startWebhookProcess([
      `--kubeconfig=${cp.kubeconfig}`,
      `--namespace=${NS}`,
      `--listen=127.0.0.1:${String(port)}`,
      "--cert-extra-san=127.0.0.1",
      "--log-level=debug",
    ]);
    await eventually("webhook serving", 60_000, () =>
      Promise.resolve(
        process.output().includes('"msg":"webhook serving"') || process.exitCode() !== undefined,
      ),
    );
    assert.equal(process.exitCode(), undefined, process.output());
    return process;
  };

  const caBundle = async (): Promise<string> => {
    const r = await cp.kubectl([
      "get",
      "validatingwebhookconfiguration",
      VWC,
      "-o",
      "jsonpath={.webhooks[0].clientConfig.caBundle}",
    ]);
    return r.stdout.trim();
  };

  const secretData = async (): Promise<Record<string, string>> => {
    const r = await cp.kubectlChecked(["get", "secret", "-n", NS, SECRET, "-o", "json"]);
    const data = (JSON.parse(r.stdout) as { data?: Record<string, string> }).data ?? {};
    return Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    );
  };

  before(async () => {
    cp = await startControlPlane();
    port = await freePort();
    await cp.kubectlChecked(["create", "namespace", NS]);
    await cp.kubectlChecked(["create", "namespace", "other"]);
    await cp.kubectlChecked(["apply", "-f", "-"], { input: [node("node-1"), node("node-2")].join("---\n") });
    await cp.kubectlChecked(["apply", "-f", "-"], { input: webhookConfiguration(port) });
    webhook = await start();
    await eventually("caBundle injected", 30_000, async () => (await caBundle()) !== "");
  });

  after(async () => {
    await webhook.stop();
    await cp.stop();
  });

  it("admits a good configuration", async () => {
    const r = await cp.kubectl(["apply", "-f", "-"], {
      input: frrConfiguration("a", "{address: 192.0.2.1, asn: 64513}"),
    });
    assert.equal(r.code, 0, `${r.stderr}\n${webhook.output()}`);
    assert.match(r.stdout, /frrconfiguration.frrk8s.metallb.io\/a created/);
  });

  it("refuses a conflicting configuration: kubectl prints our issues with field paths and both objects", async () => {
    const r = await cp.kubectl(["apply", "-f", "-"], {
      input: frrConfiguration(
        "b",
        "{address: 192.0.2.1, asn: 64514}\n          - {address: 192.0.2.9, asn: 64513, holdTime: 1s, keepaliveTime: 1s}",
      ),
    });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(
      r.stderr,
      /admission webhook "frrconfigurationsvalidationwebhook\.metallb\.io" denied the request/,
    );
    assert.match(r.stderr, /FRRConfiguration frr-k8s-system\/b is invalid \(2 errors\)/);
    assert.match(
      r.stderr,
      /spec\.bgp\.routers\[0\]\.neighbors\[0\]\.asn: NEIGHBOR_ASN_CONFLICT: .*conflicts with FRRConfiguration frr-k8s-system\/a spec\.bgp\.routers\[0\]\.neighbors\[0\]\.asn \(nodes node-1, node-2\)/,
    );
    assert.match(r.stderr, /spec\.bgp\.routers\[0\]\.neighbors\[1\]\.holdTime: INVALID_HOLD_TIME/);
    const get = await cp.kubectl(["get", "frrconfiguration", "-n", NS, "b"]);
    assert.match(get.stderr, /NotFound/);
  });

  it("shows upstream's warnings and ours through kubectl", async () => {
    const r = await cp.kubectl(["apply", "-f", "-"], {
      input: frrConfiguration("c", "{address: 192.0.2.3, asn: 64513, disableMP: true}"),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Warning: spec\.bgp\.routers\[0\]\.neighbors\[0\]\.disableMP: DISABLE_MP_DEPRECATED: disableMP is deprecated/,
    );
    const updated = await cp.kubectl(["apply", "-f", "-"], {
      input: frrConfiguration("c", "{address: 192.0.2.3, asn: 64513, enableGracefulRestart: true}"),
    });
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /Warning: .*enableGracefulRestart: Graceful restart configuration changed/);
    const elsewhere = await cp.kubectl(["apply", "-f", "-"], {
      input: frrConfiguration("d", "{address: 192.0.2.1, asn: 64599}", "other"),
    });
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.match(elsewhere.stderr, /Warning: metadata\.namespace: .*only in namespace "frr-k8s-system"/);
  });

  it("keeps its CA and serving certificate in the Secret, the CA in the caBundle, and reuses them after a restart", async () => {
    const data = await secretData();
    const ca = new X509Certificate(data["ca.crt"] ?? "");
    const serving = new X509Certificate(data["tls.crt"] ?? "");
    assert.equal(serving.checkIssued(ca) && serving.verify(ca.publicKey), true);
    assert.equal(serving.checkIP("127.0.0.1"), "127.0.0.1");
    assert.equal(
      serving.checkHost("frr-k8s-webhook-service.frr-k8s-system.svc"),
      "frr-k8s-webhook-service.frr-k8s-system.svc",
    );
    assert.match(data["tls.key"] ?? "", /BEGIN PRIVATE KEY/);
    assert.equal(Buffer.from(await caBundle(), "base64").toString("utf8"), data["ca.crt"]);
    assert.doesNotMatch(webhook.output(), /PRIVATE KEY/);

    await cp.kubectlChecked(["apply", "-f", "-"], { input: statusObjects("ghost") });
    await webhook.stop();
    webhook = await start();
    assert.deepEqual(await secretData(), data);
    assert.equal(Buffer.from(await caBundle(), "base64").toString("utf8"), data["ca.crt"]);
    const r = await cp.kubectl(["apply", "-f", "-"], {
      input: frrConfiguration("e", "{address: 192.0.2.1, asn: 64600}"),
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NEIGHBOR_ASN_CONFLICT/);
    // The start-up clean removed the status objects of a node that never existed.
    await eventually("ghost status objects removed", 20_000, async () => {
      const states = await cp.kubectl(["get", "frrnodestate", "ghost"]);
      const sessions = await cp.kubectl([
        "get",
        "bgpsessionstates",
        "-n",
        NS,
        "-l",
        "frrk8s.metallb.io/node=ghost",
        "-o",
        "name",
      ]);
      return /NotFound/.test(states.stderr) && sessions.code === 0 && sessions.stdout.trim() === "";
    });
  });

  it("removes the FRRNodeState and BGPSessionStates of a deleted node, and only those", async () => {
    await cp.kubectlChecked(["apply", "-f", "-"], {
      input: [statusObjects("node-1"), statusObjects("node-2")].join("---\n"),
    });
    await cp.kubectlChecked(["delete", "node", "node-2"]);
    await eventually("node-2 status objects removed", 20_000, async () => {
      const states = await cp.kubectl(["get", "frrnodestate", "node-2"]);
      const sessions = await cp.kubectl([
        "get",
        "bgpsessionstates",
        "-n",
        NS,
        "-l",
        "frrk8s.metallb.io/node=node-2",
        "-o",
        "name",
      ]);
      return /NotFound/.test(states.stderr) && sessions.code === 0 && sessions.stdout.trim() === "";
    });
    await cp.kubectlChecked(["get", "frrnodestate", "node-1"]);
    const kept = await cp.kubectlChecked([
      "get",
      "bgpsessionstates",
      "-n",
      NS,
      "-l",
      "frrk8s.metallb.io/node=node-1",
      "-o",
      "name",
    ]);
    assert.match(kept.stdout, /node-1-session/);
  });
});
