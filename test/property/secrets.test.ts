// Passwords never leak into issues. Configurations carry session passwords (inline, or through
// Secrets as stringData or base64 data) and are broken on purpose: password conflicts between
// configurations, invalid passwords, both a password and a Secret, Secrets of the wrong type or
// with bad base64, and random faults elsewhere. No issue message or path may contain a password
// (nor the marker every generated password carries, which also catches partial leaks).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { FRRConfiguration, Neighbor } from "../../src/api/types.ts";
import type { Issue } from "../../src/core/issues.ts";
import { computeNodeConfig } from "../../src/core/pipeline.ts";
import type { SecretObject } from "../../src/core/snapshot.ts";
import { DAEMON_NS, PASSWORD_MARK, PEERS, peerSecrets, validConfigSetArb } from "./arbitraries.ts";
import { applyMutation, mutationArb, underSpec } from "./mutate.ts";
import { checkResultInvariants, errorsOf, runOptions, snapshotOf } from "./support.ts";

// Found by this property: a password written as a YAML number (`password: 12345678`) used to be
// echoed by INVALID_TYPE; numeric passwords are generated like any other.

const PEERS_WITH_PASSWORD = PEERS.flatMap((p, i) => (p.password === undefined ? [] : [i]));

const suffixArb = fc.stringMatching(/^[A-Za-z0-9]{6,12}$/);

/** Passwords FRR cannot take: too long, blanks, control or non-ASCII characters. */
const badPasswordArb = fc
  .tuple(fc.constantFrom("long", "space", "newline", "tab", "unicode", "quote-space"), suffixArb)
  .map(([kind, suffix]) => {
    const base = `${PASSWORD_MARK}${suffix}`;
    switch (kind) {
      case "long":
        return base + "x".repeat(81);
      case "space":
        return `${base} tail`;
      case "newline":
        return `${base}\nrouter bgp 1`;
      case "tab":
        return `${base}\t`;
      case "unicode":
        return `${base}é`;
      default:
        return `"${base} x"`;
    }
  });

type Fault =
  | { kind: "conflict"; peer: number; suffix: string }
  | { kind: "bad"; peer: number; password: string; via: "inline" | "stringData" | "data" }
  | { kind: "both"; peer: number; suffix: string }
  | { kind: "wrong-type"; peer: number; suffix: string }
  | { kind: "bad-base64"; peer: number; suffix: string }
  | { kind: "numeric"; peer: number; value: number };

const peerArb = fc.constantFrom(...PEERS_WITH_PASSWORD);

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant("conflict" as const), peer: peerArb, suffix: suffixArb }),
  fc.record({
    kind: fc.constant("bad" as const),
    peer: peerArb,
    password: badPasswordArb,
    via: fc.constantFrom("inline" as const, "stringData" as const, "data" as const),
  }),
  fc.record({ kind: fc.constant("both" as const), peer: peerArb, suffix: suffixArb }),
  fc.record({ kind: fc.constant("wrong-type" as const), peer: peerArb, suffix: suffixArb }),
  fc.record({ kind: fc.constant("bad-base64" as const), peer: peerArb, suffix: suffixArb }),
  fc.record({
    kind: fc.constant("numeric" as const),
    peer: peerArb,
    value: fc.integer({ min: 700000001, max: 799999999 }),
  }),
);

interface Injected {
  configs: FRRConfiguration[];
  secrets: SecretObject[];
  /** Every secret value the snapshot holds because of this fault. */
  passwords: string[];
}

function faultConfig(
  name: string,
  peer: number,
  fields: Partial<Neighbor> | Record<string, unknown>,
): FRRConfiguration {
  const spec = PEERS[peer]!;
  const where = spec.isInterface ? { interface: spec.spellings[0]! } : { address: spec.spellings[0]! };
  const asn = typeof spec.asn === "number" ? { asn: spec.asn } : { dynamicASN: spec.asn };
  const neighbor = {
    ...where,
    ...asn,
    ...(spec.dualStack !== undefined && { dualStackAddressFamily: spec.dualStack }),
    ...fields,
  } as Neighbor;
  return {
    metadata: { name, namespace: DAEMON_NS },
    spec: { bgp: { routers: [{ asn: 64512, neighbors: [neighbor] }] } },
  };
}

function basicAuth(
  name: string,
  content: Pick<SecretObject, "data" | "stringData">,
  type = "kubernetes.io/basic-auth",
): SecretObject {
  return { metadata: { name, namespace: DAEMON_NS }, type, ...content };
}

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

