/**
 * dio-mmap with `mm_writer: 'munmap'`: dio0's buffer unmapped while the DIOs run (mm/vma.c:
 * do_vmi_align_munmap). GUP looks the VMA up under mmap_lock (mm/gup.c: gup_vma_lookup) and
 * returns -EFAULT once it is gone; GFS2's prefault (fault_in_iov_iter_readable) faults nothing
 * in and the write ends (fs/gfs2/file.c: gfs2_file_direct_write, `window_size` 0).
 */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.ts';
import { stepNames } from '../src/check/coverage.ts';
import dioMmap from './dio-mmap/index.ts';

type Params = Record<string, string | number | boolean>;
const run = (params: Params, property?: string) => check(dioMmap, { params: { fault_lock: 'invalidate_lock', mm_writer: 'munmap', ...params }, ...(property ? { property } : {}) });
/** The step exists in the configuration and fired in its search. */
const fired = (r: ReturnType<typeof run>, name: string): boolean => stepNames(r.instance).includes(name) && !(r.unreachedSteps ?? []).some((s) => s.name === name);
const GUP = 'dio0: iomap_dio_rw > bio_iov_iter_get_pages > ';

describe('dio-mmap with a munmap of dio0\'s buffer', () => {
  it('iomap DIO (d0): no deadlock; dio0\'s GUP finds the VMA gone in some runs (-EFAULT: nothing pinned, nothing written)', () => {
    const r = run({ dio: 'd0' }, 'deadlock');
    expect([r.verdict.kind, r.stats.states]).toEqual(['ok', 11_266]);
    expect(fired(r, `${GUP}gup_vma_lookup() = NULL: -EFAULT`)).toBe(true);
    expect(fired(r, 'munmap: mmap_write_downgrade')).toBe(true);
    expect(fired(r, 'munmap: unmap_region(buf0)')).toBe(true);
  });

  it('GFS2 (d3): the prefault finds no VMA and the write ends; GUP with FOLL_NOFAULT finds the buffer unmapped', () => {
    const r = run({ dio: 'd3' });
    expect([r.verdict.kind, r.stats.states]).toEqual(['ok', 39_354]);
    expect(r.witnesses.has('a DIO finds its buffer unmapped (FOLL_NOFAULT)')).toBe(true);
    expect(fired(r, 'dio0: lock_mm_and_find_vma: no VMA (bad_area_nosemaphore)')).toBe(true);
  });

  it('under the per-VMA lock: munmap\'s vma_start_write waits for the fault; a fault after it misses the VMA', () => {
    const r = run({ dio: 'd3', fault_ctx: 'vma_lock' }, 'deadlock');
    expect(r.verdict.kind).toBe('ok');
    expect(fired(r, 'munmap: vma_start_write')).toBe(true);
    expect(fired(r, 'dio0: lock_mm_and_find_vma: no VMA (bad_area_nosemaphore)')).toBe(true);
  });

  it('the ring of two (invalidate_lock shared across GUP, a punch hole): no deadlock, as with the mprotect', () => {
    const ring = { dio: 'd1_shared', tasks: 2, files: 2, punch: true };
    const withMunmap = run(ring, 'deadlock'), withMprotect = check(dioMmap, { params: { fault_lock: 'invalidate_lock', mm_writer: 'present', ...ring }, property: 'deadlock' });
    expect([withMunmap.verdict.kind, withMunmap.stats.states]).toEqual(['ok', 54_620]);
    expect([withMprotect.verdict.kind, withMprotect.stats.states]).toEqual(['ok', 35_204]);
  });
});
