/**
 * `mm->mmap_lock` (include/linux/mmap_lock.h), an rwsem: GUP and faults take it for read,
 * munmap/mprotect/mmap for write. A queued writer blocks new readers (see `rwsem.ts`).
 */
import { down_read, down_write, rwsem, up_read, up_write, type RwSem } from './rwsem.ts';
import type { Node } from '../model/program.ts';
import type { System } from '../model/system.ts';
import type { ActorRef } from '../model/vars.ts';

export const mmapLock = (sys: System, mm = 'mm'): RwSem => rwsem(sys, `&${mm}->mmap_lock`, `&mm->mmap_lock`);

const H = `include/linux/mmap_lock.h`;
export const mmap_read_lock = (l: RwSem, t: ActorRef): Node => down_read(l, t, { label: `mmap_read_lock`, fn: `${H}: mmap_read_lock` });
export const mmap_read_unlock = (l: RwSem, t: ActorRef): Node => up_read(l, t, { label: `mmap_read_unlock`, fn: `${H}: mmap_read_unlock` });
export const mmap_write_lock = (l: RwSem, t: ActorRef): Node[] => down_write(l, t, { label: `mmap_write_lock`, fn: `${H}: mmap_write_lock` });
export const mmap_write_unlock = (l: RwSem, t: ActorRef): Node => up_write(l, t, { label: `mmap_write_unlock`, fn: `${H}: mmap_write_unlock` });
