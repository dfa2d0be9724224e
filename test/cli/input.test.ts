// Documents → objects → node snapshots, in process (no core needed).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CliError } from "../../src/cli/exit-codes.ts";
import { collectObjects } from "../../src/cli/input-objects.ts";
import { buildInputSet, type InputSet } from "../../src/cli/input-set.ts";
import { parseDocuments } from "../../src/cli/load-input.ts";
import {
  nodesToValidate,
  resolveNode,
  snapshotForNode,
  type SnapshotFlags,
} from "../../src/cli/snapshot-for-node.ts";
import { NODE_WORKER_0, VALID_CONFIG } from "./helpers.ts";

function inputOf(text: string): InputSet {
  return buildInputSet(collectObjects(parseDocuments("in.yaml", text)));
}

const NO_FLAGS: SnapshotFlags = { extraLabels: {}, alwaysBlock: [] };

describe("collecting objects", () => {
  it("keeps the used kinds and ignores others", () => {
    const text = `${VALID_CONFIG}---\napiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata:\n  name: p\n---\n${NODE_WORKER_0}`;
    const objects = collectObjects(parseDocuments("in.yaml", text));
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.name}`),
      ["FRRConfiguration/simple", "Node/worker-0"],
    );
  });

  it("skips empty documents", () => {
    const objects = collectObjects(parseDocuments("in.yaml", `---\n# nothing\n---\n${VALID_CONFIG}---\n`));
    assert.equal(objects.length, 1);
  });

  it("unpacks List and typed lists", () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata: {name: a}
---
apiVersion: v1
kind: NodeList
items:
  - metadata: {name: b}
  - metadata: {name: c}
`;
    const objects = collectObjects(parseDocuments("in.yaml", text));
    assert.deepEqual(
      objects.map((o) => [o.name, o.origin.basePath]),
      [
        ["a", ["items", 0]],
        ["b", ["items", 0]],
        ["c", ["items", 1]],
      ],
    );
  });

  it("requires kind on items of a plain List", () => {
    const text = "apiVersion: v1\nkind: List\nitems:\n  - metadata: {name: a}\n";
    assert.throws(() => collectObjects(parseDocuments("in.yaml", text)), {
      name: "CliError",
      message: /^in\.yaml:4:5: object has no apiVersion: every document needs apiVersion and kind$/,
    });
  });

  it("ignores a same-named kind of another API group", () => {
    const text = "apiVersion: example.com/v1\nkind: Node\nmetadata:\n  name: x\n";
    assert.equal(collectObjects(parseDocuments("in.yaml", text)).length, 0);
  });

  it("reports an unresolvable alias as an input error", () => {
    assert.throws(() => collectObjects(parseDocuments("in.yaml", "a: *nope\n")), CliError);
  });
});

describe("nodes", () => {
  it("defaults kubernetes.io/hostname to the node name and keeps other labels", () => {
    const input = inputOf("apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels:\n    zone: a\n");
    assert.deepEqual(input.nodes[0]?.labels, { zone: "a", "kubernetes.io/hostname": "n1" });
  });

  it("does not override an explicit hostname label", () => {
    const input = inputOf(
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels:\n    kubernetes.io/hostname: h\n",
    );
    assert.equal(input.nodes[0]?.labels["kubernetes.io/hostname"], "h");
  });

  it("detects IPv6-only nodes from InternalIP/ExternalIP addresses", () => {
    const node = (addresses: string): boolean =>
      inputOf(`apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nstatus:\n  addresses:\n${addresses}`)
        .nodes[0]?.ipv6Only ?? false;
    assert.equal(
      node("    - {type: InternalIP, address: 'fd00::1'}\n    - {type: Hostname, address: n}\n"),
      true,
    );
    assert.equal(
      node("    - {type: InternalIP, address: 'fd00::1'}\n    - {type: ExternalIP, address: 1.2.3.4}\n"),
      false,
    );
    assert.equal(node("    - {type: Hostname, address: n}\n"), false);
    assert.equal(inputOf("apiVersion: v1\nkind: Node\nmetadata:\n  name: n\n").nodes[0]?.ipv6Only, false);
  });

  it("resolves --node against the input", () => {
    const two = `${NODE_WORKER_0}---\n${NODE_WORKER_0.replaceAll("worker-0", "worker-1")}`;
    const input = inputOf(two);
    assert.equal(resolveNode(input, "worker-1", NO_FLAGS).name, "worker-1");
    assert.throws(() => resolveNode(input, "worker-9", NO_FLAGS), /unknown node "worker-9"/);
    assert.throws(() => resolveNode(input, undefined, NO_FLAGS), /--node is required/);
    const absent = resolveNode(input, "worker-9", { ...NO_FLAGS, extraLabels: { zone: "b" } });
    assert.deepEqual(absent.labels, { "kubernetes.io/hostname": "worker-9", zone: "b" });
  });

  it("uses the only Node when --node is not given, with --node-labels overriding its labels", () => {
    const node = resolveNode(inputOf(NODE_WORKER_0), undefined, { ...NO_FLAGS, extraLabels: { x: "1" } });
    assert.deepEqual(node.labels, { "kubernetes.io/hostname": "worker-0", x: "1" });
  });

  it("validates every Node sorted by name, or a default node", () => {
    const text = `${NODE_WORKER_0.replaceAll("worker-0", "b")}---\n${NODE_WORKER_0.replaceAll("worker-0", "a")}`;
    assert.deepEqual(
      nodesToValidate(inputOf(text), undefined, NO_FLAGS).map((n) => n.name),
      ["a", "b"],
    );
    const fallback = nodesToValidate(inputOf(VALID_CONFIG), undefined, NO_FLAGS);
    assert.deepEqual(fallback, [
      { name: "node", labels: { "kubernetes.io/hostname": "node" }, ipv6Only: false },
    ]);
  });
});

describe("snapshots", () => {
  const secret = `apiVersion: v1
kind: Secret
metadata:
  name: s
  namespace: ns
type: kubernetes.io/basic-auth
data:
  password: cGFzcw==
stringData:
  other: x
`;
  const config = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRK8sConfiguration
metadata:
  name: config
spec:
  logLevel: warn
`;

  it("passes configurations verbatim and secrets reduced to what the core reads", () => {
    const input = inputOf(`${VALID_CONFIG}---\n${secret}---\n${NODE_WORKER_0}`);
    const node = resolveNode(input, "worker-0", NO_FLAGS);
    const snapshot = snapshotForNode(input, node, NO_FLAGS);
    assert.equal(snapshot.nodeName, "worker-0");
    assert.equal(snapshot.configurations.length, 1);
    assert.deepEqual(snapshot.secrets, [
      {
        metadata: { name: "s", namespace: "ns" },
        type: "kubernetes.io/basic-auth",
        data: { password: "cGFzcw==" },
        stringData: { other: "x" },
      },
    ]);
    assert.deepEqual(snapshot.options, { hostname: "worker-0" });
  });

  it("sets hostname, log level, always-block and ipv6OnlyNode from flags and input", () => {
    const v6 = `${NODE_WORKER_0}status:\n  addresses:\n    - {type: InternalIP, address: 'fd00::5'}\n`;
    const flags = { extraLabels: {}, alwaysBlock: ["10.0.0.0/8"], logLevel: "debug", hostname: "h" };
    const input = inputOf(`${v6}---\n${VALID_CONFIG}`);
    const snapshot = snapshotForNode(input, resolveNode(input, "worker-0", flags), flags);
    assert.deepEqual(snapshot.options, {
      hostname: "h",
      logLevel: "debug",
      alwaysBlock: ["10.0.0.0/8"],
      ipv6OnlyNode: true,
    });
  });

  it("lets the FRRK8sConfiguration named config override --log-level, as upstream", () => {
    const input = inputOf(`${config}---\n${NODE_WORKER_0}`);
    const flags = { ...NO_FLAGS, logLevel: "debug" };
    assert.equal(
      snapshotForNode(input, resolveNode(input, "worker-0", flags), flags).options.logLevel,
      "warn",
    );
  });
});
