// Field path → file:line:column, on real YAML.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDocuments } from "../../src/cli/load-input.ts";
import { locateField, parseFieldPath, type ObjectSource } from "../../src/cli/source-lines.ts";
import { lineOf } from "./helpers.ts";

const TEXT = `# leading comment
apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata:
  name: a
spec:
  nodeSelector:
    matchLabels:
      kubernetes.io/hostname: worker-0
  bgp:
    routers:
      - asn: 64512
        neighbors:
          - address: 10.0.0.1
            asn: 64512
          - address: 10.0.0.2
            asn: 65000
            toAdvertise:
              allowed:
                prefixes: [10.1.0.0/24, 10.2.0.0/24]
`;

function objectIn(text: string, basePath: (string | number)[] = [], docIndex = 0): ObjectSource {
  const source = parseDocuments("in.yaml", text)[docIndex];
  assert.ok(source);
  return { source, basePath };
}

function lineAt(object: ObjectSource, path: string): number {
  return locateField(object, path).line;
}

describe("parseFieldPath", () => {
  it("splits keys and indices", () => {
    assert.deepEqual(parseFieldPath("spec.bgp.routers[0].neighbors[12].asn"), [
      "spec",
      "bgp",
      "routers",
      0,
      "neighbors",
      12,
      "asn",
    ]);
  });

  it("understands quoted keys", () => {
    assert.deepEqual(parseFieldPath('spec.nodeSelector.matchLabels["kubernetes.io/hostname"]'), [
      "spec",
      "nodeSelector",
      "matchLabels",
      "kubernetes.io/hostname",
    ]);
    assert.deepEqual(parseFieldPath("a['b.c'].d"), ["a", "b.c", "d"]);
    assert.deepEqual(parseFieldPath('a["q\\"x"]'), ["a", 'q"x']);
  });

  it("gives no segment for the empty path", () => {
    assert.deepEqual(parseFieldPath(""), []);
  });
});

describe("locateField", () => {
  const object = objectIn(TEXT);

  it("finds the line of an existing field", () => {
    assert.equal(lineAt(object, "spec.bgp.routers[0].neighbors[1].asn"), lineOf(TEXT, "asn: 65000"));
    assert.equal(lineAt(object, "spec.bgp.routers[0].asn"), lineOf(TEXT, "- asn: 64512"));
    assert.equal(lineAt(object, "spec.bgp.routers[0].neighbors[1]"), lineOf(TEXT, "address: 10.0.0.2"));
  });

  it("gives the column of the key", () => {
    const pos = locateField(object, "spec.bgp.routers[0].neighbors[1].asn");
    assert.deepEqual(pos, { file: "in.yaml", line: lineOf(TEXT, "asn: 65000"), column: 13 });
  });

  it("finds items of flow sequences", () => {
    const line = lineOf(TEXT, "prefixes: [");
    const pos = locateField(object, "spec.bgp.routers[0].neighbors[1].toAdvertise.allowed.prefixes[1]");
    assert.equal(pos.line, line);
    assert.equal(pos.column, (TEXT.split("\n")[line - 1] ?? "").indexOf("10.2.0.0/24") + 1);
  });

  it("falls back to the nearest existing parent", () => {
    const neighbor = lineOf(TEXT, "address: 10.0.0.1");
    assert.equal(lineAt(object, "spec.bgp.routers[0].neighbors[0].password"), neighbor);
    assert.equal(lineAt(object, "spec.bgp.routers[0].neighbors[7].asn"), lineOf(TEXT, "neighbors:"));
    assert.equal(lineAt(object, "spec.raw.rawConfig"), lineOf(TEXT, "spec:"));
  });

  it("falls back to the document start for an empty or unknown path", () => {
    assert.equal(lineAt(object, ""), lineOf(TEXT, "apiVersion:"));
    assert.equal(lineAt(object, "status.x"), lineOf(TEXT, "apiVersion:"));
  });

  it("finds label keys containing dots, quoted or not", () => {
    const line = lineOf(TEXT, "kubernetes.io/hostname");
    assert.equal(lineAt(object, 'spec.nodeSelector.matchLabels["kubernetes.io/hostname"]'), line);
    assert.equal(lineAt(object, "spec.nodeSelector.matchLabels.kubernetes.io/hostname"), line);
  });

  it("resolves paths inside List items", () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata:
      name: n0
  - apiVersion: v1
    kind: Node
    metadata:
      name: n1
      labels:
        zone: a
`;
    const item = objectIn(list, ["items", 1]);
    assert.equal(lineAt(item, "metadata.labels.zone"), lineOf(list, "zone: a"));
    assert.equal(lineAt(item, ""), lineOf(list, "- apiVersion: v1") + 4);
  });

  it("follows aliases to their anchor", () => {
    const text = `a: &peer\n  asn: 1\nb: *peer\n`;
    assert.equal(lineAt(objectIn(text), "b.asn"), 2);
  });

  it("maps paths in later documents of a file to their own lines", () => {
    const text = `${TEXT}---\n${TEXT}`;
    const second = objectIn(text, [], 1);
    const secondStart = TEXT.split("\n").length + 1;
    assert.equal(
      lineAt(second, "spec.bgp.routers[0].neighbors[1].asn"),
      secondStart + lineOf(TEXT, "asn: 65000") - 1,
    );
  });
});
