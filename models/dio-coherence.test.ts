/** P6: DIO / page-cache coherence, per DIO scheme, with the kernel's invalidation semantics. */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.ts';
import model from './dio-coherence/index.ts';

const run = (params: Record<string, string | boolean>, property: string) => check(model, { params, property });

describe('dio-coherence', () => {
  it('generic DIO: coherent with a plain reader (the post-write invalidation drops what it read)', () => {
    const r = run({ dio: 'd0' }, 'P6');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(148);
  });

  it('a GUP reference does not stop invalidation: the folio leaves the cache anyway (invalidate_complete_folio2 ignores the refcount)', () =>
    expect(run({ dio: 'd0', pin: true }, 'P6').verdict).toEqual({ kind: 'ok' }));

  it('a user store dirtying the folio during the DIO defeats the invalidation: stale, but reported', () => {
    const r = run({ dio: 'd0', reader: 'none', store: true }, 'P6');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'P6 stale page cache after the DIO write returned' });
    expect(r.trace?.steps.slice(-5).map((s) => `${s.actor.name}: ${s.label}`)).toEqual([
      'dio: invalidate_complete_folio2(A)', 'dio: folio_unlock(A)', 'dio: dio_warn_stale_pagecache(A)', 'dio: inode_dio_end(A)', 'dio: inode_unlock_shared(A)',
    ]);
    expect(run({ dio: 'd0', reader: 'none', store: true }, 'stale').verdict).toEqual({ kind: 'ok' });
  });

  it('bcachefs: invalidation loops until the folio can go, and the store waits on the add lock', () =>
    expect(run({ dio: 'd2', reader: 'none', store: true }, 'P6').verdict).toEqual({ kind: 'ok' }));

  it('punch hole with a fault reader and a GUP user: no deadlock', () =>
    expect(run({ dio: 'd0', reader: 'fault', pin: true, punch: true }, 'deadlock').verdict).toEqual({ kind: 'ok' }));
});
