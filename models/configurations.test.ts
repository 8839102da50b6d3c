/** The configurations the families express now, each with its verdict pinned and the step that makes it. */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.ts';
import gup from './gup-writeback/index.ts';
import dioMmap from './dio-mmap/index.ts';
import { scenarios } from './scenarios.ts';
import { transition, type Model, type Transition, type Var } from '../src/index.ts';
import { PTE } from '../src/kernel/mm.ts';

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
    expect(r.stats.states).toBe(273);   // 267 before the DIO tried GUP-fast first (pin_user_pages_fast); 255 before the competitor's fault-in released mmap_lock for its read (VM_FAULT_RETRY); 231 before the DIO's GUP took mmap_read_lock as a step
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

  it("W-b, the data loss S-2's and S-5's fixes close: reclaim frees a pinned clean folio's buffers, the unpin dirties it, the next pass drops it (P4)", () => {
    // In the rows themselves (one writeback pass, no reclaim) P4 holds with or without a fix: no
    // path drops a write there. The ext4 report (https://lore.kernel.org/all/20180103100430.GE4911@quack2.suse.cz/):
    // try_to_free_buffers on the clean pinned folio, set_page_dirty at unpin, then
    // mpage_prepare_extent_to_map finds no buffers and cleans the folio unwritten.
    const base = { pin_flags: 'pin+longterm+write', reclaim: true, fix_reclaim_skip_pinned: false, passes: 2, user: false } as const;
    const r = check(gup, { params: base, property: 'P4' });
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'P4 a committed write was dropped' });
    const s = steps(r);
    expect(s.length).toBe(28);
    expect(s.at(-1)).toBe('writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)');
    expect(s.indexOf('reclaim: filemap_release_folio(A)')).toBeGreaterThan(s.indexOf('writeback: folio_clear_dirty_for_io(A)'));
    expect(s.indexOf('pinner: folio_mark_dirty(A)')).toBeGreaterThan(s.indexOf('reclaim: filemap_release_folio(A)'));
    // check_vma_flags() refuses the pin (S-2's fix); W1-ok keeps the pinned folio dirty, so try_to_free_buffers fails on it (S-5's)
    for (const [fix, states] of [[{ fix_longterm_refuse: true }, 96], [{ wb: 'w1_ok' }, 822]] as const) {
      const fixed = check(gup, { params: { ...base, ...fix }, property: 'P4' });
      expect(fixed.verdict).toEqual({ kind: 'ok' });
      expect(fixed.stats.states).toBe(states);
    }
  });

  it('the rows that hold still race: folio_mkclean runs while the pin is held, and a user store it write-protected faults into ->page_mkwrite again', () => {
    // Step coverage cannot see these windows: the second fault fires the steps the first one did, and
    // folio_mkclean fires pinned or not. A transition that forbids the window is violated iff it is reached.
    const reaches = (row: string, name: string, pred: (t: Transition, field: (name: string) => Var) => boolean) => {
      const params = scenarios.find((s) => s.id === row)!.params as Record<string, string | boolean>;
      return check({
        ...gup,
        setup(p, sys) {
          const props = gup.setup(p as never, sys) ?? [], fields = sys.declarations().fields;
          const field = (n: string) => fields.find((f) => f.name === n) as Var;
          return [...props, transition(name, (t) => !pred(t, field))];
        },
      } as Model, { params, property: name });
    };
    for (const row of ['S-2', 'S-3b', 'S-5', 'S-6']) {
      // the store's retry after folio_mkclean (mm/rmap.c) is do_wp_page → wp_page_shared → ->page_mkwrite again
      const r = reaches(row, 'a store finds its PTE write-protected', (t, field) =>
        t.step.actor.name === 'user' && t.step.label === 'store(A)' && t.before.get(field('vma.pte')) !== PTE.rw);
      expect(r.verdict, row).toMatchObject({ kind: 'safety' });
      const s = steps(r);
      expect(s.at(-1), row).toBe('user: store(A)');
      expect(s.indexOf('writeback: folio_mkclean(A)'), row).toBeGreaterThan(s.indexOf('user: wp_page_reuse: PTE RW-dirty'));
      // S-2's pin is refused (its witness); in the others writeback write-protects the folio under the pin
      const m = reaches(row, 'folio_mkclean of a pinned folio', (t, field) => t.step.label === 'folio_mkclean(A)' && t.before.get(field('A.pins')) !== 0);
      expect(m.verdict, row).toMatchObject({ kind: row === 'S-2' ? 'ok' : 'safety' });
    }
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
