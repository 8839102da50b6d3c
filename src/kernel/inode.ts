/**
 * An inode's locks in VFS spelling (include/linux/fs.h): `inode->i_rwsem`,
 * `mapping->invalidate_lock`, and the in-flight DIO count `inode_dio_wait()` waits on. Files
 * are declared with `file()` (file.ts), which adds the page cache and the mappings.
 *
 * An rwsem that nobody takes for write cannot make anyone wait: a file whose `invalidate_lock`
 * is declared uncontended (the default) leaves its shared acquisitions out — shorter traces, a
 * smaller state space, the same verdicts. Taking an uncontended lock for write is KMC013.
 *
 * lockdep: `i_rwsem` is class `&sb->s_type->i_mutex_key`, `invalidate_lock` class
 * `mapping.invalidate_lock`, one per filesystem type (`file.ts`). Two inodes' locks of one type
 * nest only with an annotation: `inode_lock_nested` and the `I_MUTEX_*` subclasses,
 * `lock_two_nondirectories`, `filemap_invalidate_lock_two` (both order by address, as the
 * kernel does); without one lockdep reports "possible recursive locking".
 *
 * @example
 * [...inode_lock(A, t), inode_dio_wait(A), ...filemap_invalidate_lock(A, t), …]
 */
import { step, type Node, type Program } from '../model/program.ts';
import { ModelError } from '../util/errors.ts';
import { down_read, down_read_nested, down_write, down_write_nested, up_read, up_write, type RwSem } from './rwsem.ts';
import type { Folio } from './folio.ts';
import type { Filesystem } from './fs.ts';
import type { TwoStateLock } from './two-state-lock.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { Vma } from './mm.ts';

export interface Inode {
  readonly name: string;
  /** Mapping order: lower address first. */
  readonly addr: number;
  readonly i_rwsem: RwSem;
  /** Undefined when declared uncontended (its shared acquisitions are left out). */
  readonly invalidate_lock: RwSem | undefined;
  /** Tasks with a DIO in flight (`inode->i_dio_count` > 0 while non-empty). */
  readonly dio: Var;
  readonly dioInFlight: Resource;
  readonly folios: readonly Folio[];
  /** Shared mappings of this file (`mapping->i_mmap`), registered by `mmap`. */
  readonly vmas: Vma[];
  readonly fs: Filesystem;
  /** `mapping_stable_writes()`: the device checksums or protects data in flight (DIF/DIX), so writers wait out writeback. */
  readonly stableWrites: boolean;
  /** bcachefs: `ei_pagecache_lock`. */
  readonly pagecache: TwoStateLock | undefined;
  /** The system it was declared in (`inode->i_sb`, as it were: a filesystem finds its per-inode records through it). */
  readonly sys: System;
}

const FS = `include/linux/fs.h`;
export const inode_lock = (i: Inode, t: ActorRef): Node[] => down_write(i.i_rwsem, t, { label: `inode_lock(${i.name})`, fn: `${FS}: inode_lock` });
export const inode_unlock = (i: Inode, t: ActorRef): Node => up_write(i.i_rwsem, t, { label: `inode_unlock(${i.name})`, fn: `${FS}: inode_unlock` });
export const inode_lock_shared = (i: Inode, t: ActorRef): Node => down_read(i.i_rwsem, t, { label: `inode_lock_shared(${i.name})`, fn: `${FS}: inode_lock_shared` });
export const inode_unlock_shared = (i: Inode, t: ActorRef): Node => up_read(i.i_rwsem, t, { label: `inode_unlock_shared(${i.name})`, fn: `${FS}: inode_unlock_shared` });

/**
 * `enum inode_i_mutex_lock_class` (include/linux/fs.h): the lockdep subclasses of `i_rwsem`,
 * "parent[2] -> child -> grandchild -> normal -> xattr -> second non-directory".
 */
export const I_MUTEX_NORMAL = 0, I_MUTEX_PARENT = 1, I_MUTEX_CHILD = 2, I_MUTEX_XATTR = 3, I_MUTEX_NONDIR2 = 4, I_MUTEX_PARENT2 = 5;
const I_MUTEX_NAMES = ['I_MUTEX_NORMAL', 'I_MUTEX_PARENT', 'I_MUTEX_CHILD', 'I_MUTEX_XATTR', 'I_MUTEX_NONDIR2', 'I_MUTEX_PARENT2'];
const subclassName = (k: number): string => I_MUTEX_NAMES[k] ?? String(k);

/**
 * `inode_lock_nested(inode, subclass)` → `down_write_nested(&inode->i_rwsem, subclass)`: lockdep
 * records the class `&sb->s_type->i_mutex_key/subclass`. `t`: the task's self or `current(self)`.
 */
export const inode_lock_nested = (i: Inode, subclass: number, t: ActorRef): Node[] =>
  down_write_nested(i.i_rwsem, subclass, t, { label: `inode_lock_nested(${i.name}, ${subclassName(subclass)})`, fn: `${FS}: inode_lock_nested` });
/** `inode_lock_shared_nested(inode, subclass)` → `down_read_nested(&inode->i_rwsem, subclass)`. */
export const inode_lock_shared_nested = (i: Inode, subclass: number, t: ActorRef): Node =>
  down_read_nested(i.i_rwsem, subclass, t, { label: `inode_lock_shared_nested(${i.name}, ${subclassName(subclass)})`, fn: `${FS}: inode_lock_shared_nested` });

