/** P6: DIO / page-cache coherence, per DIO scheme (brief §1.8, §4 P6). */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.ts';
import model from './dio-coherence.ts';

const run = (params: Record<string, string | boolean>, property: string) => check(model, { params, property });

describe('dio-coherence', () => {
  it('generic DIO: coherent with a plain reader (the post-write invalidation drops what it read)', () => {
    const r = run({ dio: 'd0' }, 'P6');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(73);
  });

  it('generic DIO: an extra folio reference defeats the invalidation: stale, but reported', () => {
    const r = run({ dio: 'd0', pin: true }, 'P6');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'P6 stale page cache after the DIO write returned' });
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`).slice(5, 9)).toEqual([
      'pinner: get_user_pages(A): reference the folio', 'dio: submit_bio + complete: write block A',
      'dio: folio_lock(A)', 'dio: invalidate_inode_pages2_range(A) [post]',
    ]);
    expect(run({ dio: 'd0', pin: true }, 'stale').verdict).toEqual({ kind: 'ok' });
  });

  it('bcachefs: the block lock keeps readers out and invalidation waits for references', () =>
    expect(run({ dio: 'd2', pin: true }, 'P6').verdict).toEqual({ kind: 'ok' }));

  it('punch hole with a fault reader and a GUP user: no deadlock', () =>
    expect(run({ dio: 'd0', reader: 'fault', pin: true, punch: true }, 'deadlock').verdict).toEqual({ kind: 'ok' }));
});
