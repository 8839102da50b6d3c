/** The switches of the DIO-into-an-mmap family; every value carries the doc `kmc list`, the matrix and docs/models.md print. */
import { param } from '../../src/index.ts';

export const params = {
  fault_lock: param.enum({ doc: 'what ->fault takes on a folio not in the page cache', default: 'pagecache_kent', values: {
    none: 'filemap_fault < 5.15: before invalidate_lock existed, no lock',
    invalidate_lock: 'filemap_fault: invalidate_lock shared',
    pagecache_nofdm: 'no fdm: bch2_page_fault without faults_disabled_mapping',
    pagecache_naive_fdm: 'same-mapping fdm only: SIGBUS on the DIO\'s own mapping, no ordering',
    pagecache_kent: 'ordered trylock and drop: bch2_page_fault',
  } }),
  dio: param.enum({ doc: 'the DIO write path', default: 'd2', values: {
    d0: 'iomap DIO (mainline): no fault-path lock held across GUP',
    d1_excl: 'invalidate_lock excl. across GUP: the VFS analogue of bcachefs',
    d1_shared: 'invalidate_lock shared across GUP: the same, shared',
    d2: 'bcachefs block lock across GUP: bch2_direct_write',
    d3: 'GFS2 prefault, FOLL_NOFAULT, retry: b01b2d72da25',
  } }),
  tasks: param.int({ min: 1, max: 4, default: 2, doc: 'DIO tasks' }),
  files: param.int({ min: 1, max: 4, default: 2, doc: 'files (task t writes file t mod files)' }),
  folios: param.int({ min: 1, max: 2, default: 1, doc: 'folios per file; with 2 each DIO writes folio 0 and its buffer maps folio 1' }),
  buffer: param.enum({ doc: 'what the DIO buffer maps', default: 'next', values: {
    same: 'the buffer is an mmap of the file written',
    next: 'the buffer is an mmap of the next file',
  } }),
  cached: param.bool({ default: false, doc: 'the folios start cached and mapped' }),
  mm_writer: param.enum({ doc: 'an mmap_lock writer in the same mm', default: 'absent', values: {
    absent: 'no mmap_lock writer',
    present: "an mprotect of dio0's buffer takes mmap_lock for write",
    munmap: "a munmap of dio0's buffer: mmap_lock for write, downgraded; later GUPs and faults on it fail",
  } }),
  fault_ctx: param.enum({ doc: 'the lock user faults run under', default: 'mmap_lock', values: {
    mmap_lock: 'user faults under mmap_lock',
    vma_lock: 'user faults under the per-VMA lock (falling back to mmap_lock)',
  } }),
  punch: param.bool({ default: false, doc: 'a punch hole on file 0' }),
  buffered: param.enum({ doc: 'a buffered write to file 0', default: 'none', values: {
    none: 'no buffered write',
    same: 'a buffered write to file 0 from an mmap of file 0',
    next: 'a buffered write to file 0 from an mmap of file 1',
  } }),
  competitor: param.bool({ default: false, doc: 'an unbounded competitor: buffered writes to file 0, forever' }),
};
