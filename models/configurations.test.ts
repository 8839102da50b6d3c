/** The configurations the families express now, each with its verdict pinned and the step that makes it. */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.ts';
import gup from './gup-writeback/index.ts';
import dioMmap from './dio-mmap/index.ts';

const steps = (r: ReturnType<typeof check>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`) ?? [];

describe('configurations', () => {
  it("a DIO whose range does not cover its buffer's folio: invalidation leaves the buffer mapped, and no AA", () => {
    const base = { dio: 'd1_excl', fault_lock: 'invalidate_lock', tasks: 1, files: 1, buffer: 'same', cached: true } as const;
    // one folio: the DIO invalidates its own buffer, then faults on it under its own invalidate_lock
    expect(check(dioMmap, { params: { ...base, folios: 1 }, property: 'deadlock' }).verdict).toMatchObject({ kind: 'deadlock' });
    // two folios: the DIO writes folio 0, its buffer maps folio 1, which stays cached and mapped:
    // GUP never faults (the racy window is unreached, and says why there is no deadlock)
    const r = check(dioMmap, { params: { ...base, folios: 2 }, property: 'deadlock' });
    expect(r.verdict).toEqual({ kind: 'unreached', property: 'a DIO faults on its buffer while its write is in flight' });
    expect(check(dioMmap, { params: { ...base, folios: 2 }, deadlock: true }).verdict).toEqual({ kind: 'unreached', property: 'a DIO faults on its buffer while its write is in flight' });
  });

  it('an unbounded competitor does not starve the DIO: i_rwsem hands off to the queued DIO (a per-task progress property)', () => {
    // The competitor re-queues on i_rwsem forever; the DIO, queued there too, is handed the lock
    // (kernel/locking/rwsem.c: RWSEM_FLAG_HANDOFF, rwsem_try_write_lock), so it completes.
    const r = check(dioMmap, { params: { tasks: 1, files: 1, buffer: 'same', competitor: true }, property: 'dio0' });
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(267);   // 255 before the competitor's fault-in released mmap_lock for its read (VM_FAULT_RETRY); 231 before the DIO's GUP took mmap_read_lock as a step
    expect(check(dioMmap, { params: { tasks: 1, files: 1, buffer: 'same', competitor: true }, property: 'deadlock' }).verdict).toEqual({ kind: 'ok' });
  });

  it("truncate in GUP vs writeback: the pinned page is orphaned, written, and unpinned dirty into no file (P4)", () => {
    const r = check(gup, { params: { truncate: 'punch', user: false }, property: 'P4' });
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'P4 a committed write was dropped' });
    const s = steps(r);
    expect(s.at(-1)).toBe('pinner: folio_mark_dirty(A)');   // of the orphan: committed to no file
    expect(r.trace!.states.at(-1)!.get('A.orphan_committed')).toBe(true);
    expect(s).toContain('punch: truncate_inode_folio(A)');
    expect(s.indexOf('punch: truncate_inode_folio(A)')).toBeLessThan(s.indexOf('pinner: kwrite(A)'));
  });

  it('GUP-fast only: no fallback, so the pin exists only if the PTE is already writable', () => {
    const r = check(gup, { params: { gup_path: 'fast_only' }, property: 'P1' });
    expect(r.verdict).toMatchObject({ kind: 'safety' });
    const s = steps(r);
    expect(s.filter((x) => x.startsWith('pinner:'))).toEqual(['pinner: gup_fast_pte_range: read PTE', 'pinner: try_grab_folio_fast', 'pinner: gup_fast: re-check PTE', 'pinner: kwrite(A)']);
    expect(check(gup, { params: { gup_path: 'fast_only', user: false }, property: 'P1' }).verdict).toMatchObject({ kind: 'unreached' });
  });

  it('a fault under the per-VMA lock racing an mmap_lock writer falls back to mmap_lock', () => {
    const r = check(gup, { params: { mm_writer: 'present', fault_ctx: 'vma_lock' }, property: 'a user fault falls back to mmap_lock (the VMA is write-locked)' });
    expect(r.witnesses.get('a user fault falls back to mmap_lock (the VMA is write-locked)')?.length).toBe(3);
  });
});
