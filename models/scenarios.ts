/**
 * The scenario table: each row is a model, a configuration and the verdicts the kernel
 * community reached on the lists. `kmc check --scenario S-12` runs a row; the tests assert every
 * expected verdict; `counterexamples/<row>.txt|.itf.json` are generated from the rows that break
 * a property.
 */
import type { Scenario } from '../src/index.ts';

export const scenarios: readonly Scenario[] = [
  {
    id: 'S-1', title: "Lorenzo's four steps: FOLL_PIN|FOLL_WRITE without LONGTERM vs writeback (ext4, no fix)",
    model: 'gup-writeback', params: { user: false },
    expect: { P1: 'violated', P3: 'violated', P2: 'violated' }, counterexample: 'P3',
    note: 'P1 breaks at the pin holder\'s write (step 3 of the four), P3 at unpin_user_pages_dirty_lock (step 4); P2 too when the write lands during the I/O.',
  },
  {
    id: 'S-1x', title: 'S-1 with the unlocked set_page_dirty() of gup-repro: the ext4 W-a WARN',
    model: 'gup-writeback', params: { user: false, unpin: 'raw' },
    expect: { 'W-a': 'violated', P3: 'violated' }, counterexample: 'W-a',
  },
  {
    id: 'S-2', title: 'FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE under FIX_LONGTERM_REFUSE',
    model: 'gup-writeback', params: { pin_flags: 'pin+longterm+write', fix_longterm_refuse: true },
    expect: { P1: 'holds', P2: 'holds', P3: 'holds', P4: 'holds', deadlock: 'holds' },
    note: 'check_vma_flags() refuses the pin with -EFAULT before it is taken. P4 holds here with or without the fix (one writeback pass, no reclaim: no path drops a write); with reclaim=true fix_reclaim_skip_pinned=false passes=2 it is the fix that keeps P4 (W-b: violated without it).',
  },
  {
    id: 'S-2b', title: 'the same fix, but FOLL_PIN|FOLL_WRITE without LONGTERM (and FOLL_GET|FOLL_WRITE)',
    model: 'gup-writeback', params: { pin_flags: 'pin+write', fix_longterm_refuse: true },
    expect: { P1: 'violated', P3: 'violated' }, counterexample: 'P3',
  },
  {
    id: 'S-2b-get', title: 'S-2b with FOLL_GET|FOLL_WRITE',
    model: 'gup-writeback', params: { pin_flags: 'get+write', fix_longterm_refuse: true },
    expect: { P1: 'violated', P3: 'violated' }, counterexample: 'P3',
  },
  {
    id: 'S-3', title: 'stable pages: the device writes a folio while writeback has it in flight',
    model: 'gup-writeback', params: {},
    expect: { P2: 'violated' }, counterexample: 'P2',
  },
  {
    id: 'S-3b', title: 'S-3 on bcachefs: the checksummed write path bounces',
    model: 'gup-writeback', params: { fs: 'bcachefs' },
    expect: { P2: 'holds', P1: 'violated' }, counterexample: 'P1',
  },
  {
    id: 'S-5', title: 'writeback waits for pins after folio_mkclean (W1-ok), short-term pins',
    model: 'gup-writeback', params: { wb: 'w1_ok' },
    expect: { P1: 'holds', P2: 'holds', P3: 'holds', P4: 'holds', deadlock: 'holds', L1: 'holds' },
    note: 'L1 (writeback completes) holds under weak fairness of every actor, pin release included. The pinned folio stays dirty until writeback has waited out its pins, so unpin_user_pages_dirty_lock never dirties it and reclaim cannot free its buffers: with reclaim=true fix_reclaim_skip_pinned=false passes=2, P4 holds too (violated under W0: W-b).',
  },
  {
    id: 'S-6', title: 'W1 with a long-term write pin (RDMA without ODP), no refuse fix',
    model: 'gup-writeback', params: { wb: 'w1_ok', pin_flags: 'pin+longterm+write', pin_lifetime: 'long' },
    expect: { P1: 'holds', P2: 'holds', P3: 'holds', P4: 'holds', deadlock: 'holds', L1: 'violated' }, counterexample: 'L1',
    note: 'Long- and short-term pins differ only in fairness: the safety half holds as in S-5, and L1 is violated: writeback (fsync) never completes while the holder keeps its pin.',
  },
  {
    id: 'S-10', title: 'bcachefs pagecache lock without faults_disabled_mapping: DIO to A from mmap(A)',
    model: 'dio-mmap', params: { fault_lock: 'pagecache_nofdm', tasks: 1, files: 1, buffer: 'same' },
    expect: { deadlock: 'violated' }, counterexample: 'deadlock',
  },
  {
    id: 'S-11', title: 'DIO holds invalidate_lock(A) exclusive across GUP; buffer mmap(A), folio not cached',
    model: 'dio-mmap', params: { fault_lock: 'invalidate_lock', dio: 'd1_excl', tasks: 1, files: 1, buffer: 'same' },
    expect: { deadlock: 'violated' }, counterexample: 'deadlock',
  },
  {
    id: 'S-12', title: "naive fdm (same-mapping SIGBUS only): DIO A from mmap(B) vs DIO B from mmap(A)",
    model: 'dio-mmap', params: { fault_lock: 'pagecache_naive_fdm' },
    expect: { deadlock: 'violated' }, counterexample: 'deadlock',
  },
  {
    id: 'S-13', title: "Kent's scheme (address-ordered trylock and drop), same two DIOs",
    model: 'dio-mmap', params: { fault_lock: 'pagecache_kent' },
    expect: { deadlock: 'holds' },
    note: "Covers each DIO's invalidation (bch2_direct_write) of the folio the other's fault put in the page cache, and dio1's re-invalidation after dropping B's block lock; not dio0's (A is the lowest address: it never drops), nor the write of a dirty folio (nothing dirties one: the matrix's '+ buffered write' column runs it).",
  },
  {
    id: 'S-13L', title: "S-13 liveness, bounded competitors: no livelock, no starvation",
    model: 'dio-mmap', params: { fault_lock: 'pagecache_kent', tasks: 2, files: 2 },
    expect: { deadlock: 'holds', 'L2(b)': 'holds', 'L2(c)': 'holds' },
    note: 'L2(b): some DIO completes; L2(c): every DIO completes; under weak fairness of both tasks.',
  },
  {
    id: 'S-14', title: "Kent's scheme, DIO to A from mmap(A) needing a fault",
    model: 'dio-mmap', params: { fault_lock: 'pagecache_kent', tasks: 1, files: 1, buffer: 'same' },
    expect: { deadlock: 'holds', 'a DIO from an mmap of its own file returns -EFAULT': 'holds' },
    note: 'A is never cached here, so bch2_direct_write invalidates nothing; with cached=true it invalidates A (writeback_iter finds it clean), unmapping the buffer, and the fault that follows gets the same SIGBUS (20 states, both hold).',
  },
];
