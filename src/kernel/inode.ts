/**
 * An inode's locks in VFS spelling (include/linux/fs.h): `inode->i_rwsem`,
 * `mapping->invalidate_lock`, and the in-flight DIO count `inode_dio_wait()` waits on. Files
 * are declared with `file()` (file.ts), which adds the page cache and the mappings.
 *
 * An rwsem that nobody takes for write cannot make anyone wait: a file whose `invalidate_lock`
 * is declared uncontended (the default) leaves its shared acquisitions out — shorter traces, a
 * smaller state space, the same verdicts. Taking an uncontended lock for write is KMC013.
 *
 * @example
 * [...inode_lock(A, t), inode_dio_wait(A), ...filemap_invalidate_lock(A, t), …]
 */
import { step, type Node, type Program } from '../model/program.ts';
import { ModelError } from '../util/errors.ts';
import { down_read, down_write, up_read, up_write, type RwSem } from './rwsem.ts';
import type { Folio } from './folio.ts';
import type { Filesystem } from './fs.ts';
import type { TwoStateLock } from './two-state-lock.ts';
import type { Resource } from '../model/resource.ts';
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
}

const FS = `include/linux/fs.h`;
export const inode_lock = (i: Inode, t: ActorRef): Node[] => down_write(i.i_rwsem, t, { label: `inode_lock(${i.name})`, fn: `${FS}: inode_lock` });
export const inode_unlock = (i: Inode, t: ActorRef): Node => up_write(i.i_rwsem, t, { label: `inode_unlock(${i.name})`, fn: `${FS}: inode_unlock` });
export const inode_lock_shared = (i: Inode, t: ActorRef): Node => down_read(i.i_rwsem, t, { label: `inode_lock_shared(${i.name})`, fn: `${FS}: inode_lock_shared` });
export const inode_unlock_shared = (i: Inode, t: ActorRef): Node => up_read(i.i_rwsem, t, { label: `inode_unlock_shared(${i.name})`, fn: `${FS}: inode_unlock_shared` });

const contended = (i: Inode, what: string): RwSem => {
  if (i.invalidate_lock === undefined) throw new ModelError('KMC013', `${what}(${i.name}): the file's invalidate_lock was declared uncontended; declare file(sys, '${i.name}', { invalidate_lock: 'contended' })`);
  return i.invalidate_lock;
};

/** `filemap_invalidate_lock()`: exclusive (truncate, punch hole). */
export const filemap_invalidate_lock = (i: Inode, t: ActorRef): Node[] =>
  down_write(contended(i, 'filemap_invalidate_lock'), t, { label: `filemap_invalidate_lock(${i.name})`, fn: `${FS}: filemap_invalidate_lock` });
export const filemap_invalidate_unlock = (i: Inode, t: ActorRef): Node =>
  up_write(contended(i, 'filemap_invalidate_unlock'), t, { label: `filemap_invalidate_unlock(${i.name})`, fn: `${FS}: filemap_invalidate_unlock` });

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
