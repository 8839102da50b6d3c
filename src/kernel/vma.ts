/**
 * The per-VMA lock (mm/memory.c: lock_vma_under_rcu, include/linux/mm.h: vma_start_read /
 * vma_start_write). A fault tries it first — `vma_start_read` is a trylock that fails while the
 * VMA is write-locked — and falls back to `mmap_read_lock`. A writer (munmap, mprotect) takes
 * `mmap_write_lock`, then `vma_start_write`, which waits for the VMA's readers; the VMA stays
 * write-locked until `mmap_write_unlock`.
 *
 * @example
 * const vma = vmaLock(sys);
 * fault_under_vma_or_mmap_lock(vma, mm, t, [...the fault...])
 */
import { ifElse, step, type Node, type Program } from '../model/program.ts';
import { down_read_trylock, down_write, rwsem, up_read, up_write, type RwSem } from './rwsem.ts';
import { mmap_read_lock, mmap_read_unlock } from './mm.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';

export const vmaLock = (sys: System, name = 'vma'): RwSem => rwsem(sys, `&${name}->vm_lock`, `&vma->vm_lock`);

export const vma_start_read = (v: RwSem, t: ActorRef, got: Var): Node => down_read_trylock(v, t, got);
export const vma_end_read = (v: RwSem, t: ActorRef): Node => up_read(v, t, { label: `vma_end_read`, fn: `include/linux/mm.h: vma_end_read` });
export const vma_start_write = (v: RwSem, t: ActorRef): Node[] => down_write(v, t, { label: `vma_start_write`, fn: `include/linux/mm.h: vma_start_write` });
export const vma_end_write_all = (v: RwSem, t: ActorRef): Node => up_write(v, t, { label: `vma_end_write_all`, fn: `include/linux/mm.h: vma_end_write_all` });

/** A user fault: under the VMA read lock if `lock_vma_under_rcu` gets it, else under mmap_lock. `body` builds the handler (it may be emitted twice). */
export function userFault(ctx: 'mmap_lock' | 'vma_lock', vma: RwSem | undefined, mm: RwSem | undefined, t: ActorRef, got: Var | undefined, body: () => Program): Program {
  const underMmap: Program = mm ? [mmap_read_lock(mm, t), body(), mmap_read_unlock(mm, t)] : body();
  if (ctx === 'mmap_lock' || vma === undefined || got === undefined) return underMmap;
  return [
    vma_start_read(vma, t, got),
    ifElse((s) => s.get(got) === 1, [body(), vma_end_read(vma, t)], [step('lock_vma_under_rcu failed: retry under mmap_lock', { fn: 'mm/memory.c: lock_vma_under_rcu' }), underMmap]),
  ];
}
