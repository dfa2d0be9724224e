// Passwords (from Secrets or inline) may appear in the rendered frr.conf only: never in validate
// output (text or JSON), never on render's stderr, never in an input error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertNoStackTrace, EXAMPLES, fixtureDir, runCli, type CliRun } from "./helpers.ts";

const EXAMPLE_DIR = join(EXAMPLES, "metallb-generated");
const EXAMPLE_TEXT = readFileSync(join(EXAMPLE_DIR, "metallb-generated.yaml"), "utf8");
const PASSWORD = "frrk8s-example-7Qz2";
const PASSWORD_BASE64 = Buffer.from(PASSWORD).toString("base64");
const INLINE_PASSWORD = "inline-Pw-93kd";

function assertNoSecret(
  run: CliRun,
  where: string,
  secrets: readonly string[] = [PASSWORD, PASSWORD_BASE64],
): void {
  for (const secret of secrets) {
    assert.ok(!run.stdout.includes(secret), `${where}: password on stdout`);
    assert.ok(!run.stderr.includes(secret), `${where}: password on stderr`);
  }
  assertNoStackTrace(run);
}

/** A user configuration that conflicts with MetalLB's neighbor on its password. */
const CONFLICTING = `apiVersion: frrk8s.metallb.io/v1beta1
kind: FRRConfiguration
metadata:
  name: user-receive
  namespace: metallb-system
spec:
  bgp:
    routers:
      - asn: 64512
        neighbors:
          - address: 172.18.0.5
            asn: 64512
            password: ${INLINE_PASSWORD}
            toReceive:
              allowed:
                mode: all
`;

describe("secrets", { concurrency: 2 }, () => {
  it("the example's password is rendered into frr.conf (the Secret is used)", async () => {
    const run = await runCli(["render", "-f", EXAMPLE_DIR, "--node", "node-1"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^ neighbor 172\\.18\\.0\\.5 password ${PASSWORD}$`, "m"));
    assert.ok(!run.stderr.includes(PASSWORD));
  });

  it("never appears in validate output, text or JSON", async () => {
    for (const output of ["text", "json"]) {
      const run = await runCli(["validate", "-f", EXAMPLE_DIR, "-o", output]);
      assert.equal(run.code, 0, run.stderr);
      assertNoSecret(run, `validate -o ${output}`);
    }
  });

  it("never appears in issues about conflicting passwords, nor on render's stderr", async () => {
    const dir = fixtureDir({ "cluster.yaml": EXAMPLE_TEXT, "user.yaml": CONFLICTING });
    const secrets = [PASSWORD, PASSWORD_BASE64, INLINE_PASSWORD];
    for (const output of ["text", "json"]) {
      const run = await runCli(["validate", "-f", dir, "-o", output]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /NEIGHBOR_PASSWORD_CONFLICT/);
      assertNoSecret(run, `validate -o ${output}`, secrets);
    }
    const render = await runCli(["render", "-f", dir, "--node", "node-1"]);
    assert.equal(render.code, 1);
    assert.match(render.stderr, /NEIGHBOR_PASSWORD_CONFLICT/);
    assertNoSecret(render, "render", secrets);
  });

  it("never appears when the Secret has the wrong type", async () => {
    const text = EXAMPLE_TEXT.replace("type: kubernetes.io/basic-auth", "type: Opaque");
    const dir = fixtureDir({ "cluster.yaml": text });
    const validate = await runCli(["validate", "-f", dir, "-o", "json"]);
    assert.equal(validate.code, 1);
    assert.match(validate.stdout, /SECRET_WRONG_TYPE/);
    assertNoSecret(validate, "validate");
    const render = await runCli(["render", "-f", dir, "--node", "node-2"]);
    assert.equal(render.code, 1);
    assertNoSecret(render, "render");
  });

  it("never appears in a YAML syntax error on the password's line", async () => {
    const text = EXAMPLE_TEXT.replace(`password: ${PASSWORD_BASE64}`, `password: ${PASSWORD}: oops`);
    assert.notEqual(text, EXAMPLE_TEXT);
    const run = await runCli(["validate", "-f", fixtureDir({ "cluster.yaml": text })]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cluster\.yaml:\d+:\d+: YAML syntax error/);
    assertNoSecret(run, "syntax error", [PASSWORD]);
  });

  it("never appears in an input error about a Secret", async () => {
    const text = `${EXAMPLE_TEXT}---\n${EXAMPLE_TEXT.slice(EXAMPLE_TEXT.indexOf("apiVersion: v1\nkind: Secret"))}`;
    const run = await runCli(["validate", "-f", fixtureDir({ "cluster.yaml": text })]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /duplicate Secret metallb-system\/bgp-pass/);
    assertNoSecret(run, "duplicate");
  });
});
