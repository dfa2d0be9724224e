import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSecretPassword } from "./secret.ts";

const secret = (name: string, fields: object) => ({
  metadata: { name, namespace: "ns" },
  type: "kubernetes.io/basic-auth",
  ...fields,
});

test("a basic-auth secret gives its password from data (base64) or stringData", () => {
  const secrets = [
    secret("a", { data: { password: btoa("s3cret") } }),
    secret("b", { stringData: { password: "plain" } }),
  ];
  assert.deepEqual(resolveSecretPassword({ name: "a" }, secrets, "ns"), { ok: true, password: "s3cret" });
  assert.deepEqual(resolveSecretPassword({ name: "b", namespace: "ns" }, secrets, "other"), {
    ok: true,
    password: "plain",
  });
});

test("missing, mistyped and empty secrets are reported without their content", () => {
  const secrets = [
    { metadata: { name: "opaque", namespace: "ns" }, type: "Opaque", data: { password: btoa("hidden1") } },
    secret("nokey", { data: { username: btoa("u") } }),
    secret("bad64", { data: { password: "%%%" } }),
  ];
  const codes = ["missing", "opaque", "nokey", "bad64"].map((name) => {
    const result = resolveSecretPassword({ name }, secrets, "ns");
    assert.ok(!result.ok);
    assert.ok(!result.message.includes("hidden1"));
    return result.code;
  });
  assert.deepEqual(codes, [
    "SECRET_NOT_FOUND",
    "SECRET_WRONG_TYPE",
    "SECRET_NO_PASSWORD",
    "SECRET_NO_PASSWORD",
  ]);
  assert.equal(resolveSecretPassword({ name: "opaque" }, secrets, "elsewhere").ok, false);
});
