/**
 * Address spaces and shared file mappings: `mm->mmap_lock` (include/linux/mmap_lock.h), VMAs
 * with their per-VMA lock (`vma->vm_lock`: mm/memory.c lock_vma_under_rcu, include/linux/mm.h
 * vma_start_read / vma_start_write), and one PTE per folio of the mapped file:
 * `absent`, `RO-clean` (write-protected: the next store faults and notifies the filesystem),
 * `RW-dirty` (a writable PTE in a dirty-tracked shared mapping is always dirty).
 *
 * `mm->mmap_lock` always exists and every `mmap_read_lock` is a step lockdep sees (class
 * `&mm->mmap_lock`): its dependencies (`&sb->s_type->i_mutex_key` -> `&mm->mmap_lock` in a write
 * that faults in its buffer, `&mm->mmap_lock` -> `mapping.invalidate_lock` in a fault) are
 * lockdep's, writer or not. A VMA lock exists only when declared.
 *
 * A VMA declared `unmappable` may be removed by `munmap` (mm/vma.c: do_vmi_align_munmap); then
 * `find_vma` finds nothing: GUP returns -EFAULT (mm/gup.c: gup_vma_lookup) and a user fault is
 * a bad area (arch/x86/mm/fault.c: lock_mm_and_find_vma fails).
 *
 * @example
 * const mm = mm_struct(sys, 'mm', { writer: true });
 * const buf = mmap(sys, mm, B, { name: 'buf', pte: 'ro', unmappable: true });
 * sys.task('munmap', (t) => munmap(buf, t));
 */
import { bool, enumOf } from '../model/domain.ts';
import { step, type Node, type Program } from '../model/program.ts';
import { down_read, down_read_trylock, down_write, downgrade_write, rwsem, up_read, up_write, type RwSem } from './rwsem.ts';
import type { Folio } from './folio.ts';
import type { Inode } from './inode.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { State } from '../model/state.ts';

export const PTE = { absent: 0, ro: 1, rw: 2 } as const;

export interface Mm {
  readonly name: string;
  readonly mmap_lock: RwSem;
}

export interface Vma {
  readonly name: string;
  readonly mm: Mm;
  readonly file: Inode;
  /** PTE of each folio of the file in this mapping. */
  readonly pte: readonly Var[];
  /** The per-VMA lock, when declared. */
  readonly vm_lock: RwSem | undefined;
  /** Whether the VMA is still in the mm's tree, when declared `unmappable` (else always). */
  readonly mapped: Var | undefined;
}

/**
 * An address space. `writer` (some actor takes mmap_lock for write: munmap, mprotect) is
 * accepted for the models that say so; the lock and its read acquisitions exist either way.
 */
export function mm_struct(sys: System, name = 'mm', _opts: { writer?: boolean } = {}): Mm {
  return { name, mmap_lock: rwsem(sys, `&${name}->mmap_lock`, `&mm->mmap_lock`) };
}

/**
 * `mmap(MAP_SHARED)` of `file` into `mm`: one PTE per folio, initially `pte` (one for all, or
 * per folio). `vm_lock: true` declares the per-VMA lock (faults then try it first);
 * `unmappable: true` lets `munmap` remove the VMA.
 */
export function mmap(sys: System, mm: Mm, file: Inode, opts: { name?: string; pte?: keyof typeof PTE | readonly (keyof typeof PTE)[]; vm_lock?: boolean; unmappable?: boolean } = {}): Vma {
  const name = opts.name ?? `${file.name}.vma`;
  const init = (i: number): number => PTE[typeof opts.pte === 'string' ? opts.pte : opts.pte?.[i] ?? 'absent'];
  const pte = file.folios.map((_, i) => sys.var(`${name}.pte${file.folios.length > 1 ? `[${i}]` : ''}`, enumOf('absent', 'RO-clean', 'RW-dirty'), init(i)));
  const vm_lock = opts.vm_lock ? rwsem(sys, `&${name}->vm_lock`, `&vma->vm_lock`) : undefined;
  const vma: Vma = { name, mm, file, pte, vm_lock, mapped: opts.unmappable ? sys.var(`${name}.mapped`, bool(), true) : undefined };
  file.vmas.push(vma);
  return vma;
}

/** The PTE of `f` in `vma`. */
export const pteOf = (vma: Vma, f: Folio): Var => vma.pte[f.index]!;

/** `folio_mapped()`: some PTE maps the folio. */
export const folio_mapped = (s: State, file: Inode, f: Folio): boolean => file.vmas.some((v) => s.get(pteOf(v, f)) !== PTE.absent);

const H = `include/linux/mmap_lock.h`;
export const mmap_read_lock = (mm: Mm, t: ActorRef): Program => down_read(mm.mmap_lock, t, { label: `mmap_read_lock`, fn: `${H}: mmap_read_lock` });
export const mmap_read_unlock = (mm: Mm, t: ActorRef): Program => up_read(mm.mmap_lock, t, { label: `mmap_read_unlock`, fn: `${H}: mmap_read_unlock` });
export const mmap_write_lock = (mm: Mm, t: ActorRef): Node[] => down_write(mm.mmap_lock, t, { label: `mmap_write_lock`, fn: `${H}: mmap_write_lock` });
export const mmap_write_unlock = (mm: Mm, t: ActorRef): Node => up_write(mm.mmap_lock, t, { label: `mmap_write_unlock`, fn: `${H}: mmap_write_unlock` });

