/** The files, the mm and the DIO buffers of the DIO-into-an-mmap family, and the `->fault` the configuration runs. */
import { type ParamValues, type System } from '../../src/index.ts';
import { file } from '../../src/kernel/file.ts';
import { filemap_fault, filemapFault, type FaultHandler } from '../../src/kernel/fault.ts';
import { mm_struct, mmap, type Mm, type Vma } from '../../src/kernel/mm.ts';
import { bch2_page_fault } from '../../src/kernel/bcachefs.ts';
import type { Folio } from '../../src/kernel/folio.ts';
import type { Inode } from '../../src/kernel/inode.ts';
import type { params } from './params.ts';

export type Params = ParamValues<typeof params>;

export interface World {
  readonly p: Params;
  readonly files: readonly Inode[];
  readonly mm: Mm;
  /** Task t's buffer: a shared mapping of `bufFile(t)`. */
  readonly bufs: readonly Vma[];
  readonly fault: FaultHandler;
  readonly bcachefs: boolean;
  /** The folios task t's DIO writes, and the folio its buffer maps. */
  range(t: number): readonly Folio[];
  bufFolio(t: number): Folio;
  dioFile(t: number): Inode;
  /**
   * Declares what `declare` declares as task t's own (`sys.symmetric`): with one file per task,
   * each DIO into an mmap of its own file and nothing else touching a file, the tasks are
   * interchangeable (`kmc check --symmetry`). bcachefs's `faults_disabled_mapping` names its file
   * by position, so its variants are not.
   */
  own<T>(t: number, declare: () => T): T;
}

const NAMES = ['A', 'B', 'C', 'D'];

export function world(sys: System, p: Params): World {
  const bcachefs = p.fault_lock.startsWith('pagecache') || p.dio === 'd2';
  const exclusive = p.dio === 'd1_excl' || (p.punch && !bcachefs);
  const adders = p.tasks + (p.buffered === 'none' ? 0 : 1) + (p.competitor ? 1 : 0) + 1;
  const alike = p.tasks > 1 && p.files === p.tasks && p.buffer === 'same' && !bcachefs && !p.punch && p.buffered === 'none' && !p.competitor && p.mm_writer === 'absent';
  const group = alike ? sys.symmetric('permutation', p.tasks) : undefined;
  const own = <T>(t: number, declare: () => T): T => (group ? group.member(t, declare) : declare());
  const files = Array.from({ length: p.files }, (_, i) => own(i, () => file(sys, NAMES[i]!, {
    folios: p.folios, init: { cached: p.cached }, fs: bcachefs ? 'bcachefs' : 'ext4', pagecacheHolders: adders,
    invalidate_lock: exclusive ? 'contended' : 'uncontended',
  })));
  const mm = mm_struct(sys, 'mm', { writer: p.mm_writer !== 'absent' });
  const bufFile = (t: number): Inode => files[(t + (p.buffer === 'next' ? 1 : 0)) % p.files]!;
  const bufs = Array.from({ length: p.tasks }, (_, t) => own(t, () => mmap(sys, mm, bufFile(t), {
    name: `buf${t}`, pte: p.cached ? 'ro' : 'absent', vm_lock: p.mm_writer !== 'absent' && p.fault_ctx === 'vma_lock', unmappable: t === 0 && p.mm_writer === 'munmap',
  })));
  const fault = p.fault_lock === 'none' ? filemapFault({ invalidateLock: false })
    : p.fault_lock === 'invalidate_lock' ? filemap_fault
      : bch2_page_fault(files, p.fault_lock === 'pagecache_nofdm' ? 'nofdm' : p.fault_lock === 'pagecache_naive_fdm' ? 'naive_fdm' : 'kent');
  return {
    p, files, mm, bufs, fault, bcachefs, own,
    dioFile: (t) => files[t % p.files]!,
    range: (t) => files[t % p.files]!.folios.slice(0, 1),
    bufFolio: (t) => bufFile(t).folios[p.folios - 1]!,
  };
}
