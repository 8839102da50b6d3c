/**
 * Step coverage of Kent's scheme (S-13, S-14): which of bch2_direct_write's page-cache
 * invalidations the rows run. Both invalidations (bch2_direct_write's first, and
 * bch2_dio_write_loop's second after fdm_dropped_locks()) run in the frame
 * bch2_write_invalidate_inode_pages_range with the same labels: coverage numbers them (#1, #2)
 * and these tests name each by its number, so an excuse written for the second cannot hide the
 * first (a `mayBeUnreached` key that also names a step that fires is itself a coverage failure).
 */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.ts';
import { keyErrors, stepNames } from '../src/check/coverage.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import dioMmap from './dio-mmap/index.ts';

type Params = Record<string, string | number | boolean>;
const S13: Params = { fault_lock: 'pagecache_kent' };
const S14: Params = { fault_lock: 'pagecache_kent', tasks: 1, files: 1, buffer: 'same' };
const AT = 'bch2_direct_write > bch2_write_invalidate_inode_pages_range > ';
/** Invalidation n's own steps (folio_lock/folio_unlock: the invalidate_inode_pages2_range ones, #2 and #4 per invalidation). */
const INVALIDATION = (task: string, x: string, n: 1 | 2): string[] =>
  [`writeback_iter(${x})#${n}`, `invalidate_inode_pages2_range(${x})#${n}`, `invalidate_complete_folio2(${x})#${n}`, `folio_lock(${x})#${2 * n}`, `folio_unlock(${x})#${4 * n}`].map((l) => `${task}: ${AT}${l}`);
/** The write of a dirty folio in invalidation n. */
const WRITE = (task: string, x: string, n: 1 | 2): string[] =>
  [`folio_mkclean(${x})#${n}`, `folio_clear_dirty_for_io(${x})#${n}`, `folio_start_writeback(${x}): submit#${n}`].map((l) => `${task}: ${AT}${l}`);

/** Per step name, whether it fired; every name must be a step of the configuration. */
function coverage(params: Params, names: readonly string[]): { report: ReturnType<typeof check>; fired: Record<string, boolean> } {
  const report = check(dioMmap, { params });
  const inst = instantiate(dioMmap, resolveParams(dioMmap, params)), all = new Set(stepNames(inst));
  expect(names.filter((n) => !all.has(n))).toEqual([]);
  expect(keyErrors(inst, report.unreachedSteps)).toEqual([]);
  const unreached = new Set((report.unreachedSteps ?? []).map((s) => s.name));
  return { report, fired: Object.fromEntries(names.map((n) => [n, !unreached.has(n)])) };
}
const each = (names: readonly string[], fired: boolean): Record<string, boolean> => Object.fromEntries(names.map((n) => [n, fired]));

