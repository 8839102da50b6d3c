/**
 * The determinism contract: guards, effects and properties are functions of the state. Each
 * model here breaks it in one way a hostile tester found, and got a verdict (exit 0, or a trace
 * that proves nothing) before kmc re-evaluated model code in a second setup of the model and
 * replayed traces there: each must now be model error KMC014 naming the step or property.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { always, int, ModelError, sometimes, step } from '../index.ts';
import { check } from './check.ts';
import { tiny } from '../test-util/tiny.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadModel, ROOT } from '../cli/load-model.ts';

const errorOf = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof ModelError) return e.message; throw e; }
  return 'no error';
};

afterEach(() => { vi.restoreAllMocks(); });

describe('KMC014, never a verdict', () => {
  it('a guard reading a counter kept in a closure (true for its first 9 calls)', () => {
    const m = tiny('guard-counter', (sys) => {
      let calls = 0;
      const x = sys.var('x', int(0, 2));
      sys.task('T1', () => [step('a', { then: (s) => s.set(x, 1) }), step('b', { then: (s) => s.set(x, 2) })]);
      sys.task('T2', () => [step('c', { when: () => ++calls < 10 })]);
    });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: step 'c' of T2 is enabled one time and not the next \(re-evaluated/);
  });

  it("a guard reading a Set's iteration order (filled by effects, in the order the search fires them)", () => {
    const m = tiny('set-order', (sys) => {
      const seen = new Set<string>();
      const x = sys.var('x', int(0, 1)), y = sys.var('y', int(0, 1));
      sys.task('T1', () => [step('a', { then: (s) => { seen.add('a'); return s.set(x, 1); } })]);
      sys.task('T2', () => [step('b', { then: (s) => { seen.add('b'); return s.set(y, 1); } })]);
      sys.task('T3', () => [step('c', { when: () => [...seen][0] === 'a' })]);
    });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: step 'c' of T3 is enabled one time and not the next \(re-evaluated/);
  });

  it('a guard reading a side channel its effects write (T3 may run only after T1, says a log kept beside the state)', () => {
    const m = tiny('side-channel', (sys) => {
      const seen: string[] = [];
      const x = sys.var('x', int(0, 1));
      sys.task('T1', () => [step('a', { then: (s) => { seen.push('a'); return s.set(x, 1); } })]);
      sys.task('T2', () => [step('b', { when: () => seen.includes('a') })]);
    });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: step 'b' of T2 is enabled one time and not the next \(re-evaluated/);
  });

  it('a sometimes property true only on its 10th call: no witness is believed', () => {
    const m = tiny('tenth-call', (sys) => {
      let calls = 0;
      const x = sys.var('x', int(0, 12));
      sys.task('T', () => Array.from({ length: 12 }, (_, i) => step(`x = ${i + 1}`, { then: (s) => s.set(x, i + 1) })));
      return [sometimes('reached', (s) => s.get(x) >= 0 && ++calls === 10)];
    });
    // the second setup's counter reaches 10 in the audit of the initial state, before the witness is replayed
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: property 'reached' gives a different answer each time it is asked \(re-evaluated in a second setup of the model, in the initial state\)/);
  });

  it('a sometimes witness read from a side channel (T1 raises a flag beside the state): the witness path is replayed in a second setup', () => {
    const m = tiny('witness-side-channel', (sys) => {
      const flag = { raised: false };
      const x = sys.var('x', int(0, 1));
      sys.task('T1', () => [step('raise', { then: (s) => { flag.raised = true; return s; } })]);
      sys.task('T2', () => [step('x=1', { then: (s) => s.set(x, 1) })]);
      return [sometimes('x=1 with the flag up', (s) => s.get(x) === 1 && flag.raised)];
    });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: property 'x=1 with the flag up' holds in exploration after 1 step but not on a replay of that path in a second setup of the model/);
  });

  it('an always property false only on its 10th call, reading no state (its memo answers every state after 3 calls)', () => {
    const m = tiny('tenth-call-always', (sys) => {
      let calls = 0;
      const x = sys.var('x', int(0, 4));
      sys.task('T', () => Array.from({ length: 4 }, (_, i) => step(`x = ${i + 1}`, { then: (s) => s.set(x, i + 1) })));
      return [always('never the 10th', () => ++calls !== 10)];
    });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: property 'never the 10th' gives a different answer each time it is asked \(re-evaluated/);
  });

  it('a guard reading Math.random: KMC014 in every one of 20 runs', () => {
    const m = tiny('random-guard', (sys) => {
      const x = sys.var('x', int(0, 1));
      sys.task('T', () => [step('maybe', { when: () => Math.random() < 0.5, then: (s) => s.set(x, 1) }), step('then')]);
      sys.task('U', () => [step('u')]);
    });
    for (let i = 0; i < 20; i++) expect(errorOf(() => check(m))).toMatch(/^KMC014 /);
  });

  it('a guard reading the clock (a deadline 5 ms after setup; the clock ticks 1 ms per call here)', () => {
    let now = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => now++);
    const m = tiny('deadline', (sys) => {
      const start = Date.now(), x = sys.var('x', int(0, 2));
      sys.task('T1', () => [step('a', { then: (s) => s.set(x, 1) }), step('b', { then: (s) => s.set(x, 2) })]);
      sys.task('T2', () => [step('c', { when: () => Date.now() < start + 5 })]);
    });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: step 'c' of T2 is enabled one time and not the next/);
  });

  it('a property reading a mutable object beside the state (T1 lowers the limit): no violation on a step that cannot violate it', () => {
    const m = tiny('outer-limit', (sys) => {
      const limit = { max: 1 };
      const x = sys.var('x', int(0, 1));
      sys.task('T1', () => [step('shrink', { then: (s) => { limit.max = 0; return s; } })]);
      sys.task('T2', () => [step('x=1', { then: (s) => s.set(x, 1) })]);
      return [always('x <= limit', (s) => s.get(x) <= limit.max)];
    });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: property 'x <= limit' is violated in exploration after 1 step but holds on a replay of that path in a second setup of the model/);
  });
});

describe('state kept at module level of the model file (outside setup)', () => {
  const KMC = pathToFileURL(join(ROOT, 'src/index.ts')).href;
  /** Writes `body` as a model file in a fresh directory (an ESM package or not: imported plainly, or by tsx) and loads it as `kmc check FILE` does. */
  const load = async (name: string, body: string, esm: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), `kmc-module-state-${esm ? 'esm' : 'cjs'}-`));
    if (esm) writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, `${name}.ts`), `import { always, defineModel, int, step } from '${KMC}';\n${body}`);
    return loadModel(join(dir, `${name}.ts`));
  };
  // the case, the object at module level: T1 lowers the limit, T2 sets x = 1; the trace "T2: x=1" cannot violate anything
  const limit = `const limit = { max: 1 };
export default defineModel({
  name: 'module-limit', doc: 'a property reads a mutable object at module level', params: {},
  setup(_p, sys) {
    const x = sys.var('x', int(0, 1));
    sys.task('T1', () => [step('shrink', { then: (s) => { limit.max = 0; return s; } })]);
    sys.task('T2', () => [step('x=1', { then: (s) => s.set(x, 1) })]);
    return [always('x <= limit', (s) => s.get(x) <= limit.max)];
  },
});
`;
  // a counter at module level that T1's effect advances and T2's guard reads: T2 may run only before T1, says the counter
  const counter = (read: string, write: string) => `let calls = 0;
const seen: string[] = [];
export default defineModel({
  name: 'module-counter', doc: 'a guard reads what an effect left at module level', params: {},
  setup(_p, sys) {
    const x = sys.var('x', int(0, 2));
    sys.task('T1', () => [step('a', { then: (s) => { ${write}; return s.set(x, 1); } }), step('b', { then: (s) => s.set(x, 2) })]);
    sys.task('T2', () => [step('c', { when: () => ${read} })]);
    return [];
  },
});
`;
  for (const esm of [true, false]) {
    const how = esm ? 'imported plainly, in an ESM package' : 'imported by tsx, outside an ESM package';
    it(`a property reading a mutable object at module level: KMC014, not "violated after 1 step" (${how})`, async () => {
      // before: "violated: 'x <= limit' after 1 step (shortest)", the one step T2: x=1, both setups sharing the object
      const m = await load('limit', limit, esm);
      expect(errorOf(() => check(m))).toBe("KMC014 the model is not deterministic: property 'x <= limit' is violated in exploration after 1 step but holds on a replay of that path in a second setup of the model: its guards or effects read something outside the state (a counter in a closure, Math.random, Date)");
    });

    it(`a guard reading a counter (or a log) at module level that an effect writes: KMC014, not a verdict (${how})`, async () => {
      // before: the counter "deadlock" (T2 blocked for ever in 3 states), the log "ok" (6 states): the second setup read the first's
      for (const [read, write] of [['calls < 1', 'calls++'], ["seen.includes('a')", "seen.push('a')"]] as const) {
        const m = await load(read.startsWith('calls') ? 'counter' : 'log', counter(read, write), esm);
        expect(errorOf(() => check(m)), read).toMatch(/^KMC014 the model is not deterministic: step 'c' of T2 is enabled one time and not the next \(re-evaluated in a second setup of the model, in (the initial state|a state after 1 step)\)/);
      }
    });
  }

  it('a model file that cannot be loaded a second time: KMC014 at load, naming the file', async () => {
    const file = `if ((globalThis as { kmcLoaded?: boolean }).kmcLoaded) throw new Error('loaded twice');
(globalThis as { kmcLoaded?: boolean }).kmcLoaded = true;
export default defineModel({ name: 'once', doc: 'loads once', params: {}, setup(_p, sys) { sys.task('T', () => [step('a')]); return [always('t', () => true)]; } });
`;
    await expect(load('once', file, true)).rejects.toThrow(/^KMC014 the model is not deterministic: model 'once' \(.*once\.ts\): its file, loaded again for a second setup of the model, fails \(loaded twice\)/);
    delete (globalThis as { kmcLoaded?: boolean }).kmcLoaded;
  });
});

