/** The cases of the fs-plugin model; each value's doc says what it shows. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the filesystem and the race', default: 'ext4_handle', values: {
    ext4_handle: "a model's own ext4 record (no delalloc): ->page_mkwrite starts a jbd2-handle stand-in, then locks the folio, vs writepages, a commit and truncate",
    ext4_handle_inverted: 'the same record starting the handle under the folio lock (page lock -> transaction start): AB-BA-CA with writepages and the commit',
    xfs_truncate: 'xfs: a write fault (XFS_MMAPLOCK_SHARED, folio, XFS_ILOCK_EXCL) vs xfs_setattr_size (IOLOCK_EXCL|MMAPLOCK_EXCL, truncate, ILOCK_EXCL)',
    folio_identity: 'ext4: a write fault whose folio is truncated and a new one created in its slot before ->page_mkwrite locks it',
    folio_identity_slot_only: 'the same with a ->page_mkwrite that checks only that the slot is filled, not which folio fills it: a folio not yet read is mapped',
    mpage_no_buffers: 'ext4 writeback of a dirty folio without buffers, mapped writable: folio_clear_dirty without folio_mkclean',
    mpage_no_buffers_generic: 'the same folio through the generic write (write_folio: folio_mkclean first): the PTE is write-protected',
    gfs2_dio_fault: 'gfs2 before 5.16: a DIO (glock LM_ST_DEFERRED) whose buffer maps the same file, faulted in under the glock (gfs2_fault wants LM_ST_SHARED)',
    gfs2_dio_nofault: 'gfs2: the same DIO with page faults disabled under the glock; on -EFAULT the glock dropped, the buffer faulted in, the I/O retried',
  } }),
};
