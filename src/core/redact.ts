// Passwords never leave the FRR daemons: every surfaced copy of FRR text (running config, FRR's
// error output) goes through this. Upstream's rule (`password.*` up to the end of the line), so
// nothing after the keyword on that line survives.

const PASSWORD_TO_END_OF_LINE = /password.*/g;

export const REDACTED = "password <retracted>";

export function redactPasswords(text: string): string {
  return text.replace(PASSWORD_TO_END_OF_LINE, REDACTED);
}

/** Also removes known secret values wherever they appear (FRR may echo a password in an error). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = redactPasswords(text);
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join("<retracted>");
  return out;
}
