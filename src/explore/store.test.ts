/** `--store compact`: the same search as in memory (states, transitions, depth, verdict, trace) while nothing is omitted. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FastBfs, type BfsOptions } from './bfs.ts';
import { drain, type ExploreResult } from './options.ts';
import { check } from '../check/check.ts';
import { loadModel } from '../cli/load-model.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { build, modelSpecs } from '../test-util/random-model.ts';
import { kmc } from '../test-util/cli.ts';

/** What must not depend on the store. */
const comparable = (r: ExploreResult): unknown => ({
  verdict: r.verdict, numbers: [r.stats.states, r.stats.transitions, r.stats.depth], witnesses: [...r.witnesses], checks: r.checks, found: r.found,
});

describe('--store compact', () => {
  it('agrees with the search in memory on random models, compacted from the first state and every chunk on disk (seed 19, 20 models)', () => {
    let spilled = 0;
    fc.assert(fc.property(modelSpecs(), fc.boolean(), fc.boolean(), (spec, deadlock, discover) => {
      const inst = instantiate(build(spec), {});
      const opts: BfsOptions = { maxStates: 3000, deadlock, discover };
      const inMemory = drain(new FastBfs(inst, opts).run());
      const compact = drain(new FastBfs(inst, { ...opts, store: 'compact', maxMemory: 2 ** 22, storeTuning: { compactAt: 1, chunk: 128 } }).run());
      expect(comparable(compact)).toEqual(comparable(inMemory));
      expect(compact.stats.store?.compacted).toBe(true);
      spilled += compact.stats.store!.diskLevels;
    }), { seed: 19, numRuns: 20 });
    expect(spilled).toBeGreaterThan(0);
  });

  it('philosophers n=10: the pinned counts, the table compacted and the levels on disk', async () => {
    const phil = await loadModel('classic/philosophers');
    const r = check(phil, { params: { n: 10 }, deadlock: false, store: 'compact', maxMemory: 2 ** 22 });
    expect([r.verdict.kind, r.stats.states, r.stats.transitions, r.stats.depth]).toEqual(['ok', 154_450, 1_116_131, 28]);
    expect(r.stats.store).toMatchObject({ kind: 'compact', compacted: true, cells: 655_360 });
    expect(r.stats.store!.spilledBytes).toBeGreaterThan(0);
    expect(r.stats.exact).toBe(false);
    // 154,450 states of 19.3 + 28 bits each: 154450^2 / 2^48.3
    expect(r.stats.collisionProbability).toBeCloseTo(154_450 ** 2 / 2 ** (Math.log2(655_360) + 29), 8);
  });

  it('philosophers n=9 with 1 KiB chunks: every level of 256 states or more read back from disk, the same counts', async () => {
    const phil = await loadModel('classic/philosophers');
    const inst = instantiate(phil, resolveParams(phil, { n: 9 }));
    const r = drain(new FastBfs(inst, { deadlock: false, store: 'compact', maxMemory: 2 ** 22, storeTuning: { compactAt: 1, chunk: 1024 } }).run());
    expect([r.verdict.kind, r.stats.states, r.stats.transitions, r.stats.depth]).toEqual(['ok', 46_763, 304_138, 25]);
    expect(r.stats.store?.diskLevels).toBe(19);
  });

  it('stops, verdict incomplete, when the table is 90% full (checked between slices)', async () => {
    const phil = await loadModel('classic/philosophers');
    const inst = instantiate(phil, resolveParams(phil, { n: 10 }));
    const r = drain(new FastBfs(inst, { deadlock: false, store: 'compact', maxMemory: 2 ** 24, storeTuning: { compactAt: 1, table: 4 * 32_768 } }).run());
    expect(r.verdict).toEqual({ kind: 'incomplete', reason: '--max-memory 16.0 MiB reached (the compact table of 131072 B is 90% full)' });
    expect(r.stats.states).toBeLessThan(154_450);
  });

  it('a deadlock found with the table compacted and the tree on disk: the trace of the search in memory', async () => {
    const phil = await loadModel('classic/philosophers');
    const inst = instantiate(phil, resolveParams(phil, { n: 8 }));
    const inMemory = drain(new FastBfs(inst, {}).run());
    const compact = drain(new FastBfs(inst, { store: 'compact', maxMemory: 2 ** 22, storeTuning: { compactAt: 1, chunk: 1024 } }).run());
    expect(compact.verdict.kind).toBe('deadlock');
    expect(compact.stats.store?.diskLevels).toBeGreaterThan(0);
    expect(comparable(compact)).toEqual(comparable(inMemory));
  });

  it('prints the omission estimate; bad or contradictory flags get one-line errors', async () => {
    const r = await kmc('check', 'classic/philosophers', '--param', 'n=9', '--no-deadlock', '--store', 'compact', '--max-memory', '4M');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok: all 46,763 states explored');
    expect(r.out).toMatch(/p\(collision\) ~6\.2e-6 \(estimated: hash compaction keeps 47\.3 bits of each state, 6\.2e-6 states expected omitted\), compact store, 0\.\d MiB to disk/);
    const errors = await Promise.all([
      kmc('check', 'classic/philosophers', '--store', 'disk'),
      kmc('check', 'classic/philosophers', '--store', 'compact', '--workers', '2'),
      kmc('check', 'classic/philosophers', '--store', 'compact', '--reference'),
      kmc('check', 'classic/peterson', '--store', 'compact'),
    ]);
    expect(errors.map((e) => [e.code, e.err])).toEqual([
      [1, 'kmc: --store disk: expected memory or compact (hash compaction, the rest on disk)\n'],
      [1, 'kmc: --store compact runs in one thread: leave out --workers\n'],
      [1, 'kmc: --store compact and --reference contradict each other: the reference explorer keeps whole states in memory\n'],
      [1, "kmc: --store compact checks safety properties and deadlock only: liveness and lockdep's whole-space rules need the state graph in memory (use --property to check one of the others)\n"],
    ]);
  });
});
