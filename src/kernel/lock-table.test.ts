/**
 * The kernel library's reference (docs/kernel-library.md, generated from the TSDoc of
 * src/kernel/index.ts) has a row for every constructor that declares a lock, with how it waits,
 * whether it hands off, and what lockdep records of it. The constructors are found in the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/load-model.ts';
import { System } from '../model/system.ts';
import * as kernel from './index.ts';

describe('every lock at a glance', () => {
  it('a row for every constructor that declares a lock, with the wait type lockdep records of it', () => {
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
    const doc = readFileSync(join(ROOT, 'docs/kernel-library.md'), 'utf8'), head = doc.indexOf('| primitive | waits how | fairness | lockdep class / records |');
    expect(head).toBeGreaterThan(0);
    const rows = doc.slice(head).split('\n').slice(2);
    const table = rows.slice(0, rows.findIndex((l) => !l.startsWith('| '))).map((l) => l.split(' | '));
    const byName = new Map(table.flatMap((r) => [...r[0]!.matchAll(/`(\w+)`/g)].map((m) => [m[1]!, r.at(-1)!] as const)));
    for (const [name, kinds] of declares) {
      const lockdepCell = byName.get(name);
      expect(lockdepCell, `the lock table's row for ${name}`).toBeDefined();
      for (const k of kinds) expect(lockdepCell, `${name} (${k})`).toContain(kernel.lockdepTracks(k) ? kernel.waitType(k) : 'not tracked');
    }
    expect([...byName.keys()].filter((n) => !declares.has(n)), 'rows for what declares no lock').toEqual([]);
  });
});
