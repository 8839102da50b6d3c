/** The known answers of page-cache-facts, pinned: verdicts, state counts, and what the library does. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paramsMarkdown } from '../../src/model/params.ts';
import { check } from '../../src/check/check.ts';
import { always, bool, NONE, sometimes, step } from '../../src/index.ts';
import { tiny } from '../../src/test-util/tiny.ts';
import {
  current, file, filemap_add_folio, filemap_release_folio, folio_lock, folio_unlock, foll, lock_held_page, mm_struct, mmap,
  pin_user_pages, truncate_pagecache_range, try_to_free_buffers, unlock_held_page, unpin_user_page, PRIVATE,
} from '../../src/kernel/index.ts';
import model from './index.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });

describe('page-cache-facts', () => {
  it('every case holds, with exact state counts', () => {
    const counts = Object.fromEntries(['orphan_lock', 'write_short_copy', 'reclaim_locked', 'reclaim_writeback'].map((c) => {
      const r = run(c);
      expect(r.verdict, c).toEqual({ kind: 'ok' });
      return [c, r.stats.states];
    }));
    // GUP and the write's fault-in take mmap_read_lock, a step lockdep sees (89 and 27 when it was elided)
    expect(counts).toEqual({ orphan_lock: 105, write_short_copy: 29, reclaim_locked: 16, reclaim_writeback: 23 });
  });

  it('docs/models.md lists the cases as the model documents them', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../docs/models.md'), 'utf8');
    expect(/<!-- params: page-cache-facts -->\n([\s\S]*?)\n<!-- \/params -->/.exec(readme)?.[1]).toBe(paramsMarkdown(model.params));
  });

  it('the holder of an orphan waits for the truncating task, and then locks the removed folio', () => {
    const r = run('orphan_lock', 'the holder locks the page truncation removed');
    expect(r.witnesses?.has('the holder locks the page truncation removed')).toBe(true);
  });
});

describe('the removed folio is a folio of its own', () => {
  it('a folio created in the same slot has its own lock: the orphan\'s holder does not wait for it', () => {
    const m = tiny('orphan-vs-new-folio', (sys) => {
      const A = file(sys, 'A'), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte: 'rw' }), f = A.folios[0]!, pin = foll('pin+write');
      const holder = sys.task('holder', (self) => {
        const cur = current(self);
        return [pin_user_pages(cur, vma, f, 'write'), step('wait for the new folio', { when: (s) => f.lock.holder(s) !== NONE && s.test(f.cached) && s.get(f.orphans) !== 0 }),
          lock_held_page(f, cur), unlock_held_page(f, cur), unpin_user_page(f, cur, pin)];
      });
      // truncation, then a new folio in the slot, held locked until the holder is done
      sys.task('truncate', (self) => {
        const cur = current(self);
        return [step('after the pin', { when: (s) => s.get(f.pins) !== 0 }), truncate_pagecache_range(cur, A), filemap_add_folio(f), folio_lock(f, cur), step('until the holder is done', { when: (s) => s.done(holder) }), folio_unlock(f, cur)];
      });
      return [];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });
});

describe('filemap_release_folio (mm/filemap.c) with try_to_free_buffers (fs/buffer.c)', () => {
  const release = (init: Parameters<typeof file>[2] extends infer O ? O extends { init?: infer I } ? I : never : never, writeback = false) => {
    let out = { released: false, private: -1, dirty: true };
    const m = tiny('release', (sys) => {
      const A = file(sys, 'A', { init }), f = A.folios[0]!, released = sys.var('released', bool());
      const t = sys.task('t', (self) => [folio_lock(f, self), writeback ? step('under writeback', { then: (s) => s.set(f.writeback, self.id) }) : [],
        filemap_release_folio(f, self, released), step('look', { then: (s) => { out = { released: s.test(released), private: s.get(f.private), dirty: s.test(f.dirty) }; return s; } })]);
      return [always('ran', () => true), sometimes('done', (s) => s.done(t))];
    });
    check(m);
    return out;
  };
  it('clean buffers are freed', () => expect(release({ private: 'clean' })).toEqual({ released: true, private: PRIVATE.none, dirty: false }));
  it('dirty buffers are busy: the folio keeps them', () => expect(release({ private: 'dirty' })).toEqual({ released: false, private: PRIVATE.dirty, dirty: false }));
  it('a dirty folio has dirty buffers (block_dirty_folio): busy', () => expect(release({ private: 'clean', dirty: true })).toEqual({ released: false, private: PRIVATE.clean, dirty: true }));
  it('under writeback: refused before ->release_folio', () => expect(release({ private: 'clean' }, true)).toEqual({ released: false, private: PRIVATE.clean, dirty: false }));
  it('nothing attached: nothing to release', () => expect(release({ private: 'none', dirty: true })).toEqual({ released: true, private: PRIVATE.none, dirty: true }));
  it('try_to_free_buffers cites its source', () => expect(try_to_free_buffers.fn).toBe('fs/buffer.c: try_to_free_buffers'));
});
