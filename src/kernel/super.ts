/**
 * Superblock freeze protection (include/linux/fs.h `sb_start_write` / `sb_start_pagefault` /
 * `sb_start_intwrite` / `sb_end_*`, fs/super.c `freeze_super` / `thaw_super`).
 *
 * `sb->s_writers.rw_sem[]` holds one `percpu_rw_semaphore` per freeze level, each its own lockdep
 * class: `sb_writers` (SB_FREEZE_WRITE: write(2), truncate), `sb_pagefaults`
 * (SB_FREEZE_PAGEFAULT: `->page_mkwrite`), `sb_internal` (SB_FREEZE_FS: a filesystem's own
 * transactions, e.g. ext4's `ext4_journal_start_sb` → `sb_start_intwrite`). `sb_start_*` takes its
 * level for read (`__sb_start_write` → `percpu_down_read`), sleeping while the filesystem is frozen
 * at that level or a freezer waits for its writers.
 *
 * `freeze_super` takes the levels for write in order — WRITE, PAGEFAULT, FS — each waiting for
 * that level's holders (`sb_wait_write`), holding `s_umount` for write except around the first
 * ("Release s_umount to preserve sb_start_write -> s_umount ordering"), so the levels are a lock
 * order: a task holding a level that takes a lower one (a page fault inside a transaction,
 * `sb_start_write` inside `sb_start_intwrite`) deadlocks against a freezer, and lockdep reports
 * the inverted order. `thaw_super` releases them from FS down to WRITE.
 *
 * lockdep: as the percpu_rw_semaphores record (read by `sb_start_*`, write by `freeze_super`).
 * Like the kernel, `freeze_super` ends with `lockdep_sb_freeze_release` (lockdep forgets the
 * levels the frozen filesystem keeps) and `thaw_super` takes them back as trylocks
 * (`lockdep_sb_freeze_acquire`, under `s_umount`), so freezing and thawing record no
 * level → `s_umount` order.
 *
 * @example
 * const sb = super_block(sys, 'sb');
 * sys.task('write', (t) => [sb_start_write(sb, t), ...inode_lock(A, cur), …, inode_unlock(A, cur), sb_end_write(sb, t)]);
 * sys.task('fsfreeze', (t) => [...freeze_super(sb, t), ...thaw_super(sb, t)]);
 */
import { enumOf } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import { percpu_down_read, percpu_down_write, percpu_rwsem, percpu_rwsem_acquire, percpu_rwsem_release, percpu_up_read, percpu_up_write, type PercpuRwSem } from './percpu-rwsem.ts';
import { down_write, rwsem, up_write, type RwSem } from './rwsem.ts';

/** `enum { SB_UNFROZEN, SB_FREEZE_WRITE, SB_FREEZE_PAGEFAULT, SB_FREEZE_FS, SB_FREEZE_COMPLETE }` (include/linux/fs.h). */
export const SB_UNFROZEN = 0, SB_FREEZE_WRITE = 1, SB_FREEZE_PAGEFAULT = 2, SB_FREEZE_FS = 3, SB_FREEZE_COMPLETE = 4;
export type FreezeLevel = typeof SB_FREEZE_WRITE | typeof SB_FREEZE_PAGEFAULT | typeof SB_FREEZE_FS;

/** lockdep's class names of the levels (fs/super.c: `sb_writers_name`). */
const NAMES = ['sb_writers', 'sb_pagefaults', 'sb_internal'] as const;

export interface SuperBlock {
  readonly name: string;
  /** `sb->s_writers.frozen`. */
  readonly frozen: Var;
  /** `sb->s_writers.rw_sem[level - 1]`. */
  readonly rw_sem: readonly [PercpuRwSem, PercpuRwSem, PercpuRwSem];
  readonly s_umount: RwSem;
}

/** A superblock with its freeze levels and `s_umount`. */
export function super_block(sys: System, name = 'sb'): SuperBlock {
  const sem = (i: number): PercpuRwSem => percpu_rwsem(sys, `${name}->s_writers.rw_sem[${i}]`, NAMES[i]!);
  return {
    name,
    frozen: sys.var(`${name}->s_writers.frozen`, enumOf('SB_UNFROZEN', 'SB_FREEZE_WRITE', 'SB_FREEZE_PAGEFAULT', 'SB_FREEZE_FS', 'SB_FREEZE_COMPLETE')),
    rw_sem: [sem(0), sem(1), sem(2)],
    s_umount: rwsem(sys, `&${name}->s_umount`, '&type->s_umount_key'),
  };
}

const FS = 'include/linux/fs.h';
const START = ['sb_start_write', 'sb_start_pagefault', 'sb_start_intwrite'] as const;
const END = ['sb_end_write', 'sb_end_pagefault', 'sb_end_intwrite'] as const;

/** `__sb_start_write(sb, level)`: the level taken for read. */
export const __sb_start_write = (sb: SuperBlock, level: FreezeLevel, t: ActorRef): Node =>
  percpu_down_read(sb.rw_sem[level - 1]!, t, { label: `${START[level - 1]}(${sb.name})`, fn: `${FS}: ${START[level - 1]}` });
