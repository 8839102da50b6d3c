/**
 * `file(sys, name, opts)`: a file — its inode locks (`inode.ts`), its page cache (`folios[i]`
 * is the folio at index i), the shared mappings of it (`vmas`, filled by `mmap`), and the
 * filesystem it lives on (`fs.ts`: a shipped record by name, or a model's own record). `addr` orders files the way the kernel orders mappings by
 * address (`filemap_invalidate_lock_two`, bcachefs's lock ordering): lower first.
 *
 * lockdep: `i_rwsem` is of class `&sb->s_type->i_mutex_key` and `invalidate_lock` of class
 * `mapping.invalidate_lock`, one class per filesystem type as `inode_init_always` sets them: two
 * files of one filesystem share a class (taking both without a nesting annotation is "possible
 * recursive locking"), files of two filesystem records do not (lockdep prints the second type's
 * class `&sb->s_type->i_mutex_key#2`, in the order the model declares its filesystems).
 *
 * @example
 * const A = file(sys, 'A', { folios: 2, invalidate_lock: 'contended' });
 * const B = file(sys, 'B', { fs: 'bcachefs', init: { cached: false } });
 */
import { ModelError } from '../util/errors.ts';
import { actorSet } from '../model/domain.ts';
import { rwsem } from './rwsem.ts';
import { folio, type FolioInit } from './folio.ts';
import { setMapping } from './mapping.ts';
import { bcachefs } from './bcachefs.ts';
import { ext4 } from './ext4.ts';
import { gfs2 } from './gfs2.ts';
import { xfs } from './xfs.ts';
import type { Filesystem } from './fs.ts';
import { twoStateLock } from './two-state-lock.ts';
import { bits } from './bits.ts';
import { lockClassName } from './lockdep-map.ts';
import type { Inode } from './inode.ts';
import { systemKey, type System } from '../model/system.ts';

export interface FileOptions {
  /** Folios in the page cache's index range (default 1). */
  readonly folios?: number;
  /** Initial folio state: one for all, or one per folio (default: cached, uptodate, clean, buffers attached). */
  readonly init?: FolioInit | readonly FolioInit[];
  /** `contended` when some actor takes it for write (truncate, punch); otherwise shared acquisitions are left out. */
  readonly invalidate_lock?: 'contended' | 'uncontended';
  /** The filesystem (default ext4): a shipped record by name, or any `filesystem(name, ops)` record. */
  readonly fs?: 'ext4' | 'bcachefs' | 'xfs' | 'gfs2' | Filesystem;
  /** bcachefs: how many may hold one side of `ei_pagecache_lock` at once (the lock's counter range). */
  readonly pagecacheHolders?: number;
  /** Order among mappings (default: order of declaration). */
  readonly addr?: number;
  /** `mapping_stable_writes()` (default true): writers wait out writeback (`folio_wait_stable`). */
  readonly stableWrites?: boolean;
}

/** How many files `sys` declared: the next one's default address (its entry in `sys.registry`). */
const FILES = systemKey<{ declared: number }>('file', () => ({ declared: 0 }));

const SHIPPED = { ext4, bcachefs, xfs, gfs2 } as const;

export function file(sys: System, name: string, opts: FileOptions = {}): Inode {
  const fs = typeof opts.fs === 'string' ? SHIPPED[opts.fs] : opts.fs ?? ext4;
  if (fs === undefined) throw new ModelError('KMC013', `file ${name}: fs '${String(opts.fs)}' is not a shipped filesystem (ext4, bcachefs, xfs, gfs2) nor a filesystem record`);
  const n = opts.folios ?? 1, dio = sys.var(`${name}.i_dio_count`, actorSet());
  const files = sys.registry.get(FILES), addr = opts.addr ?? files.declared;
  files.declared = addr + 1;
  const init = (i: number): FolioInit => (Array.isArray(opts.init) ? opts.init[i] ?? {} : (opts.init as FolioInit | undefined) ?? {});
  // fs/inode.c inode_init_always: lockdep_set_class(&inode->i_rwsem, &sb->s_type->i_mutex_key) and
  // lockdep_set_class_and_name(&mapping->invalidate_lock, &sb->s_type->invalidate_lock_key, "mapping.invalidate_lock"):
  // one class per filesystem type (the record), shared by every file of it
  const i_rwsem = rwsem(sys, `&inode->i_rwsem[${name}]`, lockClassName(sys, '&sb->s_type->i_mutex_key', fs));
  const invalidate_lock = opts.invalidate_lock === 'contended' ? rwsem(sys, `&mapping->invalidate_lock[${name}]`, lockClassName(sys, 'mapping.invalidate_lock', fs)) : undefined;
  const pagecache = fs === bcachefs ? twoStateLock(sys, name, opts.pagecacheHolders ?? 3) : undefined;
  const inode: Inode = {
    name, addr, i_rwsem, invalidate_lock, dio,
    dioInFlight: { name: `i_dio_count[${name}]`, lockClass: `i_dio_count`, waitsFor: (s) => bits(s.get(dio)) },
    folios: Array.from({ length: n }, (_, i) => folio(sys, n === 1 ? name : `${name}#${i}`, i, init(i))),
    vmas: [],
    fs,
    pagecache,
    stableWrites: opts.stableWrites ?? true,
    sys,
  };
  for (const f of inode.folios) setMapping(f, fs.dirty_folio);
  fs.setup?.(sys, inode);
  return inode;
}
