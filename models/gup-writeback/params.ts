/** The switches of the GUP-vs-writeback family; every value carries the doc `kmc list`, the matrix and docs/models.md print. */
import { param } from '../../src/index.ts';

export const params = {
  fs: param.enum({ doc: 'filesystem semantics of writeback', default: 'ext4', values: {
    ext4: 'ext4: writeback drops a dirty folio without buffers (W-b), with WARNs',
    bcachefs: 'bcachefs (checksummed writes bounce): a folio without dirty sectors is not written',
  } }),
  pin_flags: param.enum({ doc: 'GUP flags of the pin holder', default: 'pin+write', values: {
    'pin+write': 'FOLL_PIN|FOLL_WRITE',
    'pin+longterm+write': 'FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE (RDMA)',
    'get+write': 'FOLL_GET|FOLL_WRITE',
    pin: 'FOLL_PIN (read-only)',
    'pin+longterm': 'FOLL_PIN|FOLL_LONGTERM (read-only)',
    get: 'FOLL_GET (read-only)',
  } }),
  pin_lifetime: param.enum({ doc: 'when the pin is released', default: 'short', values: {
    short: 'short-term pin: released, fairly',
    long: 'long-term pin: the application may never deregister',
  } }),
  gup_path: param.enum({ doc: 'how GUP walks the page table', default: 'slow', values: {
    slow: 'GUP slow path: __get_user_pages',
    fast: 'GUP-fast: falling back to the slow path',
    fast_only: 'GUP-fast only: FOLL_FAST_ONLY, no fallback to the slow path',
  } }),
  wb: param.enum({ doc: 'writeback scheme for pinned folios', default: 'w0', values: {
    w0: 'mainline W0: no pin checks',
    w1_ok: 'W1-ok: wait for pins after folio_mkclean',
    w1_bad: 'W1-bad: wait for pins before folio_mkclean',
    w2: 'W2: skip pinned folios (WB_SYNC_NONE), bounce them (WB_SYNC_ALL)',
  } }),
  wb_sync: param.enum({ doc: 'writeback mode', default: 'none', values: {
    none: 'WB_SYNC_NONE (background writeback)',
    all: 'WB_SYNC_ALL (fsync)',
  } }),
  passes: param.int({ min: 1, max: 2, default: 1, doc: 'writeback passes' }),
  dev_mode: param.enum({ doc: 'how the device holds the page', default: 'pin', values: {
    pin: 'pinned: the CPU or the device writes through a GUP pin',
    odp: 'ODP device: no pin, MMU notifier; writes need a writable PTE',
    revocable: 'revocable pin: writeback asks the device to drop it',
  } }),
  gup_bounce: param.enum({ doc: 'long-term GUP hands out a private copy, copied back at unpin', default: 'off', values: {
    off: 'no bounce: GUP hands out the folio',
    whole_page: 'bounce at GUP: the whole page copied back at unpin',
    byte_diff: 'bounce at GUP (bytes): only the changed bytes copied back',
  } }),
  unpin: param.enum({ doc: 'how the pin holder releases the page', default: 'dirty_lock', values: {
    dirty_lock: 'unpin_user_pages_dirty_lock: dirtied under the folio lock',
    raw: 'gup-repro: set_page_dirty without the folio lock',
    dio_read: 'DIO read: bio_set_pages_dirty, then bio_check_pages_dirty',
  } }),
  writes: param.int({ min: 0, max: 2, default: 1, doc: 'writes by the pin holder' }),
  user: param.bool({ default: true, doc: 'a user store through the mapping takes part' }),
  reclaim: param.bool({ default: false, doc: 'vmscan takes part' }),
  truncate: param.enum({ doc: 'truncation racing with the pin', default: 'none', values: {
    none: 'no truncation: the file keeps its size',
    punch: 'punch hole: ext4_punch_hole over the pinned folio',
  } }),
  stable_writes: param.bool({ default: true, doc: 'the mapping has stable writes (checksums/DIF)' }),
  fix_longterm_refuse: param.bool({ default: false, doc: 'refuse FOLL_LONGTERM|FOLL_WRITE pins of dirty-tracked file mappings' }),
  fix_reclaim_skip_pinned: param.bool({ default: true, doc: 'vmscan keeps fs-private data of pinned folios' }),
  fault_ctx: param.enum({ doc: 'the lock user faults run under', default: 'mmap_lock', values: {
    mmap_lock: 'mmap_lock: user faults under mmap_lock',
    vma_lock: 'per-VMA lock: user faults try it first, falling back to mmap_lock',
  } }),
  mm_writer: param.enum({ doc: 'an mmap_lock writer in the same mm', default: 'absent', values: {
    absent: 'no mmap_lock writer: read acquisitions cannot block',
    present: 'mprotect: an mmap_lock writer',
  } }),
};
