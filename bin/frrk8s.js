#!/usr/bin/env node
// npm bin shim: the CLI is TypeScript run directly by Node >= 22.18 (type stripping).
import "../src/cli/main.ts";
