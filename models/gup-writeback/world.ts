/** What every actor of the GUP-vs-writeback family reaches: the file, the mapping, the flags, and the variants' shared state. */
import { bool, type ParamValues, type System, type Var } from '../../src/index.ts';
import { file, type FileOptions } from '../../src/kernel/file.ts';
import { mm_struct, mmap, type Mm, type Vma } from '../../src/kernel/mm.ts';
import { foll, type Foll } from '../../src/kernel/gup.ts';
import { contentOf, type Content } from '../../properties/page-cache.ts';
import type { Folio } from '../../src/kernel/folio.ts';
import type { Inode } from '../../src/kernel/inode.ts';
import type { params } from './params.ts';

export type Params = ParamValues<typeof params>;

export interface World {
  readonly p: Params;
  readonly file: Inode;
  readonly f: Folio;
  readonly mm: Mm;
  readonly vma: Vma;
  readonly flags: Foll;
  readonly content: Content;
  /** GUP hands out a private copy (bounce at GUP) instead of pinning the folio. */
  readonly bounces: boolean;
  /** The pin holder holds a bounce copy. */
  readonly copy: Var;
  /** Writeback asked a revocable pin holder to drop its pin. */
  readonly revoke: Var;
  /** The application deregistered its long-term pin. */
  readonly deregistered: Var;
}

/** Declares the family's state: one file of one folio, cached, clean, mapped read-only in one mm. */
export function world(sys: System, p: Params): World {
  const fileOpts: FileOptions = { fs: p.fs, stableWrites: p.stable_writes, invalidate_lock: p.truncate === 'none' ? 'uncontended' : 'contended' };
  const A = file(sys, 'A', fileOpts);
  const mm = mm_struct(sys, 'mm', { writer: p.mm_writer === 'present' });
  const vma = mmap(sys, mm, A, { name: 'vma', pte: 'ro', vm_lock: p.mm_writer === 'present' && p.fault_ctx === 'vma_lock' });
  const flags = foll(p.pin_flags), f = A.folios[0]!;
  return {
    p, file: A, f, mm, vma, flags, content: contentOf(sys, f),
    bounces: p.gup_bounce !== 'off' && flags.longterm,
    copy: sys.var('bounce_copy', bool()),
    revoke: sys.var('revoke_requested', bool()),
    deregistered: sys.var('deregistered', bool(), p.pin_lifetime === 'short'),
  };
}
