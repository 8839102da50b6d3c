/**
 * The design space `kmc matrix` (and `npm start`) prints: per family, the fix variants as rows
 * and the properties as columns. A row is the parameters it sets; its name comes from the docs
 * of those values (params.ts of each family). A column may also fix parameters (the DIO
 * family's columns are configurations, all checked for one property).
 */
import type { Family } from '../src/check/family.ts';
import { kernelLockingFamilies } from './matrix-kernel-locking.ts';

export const families: readonly Family[] = [
  {
    model: 'gup-writeback',
    title: 'GUP vs writeback: a FOLL_WRITE pin holder writes a file folio (user store, pin, writeback)',
    primary: ['wb', 'pin_flags'],
    columns: [
      { label: 'P1 notify', property: 'P1' }, { label: 'P2 stable', property: 'P2' }, { label: 'P3 dirty', property: 'P3' },
      { label: 'P4 loss', property: 'P4' }, { label: 'ext4 W-a', property: 'W-a' }, { label: 'deadlock', property: 'deadlock' },
      { label: 'L1 fsync', property: 'L1' },
    ],
    rows: [
      {}, { pin_flags: 'get+write' }, { unpin: 'raw' }, { gup_path: 'fast' }, { gup_path: 'fast_only' },
      { pin_flags: 'pin+longterm+write', fix_longterm_refuse: true }, { fix_longterm_refuse: true },
      { wb: 'w1_ok' }, { wb: 'w1_bad' }, { wb: 'w1_ok', pin_flags: 'pin+longterm+write', pin_lifetime: 'long' },
      { wb: 'w2' }, { wb: 'w2', wb_sync: 'all' }, { fs: 'bcachefs' },
      { gup_bounce: 'whole_page', pin_flags: 'pin+longterm+write' }, { dev_mode: 'odp' },
      { dev_mode: 'revocable', pin_flags: 'pin+longterm+write', pin_lifetime: 'long' },
      { reclaim: true, fix_reclaim_skip_pinned: false, user: false },
      { truncate: 'punch', user: false },
      { mm_writer: 'present', fault_ctx: 'vma_lock' },
    ],
  },
  {
    model: 'dio-mmap',
    title: 'DIO whose buffer is an mmap of a file: deadlock by configuration',
    primary: ['dio', 'fault_lock'],
    columns: [
      { label: 'A<-mmap(A)', property: 'deadlock', params: { tasks: 1, files: 1, buffer: 'same' } },
      { label: 'L2(c) A<-mmap(A)', property: 'L2(c)', params: { tasks: 1, files: 1, buffer: 'same' } },
      { label: 'A<-mmap(B) || B<-mmap(A)', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next' } },
      { label: 'L2(c) same', property: 'L2(c)', params: { tasks: 2, files: 2, buffer: 'next' } },
      { label: '+ mmap_lock writer', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', mm_writer: 'present' } },
      { label: '+ punch A', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', punch: true } },
      { label: '+ buffered write', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', buffered: 'next' } },
    ],
    rows: [
      { dio: 'd0', fault_lock: 'invalidate_lock' }, { dio: 'd1_excl', fault_lock: 'invalidate_lock' },
      { dio: 'd1_shared', fault_lock: 'invalidate_lock' }, { dio: 'd2', fault_lock: 'pagecache_nofdm' },
      { dio: 'd2', fault_lock: 'pagecache_naive_fdm' }, { dio: 'd2', fault_lock: 'pagecache_kent' },
      { dio: 'd3', fault_lock: 'invalidate_lock' },
    ],
  },
  {
    model: 'dio-coherence',
    title: 'DIO write vs page-cache readers: P6 coherence after the write returns',
    primary: ['dio'],
    columns: [
      { label: 'P6 reader', property: 'P6', params: { reader: 'buffered' } },
      { label: 'P6 fault', property: 'P6', params: { reader: 'fault' } },
      { label: 'P6 +GUP ref', property: 'P6', params: { reader: 'buffered', pin: true } },
      { label: 'P6 +store', property: 'P6', params: { reader: 'none', store: true } },
      { label: 'reported +store', property: 'stale', params: { reader: 'none', store: true } },
      { label: 'deadlock +punch', property: 'deadlock', params: { reader: 'fault', pin: true, punch: true } },
    ],
    rows: [{ dio: 'd0' }, { dio: 'd1_excl' }, { dio: 'd2' }],
  },
  {
    model: 'truncate-fault',
    title: 'Truncate vs page fault: stale mappings and lock order',
    primary: ['fault_order'],
    columns: [
      { label: 'no stale PTE', property: 'no' }, { label: 'deadlock', property: 'deadlock' },
      { label: '+ buffered write', property: 'deadlock', params: { write: true } },
    ],
    rows: [{}, { fault_order: 'folio_lock_first' }, { mapping_check: false, cached: true }],
  },
  ...kernelLockingFamilies,
];
