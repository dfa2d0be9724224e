// Reading what `vtysh -f FILE` printed while applying a batch (FRR 8.4). No I/O.
//
// A line vtysh cannot parse gives `line N: % Unknown command[..]: <text>` on stderr; a daemon that
// refuses a command prints its message on stdout without a line number (and vtysh may add
// `line N: Failure to communicate[13] to bgpd, line: <text>`). Exit status alone misses some
// refusals (a daemon answering CMD_WARNING leaves exit 0), so every line that is not a known
// notice counts as an error.
import { redactSecrets } from "../../core/redact.ts";

export interface CommandError {
  /** The command vtysh named (its line of the batch), when it named one. */
  command?: string;
  message: string;
}

/** Messages FRR 8.4 prints for commands it does apply (checked against the running config). */
const NOTICES: readonly RegExp[] = [
  /^Graceful restart configuration changed, reset this peer to take effect$/,
  /^% Echo mode works correctly for IPv4, but only works when the peer is also FRR for IPv6\.$/,
];

/** Errors in vtysh's output for a batch file; redacted with `secrets`. */
export function batchErrors(output: string, fileText: string, secrets: readonly string[]): CommandError[] {
  const fileLines = fileText.split("\n");
  const errors: CommandError[] = [];
  for (const raw of output.split("\n")) {
    const text = raw.trim();
    if (text === "" || NOTICES.some((re) => re.test(text))) continue;
    const m = /^line (\d+): ?(.*)$/.exec(text);
    const command = m === null ? undefined : fileLines[Number(m[1]) - 1]?.trim();
    const message = redactSecrets(m === null ? text : (m[2] ?? ""), secrets);
    errors.push(command === undefined ? { message } : { command: redactSecrets(command, secrets), message });
  }
  return errors;
}

/** Errors as lines for status and logs. */
export function formatErrors(errors: readonly CommandError[]): string {
  return errors.map((e) => (e.command === undefined ? e.message : `${e.command}: ${e.message}`)).join("\n");
}
