/**
 * DIO / page-cache coherence vs readers, pins and truncate/punch (brief §1.8, §3.6, §3.8, P6).
 *
 * One file `A`, one folio. A DIO write replaces the block on disk; readers (buffered read or a
 * page fault) may bring the folio into the page cache around it; an optional GUP pin holds a
 * reference to the cached folio; an optional punch hole removes the folio and the block.
 *
 * - `dio=d0`: generic iomap DIO: invalidate the range, write, invalidate again
 *   (`kiocb_invalidate_post_direct_write`); if that fails — the folio has an extra reference —
 *   `dio_warn_stale_pagecache()` warns ("Possible data corruption", wb_err = -EIO).
 * - `dio=d1_excl`: the same, holding `invalidate_lock` exclusive across the I/O.
 * - `dio=d2`: bcachefs: `bch2_pagecache_block_get` across the I/O; readers take the add side.
 *
 * P6: once the DIO write has returned, the page cache holds no folio read from disk before it.
 */
import { match } from 'ts-pattern';
import { always, bool, defineModel, ifElse, int, never, param, sometimes, step, type ActorRef, type Program, type State } from '../src/index.ts';
import { filemap_invalidate_lock, filemap_invalidate_lock_shared, filemap_invalidate_unlock, filemap_invalidate_unlock_shared,
  inode, inode_dio_begin, inode_dio_end, inode_dio_wait, inode_lock, inode_lock_shared, inode_unlock, inode_unlock_shared } from '../src/kernel/inode.ts';
import { twoStateLock, bch2_pagecache_add_get, bch2_pagecache_add_put, bch2_pagecache_block_get, bch2_pagecache_block_put } from '../src/kernel/two-state-lock.ts';
import { acquire, release, type Mutex } from '../src/kernel/mutex.ts';
import { NONE, owner } from '../src/model/domain.ts';

