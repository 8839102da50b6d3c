/** Filesystem records: the generic handlers a record leaves out, the shipped records' locks, bad input. */
import { describe, expect, it } from 'vitest';
import { always, bool, int, label, never, sometimes, step } from '../index.ts';
import { generic_perform_write } from './buffered.ts';
import { foll, get_user_pages, unpin_user_pages_dirty_lock, write_pinned } from './gup.ts';
import { check } from '../check/check.ts';
import { tiny } from '../test-util/tiny.ts';
import { current } from './current.ts';
import { handle_mm_fault } from './fault.ts';
import { file } from './file.ts';
import { PRIVATE } from './folio.ts';
import { filesystem } from './fs.ts';
import { gfs2_glock_dq, gfs2_glock_nq, gfs2_glock_of } from './gfs2.ts';
import { mm_struct, mmap, pteOf, PTE } from './mm.ts';
import { EBUSY, invalidate_inode_pages2_range } from './truncate.ts';
import { xfs_ilock } from './xfs.ts';

describe('filesystem(name, ops)', () => {
  it('a record with no handlers gets filemap_page_mkwrite: the folio dirtied through ->dirty_folio, the filesystem told nothing', () => {
    const m = tiny('plain-fs', (sys) => {
      const A = file(sys, 'A', { fs: filesystem('plainfs') }), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte: 'ro' }), f = A.folios[0]!;
      const t = sys.task('T', (self) => handle_mm_fault(current(self), vma, f, { write: true }));
      return [always('dirty, writable, private untouched', (s) => !s.done(t) || (s.test(f.dirty) && s.get(pteOf(vma, f)) === PTE.rw && s.get(f.private) === PRIVATE.clean))];
    });
    const r = check(m);
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.trace).toBeUndefined();
    expect(r.stats.states).toBe(6);   // folio_lock, filemap_dirty_folio, folio_wait_stable, wp_page_reuse, fault_dirty_shared_page
  });

  it("invalidation asks the record's ->release_folio: one that never lets go keeps a clean folio, -EBUSY", () => {
    const m = tiny('release-folio', (sys) => {
      const A = file(sys, 'A', { fs: filesystem('sticky', { release_folio: { fn: 'fs/sticky: sticky_release_folio', busy: () => true } }) }), f = A.folios[0]!;
      let ret = undefined as unknown as ReturnType<ReturnType<typeof current>['local']>;
      const t = sys.task('dio', (self) => { const cur = current(self); ret = cur.local('invalidate_ret', int(EBUSY, 0)); return invalidate_inode_pages2_range(cur, A); });
      return [always('kept, -EBUSY', (s) => !s.done(t) || (s.test(f.cached) && s.get(ret) === EBUSY))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it("generic_perform_write calls the record's ->write_begin and ->write_end (a record's own handlers run, not the block helpers)", () => {
    const m = tiny('write-ops', (sys) => {
      const began = sys.var('began', bool()), ended = sys.var('ended', bool());
      const myfs = filesystem('myfs', {
        write_begin: (_cur, _file, f) => step(`myfs_write_begin(${f.name})`, { fn: 'fs/myfs: myfs_write_begin', then: (s) => s.set(began, true) }),
        write_end: (_cur, _file, f, copied) => step(`myfs_write_end(${f.name})`, { fn: 'fs/myfs: myfs_write_end', then: (s) => (s.test(copied) ? s.set(ended, true).set(f.dirty, true) : s) }),
      });
      const A = file(sys, 'A', { fs: myfs }), B = file(sys, 'B'), src = mmap(sys, mm_struct(sys), B, { name: 'buf', pte: 'ro' });
      const t = sys.task('write', (self) => generic_perform_write(current(self), A.folios[0]!, A, src, B.folios[0]!));
      return [always('the record was told, and its write_end dirtied the folio', (s) => !s.done(t) || (s.test(began) && s.test(ended) && s.test(A.folios[0]!.dirty)))];
    });
    const r = check(m);
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(8);   // add, lock, wait_stable, myfs_write_begin, copy, myfs_write_end, unlock
  });

  it("unpin_user_pages_dirty_lock dirties through the record's ->dirty_folio (folio_mark_dirty → a_ops->dirty_folio)", () => {
    const m = tiny('unpin-dirty-folio', (sys) => {
      const told = sys.var('told', bool());
      const myfs = filesystem('myfs', { dirty_folio: (f) => step(`myfs_dirty_folio(${f.name})`, { fn: 'fs/myfs: myfs_dirty_folio', then: (s) => s.set(told, true).set(f.dirty, true) }) });
      const A = file(sys, 'A', { fs: myfs, init: { dirty: false } }), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte: 'rw' }), f = A.folios[0]!, pin = foll('pin+write');
      const t = sys.task('pinner', (self) => {
        const cur = current(self);
        return [get_user_pages(cur, vma, f, pin), write_pinned(f, cur, 'kwrite', 'test'), unpin_user_pages_dirty_lock(f, cur, pin, true)];
      });
      return [always('dirtied through ->dirty_folio', (s) => !s.done(t) || (s.test(told) && s.test(f.dirty)))];
    });
    const r = check(m);
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(9);
  });

  it('bad input is refused with what is wrong', () => {
    expect(() => filesystem('')).toThrow('filesystem: name is empty');
    const run = (build: Parameters<typeof tiny>[1]) => () => check(tiny('bad', build));
    expect(run((sys) => { file(sys, 'A', { fs: 'ntfs' as never }); })).toThrow("file A: fs 'ntfs' is not a shipped filesystem (ext4, bcachefs, xfs, gfs2) nor a filesystem record");
    expect(run((sys) => { const A = file(sys, 'A', { fs: 'xfs' }); sys.task('T', (self) => xfs_ilock(A, current(self), ['ILOCK_SHARED', 'ILOCK_EXCL'])); }))
      .toThrow('xfs_ilock: flags take XFS_ILOCK both shared and exclusive');
    expect(run((sys) => { const A = file(sys, 'A'); sys.task('T', (self) => xfs_ilock(A, current(self), ['ILOCK_EXCL'])); }))
      .toThrow("xfs_ilock: file A is not on xfs (declare it with file(sys, 'A', { fs: 'xfs' }))");
  });
});

describe('the gfs2 glock on one node (fs/gfs2/glock.c: may_grant)', () => {
  const two = (a: 'SHARED' | 'DEFERRED' | 'EXCLUSIVE', b: 'SHARED' | 'DEFERRED' | 'EXCLUSIVE') => tiny(`glock-${a}-${b}`, (sys) => {
    const gl = gfs2_glock_of(file(sys, 'A', { fs: 'gfs2' }));
    const t1 = sys.task('T1', (self) => [gfs2_glock_nq(gl, self, a), label('held'), step('hold'), gfs2_glock_dq(gl, self)]);
    const t2 = sys.task('T2', (self) => [gfs2_glock_nq(gl, self, b), label('held'), step('hold'), gfs2_glock_dq(gl, self)]);
    const both = (s: Parameters<Parameters<typeof never>[1]>[0]) => s.at(t1, 'held') && s.at(t2, 'held');
    return [a === b && a !== 'EXCLUSIVE' ? sometimes('both hold it', both) : never('both hold it', both)];
  });
  it('SHARED with SHARED and DEFERRED with DEFERRED share; SHARED and DEFERRED, or EXCLUSIVE, exclude', () => {
    for (const [a, b] of [['SHARED', 'SHARED'], ['DEFERRED', 'DEFERRED'], ['SHARED', 'DEFERRED'], ['EXCLUSIVE', 'SHARED'], ['EXCLUSIVE', 'EXCLUSIVE']] as const)
      expect(check(two(a, b)).verdict, `${a}/${b}`).toEqual({ kind: 'ok' });
  });
});
