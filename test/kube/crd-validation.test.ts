// Kube tier: our CRDs in a real kube-apiserver refuse bad objects with the schema's and the CEL
// rules' own messages, as kubectl shows them to a user, and accept every example we ship.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { type ControlPlane, startControlPlane } from "../support/kube/control-plane.ts";

const NAMESPACE = "frr-k8s-system";

function frrConfiguration(name: string, router: string): string {
  return `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
spec:
  bgp:
    routers:
${router}`;
}

const refused: { name: string; router: string; message: RegExp }[] = [
  {
    name: "connect-time-too-short",
    router: `      - asn: 64512
        neighbors:
          - address: 192.0.2.1
            asn: 64513
            connectTime: 500ms`,
    message: /connect time should be between 1 seconds to 65535/,
  },
  {
    name: "asn-out-of-range",
    router: `      - asn: 4294967296`,
    message: /spec\.bgp\.routers\[0\]\.asn: Invalid value: 4294967296: .*less than or equal to 4294967295/,
  },
  {
    name: "rd-two-colons",
    router: `      - asn: 64512
        evpn:
          advertiseVNIs: All
          l2vnis:
            - vni: 100
              rd: "1:2:3"`,
    message: /RD must contain exactly one colon/,
  },
  {
    name: "misspelt-field",
    router: `      - asn: 64512
        neighbor:
          - address: 192.0.2.1`,
    message: /unknown field "spec\.bgp\.routers\[0\]\.neighbor"/,
  },
];

describe("CRDs in a real kube-apiserver", { timeout: 600_000 }, () => {
  let cp: ControlPlane;

  before(async () => {
    cp = await startControlPlane();
    await cp.kubectlChecked(["create", "namespace", NAMESPACE]);
  });

  after(async () => {
    await cp.stop();
  });

  for (const c of refused) {
    it(`refuses ${c.name} with the rule's message`, async () => {
      const r = await cp.kubectl(["apply", "-f", "-"], { input: frrConfiguration(c.name, c.router) });
      assert.notEqual(r.code, 0, `kubectl accepted ${c.name}: ${r.stdout}`);
      assert.match(r.stderr, c.message);
      const get = await cp.kubectl(["get", "frrconfiguration", "-n", NAMESPACE, c.name]);
      assert.match(get.stderr, /NotFound/);
    });
  }

  it("refuses an unknown FRRK8sConfiguration log level", async () => {
    const r = await cp.kubectl(["apply", "-f", "-"], {
      input: `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRK8sConfiguration
metadata: { name: config, namespace: ${NAMESPACE} }
spec: { logLevel: verbose }
`,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.logLevel: Unsupported value: "verbose"/);
  });

  it("accepts every FRRConfiguration and FRRK8sConfiguration of the shipped examples", async () => {
    const dirs = readdirSync(new URL("../../examples/", import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== "invalid")
      .map((d) => d.name);
    assert.ok(dirs.length >= 8, `found only ${String(dirs.length)} examples`);
    let checked = 0;
    for (const dir of dirs) {
      for (const object of ourObjects(new URL(`../../examples/${dir}/`, import.meta.url))) {
        await cp.kubectl(["create", "namespace", object.namespace]); // may exist already
        const r = await cp.kubectl(["apply", "--dry-run=server", "-f", "-"], { input: object.text });
        assert.equal(r.code, 0, `examples/${dir} ${object.name}: ${r.stderr}`);
        checked++;
      }
    }
    assert.ok(checked >= 10, `only ${String(checked)} objects checked`);
  });

  it("serves FRRNodeState status through its subresource", async () => {
    await cp.kubectlChecked(["apply", "-f", "-"], {
      input: "apiVersion: frrk8s.metallb.io/v1beta1\nkind: FRRNodeState\nmetadata: { name: worker-0 }\n",
    });
    await cp.kubectlChecked([
      "patch",
      "frrnodestate",
      "worker-0",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"lastReloadResult":"success"}}',
    ]);
    const r = await cp.kubectlChecked([
      "get",
      "frrnodestate",
      "worker-0",
      "-o",
      "jsonpath={.status.lastReloadResult}",
    ]);
    assert.equal(r.stdout, "success");
  });
});

/** The frrk8s.metallb.io objects of every YAML file in `dir` (MetalLB's own kinds are left out). */
function ourObjects(dir: URL): { name: string; namespace: string; text: string }[] {
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(new URL(f, dir), "utf8"))
      .map(
        (d) => d.toJS() as { apiVersion?: string; metadata?: { name?: string; namespace?: string } } | null,
      )
      .filter((o) => o?.apiVersion?.startsWith("frrk8s.metallb.io/") === true)
      .map((o) => ({
        name: o?.metadata?.name ?? "?",
        namespace: o?.metadata?.namespace ?? "default",
        text: JSON.stringify(o),
      })),
  );
}
