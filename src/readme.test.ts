/** The README says what the code does: its models run as shown, its lists are the code's own. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, type Report } from './check/check.ts';
import { stableTextReport } from './trace/report.ts';
import { ROOT, loadModel } from './cli/load-model.ts';
import { paramsMarkdown } from './model/params.ts';
import { kmc } from './test-util/cli.ts';
import * as kernel from './kernel/index.ts';
import { System } from './model/system.ts';
import type { Model } from './model/define-model.ts';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = (title: string): string => {
  const at = readme.indexOf(`\n## ${title}`);
  expect(at, `README section '${title}'`).toBeGreaterThan(0);
  return readme.slice(at + 1, readme.indexOf('\n## ', at + 1));
};

describe('README', () => {
  it('the first model checks as described', async () => {
    const code = /```ts\n([\s\S]*?)```/.exec(section('Your first model'))![1]!.replaceAll(`'../../src/`, `'${ROOT}/src/`);
    const file = join(mkdtempSync(join(tmpdir(), 'kmc-readme-')), 'flag.ts');
    writeFileSync(file, code);
    const model = (await import(file)).default as Model;
    const ok = check(model);
    expect(ok.verdict).toEqual({ kind: 'ok' });
    expect(readme).toContain(`says \`ok: all ${ok.stats.states} states explored\``);
    const bad = check(model, { params: { locked: false } });
    expect(bad.verdict).toMatchObject({ kind: 'safety', property: 'two writers at once' });
  });

  it('the second model is models/truncate-fault/index.ts, and it answers as shown', async () => {
    const second = section('Your second model: truncate vs a page fault, from kernel parts');
    const [code, , deadlock] = [...second.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(code).toBe(readFileSync(join(ROOT, 'models/truncate-fault/index.ts'), 'utf8'));
    const model = await loadModel('truncate-fault');
    expect(second).toContain(`# ok: ${check(model).stats.states} states`);
    const run = await kmc('check', 'truncate-fault', '--param', 'fault_order=folio_lock_first');
    expect(run.code).toBe(11);
    expect(run.out).toContain(deadlock!.trimEnd());
  });

  it('the interrupt example deadlocks, breaks lockdep\'s usage rule, and is fixed by irqsave, as shown', async () => {
    const irq = section('Interrupts, RCU and lockdep');
    const [code, deadlock, usage] = [...irq.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    const dir = join(mkdtempSync(join(tmpdir(), 'kmc-readme-')), 'my');
    mkdirSync(dir);
    writeFileSync(join(dir, 'irq.ts'), code!.replaceAll(`'../../src/`, `'${ROOT}/src/`));
    const model = (await import(join(dir, 'irq.ts'))).default as Model;
    const body = (r: Report): string => { const t = stableTextReport(r); return t.slice(t.indexOf('\n') + 1, t.indexOf('\nreplay:')).trimEnd(); };
    expect(body(check(model))).toBe(deadlock!.trimEnd());
    expect(body(check(model, { property: 'inconsistent' }))).toBe(usage!.trimEnd());
    const fixed = check(model, { params: { irqsave: true } });
    expect(irq).toContain(`\`--param irqsave=true\` says \`ok: all ${fixed.stats.states} states explored\``);
  });

  it('the parameter lists are the models\' own', async () => {
    for (const name of ['gup-writeback', 'dio-mmap', 'dio-coherence', 'truncate-fault', 'kernel-locking', 'fs-plugin', 'fairness', 'fs-infra', 'rcu-readers', 'seqcount', 'page-cache-facts', 'lockdep-rules', 'lockdep-classes']) {
      const model = await loadModel(name);
      const listed = new RegExp(`<!-- params: ${name} -->\\n([\\s\\S]*?)\\n<!-- /params -->`).exec(readme);
      expect(listed?.[1], `README params of ${name}`).toBe(paramsMarkdown(model.params));
    }
  });

  it('the lock table has a row for every constructor that declares a lock, with what lockdep records of it', () => {
    // the constructors: every export that, called as (sys, name, 1), declares a lock (registerLock), with the kinds it declared
    const declares = new Map<string, kernel.LockKind[]>();
    for (const [name, f] of Object.entries(kernel)) {
      if (typeof f !== 'function' || f === kernel.registerLock) continue;
      const sys = new System();
      try { (f as (...a: unknown[]) => unknown)(sys, 'x', 1); } catch { /* not a constructor of that shape */ }
      const kinds = kernel.locksOf(sys).map((l) => l.kind);
      if (kinds.length) declares.set(name, [...new Set(kinds)]);
    }
    expect([...declares.keys()]).toEqual(expect.arrayContaining(['mutex', 'mutexArray', 'rwsem', 'spinlock', 'rwlock', 'percpu_rwsem', 'folio', 'file', 'mm_struct', 'journal']));
    const lib = section('Kernel library'), head = lib.indexOf('| primitive | waits how | fairness | lockdep class / records |');
    expect(head).toBeGreaterThan(0);
    const rows = lib.slice(head).split('\n').slice(2).filter((l) => l.startsWith('| ')).map((l) => l.split(' | '));
    const byName = new Map(rows.flatMap((r) => [...r[0]!.matchAll(/`(\w+)`/g)].map((m) => [m[1]!, r.at(-1)!] as const)));
    for (const [name, kinds] of declares) {
      const lockdepCell = byName.get(name);
      expect(lockdepCell, `the lock table's row for ${name}`).toBeDefined();
      for (const k of kinds) expect(lockdepCell, `${name} (${k})`).toContain(kernel.lockdepTracks(k) ? kernel.waitType(k) : 'not tracked');
    }
    expect([...byName.keys()].filter((n) => !declares.has(n)), 'rows for what declares no lock').toEqual([]);
  });

  it('the kernel library section names every primitive src/kernel exports', () => {
    const lib = section('Kernel library');
    const missing = Object.keys(kernel).filter((name) => !lib.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });

});