function inject(fault: Fault, index: number): Injected {
  const name = `fault-${String(index)}`;
  const secretName = `${name}-secret`;
  const canonical = PEERS[fault.peer]!.password!;
  switch (fault.kind) {
    case "conflict": {
      const other = `${PASSWORD_MARK}-${fault.suffix}`;
      return {
        configs: [
          faultConfig(`${name}-a`, fault.peer, { password: canonical }),
          faultConfig(`${name}-b`, fault.peer, { passwordSecret: { name: secretName } }),
        ],
        secrets: [basicAuth(secretName, { stringData: { password: other } })],
        passwords: [other],
      };
    }
    case "bad": {
      if (fault.via === "inline")
        return {
          configs: [faultConfig(name, fault.peer, { password: fault.password })],
          secrets: [],
          passwords: [fault.password],
        };
      const content =
        fault.via === "data"
          ? { data: { password: base64(fault.password) } }
          : { stringData: { password: fault.password } };
      return {
        configs: [faultConfig(name, fault.peer, { passwordSecret: { name: secretName } })],
        secrets: [basicAuth(secretName, content)],
        passwords: [fault.password],
      };
    }
    case "both": {
      const inline = `${PASSWORD_MARK}-${fault.suffix}`;
      return {
        configs: [
          faultConfig(name, fault.peer, { password: inline, passwordSecret: { name: "peer0-string" } }),
        ],
        secrets: [],
        passwords: [inline],
      };
    }
    case "wrong-type": {
      const value = `${PASSWORD_MARK}-${fault.suffix}`;
      return {
        configs: [faultConfig(name, fault.peer, { passwordSecret: { name: secretName } })],
        secrets: [
          basicAuth(
            secretName,
            { stringData: { password: value }, data: { password: base64(value) } },
            "Opaque",
          ),
        ],
        passwords: [value],
      };
    }
    case "bad-base64": {
      // '-' and '!' are not base64: decoding fails and the raw value must not be echoed.
      const value = `${PASSWORD_MARK}-${fault.suffix}!`;
      return {
        configs: [faultConfig(name, fault.peer, { passwordSecret: { name: secretName } })],
        secrets: [basicAuth(secretName, { data: { password: value } })],
        passwords: [value],
      };
    }
    case "numeric":
      return {
        configs: [faultConfig(name, fault.peer, { password: fault.value })],
        secrets: [],
        passwords: [String(fault.value)],
      };
  }
}

function leaks(issue: Issue, passwords: readonly string[]): string | undefined {
  const texts = [issue.message, issue.path, issue.conflictsWith?.path ?? ""];
  for (const text of texts) {
    if (text.includes(PASSWORD_MARK)) return text;
    if (passwords.some((p) => text.includes(p))) return text;
  }
  return undefined;
}

const scenarioArb = fc.record({
  valid: validConfigSetArb({ maxLength: 3 }),
  faults: fc.array(faultArb, { minLength: 1, maxLength: 3 }),
  mutations: fc.array(fc.tuple(fc.nat(), mutationArb), { maxLength: 2 }),
  skipSecretResolution: fc.boolean(),
});

test("no issue ever contains a password, whatever else is wrong", () => {
  fc.assert(
    fc.property(scenarioArb, ({ valid, faults, mutations, skipSecretResolution }) => {
      const injected = faults.map(inject);
      const configs: unknown[] = [...valid, ...injected.flatMap((i) => i.configs)];
      for (const [which, mutation] of mutations)
        configs[which % configs.length] = applyMutation(configs[which % configs.length], mutation, underSpec);
      const secrets = [...peerSecrets(), ...injected.flatMap((i) => i.secrets)];
      const passwords = [...PEERS.flatMap((p) => p.password ?? []), ...injected.flatMap((i) => i.passwords)];
      const result = computeNodeConfig(snapshotOf(configs, secrets, { skipSecretResolution }));
      checkResultInvariants(result);
      for (const issue of result.issues) {
        const leaked = leaks(issue, passwords);
        assert.equal(leaked, undefined, `issue ${issue.code} leaks a password: ${leaked ?? ""}`);
      }
    }),
    runOptions(600),
  );
});

test("the faults are real: each one alone makes the configuration invalid", () => {
  fc.assert(
    fc.property(faultArb, (fault) => {
      const { configs, secrets } = inject(fault, 0);
      const result = computeNodeConfig(snapshotOf(configs, [...peerSecrets(), ...secrets]));
      assert.ok(errorsOf(result).length > 0, `fault ${fault.kind} produced no error`);
    }),
    runOptions(200),
  );
});

test("regression: a numeric password is not echoed by INVALID_TYPE", () => {
  const config = faultConfig("numeric", 0, { password: 731415926 });
  const result = computeNodeConfig(snapshotOf([config]));
  assert.ok(errorsOf(result).length > 0);
  for (const issue of result.issues) assert.ok(!issue.message.includes("731415926"), issue.message);
});
