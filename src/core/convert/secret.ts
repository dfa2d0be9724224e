// Resolving `passwordSecret` to the password, with the upstream rules: a basic-auth Secret with
// a `password` key. Messages never contain the secret's content.
import type { SecretReference } from "../../api/types.ts";
import type { SecretObject } from "../snapshot.ts";
import type { IssueCode } from "../issues.ts";

export type SecretResult = { ok: true; password: string } | { ok: false; code: IssueCode; message: string };

const BASIC_AUTH = "kubernetes.io/basic-auth";

function decodeBase64(value: string): string | undefined {
  try {
    const binary = atob(value);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function resolveSecretPassword(
  ref: SecretReference,
  secrets: readonly SecretObject[],
  defaultNamespace: string,
): SecretResult {
  const namespace = ref.namespace ?? defaultNamespace;
  const name = ref.name ?? "";
  const where = `"${namespace}"/"${name}"`;
  // Secrets come from adapters as-is: anything malformed simply does not match.
  const secret = secrets.find((s: SecretObject | null | undefined) => {
    const meta = typeof s === "object" && s !== null ? s.metadata : undefined;
    return meta?.name === name && (meta.namespace ?? defaultNamespace) === namespace;
  });
  if (!secret) return { ok: false, code: "SECRET_NOT_FOUND", message: `secret ${where} not found` };
  if (secret.type !== BASIC_AUTH) {
    return {
      ok: false,
      code: "SECRET_WRONG_TYPE",
      message: `secret ${where} has type "${secret.type ?? ""}", "${BASIC_AUTH}" is expected`,
    };
  }
  const plain: unknown = secret.stringData?.password;
  if (typeof plain === "string") return { ok: true, password: plain };
  const encoded: unknown = secret.data?.password;
  if (typeof encoded !== "string")
    return {
      ok: false,
      code: "SECRET_NO_PASSWORD",
      message: `password field not specified in the secret ${where}`,
    };
  const password = decodeBase64(encoded);
  if (password === undefined) {
    return {
      ok: false,
      code: "SECRET_NO_PASSWORD",
      message: `the password field of secret ${where} is not valid base64 UTF-8`,
    };
  }
  return { ok: true, password };
}
