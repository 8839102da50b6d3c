/** Lock primitives: blocking is a guard, trylocks never block, rwsem writers queue and block new readers. */
import { describe, expect, it } from 'vitest';
import { ifElse, int, never, sometimes, step, type Var } from '../index.ts';
import { check } from '../check/check.ts';
import { tiny } from '../test-util/tiny.ts';
import { textReport } from '../trace/report.ts';
import { rwsem, down_read, down_write, up_read, up_write } from './rwsem.ts';
import { folio_lock, folio_trylock, folio_unlock } from './folio.ts';
import { file } from './file.ts';
import { twoStateLock, bch2_pagecache_add_get, bch2_pagecache_add_put, bch2_pagecache_block_get, bch2_pagecache_block_put } from './two-state-lock.ts';

describe('rwsem', () => {
  it('a queued writer blocks a reader that already holds it: AA through the queue', () => {
    const m = tiny('rwsem', (sys) => {
      const sem = rwsem(sys, 'sem');
      sys.task('R', (t) => [down_read(sem, t), step('work'), down_read(sem, t), up_read(sem, t), up_read(sem, t)]);
      sys.task('W', (t) => [...down_write(sem, t), up_write(sem, t)]);
    });
    const r = check(m);
    expect(r.verdict.kind).toBe('deadlock');
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(['R: down_read(sem)', 'R: work', 'W: down_write(sem)']);
    const text = textReport(r);
    expect(text).toContain('deadlock: wait-for cycle (AA: read recursion behind a queued writer)');
    expect(text).not.toContain('AB-BA');
    expect(text).toContain('  R holds sem for read and waits for sem for read, queued ahead by W');
    expect(text).toContain('\n  rlock(sem);\n                               lock(sem);\n                               lock(sem);\n  rlock(sem);\n');
  });

  it('readers share, a writer excludes them', () => {
    const m = tiny('rwsem2', (sys) => {
      const sem = rwsem(sys, 'sem'), inside = sys.var('inside', int(0, 3)), writing = sys.var('writing', int(0, 1));
      for (const n of ['R1', 'R2']) sys.task(n, (t) => [down_read(sem, t), step('in', { then: (s) => s.set(inside, s.get(inside) + 1) }), step('out', { then: (s) => s.set(inside, s.get(inside) - 1) }), up_read(sem, t)]);
      sys.task('W', (t) => [...down_write(sem, t), step('w', { then: (s) => s.set(writing, 1) }), step('w done', { then: (s) => s.set(writing, 0) }), up_write(sem, t)]);
      return [never('a writer with readers inside', (s) => s.get(writing) === 1 && s.get(inside) > 0), sometimes('two readers inside', (s) => s.get(inside) === 2)];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });
});

describe('folio lock and two-state lock', () => {
  it('folio_trylock never blocks: it fails while another task holds the lock', () => {
    const m = tiny('trylock', (sys) => {
      const f = file(sys, 'f').folios[0]!;
      let got: Var | undefined;
      const a = sys.task('A', (t) => [folio_lock(f, t), step('hold'), folio_unlock(f, t)]);
      const b = sys.task('B', (t) => { got = t.local('got', int(0, 1)); return [folio_trylock(f, t, got), ifElse((s) => s.get(got!) === 1, [folio_unlock(f, t)])]; });
      return [sometimes('B gave up while A held the folio', (s) => s.done(b) && s.get(got!) === 0 && !s.done(a))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('the two-state lock is unfair: adders overtake a waiting blocker, and add/block exclude each other', () => {
    const m = tiny('two-state', (sys) => {
      const l = twoStateLock(sys, 'A'), adds = sys.var('adding', int(0, 2)), blocks = sys.var('blocking', int(0, 1));
      for (const n of ['F1', 'F2']) sys.task(n, (t) => [bch2_pagecache_add_get(l, t), step('add', { then: (s) => s.set(adds, s.get(adds) + 1) }), step('done', { then: (s) => s.set(adds, s.get(adds) - 1) }), bch2_pagecache_add_put(l, t)]);
      sys.task('D', (t) => [bch2_pagecache_block_get(l, t), step('block', { then: (s) => s.set(blocks, 1) }), step('unblock', { then: (s) => s.set(blocks, 0) }), bch2_pagecache_block_put(l, t)]);
      return [never('add and block at once', (s) => s.get(adds) > 0 && s.get(blocks) > 0), sometimes('two adders at once', (s) => s.get(adds) === 2)];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });
});
