#!/usr/bin/env node
// npm bin shim: the CLI is TypeScript run directly by Node >= 22.18 (type stripping).
// Older Node versions cannot load it: say so in one line instead of a loader stack trace.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`frrk8s: Node.js >= 22.18 is required (this is ${process.version})\n`);
  process.exit(2);
}
await import("../src/cli/main.ts");