describe('workers explore the main thread\'s model', () => {
  it('a model file drawing Math.random() at load time, --workers 2: KMC014 naming what differs, not the workers\' verdict', async () => {
    const m = await loadModel(join(ROOT, 'src/test-util/fixtures/random-at-load.ts'));
    expect(errorOf(() => check(m, { workers: 2, workersFromStart: true }))).toMatch(/^KMC014 the model is not deterministic: worker thread [12] loaded the model file again and got another model than the main thread's: it differs in .*the actors' programs/);
  });

  it('a file that builds the same model each time: the workers run it (3 steps, violated)', async () => {
    const r = check(await loadModel(join(ROOT, 'src/test-util/fixtures/counter.ts')), { workers: 2, workersFromStart: true });
    expect([r.verdict.kind, r.trace?.steps.length, r.stats.workers]).toEqual(['safety', 3, 2]);
  });
});

describe('writes through a state that is then discarded', () => {
  const model = (effect: 'set twice' | 'returns s' | 'chained') => tiny(`lost-${effect}`, (sys) => {
    const b = sys.var('b', int(0, 1)), x = sys.var('x', int(0, 1));
    sys.task('T', () => [step('write', {
      then: (s) => {
        if (effect === 'chained') return s.set(b, true).set(x, 0);
        const t = s.set(b, true);
        void t;
        return effect === 'set twice' ? s.set(x, 0) : s;
      },
    })]);
    return [always('b once T ran', (s) => s.get(b) === 1 || s.get(x) === 0)];
  });

  it('s.set(b, true); return s.set(x, 0): KMC006 naming the step (it dropped the write to b)', () => {
    expect(errorOf(() => check(model('set twice')))).toBe("KMC006 a state was used after it was updated (states are values: use the state set() returned): set(x) on the state the effect was given, which it had already written with set(): that write would be lost (an effect returns one state: chain the writes, s.set(a, 1).set(b, 2)) [in step 'write' of T]");
  });

  it('s.set(b, true); return s: KMC006 naming the step', () => {
    expect(errorOf(() => check(model('returns s')))).toMatch(/^KMC006 .*: the effect wrote with set\(\) and returned the state it was given: that write would be lost .*\[in step 'write' of T\]$/);
  });

  it('chained writes are kept: 2 states', () => {
    const r = check(model('chained'));
    expect([r.verdict.kind, r.stats.states]).toEqual(['ok', 2]);
  });
});

describe('a deterministic model is believed', () => {
  it('twelve states, ok, with the guard a function of the state', () => {
    const r = check(tiny('fine', (sys) => {
      const x = sys.var('x', int(0, 1)), y = sys.var('y', int(0, 1));
      sys.task('T1', () => [step('a', { then: (s) => s.set(x, 1) })]);
      sys.task('T2', () => [step('b', { then: (s) => s.set(y, 1) })]);
      sys.task('T3', () => [step('c', { when: (s) => s.get(x) === 1 })]);
      return [always('x or not', (s) => s.get(x) <= 1)];
    }));
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(6);
  });
});
