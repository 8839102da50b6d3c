#!/usr/bin/env node
// Runs the TypeScript sources (and TypeScript model files) directly through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
