#!/usr/bin/env node
// In a checkout (src/ is there) kmc runs its TypeScript sources through tsx; an installed
// package runs the JavaScript compiled into dist/ when it was packed (npm pack runs prepack).
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../dist/src/cli/main.js');
}
