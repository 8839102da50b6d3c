/**
 * The known-answer cases of fs-plugin, one named record each: the actors they declare and the
 * properties they add (see each builder's doc for the kernel source it follows). Every
 * filesystem path is composed from exported library pieces (`filesystem`, `block_page_mkwrite`,
 * `user_fault`, `xfs_ilock`, the gfs2 glock, …), as a filesystem developer outside this
 * repository would write it.
 */
import type { Params } from './index.ts';
import type { Case } from './shared.ts';
import { ext4Handle } from './ext4-handle.ts';
import { xfsTruncate } from './xfs.ts';
import { folioIdentity, mpageNoBuffers } from './page-cache.ts';
import { gfs2Dio } from './gfs2.ts';

export const cases: Readonly<Record<Params['case'], Case>> = {
  ext4_handle: ext4Handle(false),
  ext4_handle_inverted: ext4Handle(true),
  xfs_truncate: xfsTruncate,
  folio_identity: folioIdentity(false),
  folio_identity_slot_only: folioIdentity(true),
  mpage_no_buffers: mpageNoBuffers(false),
  mpage_no_buffers_generic: mpageNoBuffers(true),
  gfs2_dio_fault: gfs2Dio(false),
  gfs2_dio_nofault: gfs2Dio(true),
};
