// frr-k8s log levels → FRR's `log stdout <level>` words.

const FRR_LEVELS: Readonly<Record<string, string>> = {
  all: "debugging",
  debug: "debugging",
  info: "informational",
  warn: "warnings",
  error: "errors",
  none: "emergencies",
};

export const LOG_LEVELS = Object.keys(FRR_LEVELS);

export function frrLogLevel(level: string | undefined): string | undefined {
  return FRR_LEVELS[level ?? "info"];
}
