/**
 * The ITF reader, `kmc view` and `kmc replay` on random and adversarial JSON: every outcome is
 * a verdict or one line of error (exit 1), never a stack, a hang or a raw control character.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmc } from '../test-util/cli.ts';
import { check } from '../check/check.ts';
import { loadModel } from '../cli/load-model.ts';
import { itfOf } from './report.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kmc-itf-fuzz-'));
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/;
const hostile = fc.constantFrom('\x1b]52;c;aGk=\x07', '\x1b]0;t\x07', '\x1b[2J', '\x9b2J', '\u202e', '\x00', '\r', '__proto__', 'constructor', '#bigint', '#set', 'T1', 'mutex_lock(A)', 'deadlock', 'invariant:x');
const text = fc.oneof(fc.string(), hostile, fc.tuple(fc.string(), hostile).map(([a, b]) => a + b));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(text, tie('v'), { maxKeys: 3 })),
})).v;

/** A trace of classic/abba with random parts replaced: the shape kmc writes, with anything anywhere. */
const mutated = async () => {
  const base = JSON.parse(JSON.stringify(itfOf(check(await loadModel('classic/abba'))))) as Record<string, unknown>;
  const paths: (readonly (string | number)[])[] = [['#meta'], ['#meta', 'source'], ['#meta', 'violation'], ['#meta', 'params'], ['#meta', 'actors'], ['vars'], ['states'], ['loop'],
    ['states', 0], ['states', 1, '#meta'], ['states', 1, '#meta', 'actor'], ['states', 1, '#meta', 'action'], ['states', 2, 'A'], ['states', 1, 'T1'], ['states', 2, '#meta', 'locks']];
  return fc.tuple(fc.subarray(paths, { maxLength: 3 }), fc.array(value, { minLength: 3, maxLength: 3 })).map(([ps, vs]) => {
    const doc = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    ps.forEach((p, i) => {
      let at = doc as Record<string | number, unknown>;
      for (const k of p.slice(0, -1)) { const next = at[k]; if (typeof next !== 'object' || next === null) return; at = next as Record<string | number, unknown>; }
      at[p.at(-1)!] = vs[i];
    });
    return doc;
  });
};

describe('ITF input is data: a verdict or one line, whatever the file holds', async () => {
  const documents = fc.oneof(value, await mutated());
  let n = 0;
  it('view and replay (text and --json) on random and adversarial documents', async () => {
    await fc.assert(fc.asyncProperty(documents, async (doc) => {
      const file = join(tmp, `t${n++ % 4}.itf.json`);
      writeFileSync(file, JSON.stringify(doc));
      for (const args of [['view', file, '--out', join(tmp, 'out.html')], ['replay', file], ['replay', file, '--json']]) {
        const r = await kmc(...args);
        const all = r.out + r.err;
        expect(all, `${args[0]}: ${JSON.stringify(all).slice(0, 300)}`).not.toMatch(RAW);
        expect(r.code, `${args[0]} ${JSON.stringify(doc).slice(0, 200)}: ${r.err}`).not.toBe(255);
        if (args.includes('--json')) JSON.parse(r.out);
        else if (r.code === 1) expect([r.out, r.err.split('\n').length]).toEqual(['', 2]);
        else expect([0, 11, 12, 13, 16]).toContain(r.code);
      }
    }), { numRuns: 60, seed: 7 });
  });

  it('raw bytes and truncated documents', async () => {
    const whole = JSON.stringify(itfOf(check(await loadModel('classic/abba'))));
    await fc.assert(fc.asyncProperty(fc.oneof(fc.nat({ max: whole.length }).map((k) => whole.slice(0, k)), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1'))), async (content) => {
      const file = join(tmp, 'raw.itf.json');
      writeFileSync(file, content, 'latin1');
      for (const cmd of ['view', 'replay']) {
        const r = await kmc(cmd, file, ...(cmd === 'view' ? ['--out', join(tmp, 'raw.html')] : []));
        expect(r.out + r.err).not.toMatch(RAW);
        expect(r.code).not.toBe(255);
      }
    }), { numRuns: 40, seed: 8 });
  });
});
