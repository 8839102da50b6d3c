/**
 * Sequence counts and seqlocks (include/linux/seqlock.h): readers that retry instead of
 * blocking writers.
 *
 * A writer makes the count odd (`write_seqlock` takes the seqlock's spinlock and increments it
 * in one step), writes, and makes it even again. A reader waits for an even count
 * (`read_seqbegin` spins while a write is in progress), reads, and retries if the count moved
 * (`read_seqretry`). The count is kept modulo 8: a reader that sleeps through four whole
 * writes would miss them (the kernel's 32-bit count wraps too, after 2^31).
 *
 * @example
 * read_seqloop(sl, c, [step('x = a; y = b', { then: … })])
 * [write_seqlock(sl, c), step('a++; b++'), write_sequnlock(sl, c)]
 */
import { bool, int } from '../model/domain.ts';
import { goto, ifElse, label, step, type Node, type Program } from '../model/program.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { spinlock, type Spinlock } from './spinlock.ts';
import { preempt_add, type Context } from './context.ts';
import { NONE } from '../model/domain.ts';

const MOD = 8;

export interface Seqcount { readonly name: string; readonly seq: Var }
export interface Seqlock extends Seqcount { readonly lock: Spinlock }

/** A `seqcount_t`: the writer provides its own exclusion. */
export const seqcount = (sys: System, name: string): Seqcount => ({ name, seq: sys.var(`${name}.sequence`, int(0, MOD - 1)) });

/** A `seqlock_t`: a seqcount and the spinlock writers take. */
export function seqlock(sys: System, name: string): Seqlock {
  return { ...seqcount(sys, name), lock: spinlock(sys, `${name}.lock`, `&${name}->lock`) };
}

const bump = (sc: Seqcount) => (s: State): State => s.set(sc.seq, (s.get(sc.seq) + 1) % MOD);
const H = 'include/linux/seqlock.h';

/** `write_seqcount_begin()`: the count becomes odd. */
export const write_seqcount_begin = (sc: Seqcount): Node => step(`write_seqcount_begin(${sc.name})`, { fn: `${H}: write_seqcount_begin`, then: bump(sc) });
/** `write_seqcount_end()`: even again. */
export const write_seqcount_end = (sc: Seqcount): Node => step(`write_seqcount_end(${sc.name})`, { fn: `${H}: write_seqcount_end`, then: bump(sc) });

/** `write_seqlock()`: the spinlock taken and the count made odd, one step. */
export const write_seqlock = (sl: Seqlock, c: Context): Node =>
  step(`write_seqlock(${sl.name})`, {
    fn: `${H}: write_seqlock`,
    when: (s) => s.get(sl.lock.owner) === NONE,
    then: (s) => bump(sl)(preempt_add(s, c, 1).set(sl.lock.owner, c.self.id)),
    blocksOn: sl.lock, acquires: sl.lock,
  });
/** `write_sequnlock()`: the count made even and the spinlock released. */
export const write_sequnlock = (sl: Seqlock, c: Context): Node =>
  step(`write_sequnlock(${sl.name})`, {
    fn: `${H}: write_sequnlock`,
    then: (s) => {
      if (s.get(sl.lock.owner) !== c.self.id) throw new Error(`write_sequnlock(${sl.name}) by ${c.self.name}, which does not hold it`);
      return preempt_add(bump(sl)(s).set(sl.lock.owner, NONE), c, -1);
    },
  });

const locals = new WeakMap<Context, Map<string, { start: Var; retry: Var }>>();
const localsOf = (c: Context, sc: Seqcount): { start: Var; retry: Var } => {
  const m = locals.get(c) ?? new Map<string, { start: Var; retry: Var }>();
  locals.set(c, m);
  let l = m.get(sc.name);
  if (!l) { l = { start: c.self.local(`${sc.name}.seq`, int(0, MOD - 1)), retry: c.self.local(`${sc.name}.retry`, bool()) }; m.set(sc.name, l); }
  return l;
};

/** `read_seqbegin()`: waits for an even count and notes it. */
export const read_seqbegin = (sc: Seqcount, c: Context): Node => {
  const { start } = localsOf(c, sc);
  return step(`read_seqbegin(${sc.name})`, { fn: `${H}: read_seqbegin`, when: (s) => s.get(sc.seq) % 2 === 0, then: (s) => s.set(start, s.get(sc.seq)) });
};

/** `read_seqretry()`: notes whether the count moved since `read_seqbegin` (the local `<name>.retry`). */
export const read_seqretry = (sc: Seqcount, c: Context): Node => {
  const { start, retry } = localsOf(c, sc);
  return step(`read_seqretry(${sc.name})`, { fn: `${H}: read_seqretry`, then: (s) => s.set(retry, s.get(sc.seq) !== s.get(start)) });
};

const loops = new WeakMap<Context, number>();
/** `do { seq = read_seqbegin(sl); body } while (read_seqretry(sl, seq));` */
export function read_seqloop(sc: Seqcount, c: Context, body: Program): Program {
  const n = (loops.get(c) ?? 0) + 1;
  loops.set(c, n);
  const { retry } = localsOf(c, sc), again = `read_seqbegin(${sc.name})#${n}`;
  return [label(again), read_seqbegin(sc, c), body, read_seqretry(sc, c), ifElse((s) => s.test(retry), [goto(again)])];
}
