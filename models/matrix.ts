/**
 * The design space `kmc matrix` (and `npm start`) prints: per family, the fix variants as rows
 * and the properties as columns. A column may also fix parameters (the DIO family's columns
 * are configurations, all checked for deadlock).
 */
import type { Family } from '../src/check/family.ts';

export const families: readonly Family[] = [
  {
    model: 'gup-writeback',
    title: 'GUP vs writeback: a FOLL_WRITE pin holder writes a file folio (user store, pin, writeback)',
    columns: [
      { label: 'P1 notify', property: 'P1' }, { label: 'P2 stable', property: 'P2' }, { label: 'P3 dirty', property: 'P3' },
      { label: 'P4 loss', property: 'P4' }, { label: 'ext4 W-a', property: 'W-a' }, { label: 'deadlock', property: 'deadlock' },
      { label: 'L1 fsync', property: 'L1' },
    ],
    rows: [
      { variant: 'mainline W0, FOLL_PIN|FOLL_WRITE', params: {} },
      { variant: 'mainline W0, FOLL_GET|FOLL_WRITE', params: { pin_flags: 'get+write' } },
      { variant: 'gup-repro: unlocked set_page_dirty', params: { unpin: 'raw' } },
      { variant: 'GUP-fast', params: { gup_path: 'fast' } },
      { variant: 'refuse LONGTERM, long-term pin', params: { pin_flags: 'pin+longterm+write', fix_longterm_refuse: true } },
      { variant: 'refuse LONGTERM, short-term pin', params: { fix_longterm_refuse: true } },
      { variant: 'W1-ok: wait for pins after mkclean', params: { wb: 'w1_ok' } },
      { variant: 'W1-bad: wait for pins before mkclean', params: { wb: 'w1_bad' } },
      { variant: 'W1-ok, long-term pin', params: { wb: 'w1_ok', pin_flags: 'pin+longterm+write', pin_lifetime: 'long' } },
      { variant: 'W2: skip pinned (WB_SYNC_NONE)', params: { wb: 'w2' } },
      { variant: 'W2: bounce pinned (WB_SYNC_ALL)', params: { wb: 'w2', wb_sync: 'all' } },
      { variant: 'bcachefs: checksummed writes bounce', params: { fs: 'bcachefs' } },
      { variant: 'bounce at GUP, long-term pin', params: { gup_bounce: 'whole_page', pin_flags: 'pin+longterm+write' } },
      { variant: 'ODP device: no pin, MMU notifier', params: { dev_mode: 'odp' } },
      { variant: 'revocable long-term pin', params: { dev_mode: 'revocable', pin_flags: 'pin+longterm+write', pin_lifetime: 'long' } },
      { variant: 'reclaim without skip-pinned fix', params: { reclaim: true, fix_reclaim_skip_pinned: false, user: false } },
    ],
  },
  {
    model: 'dio-mmap',
    title: 'DIO whose buffer is an mmap of a file: deadlock by configuration',
    columns: [
      { label: 'A<-mmap(A)', property: 'deadlock', params: { tasks: 1, files: 1, buffer: 'same' } },
      { label: 'L2(c) A<-mmap(A)', property: 'L2(c)', params: { tasks: 1, files: 1, buffer: 'same' } },
      { label: 'A<-mmap(B) || B<-mmap(A)', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next' } },
      { label: 'L2(c) same', property: 'L2(c)', params: { tasks: 2, files: 2, buffer: 'next' } },
      { label: '+ munmap', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', mm_writer: 'present' } },
      { label: '+ punch A', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', punch: true } },
      { label: '+ buffered write', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', buffered: 'next' } },
    ],
    rows: [
      { variant: 'iomap DIO, filemap_fault (mainline)', params: { dio: 'd0', fault_lock: 'invalidate_lock' } },
      { variant: 'invalidate_lock excl. across GUP', params: { dio: 'd1_excl', fault_lock: 'invalidate_lock' } },
      { variant: 'invalidate_lock shared across GUP', params: { dio: 'd1_shared', fault_lock: 'invalidate_lock' } },
      { variant: 'bcachefs lock, no fdm', params: { dio: 'd2', fault_lock: 'pagecache_nofdm' } },
      { variant: 'bcachefs lock, same-mapping fdm only', params: { dio: 'd2', fault_lock: 'pagecache_naive_fdm' } },
      { variant: 'bcachefs: ordered trylock and drop', params: { dio: 'd2', fault_lock: 'pagecache_kent' } },
      { variant: 'GFS2: prefault, FOLL_NOFAULT, retry', params: { dio: 'd3', fault_lock: 'invalidate_lock' } },
    ],
  },
  {
    model: 'dio-coherence',
    title: 'DIO write vs page-cache readers: P6 coherence after the write returns',
    columns: [
      { label: 'P6 reader', property: 'P6', params: { reader: 'buffered' } },
      { label: 'P6 fault', property: 'P6', params: { reader: 'fault' } },
      { label: 'P6 +GUP ref', property: 'P6', params: { reader: 'buffered', pin: true } },
      { label: 'reported +GUP ref', property: 'stale', params: { reader: 'buffered', pin: true } },
      { label: 'deadlock +punch', property: 'deadlock', params: { reader: 'fault', pin: true, punch: true } },
    ],
    rows: [
      { variant: 'iomap DIO: invalidate, write, invalidate', params: { dio: 'd0' } },
      { variant: 'DIO holding invalidate_lock exclusive', params: { dio: 'd1_excl' } },
      { variant: 'bcachefs: pagecache block lock', params: { dio: 'd2' } },
    ],
  },
];
