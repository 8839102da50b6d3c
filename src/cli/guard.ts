/** Maps failures to exit codes: model errors 2 (one line, no stack), kmc bugs 255 (with stack). */
import { UsageError, type BaseContext } from 'clipanion';
import { ModelError, UsageError as KmcUsageError } from '../util/errors.ts';
import { EXIT } from '../explore/verdict.ts';

export async function guard(ctx: BaseContext, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof KmcUsageError) throw new UsageError(err.message);
    if (err instanceof ModelError) { ctx.stderr.write(`kmc: ${err.message}\n`); return EXIT.model; }
    ctx.stderr.write(`kmc: internal error (a bug in kmc): ${err instanceof Error ? err.stack : String(err)}\n`);
    return EXIT.internal;
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
