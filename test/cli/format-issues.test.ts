// Aggregation and formatting of issues, in process, with hand-made issues.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Issue } from "../../src/core/issues.ts";
import { aggregateIssues, formatJson, formatText, summaryLine } from "../../src/cli/format-issues.ts";
import { collectObjects } from "../../src/cli/input-objects.ts";
import { buildInputSet } from "../../src/cli/input-set.ts";
import { parseDocuments } from "../../src/cli/load-input.ts";
import { lineOf, VALID_CONFIG } from "./helpers.ts";

const input = buildInputSet(collectObjects(parseDocuments("in.yaml", VALID_CONFIG)));
const object = { kind: "FRRConfiguration", namespace: "frr-k8s-system", name: "simple" };

function issue(overrides: Partial<Issue> = {}): Issue {
  return {
    code: "NEIGHBOR_NO_ASN",
    severity: "error",
    path: "spec.bgp.routers[0].neighbors[0].asn",
    object,
    message: "neighbor has no asn",
    ...overrides,
  };
}

describe("aggregateIssues", () => {
  it("merges identical issues of several nodes and lists the nodes sorted", () => {
    const reported = aggregateIssues(
      [
        { node: "b", issues: [issue()] },
        { node: "a", issues: [issue(), issue({ code: "INVALID_TYPE", path: "spec.bgp" })] },
      ],
      input,
    );
    assert.equal(reported.length, 2);
    assert.deepEqual(
      reported.map((r) => [r.issue.code, r.nodes]),
      [
        ["INVALID_TYPE", ["a"]],
        ["NEIGHBOR_NO_ASN", ["a", "b"]],
      ],
    );
  });

  it("keeps issues apart when message, path or the other side of a conflict differ", () => {
    const other = { kind: "FRRConfiguration", namespace: "x", name: "o" };
    const reported = aggregateIssues(
      [
        { node: "a", issues: [issue(), issue({ message: "other text" })] },
        { node: "b", issues: [issue({ conflictsWith: { object: other, path: "spec" } })] },
      ],
      input,
    );
    assert.equal(reported.length, 3);
  });

  it("locates the issue and the other side of a conflict", () => {
    const conflict = issue({ conflictsWith: { object, path: "spec.bgp.routers[0].asn" } });
    const [reported] = aggregateIssues([{ node: "a", issues: [conflict] }], input);
    assert.ok(reported);
    assert.equal(reported.source?.line, lineOf(VALID_CONFIG, "            asn: 64512"));
    assert.equal(reported.conflictSource?.line, lineOf(VALID_CONFIG, "- asn: 64512"));
  });

  it("leaves the source empty for an object that is not in the input", () => {
    const missing = issue({ object: { kind: "FRRConfiguration", namespace: "", name: "ghost" } });
    const reported = aggregateIssues([{ node: "a", issues: [missing] }], input);
    assert.equal(reported[0]?.source, undefined);
    assert.match(formatText(reported), /source: {2}\(not found in the input\)/);
    assert.equal((JSON.parse(formatJson(reported)) as { source: unknown }[])[0]?.source, null);
  });
});

describe("formatting", () => {
  it("indents continuation lines of multi-line messages", () => {
    const reported = aggregateIssues([{ node: "a", issues: [issue({ message: "first\nsecond" })] }], input);
    assert.match(formatText(reported), /message: first\n {4}second\n/);
  });

  it("prints nothing for no issues, and a summary", () => {
    assert.equal(formatText([]), "");
    assert.equal(formatJson([]), "[]\n");
    assert.equal(summaryLine([], ["a"]), "valid: no issues on 1 node (a)\n");
    const reported = aggregateIssues(
      [{ node: "a", issues: [issue(), issue({ severity: "warning", code: "DISABLE_MP_DEPRECATED" })] }],
      input,
    );
    assert.equal(summaryLine(reported, ["a", "b"]), "invalid: 1 error, 1 warning on 2 nodes (a, b)\n");
  });

  it("names objects without a namespace by name only", () => {
    const bare = issue({ object: { kind: "FRRConfiguration", namespace: "", name: "n" } });
    const text = formatText(aggregateIssues([{ node: "a", issues: [bare] }], input));
    assert.match(text, /^error NEIGHBOR_NO_ASN: FRRConfiguration n$/m);
  });
});
