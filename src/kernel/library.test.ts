/** The page-cache library: each primitive does what the kernel function it cites does, shown on tiny models. */
import { describe, expect, it } from 'vitest';
import { always, never, sometimes, step, transition, ModelError, type Program } from '../index.ts';
import { check } from '../check/check.ts';
import { tiny } from '../test-util/tiny.ts';
import { current } from './current.ts';
import { file } from './file.ts';
import { PRIVATE } from './folio.ts';
import { EFAULT, foll, get_user_pages, get_user_pages_fast_only, pin_user_pages_fast, unpin_user_pages_dirty_lock, unpin_user_page, write_pinned } from './gup.ts';
import { odp_dma_write } from './device.ts';
import { filemap_invalidate_lock, type Inode } from './inode.ts';
import { handle_mm_fault, lock_vma_under_rcu, user_fault } from './fault.ts';
import { mm_struct, mmap, mmap_read_lock, mmap_read_unlock, mmap_write_lock, mmap_write_unlock, pteOf, PTE, vma_end_write_all, vma_start_write, type Vma } from './mm.ts';
import { EBUSY, invalidate_inode_pages2_range, truncate_pagecache_range } from './truncate.ts';
import { write_cache_pages } from './writeback.ts';
import { int } from '../model/domain.ts';
import type { System } from '../model/system.ts';

const setup = (sys: System, init = {}) => {
  const A = file(sys, 'A', { init }), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte: 'ro' });
  return { A, vma, f: A.folios[0]! };
};

