/** What a step reads of its starting state: guard and effect, not what it wrote itself first. */
import { describe, expect, it } from 'vitest';
import { readsOf } from './reads.ts';
import type { State } from './state.ts';
import type { Var } from './vars.ts';

const field = (name: string): Var => ({ kind: 'var', name, slot: 0, actor: undefined }) as unknown as Var;
const x = field('x'), y = field('y'), z = field('z');
const base = { get: () => 1, test: () => true, set() { throw new Error('the state itself is never updated'); } } as unknown as State;
const names = (r: ReadonlySet<Var | { name: string }>): string[] => [...r].map((v) => v.name).sort();

describe('readsOf', () => {
  it('records the guard\'s and the effect\'s reads, not a field the effect wrote before reading it', () => {
    expect(names(readsOf((s) => s.get(x) === 1, (s) => { const t = s.set(y, 5); return t.set(z, t.get(y) + t.get(z)); }, base))).toEqual(['x', 'z']);
  });
  it('a false guard: only the guard\'s reads; a throwing effect: what it read until then', () => {
    expect(names(readsOf((s) => s.get(x) === 2, (s) => s.set(y, s.get(y)), base))).toEqual(['x']);
    expect(names(readsOf(undefined, (s) => { if (s.test(y)) throw new Error('boom'); return s; }, base))).toEqual(['y']);
  });
  it('a value written reads back as written (booleans as 0/1 through get)', () => {
    let seen: unknown[] = [];
    readsOf(undefined, (s) => { const t = s.set(x, true).set(y, 0); seen = [t.get(x), t.test(y)]; return t; }, base);
    expect(seen).toEqual([1, false]);
  });
});
