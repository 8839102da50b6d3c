/** Liveness and lockdep watch the one search: a check explores each state once, whatever it asks. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { check } from '../src/check/check.ts';
import { Expander } from '../src/explore/expander.ts';
import { Successors } from '../src/explore/successors.ts';
import { ROOT, loadModel } from '../src/cli/load-model.ts';
import dioMmap from './dio-mmap/index.ts';

afterEach(() => { vi.restoreAllMocks(); });

describe('one search', () => {
  it('a configuration with liveness properties and lockdep rules expands each state once', () => {
    const enabled = vi.spyOn(Expander.prototype, 'enabled'), expand = vi.spyOn(Successors.prototype, 'expand');
    const r = check(dioMmap);
    expect(new Set(r.instance.properties.map((p) => p.kind))).toEqual(new Set(['sometimes', 'leadsTo', 'space']));
    // before: 1,240 expansions by the safety search and the graph's (620 states each), 620 more by lockdep's scan
    expect([r.verdict.kind, r.stats.states, enabled.mock.calls.length, expand.mock.calls.length]).toEqual(['ok', 758, 758, 0]);   // 620 before the DIO tried GUP-fast first (pin_user_pages_fast)
    expect(r.stats.graphBytesPerState).toBeGreaterThan(0);
  });

  it('a liveness violation found by the one search is the lasso the graph of its own gave', () => {
    const enabled = vi.spyOn(Expander.prototype, 'enabled');
    const r = check(dioMmap, { params: { dio: 'd3', fault_lock: 'invalidate_lock', tasks: 1, files: 1, buffer: 'same' }, property: 'L2(c)' });
    expect(r.verdict).toMatchObject({ kind: 'liveness', property: 'L2(c) every DIO completes', loop: 22 });   // 21 before the DIO tried GUP-fast first; 19 before VM_FAULT_RETRY
    expect([r.verdict.kind === 'liveness' && r.verdict.path.length, r.stats.states, enabled.mock.calls.length]).toEqual([46, 46, 46]);   // 44 before the DIO tried GUP-fast first; 40
  });

  it('after the reference explorer, or when worker threads were asked for, the same verdicts', async () => {
    const params = { dio: 'd3', fault_lock: 'invalidate_lock', tasks: 1, files: 1, buffer: 'same' } as const;
    const fast = check(dioMmap, { params });
    const ref = check(dioMmap, { params, explorer: 'reference' });
    const model = await loadModel(join(ROOT, 'models/dio-mmap/index.ts'));
    const workers = check(model, { params, workers: 2 });
    for (const r of [ref, workers]) expect([r.verdict, r.stats.states, r.trace?.steps.length]).toEqual([fast.verdict, fast.stats.states, fast.trace?.steps.length]);
    expect(workers.stats.workers).toBeUndefined();
  });

  it('lockdep\'s record watches worker threads: the same verdicts, traces and lockdep reports as one thread', async () => {
    const cases: [string, Record<string, string | number | boolean>][] = [
      ['kernel-locking', { case: 'serialized_abba' }], ['kernel-locking', { case: 'irq_spinlock' }], ['fs-infra', {}], ['seqcount', {}], ['truncate-fault', {}],
    ];
    const kinds = new Set<string>();
    for (const [name, params] of cases) {
      const model = await loadModel(join(ROOT, 'models', name, 'index.ts'));
      const one = check(model, { params }), two = check(model, { params, workers: 2, workersFromStart: true });
      kinds.add(one.verdict.kind);
      const steps = (r: typeof one): string[] | undefined => r.trace?.steps.map((x) => `${x.actor.name}: ${x.label}`);
      expect([JSON.stringify(two.verdict), two.stats.states, steps(two), two.stats.workers]).toEqual([JSON.stringify(one.verdict), one.stats.states, steps(one), 2]);
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['lockdep', 'ok']));
    // many rounds: the parts' records merge in BFS order, so lockdep's first finding is one thread's
    const model = await loadModel(join(ROOT, 'models/dio-mmap/index.ts'));
    const asked = { params: { dio: 'd1_excl', fault_lock: 'invalidate_lock', tasks: 3, files: 2, punch: true }, property: 'possible circular locking dependency' };
    const one = check(model, asked), two = check(model, { ...asked, workers: 2, workersFromStart: true });
    expect([one.verdict.kind, one.stats.states, one.trace?.steps.length]).toEqual(['lockdep', 17_649, 10]);   // 13,927 and 9 before the DIO tried GUP-fast first
    expect([JSON.stringify(two.verdict), two.trace?.steps.length, two.stats.workers]).toEqual([JSON.stringify(one.verdict), 10, 2]);
  });

  it('a bound stops the one search: the verdict is incomplete, with the bound', () => {
    const r = check(dioMmap, { maxStates: 300 });
    expect(r.verdict).toEqual({ kind: 'incomplete', reason: '--max-states 300 reached' });
  });
});