export default defineModel({
  name: 'dio-coherence',
  doc: 'DIO write vs page-cache readers, pins and punch hole: P6 coherence',
  params: {
    dio: param.enum({ values: ['d0', 'd1_excl', 'd2'], default: 'd0', doc: 'the DIO write path' }),
    reader: param.enum({ values: ['buffered', 'fault', 'none'], default: 'buffered', doc: 'how a reader fills the page cache' }),
    pin: param.bool({ default: false, doc: 'a GUP user holds a reference to the cached folio for a while' }),
    punch: param.bool({ default: false, doc: 'an ext4 punch hole on the same range' }),
  },
  setup(p, sys) {
    const A = inode(sys, 'A');
    const pc = p.dio === 'd2' ? twoStateLock(sys, 'A', 3) : undefined;
    const disk = sys.var('A.disk', int(0, 2), 1);              // block version on disk (0 = a hole)
    const inCache = sys.var('A.folio.in_cache', bool());
    const uptodate = sys.var('A.folio.uptodate', bool());
    const cached = sys.var('A.folio.version', int(0, 2));       // the disk version the folio was read from
    const refs = sys.var('A.folio.extra_refs', int(0, 1));
    const lockedBy = sys.var('A.folio.PG_locked', owner());
    const dioDone = sys.var('dio_returned', bool());
    const warned = sys.var('dio_warn_stale_pagecache', bool());
    const lock: Mutex = { name: 'folio A', lockClass: 'PG_locked', holder: (s) => s.get(lockedBy), setHolder: (s, id) => s.set(lockedBy, id), waitsFor: (s) => (s.get(lockedBy) === NONE ? [] : [s.get(lockedBy)]) };
    const stale = (s: State): boolean => s.test(inCache) && s.test(uptodate) && s.get(cached) !== s.get(disk);

    /** invalidate_inode_pages2_range: drops the folio unless someone else holds a reference (-EBUSY). */
    const invalidate = (self: ActorRef, after: 'pre' | 'post'): Program => [
      ifElse((s) => s.test(inCache), [
        acquire(lock, self, 'folio_lock(A)', 'mm/truncate.c: invalidate_inode_pages2_range'),
        step(`invalidate_inode_pages2_range(A) [${after}]`, {
          fn: 'mm/truncate.c: invalidate_inode_pages2_range',
          then: (s) => (s.get(refs) > 0
            ? (after === 'post' ? s.set(warned, true) : s)     // -EBUSY; after the write: dio_warn_stale_pagecache()
            : s.set(inCache, false).set(uptodate, false)),
        }),
        release(lock, self, 'folio_unlock(A)', 'mm/filemap.c: folio_unlock'),
      ]),
    ];

    sys.task('dio', (self) => {
      const write = step('submit_bio + complete: write block A', { fn: 'fs/iomap/direct-io.c: iomap_dio_rw', then: (s) => s.set(disk, 2) });
      const ret = step('DIO write returns', { fn: 'fs/iomap/direct-io.c: iomap_dio_complete', then: (s) => s.set(dioDone, true) });
      return match(p.dio)
        .with('d0', () => [inode_lock_shared(A, self), inode_dio_begin(A, self), invalidate(self, 'pre'), write, invalidate(self, 'post'), inode_dio_end(A, self), inode_unlock_shared(A, self), ret])
        .with('d1_excl', () => [inode_lock_shared(A, self), inode_dio_begin(A, self), ...filemap_invalidate_lock(A, self), invalidate(self, 'pre'), write, invalidate(self, 'post'),
          filemap_invalidate_unlock(A, self), inode_dio_end(A, self), inode_unlock_shared(A, self), ret])
        .with('d2', () => [...inode_lock(A, self), inode_dio_begin(A, self), bch2_pagecache_block_get(pc!, self), inode_unlock(A, self),
          // bch2_write_invalidate_inode_pages_range() loops while invalidation returns -EBUSY
          step('bch2_write_invalidate_inode_pages_range(A)', {
            fn: 'fs/bcachefs/fs-io-pagecache.c: bch2_write_invalidate_inode_pages_range',
            when: (s) => s.get(refs) === 0 && s.get(lockedBy) === NONE,
            then: (s) => s.set(inCache, false).set(uptodate, false),
            blocksOn: { name: 'extra reference on folio A', waitsFor: (s) => (s.get(refs) > 0 && pinner !== undefined ? [pinner.id] : []) },
          }),
          write,
          bch2_pagecache_block_put(pc!, self), inode_dio_end(A, self), ret])
        .exhaustive() as Program;
    });

    // filemap_create_folio / filemap_fault insert a locked !uptodate folio, then read it in
    const fill = (self: ActorRef, via: string): Program => ifElse((s) => !s.test(inCache), [
      step('filemap_add_folio(A): locked, !uptodate', {
        fn: via,
        when: (s) => s.get(lockedBy) === NONE,
        then: (s) => s.set(inCache, true).set(uptodate, false).set(lockedBy, self.id),
        blocksOn: lock,
      }),
      step('read_folio(A): read the block, uptodate, unlock', {
        fn: 'mm/filemap.c: filemap_read_folio',
        then: (s) => s.set(cached, s.get(disk)).set(uptodate, true).set(lockedBy, NONE),
      }),
    ]);
    const underFillLock = (self: ActorRef, body: Program): Program => (pc
      ? [bch2_pagecache_add_get(pc, self), body, bch2_pagecache_add_put(pc, self)]
      : [filemap_invalidate_lock_shared(A, self), body, filemap_invalidate_unlock_shared(A, self)]);

    if (p.reader !== 'none') sys.task(p.reader === 'buffered' ? 'reader' : 'fault', (self) =>
      underFillLock(self, fill(self, p.reader === 'buffered' ? 'mm/filemap.c: filemap_create_folio' : 'mm/filemap.c: filemap_fault')));

    // a GUP user of a mapping of A: faults the folio in if needed, holds a reference for a while
    let pinner: ActorRef | undefined;
    if (p.pin) pinner = sys.task('pinner', (self) => [
      underFillLock(self, [
        fill(self, 'mm/filemap.c: filemap_fault'),
        step('get_user_pages(A): reference the folio', { fn: 'mm/gup.c: follow_page_pte', when: (s) => s.get(lockedBy) === NONE, then: (s) => s.set(refs, 1), blocksOn: lock }),
      ]),
      step('put_page(A)', { fn: 'mm/swap.c: folio_put', then: (s) => s.set(refs, 0) }),
    ]);

    if (p.punch) sys.task('punch', (self) => [
      ...inode_lock(A, self), inode_dio_wait(A), ...filemap_invalidate_lock(A, self),
      ...(pc ? [bch2_pagecache_block_get(pc, self)] : []),
      step('truncate_pagecache_range(A)', { fn: 'mm/truncate.c: truncate_pagecache_range', when: (s) => s.get(lockedBy) === NONE, then: (s) => s.set(inCache, false).set(uptodate, false) }),
      step('free blocks of A', { fn: 'fs/ext4/inode.c: ext4_punch_hole', then: (s) => s.set(disk, 0) }),
      ...(pc ? [bch2_pagecache_block_put(pc, self)] : []),
      filemap_invalidate_unlock(A, self), inode_unlock(A, self),
    ]);

    return [
      never('P6 stale page cache after the DIO write returned', (s) => s.test(dioDone) && stale(s)),
      always('stale page cache is reported (dio_warn_stale_pagecache)', (s) => !(s.test(dioDone) && stale(s)) || s.test(warned)),
      sometimes('a reader caches the block while the DIO is in flight', (s) => s.get(A.dio) !== 0 && s.test(inCache) && s.test(uptodate)),
    ].filter((x) => p.reader !== 'none' || x.kind !== 'sometimes');
  },
});
