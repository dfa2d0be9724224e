// Kube tier: the deployment. The Helm chart lints and renders as designed; the all-in-one manifest
// is in sync with it; both are accepted by a real kube-apiserver (kubectl apply --dry-run=server);
// and, applied for real, the RBAC gives the agent and the webhook what they need and nothing more,
// as the apiserver's own authorizer answers `kubectl auth can-i` for their ServiceAccounts.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { describeFailure, runCommand, type CommandResult } from "../support/exec.ts";
import { startWatchfrr, type WatchfrrInstance } from "../support/frr-watchfrr.ts";
import { type ControlPlane, startControlPlane } from "../support/kube/control-plane.ts";
import { createNamespace, type Namespace, uniqueNamespaceName } from "../support/netns.ts";

const REPO = new URL("../../", import.meta.url).pathname;
const CHART = join(REPO, "deploy/helm/frrk8s");
const ALL_IN_ONE = join(REPO, "deploy/all-in-one.yaml");
const NS = "frr-k8s-system";
const AGENT_SA = `system:serviceaccount:${NS}:frr-k8s-agent`;
const WEBHOOK_SA = `system:serviceaccount:${NS}:frr-k8s-webhook`;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  securityContext?: Record<string, unknown>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

interface Probe {
  exec?: { command: string[] };
  httpGet?: { host?: string; path: string; port: number | string; scheme?: string };
}

interface PodSpec {
  hostNetwork?: boolean;
  serviceAccountName: string;
  initContainers?: Container[];
  containers: Container[];
  volumes: { name: string; emptyDir?: unknown; configMap?: { name: string } }[];
}

async function helm(args: readonly string[]): Promise<CommandResult> {
  return runCommand("bash", [join(REPO, "scripts/helm.sh"), ...args], { timeoutMs: 120_000 });
}

/** `helm template`; by default as the all-in-one is made (release frr-k8s, fullnameOverride frr-k8s). */
async function helmTemplate(
  set: readonly string[] = ["fullnameOverride=frr-k8s"],
  namespace = NS,
  release = "frr-k8s",
): Promise<string> {
  const r = await helm([
    "template",
    release,
    CHART,
    "--namespace",
    namespace,
    ...set.flatMap((s) => ["--set", s]),
  ]);
  assert.equal(r.code, 0, describeFailure(r));
  return r.stdout;
}

