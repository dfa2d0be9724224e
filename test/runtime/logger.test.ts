import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CENSOR, Log, createPino, parseLogLevel, type LoggerOptions } from "../../src/runtime/logger.ts";
import { PASSWORD } from "./status-fixtures.ts";

function capture(options: Omit<LoggerOptions, "destination"> = {}): {
  log: Log;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  let out = "";
  const destination = { write: (chunk: string) => void (out += chunk) };
  const log = Log.create({ ...options, destination });
  return {
    log,
    raw: () => out,
    lines: () =>
      out
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("Log", () => {
  it("writes one JSON object per line: level label, ISO ts, constant msg, fixed keys", () => {
    const c = capture({ node: "node-1" });
    c.log.info("apply failed", { object: "FRRConfiguration ns/a", reason: "timeout", durationMs: 12 });
    const [line] = c.lines();
    assert.ok(line);
    assert.equal(line["level"], "info");
    assert.equal(line["msg"], "apply failed");
    assert.equal(line["node"], "node-1");
    assert.equal(line["object"], "FRRConfiguration ns/a");
    assert.equal(line["reason"], "timeout");
    assert.equal(line["durationMs"], 12);
    assert.match(String(line["ts"]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(line["pid"], undefined);
    assert.equal(line["hostname"], undefined);
    assert.equal(c.raw().split("\n").length, 2, "one line and its newline");
  });

  it("children carry their bindings", () => {
    const c = capture({ node: "n" });
    c.log.child({ component: "reconcile-loop" }).warn("reconcile failed", { reason: "x" });
    assert.deepEqual(
      c.lines().map((l) => [l["component"], l["node"], l["level"]]),
      [["reconcile-loop", "n", "warn"]],
    );
  });

  it("filters by level; the level changes at run time for the root and every child", () => {
    const c = capture({ level: "info" });
    const child = c.log.child({ component: "status-server" });
    child.debug("hidden");
    c.log.setLevel("debug");
    assert.equal(child.level, "debug");
    assert.equal(child.isDebugEnabled(), true);
    child.debug("shown");
    child.setLevel("error");
    c.log.warn("hidden too");
    c.log.error("error shown");
    c.log.setLevel("none");
    c.log.error("silenced");
    c.log.setLevel("all");
    c.log.debug("all is debug");
    assert.deepEqual(
      c.lines().map((l) => l["msg"]),
      ["shown", "error shown", "all is debug"],
    );
  });

  it("redacts passwords in reason", () => {
    const c = capture();
    c.log.error("apply rejected", { reason: `line 3: neighbor 10.0.0.1 password ${PASSWORD}` });
    assert.ok(!c.raw().includes(PASSWORD));
    assert.equal(c.lines()[0]?.["reason"], "line 3: neighbor 10.0.0.1 password <retracted>");
  });
});

describe("createPino redaction paths", () => {
  it("censors password fields and Secret data in logged objects", () => {
    let out = "";
    const logger = createPino({ destination: { write: (s: string) => void (out += s) } });
    logger.info(
      {
        password: PASSWORD,
        neighbor: { address: "10.0.0.1", password: PASSWORD },
        config: {
          spec: { bgp: { routers: [{ neighbors: [{ address: "10.0.0.1", password: PASSWORD }] }] } },
        },
        secret: {
          data: { password: Buffer.from(PASSWORD).toString("base64") },
          stringData: { password: PASSWORD },
        },
      },
      "k8s config",
    );
    assert.ok(!out.includes(PASSWORD), out);
    assert.ok(!out.includes(Buffer.from(PASSWORD).toString("base64")), out);
    const line = JSON.parse(out) as { neighbor: { address: string; password: string } };
    assert.equal(line.neighbor.password, CENSOR);
    assert.equal(line.neighbor.address, "10.0.0.1");
  });
});

describe("parseLogLevel", () => {
  it("accepts upstream's words only", () => {
    assert.equal(parseLogLevel("all"), "all");
    assert.equal(parseLogLevel("none"), "none");
    assert.equal(parseLogLevel("warning"), undefined);
    assert.equal(parseLogLevel("INFO"), undefined);
  });
});
