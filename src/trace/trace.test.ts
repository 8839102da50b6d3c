import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { actorSet, enumOf, int, setOf, step } from '../index.ts';
import { check } from '../check/check.ts';
import { textReport } from './report.ts';
import { reconstruct } from '../explore/replay.ts';
import { toItf } from './itf.ts';
import { wrap } from './text.ts';
import { tiny } from '../test-util/tiny.ts';
import { mutexArray, mutex_lock, mutex_unlock } from '../kernel/mutex.ts';

describe('text counterexamples', () => {
  it('fall back to one line per step when columns would be too narrow, staying within 72 columns', () => {
    const philosophers = tiny('philosophers', (sys) => {
      const fork = mutexArray(sys, 'fork', 8);
      for (let i = 0; i < 8; i++) sys.task(`phil${i}`, (t) => [mutex_lock(fork[i]!, t), mutex_lock(fork[(i + 1) % 8]!, t), mutex_unlock(fork[(i + 1) % 8]!, t), mutex_unlock(fork[i]!, t)]);
    });
    const out = textReport(check(philosophers));
    const lines = out.split('\n');
    expect(lines.slice(3, 6)).toEqual([
      '1  phil0: mutex_lock(fork[0]) fork[0]=phil0',
      '2  phil1: mutex_lock(fork[1]) fork[1]=phil1',
      '3  phil2: mutex_lock(fork[2]) fork[2]=phil2',
    ]);
    expect(Math.max(...lines.filter((l) => !l.startsWith('states ')).map((l) => l.length))).toBeLessThanOrEqual(72);
  });

  it('wraps at spaces only: every word stays whole, lines pass the width only for a longer word (seed 11)', () => fc.assert(fc.property(
    fc.array(fc.stringMatching(/^[a-z]{1,30}$/), { maxLength: 20 }), fc.integer({ min: 4, max: 40 }),
    (words, width) => {
      const lines = wrap(words.join(' '), width);
      expect(lines.every((l) => l.length <= width || !l.includes(' '))).toBe(true);
      expect(lines.flatMap((l) => l.split(' '))).toEqual(words);
    }), { seed: 11 }));

  it('never breaks the replay command, however long', () => {
    const m = tiny('a-model-with-a-long-name', (sys) => { sys.task('T', () => [step('x', { when: () => false })]); });
    const lines = textReport(check(m), { invokedAs: '/some/quite/deep/directory/of/a/kernel/developer/models/a-model-with-a-long-name.ts' }).split('\n');
    expect(lines).toContain('replay: kmc check /some/quite/deep/directory/of/a/kernel/developer/models/a-model-with-a-long-name.ts');
  });
});

describe('ITF', () => {
  const m = tiny('itf', (sys) => {
    const n = sys.var('n', int(-2, 2)), pte = sys.var('pte', enumOf('none', 'ro', 'rw'));
    const pins = sys.var('pins', setOf('K', 'D')), readers = sys.var('readers', actorSet());
    sys.task('T', (self) => {
      const err = self.local('err', int(-14, 0));
      return [step('go', { then: (s) => s.set(n, -2).set(pte, 2).set(pins, 0b10).set(readers, 1 << self.id).set(err, -14) })];
    });
  });

  it('encodes integers as #bigint, sets as #set, enums as strings and actors as records', () => {
    const r = check(m);
    const t = reconstruct(r.instance, [0]);
    const itf = toItf(r.instance, t, { status: 'ok', violation: undefined, cycle: undefined });
    expect(itf.vars).toEqual(['n', 'pte', 'pins', 'readers', 'T', 'mbt::actionTaken']);
    expect(itf.states[1]).toEqual({
      '#meta': { index: 1, actor: 'T', action: 'go', fn: '' },
      n: { '#bigint': '-2' }, pte: 'rw', pins: { '#set': ['D'] }, readers: { '#set': ['T'] },
      T: { pc: 'done', err: { '#bigint': '-14' } },
      'mbt::actionTaken': 'T: go',
    });
    expect(itf.states[0]!.T).toEqual({ pc: 'go', err: { '#bigint': '0' } });
    expect(JSON.stringify(itf)).not.toMatch(/timestamp|#unserializable/);
  });
});