function objects(manifest: string): K8sObject[] {
  return parseAllDocuments(manifest)
    .map((d) => {
      assert.equal(d.errors.length, 0, d.errors.map((e) => e.message).join("\n"));
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

function find(objs: K8sObject[], kind: string, name?: string): K8sObject {
  const o = objs.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  assert.ok(o, `no ${kind} ${name ?? ""} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
  return o;
}

function podSpec(o: K8sObject): PodSpec {
  return (o as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

function container(spec: PodSpec, name: string): Container {
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x) => x.name === name);
  assert.ok(c, `no container ${name}`);
  return c;
}

function mounts(c: Container): Record<string, string> {
  return Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
}

describe("deployment: the Helm chart, offline", { timeout: 300_000 }, () => {
  it("passes helm lint --strict", async () => {
    const r = await helm(["lint", "--strict", CHART]);
    assert.equal(r.code, 0, describeFailure(r));
    assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("deploy/all-in-one.yaml and the chart's copy of deploy/crds are in sync (gen-all-in-one.sh --check)", async () => {
    const r = await runCommand("bash", [join(REPO, "scripts/gen-all-in-one.sh"), "--check"], {
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, describeFailure(r));
  });

  it("renders the DaemonSet: FRR 10.4.3 and our agent sharing sockets and config on the host network", async () => {
    const objs = objects(await helmTemplate());
    const ds = find(objs, "DaemonSet", "frr-k8s");
    const spec = podSpec(ds);
    assert.equal(spec.hostNetwork, true);
    assert.equal(spec.serviceAccountName, "frr-k8s-agent");
    const frr = container(spec, "frr");
    const agent = container(spec, "agent");
    assert.equal(frr.image, "quay.io/frrouting/frr:10.4.3");
    assert.equal(container(spec, "cp-frr-files").image, "quay.io/frrouting/frr:10.4.3");
    assert.equal(agent.image, "frrk8s:0.1.0");
    // The same volumes at the same paths in both: vtysh reaches the daemons, frr.conf survives.
    for (const path of ["/var/run/frr", "/etc/frr"]) {
      assert.ok(mounts(frr)[path], `frr has no ${path}`);
      assert.equal(mounts(agent)[path], mounts(frr)[path], path);
    }
    assert.equal(mounts(container(spec, "cp-frr-files"))["/etc/frr"], mounts(frr)["/etc/frr"]);
    assert.deepEqual(agent.args, [
      "agent",
      "--node=$(NODE_NAME)",
      "--namespace=$(NAMESPACE)",
      "--pod-name=$(POD_NAME)",
      "--pod-uid=$(POD_UID)",
      "--listen=127.0.0.1:9140",
      "--log-level=info",
      "--apply-mode=engine",
      "--vty-socket=/var/run/frr",
    ]);
    const env = Object.fromEntries(
      (agent.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]),
    );
    assert.deepEqual(env, {
      NODE_NAME: "spec.nodeName",
      NAMESPACE: "metadata.namespace",
      POD_NAME: "metadata.name",
      POD_UID: "metadata.uid",
      NODE_OPTIONS: "--max-semi-space-size=1",
    });
    // The server binds loopback by default: the probes must go there, not to the pod IP.
    assert.deepEqual(agent.livenessProbe?.httpGet, { host: "127.0.0.1", path: "/healthz", port: 9140 });
    assert.deepEqual(agent.readinessProbe?.httpGet, { host: "127.0.0.1", path: "/readyz", port: 9140 });
    assert.equal(agent.securityContext?.readOnlyRootFilesystem, true);
    assert.equal(mounts(agent)["/tmp"], "agent-tmp");
    // No upstream sidecars: their work is the agent's.
    assert.deepEqual(
      spec.containers.map((c) => c.name),
      ["frr", "agent"],
    );
    const startup = find(objs, "ConfigMap", "frr-k8s-frr-startup") as unknown as {
      data: Record<string, string>;
    };
    assert.match(startup.data.daemons ?? "", /^bgpd=yes$/m);
    assert.match(startup.data.daemons ?? "", /^bfdd=yes$/m);
    assert.match(startup.data.daemons ?? "", /^bgpd_options=" +-A 127\.0\.0\.1 -p 0 --limit-fds 100000"$/m);
    assert.equal(startup.data["vtysh.conf"], "service integrated-vtysh-config\n");
  });

  it("follows the values: CRD switch, failure policy, incoming BGP, bind address, always-block, apply mode", async () => {
    const defaults = objects(await helmTemplate());
    assert.deepEqual(
      defaults
        .filter((o) => o.kind === "CustomResourceDefinition")
        .map((o) => o.metadata.name)
        .sort(),
      [
        "bgpsessionstates.frrk8s.metallb.io",
        "frrconfigurations.frrk8s.metallb.io",
        "frrk8sconfigurations.frrk8s.metallb.io",
        "frrnodestates.frrk8s.metallb.io",
      ],
    );
    const webhook = (objs: K8sObject[]) =>
      (find(objs, "ValidatingWebhookConfiguration") as unknown as { webhooks: Record<string, unknown>[] })
        .webhooks[0]!;
    assert.equal(webhook(defaults).failurePolicy, "Fail");
    assert.deepEqual(webhook(defaults).clientConfig, {
      service: {
        name: "frr-k8s-webhook-service",
        namespace: NS,
        path: "/validate-frrk8s-metallb-io-v1beta1-frrconfiguration",
        port: 443,
      },
    });

    const changed = objects(
      await helmTemplate([
        "fullnameOverride=frr-k8s",
        "crds.enabled=false",
        "crds.validationFailurePolicy=Ignore",
        "frrk8s.frr.acceptIncomingBGPConnections=true",
        "prometheus.metricsBindAddress=192.0.2.10",
        "frrk8s.alwaysBlock=192.167.9.0/24\\,fc00:f553:ccd:e799::/64",
        "frrk8s.applyMode=reload",
      ]),
    );
    assert.equal(changed.filter((o) => o.kind === "CustomResourceDefinition").length, 0);
    assert.equal(webhook(changed).failurePolicy, "Ignore");
    const startup = find(changed, "ConfigMap") as unknown as { data: Record<string, string> };
    assert.match(startup.data.daemons ?? "", /^bgpd_options=" +-A 127\.0\.0\.1 --limit-fds 100000"$/m);
    const agent = container(podSpec(find(changed, "DaemonSet")), "agent");
    assert.ok(agent.args?.includes("--listen=192.0.2.10:9140"));
    assert.ok(agent.args?.includes("--always-block=192.167.9.0/24,fc00:f553:ccd:e799::/64"));
    assert.ok(agent.args?.includes("--apply-mode=reload"));
    // Bound to the node's address only: the kubelet probes the pod IP (the node's), not loopback.
    assert.deepEqual(agent.livenessProbe?.httpGet, { path: "/healthz", port: 9140 });
  });

  it("refuses values the schema does not allow", async () => {
    for (const [set, message] of [
      ["frrk8s.logLevel=verbose", /frrk8s\/logLevel.*must be one of/],
      ["crds.validationFailurePolicy=Sometimes", /validationFailurePolicy.*must be one of/],
      ["frrk8s.applyMode=fast", /applyMode.*must be one of/],
      ["frrk8s.unknownSetting=1", /additional properties 'unknownSetting' not allowed/],
    ] as const) {
      const r = await helm(["template", "x", CHART, "--set", set]);
      assert.notEqual(r.code, 0, `accepted ${set}`);
      assert.match(r.stderr, message);
    }
  });

  it("the FRR container's probe passes with all daemons in `show daemons` and fails without bfdd", async () => {
    const frr = container(podSpec(find(objects(await helmTemplate()), "DaemonSet")), "frr");
    const command = frr.livenessProbe?.exec?.command;
    assert.ok(command && command[0] === "/bin/sh");
    assert.deepEqual(frr.startupProbe?.exec?.command, command);
    const dir = mkdtempSync(join(tmpdir(), "frrk8s-probe-"));
    try {
      const vtysh = join(dir, "vtysh");
      const run = async (output: string, code = 0) => {
        // FRR's vtysh prints " name" per connected daemon, then a newline.
        writeFileSync(
          vtysh,
          `#!/bin/sh\n[ "$1 $2" = "-c show daemons" ] || exit 9\nprintf '${output}'\nexit ${code}\n`,
        );
        chmodSync(vtysh, 0o755);
        return runCommand("env", [`PATH=${dir}:/usr/bin:/bin`, ...command]);
      };
      assert.equal((await run(" mgmtd zebra bgpd staticd bfdd watchfrr\\n")).code, 0);
      const missing = await run(" mgmtd zebra bgpd staticd watchfrr\\n");
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /bfdd is not running/);
      assert.equal((await run(" zebra bgpdx staticd bfdd watchfrr\\n")).code, 1);
      assert.equal((await run("", 1)).code, 1, "vtysh failing must fail the probe");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("deployment: against a real kube-apiserver", { timeout: 900_000 }, () => {
  let cp: ControlPlane;

  before(async () => {
    // Our CRDs come from the manifests under test, not from the harness.
    cp = await startControlPlane({ installCrds: false });
  });

  after(async () => {
    await cp.stop();
  });

  const dryRun = async (manifest: string, what: string) => {
    const expected = objects(manifest).length;
    const r = await cp.kubectl(["apply", "--dry-run=server", "-f", "-"], {
      input: manifest,
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, `${what}: ${describeFailure(r)}`);
    const lines = r.stdout.split("\n").filter((l) => l.includes("(server dry run)"));
    assert.equal(lines.length, expected, `${what}: ${r.stdout}`);
  };

  it("the all-in-one manifest passes kubectl apply --dry-run=server", async () => {
    const manifest = readFileSync(ALL_IN_ONE, "utf8");
    const ns = find(objects(manifest), "Namespace", NS);
    assert.equal(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"], "privileged");
    // Namespaced objects are checked in their namespace: it must exist, so that one is real.
    const created = await cp.kubectl(["create", "namespace", NS]);
    assert.equal(created.code, 0, describeFailure(created));
    await dryRun(manifest, "all-in-one");
  });

  it("helm template with another release name and namespace passes kubectl apply --dry-run=server", async () => {
    const created = await cp.kubectl(["create", "namespace", "network"]);
    assert.equal(created.code, 0, describeFailure(created));
    const manifest = await helmTemplate(
      ["frrk8s.frr.acceptIncomingBGPConnections=true", "prometheus.metricsBindAddress=0.0.0.0"],
      "network",
      "edge",
    );
    const objs = objects(manifest);
    assert.ok(find(objs, "DaemonSet", "edge-frrk8s"));
    await dryRun(manifest, "helm template");
  });

  it("the apiserver refuses a broken manifest in the same dry run (the check can fail)", async () => {
    // A port name only the apiserver's validation knows to be invalid (kubectl sends it as is).
    const rendered = await helmTemplate();
    const broken = rendered.replace(
      "- name: metrics\n              containerPort",
      "- name: METRICS_port\n              containerPort",
    );
    assert.notEqual(broken, rendered);
    const r = await cp.kubectl(["apply", "--dry-run=server", "-f", "-"], {
      input: broken,
      timeoutMs: 120_000,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /DaemonSet.*frr-k8s.*ports\[0\]\.name: Invalid value: "METRICS_port"/s);
  });

  describe("RBAC, applied for real and asked with kubectl auth can-i", () => {
    before(async () => {
      const r = await cp.kubectl(["apply", "-f", ALL_IN_ONE], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, describeFailure(r));
      const w = await cp.kubectl(["wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"], {
        timeoutMs: 70_000,
      });
      assert.equal(w.code, 0, describeFailure(w));
    });

    type Check = [verb: string, resource: string, namespace: string | undefined, subresource?: string];
    const canI = async (as: string, [verb, resource, namespace, subresource]: Check): Promise<boolean> => {
      const args = ["auth", "can-i", verb, resource, `--as=${as}`];
      if (namespace === "*") args.push("--all-namespaces");
      else if (namespace !== undefined) args.push("-n", namespace);
      if (subresource !== undefined) args.push(`--subresource=${subresource}`);
      const r = await cp.kubectl(args);
      assert.ok(r.code === 0 || r.code === 1, describeFailure(r));
      assert.equal(r.stdout.trim(), r.code === 0 ? "yes" : "no", describeFailure(r));
      return r.code === 0;
    };
    const expectAll = async (as: string, checks: Check[], allowed: boolean) => {
      const wrong: string[] = [];
      for (const c of checks) if ((await canI(as, c)) !== allowed) wrong.push(c.filter(Boolean).join(" "));
      assert.deepEqual(wrong, [], `${as} ${allowed ? "cannot" : "can"}: ${wrong.join("; ")}`);
    };
    const FRR = "frrconfigurations.frrk8s.metallb.io";
    const NODESTATE = "frrnodestates.frrk8s.metallb.io";
    const SESSION = "bgpsessionstates.frrk8s.metallb.io";
    const K8SCONFIG = "frrk8sconfigurations.frrk8s.metallb.io";
    const VWC = "validatingwebhookconfigurations.admissionregistration.k8s.io";

    it("the agent can read its inputs and write its status objects and Events", async () => {
      await expectAll(
        AGENT_SA,
        [
          ["get", FRR, NS],
          ["list", FRR, NS],
          ["watch", FRR, NS],
          ["list", K8SCONFIG, NS],
          ["watch", K8SCONFIG, NS],
          ["get", "secrets", NS],
          ["list", "secrets", NS],
          ["watch", "secrets", NS],
          ["get", "nodes", undefined],
          ["list", "nodes", undefined],
          ["watch", "nodes", undefined],
          ["create", NODESTATE, undefined],
          ["update", NODESTATE, undefined],
          ["delete", NODESTATE, undefined],
          ["update", NODESTATE, undefined, "status"],
          ["patch", NODESTATE, undefined, "status"],
          ["create", SESSION, NS],
          ["patch", SESSION, NS],
          ["delete", SESSION, NS],
          ["list", SESSION, NS],
          ["update", SESSION, NS, "status"],
          ["patch", SESSION, NS, "status"],
          ["create", "events", NS],
          ["create", "events.events.k8s.io", NS],
          ["get", "pods", NS],
        ],
        true,
      );
    });

    it("the agent cannot write FRRConfigurations, read Secrets elsewhere, or touch anything else", async () => {
      await expectAll(
        AGENT_SA,
        [
          ["create", FRR, NS],
          ["update", FRR, NS],
          ["patch", FRR, NS],
          ["delete", FRR, NS],
          ["list", FRR, "default"],
          ["list", FRR, "*"],
          ["get", "secrets", "kube-system"],
          ["get", "secrets", "default"],
          ["list", "secrets", "*"],
          ["create", "secrets", NS],
          ["update", "secrets", NS],
          ["update", "nodes", undefined],
          ["patch", "nodes", undefined],
          ["delete", "nodes", undefined],
          ["create", SESSION, "default"],
          ["update", K8SCONFIG, NS],
          ["list", "pods", NS],
          ["get", "pods", "default"],
          ["create", "pods", NS],
          ["create", "events", "default"],
          ["get", VWC, undefined],
          ["patch", `${VWC}/frr-k8s-validating-webhook-configuration`, undefined],
          ["create", "clusterrolebindings", undefined],
        ],
        false,
      );
    });

    it("the webhook can validate, clean status objects and keep its own certificate and caBundle", async () => {
      await expectAll(
        WEBHOOK_SA,
        [
          ["get", "nodes", undefined],
          ["list", "nodes", undefined],
          ["watch", "nodes", undefined],
          ["list", FRR, "*"],
          ["watch", FRR, "*"],
          ["get", FRR, "default"],
          ["list", NODESTATE, undefined],
          ["watch", NODESTATE, undefined],
          ["delete", NODESTATE, undefined],
          ["list", SESSION, NS],
          ["delete", SESSION, NS],
          ["deletecollection", SESSION, NS],
          ["list", K8SCONFIG, NS],
          ["get", "secrets/frr-k8s-webhook-server-cert", NS],
          ["update", "secrets/frr-k8s-webhook-server-cert", NS],
          ["patch", "secrets/frr-k8s-webhook-server-cert", NS],
          ["get", `${VWC}/frr-k8s-validating-webhook-configuration`, undefined],
          ["update", `${VWC}/frr-k8s-validating-webhook-configuration`, undefined],
          ["patch", `${VWC}/frr-k8s-validating-webhook-configuration`, undefined],
        ],
        true,
      );
    });

    it("the webhook cannot read other Secrets, change other webhooks, or write configurations", async () => {
      await expectAll(
        WEBHOOK_SA,
        [
          ["get", "secrets/some-bgp-password", NS],
          ["list", "secrets", NS],
          ["create", "secrets", NS],
          ["delete", "secrets/frr-k8s-webhook-server-cert", NS],
          ["get", "secrets", "kube-system"],
          ["patch", `${VWC}/another-webhook`, undefined],
          ["create", VWC, undefined],
          ["list", VWC, undefined],
          ["create", FRR, NS],
          ["update", FRR, NS],
          ["delete", FRR, NS],
          ["create", NODESTATE, undefined],
          ["update", NODESTATE, undefined, "status"],
          ["create", SESSION, NS],
          ["delete", SESSION, "default"],
          ["update", "nodes", undefined],
          ["delete", "nodes", undefined],
          ["create", "pods", NS],
          ["create", "clusterrolebindings", undefined],
        ],
        false,
      );
    });

    it("the objects the processes rely on exist under the names they are given", async () => {
      for (const [kind, name, ns] of [
        ["secret", "frr-k8s-webhook-server-cert", NS],
        ["service", "frr-k8s-webhook-service", NS],
        ["validatingwebhookconfiguration", "frr-k8s-validating-webhook-configuration", undefined],
        ["serviceaccount", "frr-k8s-agent", NS],
        ["serviceaccount", "frr-k8s-webhook", NS],
        ["daemonset", "frr-k8s", NS],
        ["deployment", "frr-k8s-webhook", NS],
      ] as const) {
        const r = await cp.kubectl([
          "get",
          kind,
          name,
          ...(ns === undefined ? [] : ["-n", ns]),
          "-o",
          "name",
        ]);
        assert.equal(r.code, 0, describeFailure(r));
      }
    });
  });
});

describe(
  "deployment: the pod's FRR assumptions, against real FRR daemons under watchfrr",
  { timeout: 300_000 },
  () => {
    let ns: Namespace;
    let frr: WatchfrrInstance;
    let dir: string;
    let vtysh: string;

    before(async () => {
      ns = await createNamespace(uniqueNamespaceName("deploy"));
      frr = await startWatchfrr({ netns: ns.name });
      dir = mkdtempSync(join(tmpdir(), "frrk8s-probe-real-"));
      chmodSync(dir, 0o755); // FRR's user runs the vtysh below
      // The pod's FRR uses the default paths; this one has a pathspace: a `vtysh` that adds it.
      vtysh = join(dir, "vtysh");
      const real = (await runCommand("sh", ["-c", "command -v vtysh"])).stdout.trim();
      writeFileSync(vtysh, `#!/bin/sh\nexec ${real} -N ${frr.pathspace} "$@"\n`);
      chmodSync(vtysh, 0o755);
    });

    after(async () => {
      await frr.stop();
      await ns.delete();
      rmSync(dir, { recursive: true, force: true });
    });

    it("the FRR container's probe passes against FRR's real `show daemons`", async () => {
      const frrContainer = container(podSpec(find(objects(await helmTemplate()), "DaemonSet")), "frr");
      const command = frrContainer.livenessProbe?.exec?.command ?? [];
      const r = await runCommand("env", [`PATH=${dir}:/usr/bin:/bin`, ...command]);
      assert.equal(r.code, 0, describeFailure(r));
    });

    it("vtysh works as FRR's user (the agent's runAsUser), with and without FRR's supplementary groups", async () => {
      // Kubernetes' default supplementalGroupsPolicy (Merge) gives the user its /etc/group groups
      // (frr, frrvty): every daemon, watchfrr included, answers.
      const merged = await runCommand("setpriv", [
        "--reuid=frr",
        "--regid=frr",
        "--init-groups",
        vtysh,
        "-c",
        "show daemons",
      ]);
      assert.equal(merged.code, 0, describeFailure(merged));
      assert.deepEqual(merged.stdout.trim().split(/\s+/).sort(), [
        "bfdd",
        "bgpd",
        "staticd",
        "watchfrr",
        "zebra",
      ]);
      // Without them (policy Strict) only watchfrr's root-owned socket is out of reach; the
      // daemons the agent configures still answer.
      const strict = await runCommand("setpriv", [
        "--reuid=frr",
        "--regid=frr",
        "--clear-groups",
        vtysh,
        "-c",
        "show daemons",
      ]);
      assert.equal(strict.code, 0, describeFailure(strict));
      assert.deepEqual(strict.stdout.trim().split(/\s+/).sort(), ["bfdd", "bgpd", "staticd", "zebra"]);
      const config = await runCommand("setpriv", [
        "--reuid=frr",
        "--regid=frr",
        "--clear-groups",
        vtysh,
        "-c",
        "show running-config",
      ]);
      assert.equal(config.code, 0, describeFailure(config));
      assert.match(config.stdout, /^frr defaults traditional$/m);
    });
  },
);
