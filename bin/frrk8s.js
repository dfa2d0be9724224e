#!/usr/bin/env node
// npm bin shim. In a checkout the CLI is TypeScript run directly by Node >= 22.18 (type
// stripping). The image ships only the compiled JavaScript (dist/, `npm run build`, no src/):
// Node's type stripping costs ~17 MiB of RSS per process, which the agent does not pay there.
// Older Node versions cannot load either: say so in one line instead of a loader stack trace.
import { existsSync } from "node:fs";

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`frrk8s: Node.js >= 22.18 is required (this is ${process.version})\n`);
  process.exit(2);
}
const sources = new URL("../src/cli/main.ts", import.meta.url);
await import(existsSync(sources) ? sources.href : "../dist/cli/main.js");
