#!/usr/bin/env node
// The CLI runs from the tsc-built dist/ (npm run build).
import { existsSync } from 'node:fs';
const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('daxcheck: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
await import(main.href);
