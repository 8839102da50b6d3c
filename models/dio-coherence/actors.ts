/** The actors of the DIO-coherence family: the DIO write (one record per scheme), readers, a GUP user, a store, a punch hole. */
import { bool, goto, ifElse, label, step, type Program, type Self } from '../../src/index.ts';
import { current, type Current } from '../../src/kernel/current.ts';
import { iomap_dio_write } from '../../src/kernel/dio.ts';
import { bch2_direct_write, bch2_pagecache_block, bch2_page_fault } from '../../src/kernel/bcachefs.ts';
import { filemap_read } from '../../src/kernel/buffered.ts';
import { filemap_fault, user_fault } from '../../src/kernel/fault.ts';
import { foll, get_user_pages, unpin_user_page } from '../../src/kernel/gup.ts';
import { filemap_invalidate_lock, filemap_invalidate_unlock, inode_dio_wait, inode_lock, inode_lock_shared, inode_unlock, inode_unlock_shared, type Inode } from '../../src/kernel/inode.ts';
import { bch2_pagecache_add_get, bch2_pagecache_add_put } from '../../src/kernel/two-state-lock.ts';
import { pteOf, PTE, type Vma } from '../../src/kernel/mm.ts';
import { free_blocks, truncate_pagecache_range } from '../../src/kernel/truncate.ts';
import { trace } from '../../src/kernel/folio.ts';
import type { ParamValues } from '../../src/index.ts';
import type { params } from './params.ts';

export interface World { readonly p: ParamValues<typeof params>; readonly A: Inode; readonly map: Vma }

const fault = (w: World) => (w.p.dio === 'd2' ? bch2_page_fault([w.A], 'kent') : filemap_fault);

const dios: Record<World['p']['dio'], (cur: Current, w: World) => Program> = {
  d0: (cur, w) => [inode_lock_shared(w.A, cur), iomap_dio_write(cur, w.A, undefined), inode_unlock_shared(w.A, cur)],
  d1_excl: (cur, w) => [inode_lock_shared(w.A, cur),
    iomap_dio_write(cur, w.A, undefined, { hold: { take: filemap_invalidate_lock(w.A, cur), drop: filemap_invalidate_unlock(w.A, cur) } }), inode_unlock_shared(w.A, cur)],
  d2: (cur, w) => bch2_direct_write(cur, w.A, undefined, { files: [w.A] }),
};

export const dio = (w: World) => (self: Self): Program => dios[w.p.dio](current(self), w);

/** A buffered read (bcachefs's `bch2_read_iter` holds the add lock around it), or a read fault on the mapping. */
export const reader = (w: World) => (self: Self): Program => {
  const cur = current(self), f = w.A.folios[0]!;
  if (w.p.reader === 'fault') return user_fault(cur, w.map, f, { write: false, fault: fault(w) });
  const read = filemap_read(cur, w.A, f);
  return w.p.dio === 'd2' ? [bch2_pagecache_add_get(w.A.pagecache!, cur), read, bch2_pagecache_add_put(w.A.pagecache!, cur)] : read;
};

/** A GUP user: a FOLL_GET reference to the folio through the mapping, held for a while. */
export const pinner = (w: World) => (self: Self): Program => {
  const cur = current(self), f = w.A.folios[0]!, flags = foll('get');
  return [get_user_pages(cur, w.map, f, flags, { fault: fault(w) }), unpin_user_page(f, cur, flags)];
};

/** A user store through the mapping: the folio dirty in the page cache while the DIO runs. */
export const store = (w: World) => (self: Self): Program => {
  const cur = current(self), f = w.A.folios[0]!, pte = pteOf(w.map, f), stored = cur.local('stored', bool()), retry = cur.label('retry');
  return [
    label(retry),
    ifElse((s) => s.get(pte) !== PTE.rw, user_fault(cur, w.map, f, { write: true, fault: fault(w) })),
    step(`store(${f.name})`, { then: (s) => (s.get(pte) === PTE.rw ? trace(f, 'write', s, cur.id).set(stored, true) : s.set(stored, false)) }),
    ifElse((s) => !s.test(stored), [goto(retry)]),
  ];
};

/** A punch hole: ext4_punch_hole, or bcachefs's under the pagecache block lock; the blocks freed. */
export const punch = (w: World) => (self: Self): Program => {
  const cur = current(self), drop = [truncate_pagecache_range(cur, w.A), free_blocks(cur, w.A)];
  return [
    ...inode_lock(w.A, cur), inode_dio_wait(w.A),
    w.p.dio === 'd2' ? bch2_pagecache_block(cur, w.A, drop) : [...filemap_invalidate_lock(w.A, cur), drop, filemap_invalidate_unlock(w.A, cur)],
    inode_unlock(w.A, cur),
  ];
};
