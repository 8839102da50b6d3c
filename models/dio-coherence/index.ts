/**
 * DIO / page-cache coherence: a direct write to file A, one folio, against page-cache readers (a
 * buffered read, a page fault), a GUP user holding a reference, a user store dirtying the folio,
 * and a punch hole. P6: once the DIO write returned, the page cache holds nothing read from disk
 * before it. The DIO schemes are records in actors.ts; the switches in params.ts.
 */
import { defineModel, sometimes, type State } from '../../src/index.ts';
import { file } from '../../src/kernel/file.ts';
import { mm_struct, mmap } from '../../src/kernel/mm.ts';
import { diskVersions, p6, reported } from '../../properties/coherence.ts';
import { params } from './params.ts';
import { dio, pinner, punch, reader, store, type World } from './actors.ts';

export default defineModel({
  name: 'dio-coherence',
  doc: 'DIO write vs page-cache readers, GUP references, stores and punch hole: P6 coherence',
  params,
  setup(p, sys) {
    const A = file(sys, 'A', {
      fs: p.dio === 'd2' ? 'bcachefs' : 'ext4', init: { cached: false },
      invalidate_lock: p.dio === 'd1_excl' || (p.punch && p.dio !== 'd2') ? 'contended' : 'uncontended',
    });
    const w: World = { p, A, map: mmap(sys, mm_struct(sys), A, { name: 'map' }) };
    const f = A.folios[0]!, versions = diskVersions(sys, f);

    const writer = sys.task('dio', dio(w));
    const read = p.reader !== 'none' ? sys.task(p.reader === 'buffered' ? 'reader' : 'fault', reader(w)) : undefined;
    if (p.pin) sys.task('pinner', pinner(w));
    if (p.store) sys.task('store', store(w));
    if (p.punch) sys.task('punch', punch(w));

    const returned = (s: State): boolean => s.done(writer);
    return [
      p6(versions, returned),
      reported(versions, returned),
      // the racy window: a reader fills the cache during the DIO — or, where the scheme excludes that, waits for it
      ...(read === undefined ? [] : p.dio === 'd1_excl'
        ? [sometimes('a reader waits for the folio while the DIO is in flight', (s) => s.get(A.dio) !== 0 && !s.done(read) && !s.test(f.cached))]
        : [sometimes('a reader caches the block while the DIO is in flight', (s) => s.get(A.dio) !== 0 && s.test(f.cached) && s.test(f.uptodate))]),
      ...(p.store === false || writer === undefined ? [] : p.dio === 'd1_excl'
        ? [sometimes('a store waits for the folio while the DIO is in flight', (s) => s.get(A.dio) !== 0 && !s.test(f.dirty))]
        : [sometimes('the DIO meets a dirty folio', (s) => s.get(A.dio) !== 0 && s.test(f.dirty))]),
    ];
  },
});
