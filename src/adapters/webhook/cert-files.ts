// `--disable-cert-rotation`: the serving pair comes from files (tls.crt, tls.key in --cert-dir,
// e.g. a mounted Secret managed by cert-manager). The files are re-read periodically and a
// changed pair is handed over (a mounted Secret is updated in place by the kubelet).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServingCertificate } from "./server.ts";

const POLL_INTERVAL_MS = 10_000;

export async function readCertificateFiles(dir: string): Promise<ServingCertificate> {
  const [cert, key] = await Promise.all([
    readFile(join(dir, "tls.crt"), "utf8"),
    readFile(join(dir, "tls.key"), "utf8"),
  ]);
  return { cert, key };
}

/** Polls the files; calls onChange with a new pair. Read errors go to onError (key content never). */
export function watchCertificateFiles(
  dir: string,
  current: ServingCertificate,
  onChange: (certificate: ServingCertificate) => void,
  onError: (reason: string) => void,
): { close(): void } {
  let last = current;
  const timer = setInterval(() => {
    readCertificateFiles(dir).then(
      (next) => {
        if (next.cert === last.cert && next.key === last.key) return;
        last = next;
        onChange(next);
      },
      (err: unknown) => {
        onError(err instanceof Error ? err.message : String(err));
      },
    );
  }, POLL_INTERVAL_MS);
  return {
    close: () => {
      clearInterval(timer);
    },
  };
}
