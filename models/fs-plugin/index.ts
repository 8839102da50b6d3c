/**
 * A library a filesystem plugs into, with known answers: a model's own filesystem record (an
 * ext4 whose `->page_mkwrite` takes a journal handle) composed into the kernel's fault and
 * writeback paths, the shipped xfs and gfs2 records, and two page-cache facts — a folio
 * re-created in its slot is another folio (`do_page_mkwrite`'s `folio->mapping` test), and ext4
 * writeback leaves a folio without buffers writable (`mpage_prepare_extent_to_map`). Each case's
 * source is quoted in cases.ts.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { LOCK_ORDER } from '../../src/kernel/index.ts';
import { cases } from './cases.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';

export type Params = ParamValues<typeof params>;

export default defineModel({
  name: 'fs-plugin',
  doc: 'filesystem records plugged into faults and writeback: ext4 with a handle, xfs, gfs2, folio identity, ext4 without buffers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: ['ext4_handle_inverted', 'gfs2_dio_fault'].includes(p.case) ? 'violated' : 'holds',
    ...(['ext4_handle', 'ext4_handle_inverted', 'xfs_truncate'].includes(p.case) ? { 'a writable PTE maps a folio truncation removed': 'holds' } : {}),
    ...(p.case === 'xfs_truncate' ? { [LOCK_ORDER]: 'holds', 'the write fault backs off: its folio was truncated': 'holds' } : {}),
    ...(p.case === 'folio_identity' ? { 'a PTE maps a folio that is not uptodate': 'holds', 'the fault holds a truncated folio while a new one fills its slot': 'holds', '->page_mkwrite locks the removed folio while the new one is locked': 'holds' } : {}),
    ...(p.case === 'folio_identity_slot_only' ? { 'a PTE maps a folio that is not uptodate': 'violated' } : {}),
    ...(p.case.startsWith('mpage_no_buffers') ? { 'writeback leaves the folio clean and its PTE writable': p.case === 'mpage_no_buffers' ? 'violated' : 'holds' } : {}),
  }),
  mayBeUnreached,
  setup: (p, sys) => cases[p.case](sys),
});