/** `mmap_write_downgrade()` (include/linux/mmap_lock.h): `vma_end_write_all` (here of the one VMA the writer locked), then `downgrade_write`: mmap_lock held for read. */
export const mmap_write_downgrade = (vma: Vma, t: ActorRef): Program => [
  vma_end_write_all(vma, t),
  downgrade_write(vma.mm.mmap_lock, t, { label: `mmap_write_downgrade`, fn: `${H}: mmap_write_downgrade` }),
];

/** `find_vma()` (mm/mmap.c) finds the VMA: it was not unmapped. */
export const find_vma = (s: State, vma: Vma): boolean => vma.mapped === undefined || s.test(vma.mapped);

/** `vma_start_read()`: a trylock of the VMA lock (fails while the VMA is write-locked); 1 in `got` if taken. */
export const vma_start_read = (vma: Vma, t: ActorRef, got: Var): Node => down_read_trylock(vma.vm_lock!, t, got);
export const vma_end_read = (vma: Vma, t: ActorRef): Node => up_read(vma.vm_lock!, t, { label: `vma_end_read`, fn: `include/linux/mm.h: vma_end_read` });
/** `vma_start_write()`: under mmap_lock for write; waits for the VMA's readers; held until `vma_end_write_all`. */
export const vma_start_write = (vma: Vma, t: ActorRef): Program => (vma.vm_lock ? down_write(vma.vm_lock, t, { label: `vma_start_write`, fn: `include/linux/mm.h: vma_start_write` }) : []);
export const vma_end_write_all = (vma: Vma, t: ActorRef): Program => (vma.vm_lock ? up_write(vma.vm_lock, t, { label: `vma_end_write_all`, fn: `include/linux/mmap_lock.h: vma_end_write_all` }) : []);

/**
 * `munmap()` of a VMA declared `unmappable` (mm/vma.c: do_vmi_align_munmap, `unlock` as the
 * syscall passes it): `mmap_write_lock`; `vms_gather_munmap_vmas` write-locks the VMA (waiting
 * for its per-VMA readers) and detaches it, and `vma_iter_clear_gfp` takes it out of the tree:
 * from then on `find_vma` misses it; `vms_complete_munmap_vmas` downgrades mmap_lock to read
 * (readers proceed while the page tables go), `unmap_region` zaps its PTEs (`zap_pte_range`:
 * a dirty PTE's `folio_mark_dirty` finds the folio dirty already, since a writable PTE of a
 * dirty-tracked mapping is only made by a fault that dirtied the folio, and `folio_mkclean`
 * write-protects it before the folio is cleaned), and `mmap_read_unlock`. A folio pinned
 * through the VMA stays pinned: GUP's references are the pin holder's, not the mapping's.
 */
export function munmap(vma: Vma, t: ActorRef): Program {
  const mapped = vma.mapped;
  if (mapped === undefined) throw new Error(`munmap(${vma.name}): the mapping is not declared unmappable (mmap(…, { unmappable: true }))`);
  return [
    ...mmap_write_lock(vma.mm, t),
    vma_start_write(vma, t),
    step(`vms_gather_munmap_vmas(${vma.name}): detach`, { fn: 'mm/vma.c: vms_gather_munmap_vmas', then: (s) => s.set(mapped, false) }),
    mmap_write_downgrade(vma, t),
    step(`unmap_region(${vma.name})`, {
      fn: 'mm/vma.c: unmap_region',
      then: (s) => { for (const p of vma.pte) s = s.set(p, PTE.absent); return s; },
    }),
    mmap_read_unlock(vma.mm, t),
  ];
}

/** Sets the PTEs of folios `[first, last]` of `file` to absent in every VMA mapping it. */
export const zap = (s: State, file: Inode, first = 0, last = file.folios.length - 1): State => {
  for (const v of file.vmas) for (let i = first; i <= last; i++) s = s.set(v.pte[i]!, PTE.absent);
  return s;
};

/** `unmap_mapping_range()` (mm/memory.c): zaps the PTEs of a range of the file in every mapping of it. */
export const unmap_mapping_range = (file: Inode, first = 0, last = file.folios.length - 1): Node =>
  step(`unmap_mapping_range(${file.name}${file.folios.length > 1 ? `, ${first}..${last}` : ''})`, { fn: `mm/memory.c: unmap_mapping_range`, then: (s) => zap(s, file, first, last) });

/**
 * `folio_mkclean()` (mm/rmap.c: page_vma_mkclean_one): every writable PTE of the folio becomes
 * write-protected and clean (MMU notifiers are told: an ODP device loses its mapping).
 */
export const folio_mkclean = (file: Inode, f: Folio): Node =>
  step(`folio_mkclean(${f.name})`, {
    fn: `mm/rmap.c: folio_mkclean`,
    then: (s) => {
      for (const v of file.vmas) if (s.get(pteOf(v, f)) === PTE.rw) s = s.set(pteOf(v, f), PTE.ro);
      return s;
    },
  });
