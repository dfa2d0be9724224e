import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { assessBundle, generateBundle, reissueServing, servingIdentity } from "./certs.ts";

const DAY = 86_400_000;
const identity = servingIdentity("frr-k8s-webhook-service", "frr-k8s-system", ["127.0.0.1", "localhost"]);
const lifetimes = { caValidityMs: 100 * DAY, certValidityMs: 40 * DAY, renewBeforeMs: 10 * DAY };
const now = new Date("2026-01-01T00:00:00Z");

test("a generated bundle: CA signs a serving certificate holding every name; valid until near expiry", async () => {
  const bundle = await generateBundle(identity, now, lifetimes);
  const ca = new X509Certificate(bundle.caCert);
  const cert = new X509Certificate(bundle.cert);
  assert.equal(ca.ca, true);
  assert.equal(cert.ca, false);
  assert.equal(cert.checkIssued(ca), true);
  assert.equal(cert.verify(ca.publicKey), true);
  assert.match(cert.subject, /CN=frr-k8s-webhook-service\.frr-k8s-system\.svc/);
  assert.equal(
    cert.checkHost("frr-k8s-webhook-service.frr-k8s-system.svc"),
    "frr-k8s-webhook-service.frr-k8s-system.svc",
  );
  assert.equal(cert.checkIP("127.0.0.1"), "127.0.0.1");
  assert.equal(assessBundle(bundle, identity, now, lifetimes), "valid");
  assert.equal(assessBundle(bundle, identity, new Date(now.getTime() + 29 * DAY), lifetimes), "valid");
  assert.equal(
    assessBundle(bundle, identity, new Date(now.getTime() + 31 * DAY), lifetimes),
    "renew-serving",
  );
  assert.equal(assessBundle(bundle, identity, new Date(now.getTime() + 91 * DAY), lifetimes), "renew-all");
});

test("a reissued serving certificate keeps the CA and is valid again", async () => {
  const bundle = await generateBundle(identity, now, lifetimes);
  const later = new Date(now.getTime() + 35 * DAY);
  const renewed = await reissueServing(bundle, identity, later, lifetimes);
  assert.equal(renewed.caCert, bundle.caCert);
  assert.notEqual(renewed.cert, bundle.cert);
  assert.equal(assessBundle(renewed, identity, later, lifetimes), "valid");
});

test("a bundle missing a name, with a foreign key or garbage is not served as is", async () => {
  const bundle = await generateBundle(identity, now, lifetimes);
  const other = await generateBundle(identity, now, lifetimes);
  const wider = servingIdentity("frr-k8s-webhook-service", "frr-k8s-system", ["127.0.0.1", "10.0.0.9"]);
  assert.equal(assessBundle(bundle, wider, now, lifetimes), "renew-serving");
  assert.equal(assessBundle({ ...bundle, key: other.key }, identity, now, lifetimes), "renew-serving");
  assert.equal(assessBundle({ ...bundle, cert: other.cert }, identity, now, lifetimes), "renew-serving");
  assert.equal(assessBundle({ ...bundle, caKey: other.caKey }, identity, now, lifetimes), "renew-all");
  assert.equal(
    assessBundle({ caCert: "", caKey: "", cert: "", key: "" }, identity, now, lifetimes),
    "renew-all",
  );
});