/** `__sb_end_write(sb, level)`. */
export const __sb_end_write = (sb: SuperBlock, level: FreezeLevel, t: ActorRef): Node =>
  percpu_up_read(sb.rw_sem[level - 1]!, t, { label: `${END[level - 1]}(${sb.name})`, fn: `${FS}: ${END[level - 1]}` });

/** `sb_start_write(sb)`: SB_FREEZE_WRITE for read (`file_start_write`, `mnt_want_write`). */
export const sb_start_write = (sb: SuperBlock, t: ActorRef): Node => __sb_start_write(sb, SB_FREEZE_WRITE, t);
export const sb_end_write = (sb: SuperBlock, t: ActorRef): Node => __sb_end_write(sb, SB_FREEZE_WRITE, t);
/** `sb_start_pagefault(sb)`: SB_FREEZE_PAGEFAULT for read (`->page_mkwrite`). */
export const sb_start_pagefault = (sb: SuperBlock, t: ActorRef): Node => __sb_start_write(sb, SB_FREEZE_PAGEFAULT, t);
export const sb_end_pagefault = (sb: SuperBlock, t: ActorRef): Node => __sb_end_write(sb, SB_FREEZE_PAGEFAULT, t);
/** `sb_start_intwrite(sb)`: SB_FREEZE_FS for read (a filesystem's internal transaction). */
export const sb_start_intwrite = (sb: SuperBlock, t: ActorRef): Node => __sb_start_write(sb, SB_FREEZE_FS, t);
export const sb_end_intwrite = (sb: SuperBlock, t: ActorRef): Node => __sb_end_write(sb, SB_FREEZE_FS, t);

const SUPER = 'fs/super.c';
const setFrozen = (sb: SuperBlock, v: number, what: string, fn = `${SUPER}: freeze_super`): Node =>
  step(`${sb.name}->s_writers.frozen = ${what}`, { fn, then: (s) => s.set(sb.frozen, v) });
/** `sb_wait_write(sb, level)`: the level taken for write, once its readers have left. */
const sb_wait_write = (sb: SuperBlock, level: FreezeLevel, t: ActorRef): Node[] =>
  percpu_down_write(sb.rw_sem[level - 1]!, t, { label: `sb_wait_write(${sb.name}, ${['SB_FREEZE_WRITE', 'SB_FREEZE_PAGEFAULT', 'SB_FREEZE_FS'][level - 1]})`, fn: `${SUPER}: sb_wait_write` });
const lockExcl = (sb: SuperBlock, t: ActorRef): Node[] => down_write(sb.s_umount, t, { label: `super_lock_excl(${sb.name})`, fn: `${SUPER}: super_lock_excl` });
const unlockExcl = (sb: SuperBlock, t: ActorRef): Node => up_write(sb.s_umount, t, { label: `super_unlock_excl(${sb.name})`, fn: `${SUPER}: super_unlock_excl` });

/** `freeze_super(sb)`: the levels taken for write in order, `->sync_fs` and `->freeze_fs` between (fs/super.c). */
export const freeze_super = (sb: SuperBlock, t: ActorRef): Node[] => [
  ...lockExcl(sb, t),
  setFrozen(sb, SB_FREEZE_WRITE, 'SB_FREEZE_WRITE'),
  unlockExcl(sb, t),
  ...sb_wait_write(sb, SB_FREEZE_WRITE, t),
  ...lockExcl(sb, t),
  setFrozen(sb, SB_FREEZE_PAGEFAULT, 'SB_FREEZE_PAGEFAULT'),
  ...sb_wait_write(sb, SB_FREEZE_PAGEFAULT, t),
  step(`sync_filesystem(${sb.name})`, { fn: `fs/sync.c: sync_filesystem` }),
  setFrozen(sb, SB_FREEZE_FS, 'SB_FREEZE_FS'),
  ...sb_wait_write(sb, SB_FREEZE_FS, t),
  step(`->freeze_fs(${sb.name})`, { fn: `${SUPER}: freeze_super` }),
  setFrozen(sb, SB_FREEZE_COMPLETE, 'SB_FREEZE_COMPLETE'),
  percpu_rwsem_release(sb.rw_sem, t, { label: `lockdep_sb_freeze_release(${sb.name})`, fn: `${SUPER}: lockdep_sb_freeze_release` }),
  unlockExcl(sb, t),
];

/** `thaw_super(sb)`: unfrozen, and the levels released from FS down to WRITE (`sb_freeze_unlock`). */
export const thaw_super = (sb: SuperBlock, t: ActorRef): Node[] => [
  ...lockExcl(sb, t),
  percpu_rwsem_acquire(sb.rw_sem, t, { label: `lockdep_sb_freeze_acquire(${sb.name})`, fn: `${SUPER}: lockdep_sb_freeze_acquire` }),
  setFrozen(sb, SB_UNFROZEN, 'SB_UNFROZEN', `${SUPER}: thaw_super_locked`),
  ...[SB_FREEZE_FS, SB_FREEZE_PAGEFAULT, SB_FREEZE_WRITE].map((l) => percpu_up_write(sb.rw_sem[l - 1]!, t, { label: `percpu_up_write(${NAMES[l - 1]})`, fn: `${SUPER}: sb_freeze_unlock` })),
  unlockExcl(sb, t),
];
