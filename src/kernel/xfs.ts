/**
 * XFS as a filesystem record (fs.ts) and its inode locks (fs/xfs/xfs_inode.c: xfs_ilock). An
 * XFS inode has three multi-reader locks, taken in one order ("The 3 locks should always be
 * ordered so that the IO lock is obtained first, the mmap lock second and the ilock last"):
 *
 * | flag                      | lock                                       | here                        |
 * |---------------------------|--------------------------------------------|-----------------------------|
 * | `XFS_IOLOCK_{SHARED,EXCL}`   | `VFS_I(ip)->i_rwsem`                    | `file.i_rwsem`              |
 * | `XFS_MMAPLOCK_{SHARED,EXCL}` | `VFS_I(ip)->i_mapping->invalidate_lock` | `file.invalidate_lock`      |
 * | `XFS_ILOCK_{SHARED,EXCL}`    | `ip->i_lock`                            | `xfs_ilock_of(file)` (declared by `file()`) |
 *
 * "Basic locking order: i_rwsem -> invalidate_lock -> page_lock -> i_ilock"; page faults:
 * "mmap_lock -> invalidate_lock -> page_lock" (the xfs_ilock comment). `xfs_ilock(file, cur,
 * flags)` takes the flags' locks in that order, `xfs_iunlock` drops them.
 *
 * The record: `->fault` is `filemap_fault` for a read fault (`__xfs_filemap_fault`);
 * `->page_mkwrite` is `xfs_write_fault` (fs/xfs/xfs_file.c): `XFS_MMAPLOCK_SHARED`, then
 * `iomap_page_mkwrite` (fs/iomap/buffered-io.c): the folio locked, `folio_mkwrite_check_truncate`
 * (VM_FAULT_NOPAGE), `xfs_buffered_write_iomap_begin` under `XFS_ILOCK_EXCL` (the delalloc
 * reservation), the folio dirtied, `folio_wait_stable`; `XFS_MMAPLOCK_SHARED` dropped. DAX,
 * reflink remapping (`XFS_IREMAPPING` upgrading to `XFS_MMAPLOCK_EXCL`) and freeze protection
 * are left out.
 */
import { ModelError } from '../util/errors.ts';
import { match } from 'ts-pattern';
import { goto, ifElse, step, type Program } from '../model/program.ts';
import { folio_wait_stable, PRIVATE } from './folio.ts';
import { folio_lock_vmf, folio_mkwrite_truncated, folio_unlock_vmf } from './fault.ts';
import { filesystem, type Filesystem } from './fs.ts';
import { systemKey } from '../model/system.ts';
import { filemap_invalidate_lock, filemap_invalidate_lock_shared, filemap_invalidate_unlock, filemap_invalidate_unlock_shared, inode_lock, inode_lock_shared, inode_unlock, inode_unlock_shared, type Inode } from './inode.ts';
import { down_read, down_write, rwsem, up_read, up_write, type RwSem } from './rwsem.ts';
import type { Current } from './current.ts';

export type XfsLockFlag = 'IOLOCK_SHARED' | 'IOLOCK_EXCL' | 'MMAPLOCK_SHARED' | 'MMAPLOCK_EXCL' | 'ILOCK_SHARED' | 'ILOCK_EXCL';

/** Each XFS file's `ip->i_lock` (an entry in `sys.registry`). */
const ILOCKS = systemKey<Map<Inode, RwSem>>('xfs', () => new Map());

/** `ip->i_lock` of an XFS file. */
export function xfs_ilock_of(file: Inode): RwSem {
  const l = file.sys.registry.peek(ILOCKS)?.get(file);
  if (l === undefined) throw new ModelError('KMC013', `xfs_ilock: file ${file.name} is not on xfs (declare it with file(sys, '${file.name}', { fs: 'xfs' }))`);
  return l;
}

const IL = 'fs/xfs/xfs_inode.c';
const ORDER: readonly XfsLockFlag[] = ['IOLOCK_EXCL', 'IOLOCK_SHARED', 'MMAPLOCK_EXCL', 'MMAPLOCK_SHARED', 'ILOCK_EXCL', 'ILOCK_SHARED'];