describe('invalidation and truncation (mm/truncate.c)', () => {
  it('invalidate_inode_pages2_range removes a folio whatever its refcount: the GUP holder keeps an orphan', () => {
    let A!: Inode;
    const m = tiny('invalidate-ref', (sys) => {
      ({ A } = setup(sys));
      const f = A.folios[0]!, get = foll('get');
      const holder = sys.task('holder', (self) => {
        const cur = current(self);
        return [get_user_pages(cur, A.vmas[0]!, f, get), step('hold'), unpin_user_page(f, cur, get)];
      });
      sys.task('dio', (self) => invalidate_inode_pages2_range(current(self), A));
      return [
        sometimes('the holder keeps a page the cache lost', (s) => s.get(f.orphans) === 1 << holder.id && !s.test(f.cached)),
        never('a referenced folio blocks invalidation', (s) => s.test(f.cached) && s.get(f.refs) !== 0 && s.get(f.orphans) !== 0),
      ];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('a dirty folio stays and the call returns -EBUSY', () => {
    const m = tiny('invalidate-dirty', (sys) => {
      const { A, f } = setup(sys, { dirty: true, private: 'dirty' });
      let ret = undefined as unknown as ReturnType<ReturnType<typeof current>['local']>;
      const t = sys.task('dio', (self) => {
        const cur = current(self);
        ret = cur.local('invalidate_ret', int(EBUSY, 0));
        return invalidate_inode_pages2_range(cur, A);
      });
      return [always('the dirty folio stays, -EBUSY', (s) => !s.done(t) || (s.test(f.cached) && s.get(ret) === EBUSY))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('truncation removes a dirty, pinned folio; the unpin-dirty of the orphan reaches no file', () => {
    const m = tiny('truncate-pinned', (sys) => {
      const A = file(sys, 'A', { invalidate_lock: 'contended' }), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte: 'rw' }), f = A.folios[0]!;
      const pin = foll('pin+write');
      sys.task('pinner', (self) => {
        const cur = current(self);
        return [get_user_pages(cur, vma, f, pin), write_pinned(f, cur, 'kwrite', 'test'), unpin_user_pages_dirty_lock(f, cur, pin, true)];
      });
      sys.task('punch', (self) => [...filemap_invalidate_lock(A, self), truncate_pagecache_range(current(self), A)]);
      return [never('the cache folio is dirtied after truncation', (s) => !s.test(f.cached) && s.test(f.dirty))];
    });
    const r = check(m, { deadlock: false });
    expect(r.verdict).toEqual({ kind: 'ok' });
  });
});

describe('writeback (mm/page-writeback.c)', () => {
  const pass = (init: object) => tiny('writeback', (sys) => {
    const { A } = setup(sys, init);
    sys.task('writeback', (self) => write_cache_pages(current(self), A, { sync: 'none' }));
    return [always('never reached', () => true), sometimes('done', (s) => s.get(A.folios[0]!.dirty) === 0)];
  });
  it('a clean folio is never locked: the tagged lookup skips it', () => {
    const r = check(pass({}), { property: 'done' });
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(2);
  });
  it('a dirty folio is locked, write-protected, cleaned, submitted, unlocked and completed', () => {
    const m = tiny('writeback-dirty', (sys) => {
      const { A, f } = setup(sys, { dirty: true, private: 'dirty' });
      const t = sys.task('writeback', (self) => write_cache_pages(current(self), A, { sync: 'none' }));
      return [always('done: clean, not under writeback', (s) => !s.done(t) || (!s.test(f.dirty) && s.get(f.private) === PRIVATE.clean))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
    expect(check(m).stats.states).toBe(8);   // writeback_iter, lock, mkclean, clear, submit, unlock, end: 7 steps
  });
});

describe('faults and GUP (mm/memory.c, mm/filemap.c, mm/gup.c)', () => {
  const gupModel = (pte: keyof typeof PTE, opts: { nofault?: boolean; write?: boolean } = {}) => tiny('gup', (sys) => {
    const A = file(sys, 'A'), vma: Vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte }), f = A.folios[0]!;
    let ret = undefined as unknown as ReturnType<ReturnType<typeof current>['local']>;
    const t = sys.task('T', (self) => {
      const cur = current(self);
      ret = cur.local('gup_ret', int(EFAULT, 0));
      return [get_user_pages(cur, vma, f, foll(opts.write ? 'pin+write' : 'pin'), { nofault: opts.nofault })];
    });
    return [always('pinned, or -EFAULT', (s) => !s.done(t) || s.get(f.pins) !== 0 || s.get(ret) === EFAULT), sometimes('done', (s) => s.done(t))];
  });
  it('GUP faults a missing PTE in, then pins', () => {
    const r = check(gupModel('absent'), { deadlock: false });
    expect(r.verdict).toEqual({ kind: 'ok' });
  });
  it('FOLL_NOFAULT gives up with -EFAULT instead of faulting', () => {
    const m = gupModel('absent', { nofault: true });
    // mmap_read_lock, follow_page_pte finds no PTE, mmap_read_unlock (mm/gup.c: __get_user_pages runs under mmap_lock; 2 when the mm's read acquisitions were elided)
    expect(check(m).stats.states).toBe(4);
  });
  it('a write through a read-only PTE goes through ->page_mkwrite: the filesystem is told', () => {
    const m = tiny('wp', (sys) => {
      const { vma, f } = setup(sys);
      const t = sys.task('T', (self) => handle_mm_fault(current(self), vma, f, { write: true }));
      return [always('told, dirty, writable', (s) => !s.done(t) || (s.get(f.private) === PRIVATE.dirty && s.test(f.dirty) && s.get(pteOf(vma, f)) === PTE.rw))];
    });
    const r = check(m);
    expect(r.verdict).toEqual({ kind: 'ok' });
  });
});

describe('GUP-fast, the VMA lock and devices', () => {
  const fastModel = (pte: keyof typeof PTE, only: boolean) => tiny('gup-fast', (sys) => {
    const A = file(sys, 'A'), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte }), f = A.folios[0]!;
    let ret = undefined as unknown as ReturnType<ReturnType<typeof current>['local']>;
    const t = sys.task('T', (self) => {
      const cur = current(self);
      ret = cur.local('gup_ret', int(EFAULT, 0));
      return only ? get_user_pages_fast_only(cur, vma, f, 'write') : pin_user_pages_fast(cur, vma, f, 'write');
    });
    return [
      always('done: held, or -EFAULT', (s) => !s.done(t) || (s.get(ret) === 0) === (s.get(f.pins) !== 0 || s.get(f.refs) !== 0)),
      sometimes('done', (s) => s.done(t)),
    ];
  });
  it('GUP-fast takes a writable PTE in three lockless steps', () => {
    const r = check(fastModel('rw', false));
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(4);   // read PTE, grab, re-check
  });
  it('GUP-fast falls back to the slow path (a fault) on a read-only PTE; FOLL_FAST_ONLY gives up', () => {
    expect(check(fastModel('ro', false)).stats.states).toBeGreaterThan(6);
    expect(check(fastModel('ro', true)).stats.states).toBe(2);   // read PTE, and -EFAULT
  });
  it('a fault under the per-VMA lock falls back to mmap_lock while an mmap_lock writer holds the VMA', () => {
    const m = tiny('vma-lock', (sys) => {
      const A = file(sys, 'A'), mm = mm_struct(sys, 'mm', { writer: true }), vma = mmap(sys, mm, A, { name: 'vma', vm_lock: true }), f = A.folios[0]!;
      const t = sys.task('fault', (self) => user_fault(current(self), vma, f, { write: false }));
      sys.task('mprotect', (self) => [mmap_write_lock(mm, self), vma_start_write(vma, self), step('change'), vma_end_write_all(vma, self), mmap_write_unlock(mm, self)]);
      return [
        sometimes('the fault fell back to mmap_lock', (s) => s.at(t, 'vma_lock_failed')),
        always('the fault maps the folio', (s) => !s.done(t) || s.get(pteOf(vma, f)) === PTE.ro),
      ];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });
  it('lock_vma_under_rcu builds its body once per path', () => {
    let built = 0;
    const m = tiny('vma-body', (sys) => {
      const A = file(sys, 'A'), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', vm_lock: true });
      sys.task('T', (self) => lock_vma_under_rcu(current(self), vma, () => { built++; return [step('body')]; }));
    });
    check(m);
    expect(built % 2).toBe(0);
    expect(built).toBeGreaterThan(0);
  });
  it('an ODP device writes only through a writable PTE: writeback cleaning it sends the device back to fault', () => {
    const m = tiny('odp', (sys) => {
      const A = file(sys, 'A', { init: { dirty: true, private: 'dirty' } }), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte: 'rw' }), f = A.folios[0]!;
      const dev = sys.kthread('device', (self) => odp_dma_write(current(self), vma, f));
      const wb = sys.task('writeback', (self) => write_cache_pages(current(self), A, { sync: 'none' }));
      return [
        transition('DMA only through a writable PTE', ({ before, step }) => !step.label.startsWith('dma_write') || before.get(pteOf(vma, f)) === PTE.rw),
        always('a write after the clean re-dirtied the folio', (s) => !(s.done(dev) && s.done(wb)) || s.get(pteOf(vma, f)) !== PTE.rw || s.test(f.dirty)),
        sometimes('the device faulted again after writeback', (s) => s.done(wb) && s.done(dev) && s.test(f.dirty)),
      ];
    });
    expect(check(m, { deadlock: false }).verdict).toEqual({ kind: 'ok' });
  });
});

describe('declared contention', () => {
  const errorOf = (build: (sys: System) => Program): string => {
    try { check(tiny('x', (sys) => { sys.task('T', () => build(sys)); })); } catch (e) { if (e instanceof ModelError) return e.message; throw e; }
    return 'no error';
  };
  it('taking an uncontended invalidate_lock for write is KMC013', () =>
    expect(errorOf((sys) => { const A = file(sys, 'A'); return filemap_invalidate_lock(A, { id: 0, name: 'T', kind: 'task', fairness: 'weak' }); }))
      .toMatch(/^KMC013 .*filemap_invalidate_lock\(A\): the file's invalidate_lock was declared uncontended/));
  it('an mm declared without a writer still has its mmap_lock: every mmap_read_lock is a step lockdep sees', () => {
    expect(errorOf((sys) => mmap_write_lock(mm_struct(sys), { id: 0, name: 'T', kind: 'task', fairness: 'weak' }))).toBe('no error');
    const r = check(tiny('mm-read', (sys) => { const mm = mm_struct(sys); sys.task('T', (t) => [mmap_read_lock(mm, t), mmap_read_unlock(mm, t)]); }));
    expect(r.stats.states).toBe(3);
  });
});
