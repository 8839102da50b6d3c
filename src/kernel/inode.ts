/**
 * Per-file locks in VFS spelling (include/linux/fs.h): `inode->i_rwsem`,
 * `mapping->invalidate_lock`, and the in-flight DIO count `inode_dio_wait()` waits on.
 *
 * @example
 * const A = inode(sys, 'A');
 * [...inode_lock(A, t), inode_dio_begin(A, t), …, inode_dio_end(A, t), inode_unlock(A, t)]
 */
import { actorSet } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import { down_read, down_write, rwsem, up_read, up_write, type RwSem } from './rwsem.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import { bits } from './bits.ts';

export interface Inode {
  readonly name: string;
  readonly i_rwsem: RwSem;
  readonly invalidate_lock: RwSem;
  /** Tasks with a DIO in flight (`inode->i_dio_count` > 0 while non-empty). */
  readonly dio: Var;
  readonly dioInFlight: Resource;
}


export function inode(sys: System, name: string): Inode {
  const dio = sys.var(`${name}.i_dio_count`, actorSet());
  return {
    name,
    i_rwsem: rwsem(sys, `&inode->i_rwsem[${name}]`, `&sb->s_type->i_mutex_key`),
    invalidate_lock: rwsem(sys, `&mapping->invalidate_lock[${name}]`, `&mapping->invalidate_lock`),
    dio,
    dioInFlight: { name: `i_dio_count[${name}]`, lockClass: `i_dio_count`, waitsFor: (s) => bits(s.get(dio)) },
  };
}

const FS = `include/linux/fs.h`;
export const inode_lock = (i: Inode, t: ActorRef): Node[] => down_write(i.i_rwsem, t, { label: `inode_lock(${i.name})`, fn: `${FS}: inode_lock` });
export const inode_unlock = (i: Inode, t: ActorRef): Node => up_write(i.i_rwsem, t, { label: `inode_unlock(${i.name})`, fn: `${FS}: inode_unlock` });
export const inode_lock_shared = (i: Inode, t: ActorRef): Node => down_read(i.i_rwsem, t, { label: `inode_lock_shared(${i.name})`, fn: `${FS}: inode_lock_shared` });
export const inode_unlock_shared = (i: Inode, t: ActorRef): Node => up_read(i.i_rwsem, t, { label: `inode_unlock_shared(${i.name})`, fn: `${FS}: inode_unlock_shared` });

export const filemap_invalidate_lock = (i: Inode, t: ActorRef): Node[] =>
  down_write(i.invalidate_lock, t, { label: `filemap_invalidate_lock(${i.name})`, fn: `${FS}: filemap_invalidate_lock` });
export const filemap_invalidate_unlock = (i: Inode, t: ActorRef): Node =>
  up_write(i.invalidate_lock, t, { label: `filemap_invalidate_unlock(${i.name})`, fn: `${FS}: filemap_invalidate_unlock` });
export const filemap_invalidate_lock_shared = (i: Inode, t: ActorRef): Node =>
  down_read(i.invalidate_lock, t, { label: `filemap_invalidate_lock_shared(${i.name})`, fn: `${FS}: filemap_invalidate_lock_shared` });
export const filemap_invalidate_unlock_shared = (i: Inode, t: ActorRef): Node =>
  up_read(i.invalidate_lock, t, { label: `filemap_invalidate_unlock_shared(${i.name})`, fn: `${FS}: filemap_invalidate_unlock_shared` });

/** `inode_dio_begin`: this task's DIO is in flight. */
export const inode_dio_begin = (i: Inode, t: ActorRef): Node =>
  step(`inode_dio_begin(${i.name})`, { fn: `${FS}: inode_dio_begin`, then: (s) => s.set(i.dio, s.get(i.dio) | (1 << t.id)) });
/** `inode_dio_end`. */
export const inode_dio_end = (i: Inode, t: ActorRef): Node =>
  step(`inode_dio_end(${i.name})`, { fn: `${FS}: inode_dio_end`, then: (s) => s.set(i.dio, s.get(i.dio) & ~(1 << t.id)) });
/** `inode_dio_wait`: blocks until no DIO is in flight on the inode. */
export const inode_dio_wait = (i: Inode): Node =>
  step(`inode_dio_wait(${i.name})`, { fn: `fs/inode.c: inode_dio_wait`, when: (s) => s.get(i.dio) === 0, blocksOn: i.dioInFlight });