/** Two inodes (mappings) in the kernel's order: by address, lower first (`if (inode1 > inode2) swap(inode1, inode2)`). */
const byAddress = (a: Inode, b: Inode): [Inode, Inode] => (a.addr > b.addr ? [b, a] : [a, b]);

/**
 * `lock_two_nondirectories(inode1, inode2)` (fs/inode.c): the lower-addressed inode with
 * `inode_lock`, the other with `inode_lock_nested(…, I_MUTEX_NONDIR2)`; one lock if they are the
 * same. Two tasks locking (A, B) and (B, A) take them in one order, and lockdep sees the class
 * and its subclass NONDIR2, not the same class twice.
 */
export const lock_two_nondirectories = (i1: Inode, i2: Inode, t: ActorRef): Node[] => {
  const [a, b] = byAddress(i1, i2), fn = 'fs/inode.c: lock_two_nondirectories';
  return [
    ...down_write(a.i_rwsem, t, { label: `inode_lock(${a.name})`, fn }),
    ...(a === b ? [] : down_write_nested(b.i_rwsem, I_MUTEX_NONDIR2, t, { label: `inode_lock_nested(${b.name}, I_MUTEX_NONDIR2)`, fn })),
  ];
};
/** `unlock_two_nondirectories(inode1, inode2)` (fs/inode.c). */
export const unlock_two_nondirectories = (i1: Inode, i2: Inode, t: ActorRef): Node[] =>
  [inode_unlock(i1, t), ...(i1 === i2 ? [] : [inode_unlock(i2, t)])];

const contended = (i: Inode, what: string): RwSem => {
  if (i.invalidate_lock === undefined) throw new ModelError('KMC013', `${what}(${i.name}): the file's invalidate_lock was declared uncontended; declare file(sys, '${i.name}', { invalidate_lock: 'contended' })`);
  return i.invalidate_lock;
};

/** `filemap_invalidate_lock()`: exclusive (truncate, punch hole). */
export const filemap_invalidate_lock = (i: Inode, t: ActorRef): Node[] =>
  down_write(contended(i, 'filemap_invalidate_lock'), t, { label: `filemap_invalidate_lock(${i.name})`, fn: `${FS}: filemap_invalidate_lock` });
export const filemap_invalidate_unlock = (i: Inode, t: ActorRef): Node =>
  up_write(contended(i, 'filemap_invalidate_unlock'), t, { label: `filemap_invalidate_unlock(${i.name})`, fn: `${FS}: filemap_invalidate_unlock` });

/**
 * `filemap_invalidate_lock_two(mapping1, mapping2)` (mm/filemap.c): both `invalidate_lock`s for
 * write, the lower-addressed mapping first, the other with `down_write_nested(…, 1)`; one lock
 * if they are the same.
 */
export const filemap_invalidate_lock_two = (i1: Inode, i2: Inode, t: ActorRef): Node[] => {
  const [a, b] = byAddress(i1, i2), fn = 'mm/filemap.c: filemap_invalidate_lock_two';
  return [
    ...down_write(contended(a, 'filemap_invalidate_lock_two'), t, { label: `filemap_invalidate_lock(${a.name})`, fn }),
    ...(a === b ? [] : down_write_nested(contended(b, 'filemap_invalidate_lock_two'), 1, t, { label: `down_write_nested(${b.name}->invalidate_lock, 1)`, fn })),
  ];
};
/** `filemap_invalidate_unlock_two(mapping1, mapping2)` (mm/filemap.c). */
export const filemap_invalidate_unlock_two = (i1: Inode, i2: Inode, t: ActorRef): Node[] =>
  [filemap_invalidate_unlock(i1, t), ...(i1 === i2 ? [] : [filemap_invalidate_unlock(i2, t)])];

/** `filemap_invalidate_lock_shared()` (faults, `->page_mkwrite`); nothing when the lock is uncontended. */
export const filemap_invalidate_lock_shared = (i: Inode, t: ActorRef, fn = `${FS}: filemap_invalidate_lock_shared`): Program =>
  i.invalidate_lock ? down_read(i.invalidate_lock, t, { label: `filemap_invalidate_lock_shared(${i.name})`, fn }) : [];
export const filemap_invalidate_unlock_shared = (i: Inode, t: ActorRef, fn = `${FS}: filemap_invalidate_unlock_shared`): Program =>
  i.invalidate_lock ? up_read(i.invalidate_lock, t, { label: `filemap_invalidate_unlock_shared(${i.name})`, fn }) : [];

/** `inode_dio_begin`: this task's DIO is in flight. */
export const inode_dio_begin = (i: Inode, t: ActorRef): Node =>
  step(`inode_dio_begin(${i.name})`, { fn: `${FS}: inode_dio_begin`, then: (s) => s.set(i.dio, s.get(i.dio) | (1 << t.id)) });
/** `inode_dio_end`. */
export const inode_dio_end = (i: Inode, t: ActorRef): Node =>
  step(`inode_dio_end(${i.name})`, { fn: `${FS}: inode_dio_end`, then: (s) => s.set(i.dio, s.get(i.dio) & ~(1 << t.id)) });
/** `inode_dio_wait`: blocks until no DIO is in flight on the inode. */
export const inode_dio_wait = (i: Inode): Node =>
  step(`inode_dio_wait(${i.name})`, { fn: `fs/inode.c: inode_dio_wait`, when: (s) => s.get(i.dio) === 0, blocksOn: i.dioInFlight, sleeps: true });
