// The webhook's own PKI: a CA and a serving certificate it signs, made with WebCrypto and
// @peculiar/x509 (ECDSA P-256, which the apiserver accepts), and the checks deciding whether a
// stored pair can still be served. Private keys are PEM strings handed to the TLS server and the
// Secret only: nothing here logs or returns them in a message.
import "reflect-metadata"; // @peculiar/x509's dependency injector needs the Reflect metadata API
import { createPrivateKey, webcrypto, X509Certificate as NodeCertificate } from "node:crypto";
import { isIP } from "node:net";
import * as x509 from "@peculiar/x509";

export interface CertificateBundle {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export interface ServingIdentity {
  /** `<service>.<namespace>.svc`: the name the apiserver connects to. */
  commonName: string;
  /** Every DNS name and IP address the certificate must hold (commonName included). */
  names: readonly string[];
}

export interface Lifetimes {
  caValidityMs: number;
  certValidityMs: number;
  /** A certificate with less than this left is replaced. */
  renewBeforeMs: number;
}

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const DAY = 86_400_000;
export const DEFAULT_LIFETIMES: Lifetimes = {
  caValidityMs: 3650 * DAY,
  certValidityMs: 365 * DAY,
  renewBeforeMs: 30 * DAY,
};

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
/** Tolerates clocks a little behind ours (the apiserver's). */
const BACKDATE_MS = 5 * 60_000;

x509.cryptoProvider.set(globalThis.crypto);

/** The identity for a Service, plus extra names (`127.0.0.1`, a host name) for tests. */
export function servingIdentity(
  service: string,
  namespace: string,
  extra: readonly string[],
): ServingIdentity {
  const commonName = `${service}.${namespace}.svc`;
  const names = [service, `${service}.${namespace}`, commonName, `${commonName}.cluster.local`, ...extra];
  return { commonName, names: [...new Set(names)] };
}

async function newKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive
  return Buffer.from(bytes).toString("hex");
}

function validity(now: Date, validityMs: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + validityMs) };
}

async function generateCa(now: Date, lifetimes: Lifetimes): Promise<{ cert: string; key: string }> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: "CN=cert, O=frrk8s",
    ...validity(now, lifetimes.caValidityMs),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

async function importCaKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return crypto.subtle.importKey("pkcs8", der, ALGORITHM, false, ["sign"]);
}

function subjectAltNames(names: readonly string[]): x509.SubjectAlternativeNameExtension {
  const entries = names.map((name) =>
    isIP(name) === 0 ? { type: "dns" as const, value: name } : { type: "ip" as const, value: name },
  );
  return new x509.SubjectAlternativeNameExtension(entries, false);
}

async function issueServing(
  ca: { cert: string; key: string },
  identity: ServingIdentity,
  now: Date,
  lifetimes: Lifetimes,
): Promise<{ cert: string; key: string }> {
  const keys = await newKeys();
  const caCert = new x509.X509Certificate(ca.cert);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${identity.commonName}, O=frrk8s`,
    issuer: caCert.subject,
    ...validity(now, lifetimes.certValidityMs),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: await importCaKey(ca.key),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      subjectAltNames(identity.names),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

/** A new CA and a serving certificate signed by it. */
export async function generateBundle(
  identity: ServingIdentity,
  now: Date,
  lifetimes: Lifetimes = DEFAULT_LIFETIMES,
): Promise<CertificateBundle> {
  const ca = await generateCa(now, lifetimes);
  const serving = await issueServing(ca, identity, now, lifetimes);
  return { caCert: ca.cert, caKey: ca.key, cert: serving.cert, key: serving.key };
}

/** A new serving certificate from the bundle's CA (the caBundle stays the same). */
export async function reissueServing(
  bundle: CertificateBundle,
  identity: ServingIdentity,
  now: Date,
  lifetimes: Lifetimes = DEFAULT_LIFETIMES,
): Promise<CertificateBundle> {
  const serving = await issueServing({ cert: bundle.caCert, key: bundle.caKey }, identity, now, lifetimes);
  return { ...bundle, cert: serving.cert, key: serving.key };
}

export type BundleVerdict = "valid" | "renew-serving" | "renew-all";

function parse(pem: string): NodeCertificate | undefined {
  try {
    return new NodeCertificate(pem);
  } catch {
    return undefined;
  }
}

function keyMatches(cert: NodeCertificate, keyPemText: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPemText));
  } catch {
    return false;
  }
}

function lastsBeyond(cert: NodeCertificate, at: number): boolean {
  return new Date(cert.validTo).getTime() > at && new Date(cert.validFrom).getTime() <= at + BACKDATE_MS;
}

function holdsNames(cert: NodeCertificate, names: readonly string[]): boolean {
  return names.every((name) => (isIP(name) === 0 ? cert.checkHost(name) : cert.checkIP(name)) !== undefined);
}

/** What a stored bundle needs: nothing, a new serving certificate, or a new CA as well. */
export function assessBundle(
  bundle: CertificateBundle,
  identity: ServingIdentity,
  now: Date,
  lifetimes: Lifetimes = DEFAULT_LIFETIMES,
): BundleVerdict {
  const horizon = now.getTime() + lifetimes.renewBeforeMs;
  const ca = parse(bundle.caCert);
  if (!ca?.ca || !keyMatches(ca, bundle.caKey) || !lastsBeyond(ca, horizon)) return "renew-all";
  const cert = parse(bundle.cert);
  const servable =
    cert !== undefined &&
    cert.checkIssued(ca) &&
    cert.verify(ca.publicKey) &&
    keyMatches(cert, bundle.key) &&
    lastsBeyond(cert, horizon) &&
    holdsNames(cert, identity.names);
  return servable ? "valid" : "renew-serving";
}