const take = (file: Inode, cur: Current, flag: XfsLockFlag): Program => {
  const as = { label: `xfs_ilock(${file.name}, XFS_${flag})`, fn: `${IL}: xfs_ilock` };
  return match(flag)
    .with('IOLOCK_EXCL', () => inode_lock(file, cur))
    .with('IOLOCK_SHARED', () => inode_lock_shared(file, cur))
    .with('MMAPLOCK_EXCL', () => filemap_invalidate_lock(file, cur))
    .with('MMAPLOCK_SHARED', () => filemap_invalidate_lock_shared(file, cur, as.fn))
    .with('ILOCK_EXCL', () => down_write(xfs_ilock_of(file), cur, as))
    .with('ILOCK_SHARED', () => down_read(xfs_ilock_of(file), cur, as))
    .exhaustive();
};

const drop = (file: Inode, cur: Current, flag: XfsLockFlag): Program => {
  const as = { label: `xfs_iunlock(${file.name}, XFS_${flag})`, fn: `${IL}: xfs_iunlock` };
  return match(flag)
    .with('IOLOCK_EXCL', () => inode_unlock(file, cur))
    .with('IOLOCK_SHARED', () => inode_unlock_shared(file, cur))
    .with('MMAPLOCK_EXCL', () => filemap_invalidate_unlock(file, cur))
    .with('MMAPLOCK_SHARED', () => filemap_invalidate_unlock_shared(file, cur, as.fn))
    .with('ILOCK_EXCL', () => up_write(xfs_ilock_of(file), cur, as))
    .with('ILOCK_SHARED', () => up_read(xfs_ilock_of(file), cur, as))
    .exhaustive();
};

const check = (flags: readonly XfsLockFlag[]): void => {
  for (const kind of ['IOLOCK', 'MMAPLOCK', 'ILOCK'])
    if (flags.includes(`${kind}_SHARED` as XfsLockFlag) && flags.includes(`${kind}_EXCL` as XfsLockFlag))
      throw new ModelError('KMC013', `xfs_ilock: flags take XFS_${kind} both shared and exclusive`);
};

/** `xfs_ilock(ip, flags)` (fs/xfs/xfs_inode.c): each lock of `flags`, IOLOCK first, MMAPLOCK second, ILOCK last. */
export function xfs_ilock(file: Inode, cur: Current, flags: readonly XfsLockFlag[]): Program {
  check(flags);
  return ORDER.filter((f) => flags.includes(f)).map((f) => take(file, cur, f));
}

/** `xfs_iunlock(ip, flags)` (fs/xfs/xfs_inode.c): the locks of `flags` dropped. */
export function xfs_iunlock(file: Inode, cur: Current, flags: readonly XfsLockFlag[]): Program {
  check(flags);
  return [...ORDER].reverse().filter((f) => flags.includes(f)).map((f) => drop(file, cur, f));
}

export const xfs: Filesystem = filesystem('xfs', {
  // fs/xfs/xfs_iops.c xfs_setup_inode: lockdep_set_class(&ip->i_lock, &xfs_nondir_ilock_class) for a regular file
  setup: (sys, file) => { sys.registry.get(ILOCKS).set(file, rwsem(sys, `&ip->i_lock[${file.name}]`, '&xfs_nondir_ilock_class')); },
  page_mkwrite: (cur, vma, f, out) => {
    const file = vma.file;
    return [
      xfs_ilock(file, cur, ['MMAPLOCK_SHARED']),
      folio_lock_vmf(cur, f),
      // iomap_page_mkwrite: folio_mkwrite_check_truncate() < 0 → VM_FAULT_NOPAGE
      ifElse(folio_mkwrite_truncated(cur, f), [folio_unlock_vmf(cur, f), xfs_iunlock(file, cur, ['MMAPLOCK_SHARED']), goto(out)]),
      xfs_ilock(file, cur, ['ILOCK_EXCL']),
      step('iomap_page_mkwrite: xfs_buffered_write_iomap_begin', {
        fn: 'fs/xfs/xfs_iomap.c: xfs_buffered_write_iomap_begin',
        then: (s) => s.set(f.private, PRIVATE.dirty).set(f.dirty, true),
      }),
      xfs_iunlock(file, cur, ['ILOCK_EXCL']),
      folio_wait_stable(f, file.stableWrites),
      xfs_iunlock(file, cur, ['MMAPLOCK_SHARED']),
    ];
  },
  submit: { fn: 'fs/iomap/buffered-io.c: iomap_writepages' },
  freeBlocks: { fn: 'fs/xfs/xfs_bmap_util.c: xfs_free_file_space' },
});
