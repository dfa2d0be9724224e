// Free-text fields end up verbatim in frr.conf: anything that could break a line or a token
// there is refused with a clear issue rather than handed to FRR.
import type { Reporter } from "./reporter.ts";

const WORD = /^[A-Za-z0-9_.:@+-]+$/;
// Linux refuses '/', ':' and whitespace in device names.
const NETDEV = /^[A-Za-z0-9_.-]+$/;
const LINUX_IFNAME_MAX = 15;

/** VRF and interface names are Linux netdev names: 1-15 characters, no spaces or '/'. */
export function checkNetdevName(reporter: Reporter, path: string, value: string, what: string): boolean {
  if (value.length <= LINUX_IFNAME_MAX && NETDEV.test(value)) return true;
  reporter.error(
    "INVALID_NAME",
    path,
    `${what} ${JSON.stringify(value)} is not a valid Linux interface name (1-15 characters: letters, digits, '_', '.', '-')`,
  );
  return false;
}

export function checkWord(reporter: Reporter, path: string, value: string, what: string): boolean {
  if (value.length <= 63 && WORD.test(value)) return true;
  reporter.error(
    "INVALID_NAME",
    path,
    `${what} ${JSON.stringify(value)} must be 1-63 characters without spaces (letters, digits, '_', '.', '-', ':', '@', '+')`,
  );
  return false;
}

const PASSWORD_MAX = 80;

/** TCP-MD5 keys are at most 80 bytes; FRR takes the rest of the line, so no control characters. */
export function passwordProblem(password: string): string | undefined {
  if (password.length === 0) return "the password is empty";
  if (password.length > PASSWORD_MAX)
    return `the password is longer than ${PASSWORD_MAX} characters (the TCP-MD5 limit)`;
  if (!/^[\x21-\x7e]+$/.test(password))
    return "the password may contain only printable ASCII characters without spaces";
  return undefined;
}
