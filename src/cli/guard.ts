/**
 * How every command ends when something goes wrong: usage errors exit 1, model errors 2 (one
 * line, no stack), a file that cannot be written 3 (one line), kmc bugs 255 (with the stack). Text goes to stderr; with `--json` the error
 * is the one JSON document on stdout instead, with the same exit code.
 */
import { writeFileSync } from 'node:fs';
import { UsageError, type BaseContext } from './clipanion.ts';
import { ModelError, UsageError as KmcUsageError, WriteError } from '../util/errors.ts';
import { EXIT } from '../explore/verdict.ts';
import { escapeControls, safeJson } from '../util/escape.ts';

export type ErrorKind = 'usage' | 'model' | 'write' | 'internal';

/** Reports a failure the way the command was asked to speak; returns its exit code. */
export function fail(ctx: BaseContext, json: boolean, kind: ErrorKind, message: string, extra: Record<string, unknown> = {}): number {
  // a message may quote a file (a trace's names, a JSON parser's excerpt): its control characters are shown, not obeyed
  if (json) ctx.stdout.write(safeJson(JSON.stringify({ error: { kind, message, ...extra } }, null, 2)) + '\n');
  else ctx.stderr.write(`kmc: ${escapeControls(message, kind === 'internal')}\n`);
  return kind === 'usage' ? EXIT.usage : kind === 'model' ? EXIT.model : kind === 'write' ? EXIT.write : EXIT.internal;
}

export async function guard(ctx: BaseContext, json: boolean, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError || err instanceof KmcUsageError) return fail(ctx, json, 'usage', err.message);
    if (err instanceof ModelError) return fail(ctx, json, 'model', err.message, { code: err.code });
    if (err instanceof WriteError) return fail(ctx, json, 'write', err.message);
    const stack = err instanceof Error ? err.stack ?? err.message : String(err);
    return fail(ctx, json, 'internal', `internal error (a bug in kmc): ${json ? (err instanceof Error ? err.message : String(err)) : stack}`, json ? { stack } : {});
  }
}

/** `--param k=v` list → record; a malformed entry is a usage error. */
export function parseParamFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const i = f.indexOf('=');
    if (i <= 0) throw new UsageError(`--param ${f}: expected key=value`);
    const k = f.slice(0, i);
    if (k in out) throw new UsageError(`--param ${k}: given twice`);
    out[k] = f.slice(i + 1);
  }
  return out;
}

/** A positive integer flag, or a usage error naming it. */
export function positiveInt(flag: string, raw: string | undefined, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} ${raw}: expected an integer >= ${min}`);
  return n;
}

/** `--max-memory 2G` / `512M` / `1048576` → bytes. */
export function parseSize(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(raw);
  if (!m) throw new UsageError(`${flag} ${raw}: expected a size such as 512M, 2G or a number of bytes`);
  const n = Number(m[1]) * 1024 ** ' KMGT'.indexOf((m[2] || ' ').toUpperCase());
  if (!(n >= 1)) throw new UsageError(`${flag} ${raw}: expected a positive size`);
  return Math.floor(n);
}

/** Writes an output file the user asked for; a failure is one line on stderr (the command keeps its exit code). */
export function writeOutput(ctx: BaseContext, flag: string, file: string, text: string): boolean {
  try {
    writeFileSync(file, text);
    return true;
  } catch (err) {
    ctx.stderr.write(`kmc: cannot write ${flag} ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return false;
  }
}
