/**
 * clipanion, loaded with require(). It is CommonJS: imported from ESM, Node first parses its
 * sources for their named exports (cjs-module-lexer), some 45 ms of every `kmc` start-up.
 * The commands import clipanion from here; its types come from the package as usual.
 */
import { createRequire } from 'node:module';
import type * as Clipanion from 'clipanion';

const clipanion = createRequire(import.meta.url)('clipanion') as typeof Clipanion;

export const { Builtins, Cli, Command, Option, UsageError } = clipanion;
export type { BaseContext, CommandClass } from 'clipanion';
