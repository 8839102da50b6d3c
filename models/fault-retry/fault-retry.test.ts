/** The known answers of fault-retry, pinned: verdicts, state counts, and the steps that decide them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paramsMarkdown } from '../../src/model/params.ts';
import { check } from '../../src/check/check.ts';
import { tiny } from '../../src/test-util/tiny.ts';
import { current, file, folio_lock, folio_unlock, mm_struct, mmap, mmap_write_lock, mmap_write_unlock, user_fault } from '../../src/kernel/index.ts';
import { step } from '../../src/index.ts';
import model from './index.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`) ?? [];

describe('fault-retry', () => {
  it('every case has the kernel\'s verdict, with exact state counts', () => {
    const got = Object.fromEntries(model.params.case.values.map((c) => { const r = run(c); return [c, [r.verdict.kind, r.stats.states]]; }));
    // before lock_folio_maybe_drop_mmap, munmap_* and gup_fast_fallback deadlocked (17, 27, 29 states); before the holder's
    // munmap removed the VMA (mm/vma.c: do_vmi_align_munmap, downgrading mmap_lock), the retry mapped A again (39, 74, 64; 23)
    expect(got).toEqual({
      munmap_mmap_lock: ['ok', 49], munmap_vma_lock: ['ok', 96], gup_fast_fallback: ['ok', 72], pin_user_pages: ['deadlock', 24],
      tried_mmap_lock: ['deadlock', 81], tried_vma_lock: ['ok', 102], invalidate_lock: ['deadlock', 31], pagecache_add_lock: ['deadlock', 25],
      kernel_mode_fault: ['deadlock', 13],
    });
  });

  it('a kernel-mode fault (a write\'s prefault of its source) takes mmap_lock, not the per-VMA lock: AB-BA with inode_lock', () => {
    // before: it took the source VMA's lock, and the run was ok (69 states)
    const r = run('kernel_mode_fault');
    expect(r.verdict).toMatchObject({ kind: 'deadlock' });
    expect(steps(r)).toEqual(['write: inode_lock(A)', 'mmap: mmap_write_lock', 'mmap: inode_lock(A)']);
    expect(r.verdict.kind === 'deadlock' && r.verdict.cycle?.links.map((l) => l.resource)).toEqual(['&mm->mmap_lock', '&inode->i_rwsem[A]']);
  });

  it('the fault releases its lock before it sleeps on the folio, and is redone: after a munmap it finds no VMA', () => {
    for (const c of ['munmap_mmap_lock', 'munmap_vma_lock', 'gup_fast_fallback', 'tried_vma_lock']) {
      const r = run(c);
      const redone = c === 'tried_vma_lock' ? 'the fault, redone under mmap_lock, maps the folio' : 'the retry finds the VMA unmapped';
      expect([...r.witnesses.keys()].sort(), c).toEqual(['the fault sleeps on the folio lock without its fault lock', redone]);
    }
  });

  it('a fault or GUP retried after the munmap finds no VMA, and never maps the folio again', () => {
    // before munmap removed the VMA, the retry mapped A again (the fault, redone under mmap_lock, maps the folio)
    for (const [c, who] of [['munmap_mmap_lock', 'fault'], ['gup_fast_fallback', 'gup']] as const) {
      const r = run(c, 'the retry finds the VMA unmapped'), path = r.witnesses.get('the retry finds the VMA unmapped') ?? [];
      const s = path.map((e) => `${r.instance.actors[r.instance.edges[e]!.actor]!.ref.name}: ${r.instance.edges[e]!.label}`);
      expect(r.verdict.kind, c).toBe('ok');
      // it rests at the miss, having re-taken mmap_lock
      expect(s.slice(-1), c).toEqual([`${who}: mmap_read_lock`]);
      // the holder's whole munmap ran between the release and the retry
      expect(s.indexOf(`${who}: lock_folio_maybe_drop_mmap(A): release_fault_lock`), c).toBeLessThan(s.indexOf('holder: vms_gather_munmap_vmas(vma): detach'));
      expect(s, c).toContain('holder: mmap_write_downgrade');
    }
  });

  // the holder (actor 0) waits for mmap_lock, which the faulting actor (1) holds while it waits for folio A
  const cycle = { links: [{ actor: 0, resource: '&mm->mmap_lock', heldBy: 1 }, { actor: 1, resource: 'folio A', heldBy: 0 }] };

  it('without FOLL_UNLOCKABLE the fault sleeps on the folio holding mmap_lock', () => {
    const r = run('pin_user_pages');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', cycle });
    expect(steps(r).sort()).toEqual(['gup: filemap_map_pages(A)', 'gup: follow_page_pte(A)', 'gup: mmap_read_lock', 'holder: folio_lock(A)', 'holder: mmap_write_lock']);
  });

  it('the TRIED retry sleeps holding mmap_lock: the deadlock passes through one release and one retry', () => {
    const r = run('tried_mmap_lock'), s = steps(r);
    expect(r.verdict).toMatchObject({ kind: 'deadlock', cycle });
    expect(s.filter((x) => x === 'fault: lock_folio_maybe_drop_mmap(A): release_fault_lock')).toHaveLength(1);
    expect(s.filter((x) => x === 'fault: mmap_read_lock')).toHaveLength(2);
  });

  it('filemap_fault keeps invalidate_lock while it sleeps on the folio: only the fault lock is released', () => {
    const s = steps(run('invalidate_lock'));
    expect(s).toContain('fault: lock_folio_maybe_drop_mmap(A): release_fault_lock');
    expect(s).toContain('fault: filemap_invalidate_lock_shared(A)');
    expect(s).not.toContain('fault: filemap_invalidate_unlock_shared(A)');
  });

  it('bch2_page_fault keeps the pagecache add lock while filemap_fault sleeps on the folio', () => {
    const r = run('pagecache_add_lock'), s = steps(r);
    expect(s).toContain('fault: lock_folio_maybe_drop_mmap(A): release_fault_lock');
    expect(s).toContain('fault: bch2_pagecache_add_get(A)');
    expect(s).not.toContain('fault: bch2_pagecache_add_put(A)');
  });

  it('under the per-VMA lock, a third round of the holder catches the third (TRIED) attempt', () => {
    const m = (rounds: number) => tiny('tried-vma', (sys) => {
      const A = file(sys, 'A'), mm = mm_struct(sys, 'mm', { writer: true }), vma = mmap(sys, mm, A, { name: 'vma', vm_lock: true }), f = A.folios[0]!;
      sys.task('holder', (self) => Array.from({ length: rounds }, () => [folio_lock(f, self), mmap_write_lock(mm, self), step('mmap_region(new)'), mmap_write_unlock(mm, self), folio_unlock(f, self)]));
      sys.task('fault', (self) => user_fault(current(self), vma, f, { write: false }));
    });
    expect(check(m(2)).verdict.kind).toBe('ok');
    const three = check(m(3));
    expect(three.verdict.kind).toBe('deadlock');
    expect(three.trace?.steps.filter((x) => x.actor.name === 'fault' && x.label.startsWith('lock_folio_maybe_drop_mmap(A)')).map((x) => x.label))
      .toEqual(['lock_folio_maybe_drop_mmap(A): release_fault_lock', 'lock_folio_maybe_drop_mmap(A): release_fault_lock']);
  });

  it('docs/models.md lists the cases as the model documents them', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../docs/models.md'), 'utf8');
    expect(/<!-- params: fault-retry -->\n([\s\S]*?)\n<!-- \/params -->/.exec(readme)?.[1]).toBe(paramsMarkdown(model.params));
  });
});
