/**
 * Step coverage of Kent's scheme (S-13, S-14): which of bch2_direct_write's page-cache
 * invalidations the rows run. `mayBeUnreached` keys name a step by actor and label, and the first
 * invalidation (bch2_direct_write) shares its labels with the second (bch2_dio_write_loop, after
 * fdm_dropped_locks()): these tests count program positions, so an excuse written for the second
 * cannot hide the first.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import dioMmap from './dio-mmap/index.ts';

type Params = Record<string, string | number | boolean>;
const S13: Params = { fault_lock: 'pagecache_kent' };
const S14: Params = { fault_lock: 'pagecache_kent', tasks: 1, files: 1, buffer: 'same' };
const INVALIDATION = (x: string): string[] => [`writeback_iter(${x})`, `invalidate_inode_pages2_range(${x})`, `invalidate_complete_folio2(${x})`];

/** Per `actor: label`, how many program positions carry it, and how many of them never fired. */
function coverage(params: Params, keys: readonly string[]): { report: ReturnType<typeof check>; positions: Record<string, string> } {
  const report = check(dioMmap, { params });
  const inst = instantiate(dioMmap, resolveParams(dioMmap, params));
  const positions: Record<string, string> = {};
  for (const key of keys) {
    const at = key.indexOf(': '), actor = key.slice(0, at), label = key.slice(at + 2);
    const all = inst.actors.find((a) => a.ref.name === actor)!.rests.filter((r) => r.edges.some((e) => e.label === label)).length;
    const unreached = (report.unreachedSteps ?? []).filter((s) => s.actor === actor && s.label === label).length;
    positions[key] = `${unreached} of ${all} unreached`;
  }
  return { report, positions };
}

describe("step coverage of Kent's scheme", () => {
  it('S-13: each DIO invalidates the folio the other faulted in; only dio0, the lowest address, never re-invalidates', () => {
    const { report, positions } = coverage(S13, [...INVALIDATION('A').map((l) => `dio0: ${l}`), ...INVALIDATION('B').map((l) => `dio1: ${l}`), 'dio0: folio_mkclean(A)', 'dio1: folio_mkclean(B)']);
    expect(report.verdict).toEqual({ kind: 'ok' });
    expect(positions).toEqual({
      // bch2_direct_write's invalidation fires (dio1's fault put A in the page cache); the one after dropped locks does not
      'dio0: writeback_iter(A)': '1 of 2 unreached', 'dio0: invalidate_inode_pages2_range(A)': '1 of 2 unreached', 'dio0: invalidate_complete_folio2(A)': '1 of 2 unreached',
      // dio1 drops B's block lock (A is below B) and re-invalidates the B that dio0 faulted in meanwhile
      'dio1: writeback_iter(B)': '0 of 2 unreached', 'dio1: invalidate_inode_pages2_range(B)': '0 of 2 unreached', 'dio1: invalidate_complete_folio2(B)': '0 of 2 unreached',
      // nothing dirties a folio: the write of a dirty one never runs
      'dio0: folio_mkclean(A)': '2 of 2 unreached', 'dio1: folio_mkclean(B)': '2 of 2 unreached',
    });
    expect(report.unreachedSteps!.length).toBe(60);
    expect(report.unreachedSteps!.filter((s) => s.reason === undefined || /not yet audited/.test(s.reason))).toEqual([]);
  });

  it('S-14: A is never cached, so no invalidation runs; cached=true runs the first, and the fault on the DIO\'s own mapping still gets -EFAULT', () => {
    const labels = INVALIDATION('A').map((l) => `dio0: ${l}`);
    const uncached = coverage(S14, labels);
    expect(uncached.positions).toEqual(Object.fromEntries(labels.map((k) => [k, '2 of 2 unreached'])));
    expect(uncached.report.unreachedSteps!.length).toBe(48);
    expect(uncached.report.unreachedSteps!.filter((s) => s.reason === undefined || /not yet audited/.test(s.reason))).toEqual([]);

    // the folio cached and mapped read-only: bch2_direct_write writes back and invalidates it (unmapping the buffer), GUP faults, SIGBUS
    const cached = coverage({ ...S14, cached: true }, labels);
    expect(cached.positions).toEqual(Object.fromEntries(labels.map((k) => [k, '1 of 2 unreached'])));
    expect(cached.report.verdict).toEqual({ kind: 'ok' });
    expect(cached.report.stats.states).toBe(19);
    expect(cached.report.unreachedSteps!.filter((s) => s.reason === undefined)).toEqual([]);
  });

  it('the write of a dirty folio under the block lock runs once a buffered write dirties A (its cause in S-13 and S-14 is the absence of a writer)', () => {
    const { report, positions } = coverage({ ...S14, buffered: 'next' }, ['dio0: folio_mkclean(A)', 'dio0: folio_clear_dirty_for_io(A)', 'dio0: folio_start_writeback(A): submit']);
    expect(report.verdict).toEqual({ kind: 'ok' });
    expect(report.stats.states).toBe(141);
    expect(positions).toEqual({ 'dio0: folio_mkclean(A)': '1 of 2 unreached', 'dio0: folio_clear_dirty_for_io(A)': '1 of 2 unreached', 'dio0: folio_start_writeback(A): submit': '1 of 2 unreached' });
  });
});