describe("step coverage of Kent's scheme", () => {
  it('S-13: each DIO invalidates the folio the other faulted in; only dio0, the lowest address, never re-invalidates', () => {
    const names = [...INVALIDATION('dio0', 'A', 1), ...INVALIDATION('dio0', 'A', 2), ...INVALIDATION('dio1', 'B', 1), ...INVALIDATION('dio1', 'B', 2), ...WRITE('dio0', 'A', 1), ...WRITE('dio0', 'A', 2), ...WRITE('dio1', 'B', 1), ...WRITE('dio1', 'B', 2)];
    const { report, fired } = coverage(S13, names);
    expect(report.verdict).toEqual({ kind: 'ok' });
    expect(fired).toEqual({
      // bch2_direct_write's invalidation fires (dio1's fault put A in the page cache); the one after dropped locks does not
      ...each(INVALIDATION('dio0', 'A', 1), true), ...each(INVALIDATION('dio0', 'A', 2), false),
      // dio1 drops B's block lock (A is below B) and re-invalidates the B that dio0 faulted in meanwhile
      ...each(INVALIDATION('dio1', 'B', 1), true), ...each(INVALIDATION('dio1', 'B', 2), true),
      // nothing dirties a folio: the write of a dirty one never runs
      ...each([...WRITE('dio0', 'A', 1), ...WRITE('dio0', 'A', 2), ...WRITE('dio1', 'B', 1), ...WRITE('dio1', 'B', 2)], false),
    });
    // 60 before VM_FAULT_RETRY; 74 with filemap_fault's 7 release positions, none firing while bio_iov_iter_get_pages had no FOLL_UNLOCKABLE.
    // 75 as pin_user_pages_fast (GUP-fast, then the slow path with FOLL_UNLOCKABLE): page_not_uptodate's release, the read after it and its
    // folio_unlock now fire for each DIO (-6); each DIO's try_grab_folio_fast and GUP-fast re-check never do (+4: the buffer's PTE is
    // absent at the start of every pass); dio1's fault reaches filemap_fault only on a first attempt, so its finish_fault, the folio_unlock
    // after it and the read that keeps mmap_lock never fire (+3) (models/dio-mmap/reasons.ts)
    expect(report.unreachedSteps!.length).toBe(75);
    expect(report.unreachedSteps!.filter((s) => s.reason === undefined || /not yet audited/.test(s.reason))).toEqual([]);
  });

  it('S-14: A is never cached, so no invalidation runs; cached=true runs the first, and the fault on the DIO\'s own mapping still gets -EFAULT', () => {
    const names = [...INVALIDATION('dio0', 'A', 1), ...INVALIDATION('dio0', 'A', 2)];
    const uncached = coverage(S14, names);
    expect(uncached.fired).toEqual(each(names, false));
    // 48 before VM_FAULT_RETRY, 55 with the 7 new positions of filemap_fault, which the SIGBUS skips; 58 as pin_user_pages_fast:
    // try_grab_folio_fast and the re-check (the buffer's PTE is always absent) and the re-lock after VM_FAULT_RETRY (never returned)
    expect(uncached.report.unreachedSteps!.length).toBe(58);
    expect(uncached.report.unreachedSteps!.filter((s) => s.reason === undefined || /not yet audited/.test(s.reason))).toEqual([]);

    // the folio cached and mapped read-only: bch2_direct_write writes back and invalidates it (unmapping the buffer), GUP faults, SIGBUS
    const cached = coverage({ ...S14, cached: true }, names);
    expect(cached.fired).toEqual({ ...each(INVALIDATION('dio0', 'A', 1), true), ...each(INVALIDATION('dio0', 'A', 2), false) });
    expect(cached.report.verdict).toEqual({ kind: 'ok' });
    expect(cached.report.stats.states).toBe(20);   // 19 before pin_user_pages_fast: + the GUP-fast PTE read (absent: the invalidation zapped it)
    expect(cached.report.unreachedSteps!.filter((s) => s.reason === undefined)).toEqual([]);
  });

  it('the write of a dirty folio under the block lock runs once a buffered write dirties A (its cause in S-13 and S-14 is the absence of a writer)', () => {
    const { report, fired } = coverage({ ...S14, buffered: 'next' }, [...WRITE('dio0', 'A', 1), ...WRITE('dio0', 'A', 2)]);
    expect(report.verdict).toEqual({ kind: 'ok' });
    // 141 before VM_FAULT_RETRY: the buffered writer's fault-in of A (ALLOW_RETRY) releases mmap_lock to read A (page_not_uptodate) and is redone;
    // 149 -> 153 as pin_user_pages_fast: the DIO's GUP-fast PTE read (gup_fast_pte_range) before the slow path (the slow path with FOLL_UNLOCKABLE
    // alone still gives 149: the fault on the DIO's own mapping is a SIGBUS, never a retry)
    expect(report.stats.states).toBe(153);
    expect(fired).toEqual({ ...each(WRITE('dio0', 'A', 1), true), ...each(WRITE('dio0', 'A', 2), false) });
  });
});
