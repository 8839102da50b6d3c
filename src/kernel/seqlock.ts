/**
 * Sequence counts and seqlocks (include/linux/seqlock.h): readers that retry instead of
 * blocking writers.
 *
 * A writer makes the count odd (`write_seqlock` takes the seqlock's spinlock and increments it
 * in one step), writes, and makes it even again; the writer is recorded (`<name>.writer`). A
 * reader waits for an even count (`read_seqbegin` spins while a write is in progress: a guard
 * whose wait names the writer, so a reader that interrupted the writer it waits for is
 * reported as the livelock it is, "retries until the sequence is even"), reads, and retries
 * if the count moved (`read_seqretry`). The count is kept modulo 8: a reader that sleeps
 * through four whole writes would miss them (the kernel's 32-bit count wraps too, after 2^31).
 *
 * **Writers' exclusion** (`seqprop_assert` in `write_seqcount_begin`):
 * - a plain `seqcount_t` asserts the writer is not preemptible
 *   (`lockdep_assert_preemption_disabled`: preemption, bottom halves or interrupts disabled, or
 *   in a handler): a preempted writer would leave its readers spinning;
 * - a `seqcount_spinlock_t` / `seqcount_mutex_t` (`seqcount_LOCKNAME_init` with its associated
 *   lock) asserts the writer holds that lock (`lockdep_assert_held`); for a mutex (preemptible)
 *   `write_seqcount_begin` also disables preemption until `write_seqcount_end`.
 * A write that breaks its assertion is the built-in property {@link SEQPROP_ASSERT}.
 *
 * Modelled as !PREEMPT_RT. On PREEMPT_RT the spinlock and mutex variants' writers stay
 * preemptible, and a reader that finds the count odd takes and releases the associated lock
 * (`__seqprop_##lockname##_sequence`) so that it sleeps until the writer is done instead of
 * spinning; kmc does not model that path.
 *
 * `seqlock_t` (`seqlock`): `write_seqlock` and its `_bh`, `_irq`, `_irqsave` variants take the
 * spinlock as `spin_lock*` does (and lockdep records them as acquisitions of it);
 * `read_seqlock_excl*` take it without touching the count (a locking reader excludes writers
 * and other locking readers).
 *
 * **lockdep.** A seqcount has a lockdep map (`__seqcount_init`: `lockdep_init_map(&s->dep_map,
 * …)`), so declaring one turns lockdep's lock rules on for the system (`lockdep(sys)`), as
 * declaring a lock does. kmc does not record the seqcount's own acquisitions
 * (`seqcount_acquire`, `seqcount_acquire_read`): its class is not in the order graph, only the
 * seqlock's spinlock is.
 *
 * @example
 * read_seqloop(sl, c, [step('x = a; y = b', { then: … })])
 * [write_seqlock(sl, c), step('a++; b++'), write_sequnlock(sl, c)]
 * const sc = seqcount_spinlock(sys, 'tk_core.seq', lock);
 * [spin_lock(lock, c), write_seqcount_begin(sc, c), step('update'), write_seqcount_end(sc, c), spin_unlock(lock, c)]
 */
import { NONE, bool, int, owner } from '../model/domain.ts';
import { goto, ifElse, label, step, type Node, type Program } from '../model/program.ts';
import { transition, type Transition } from '../model/property.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { spinlock, type Spinlock } from './spinlock.ts';
import type { Mutex } from './mutex.ts';
import { irqs_disabled, preempt_add, preempt_count, softirqs_disabled, type Context } from './context.ts';
import { heldLocks, lockdep } from './lockdep.ts';
import { enter, irqsOn, leave, type Variant } from './irq-variant.ts';

const MOD = 8;

/** A sequence count; `assoc` is the lock a `seqcount_LOCKNAME_t` writer must hold. */
export interface Seqcount {
  readonly name: string;
  readonly seq: Var;
  /** The writer inside `write_seqcount_begin` … `_end` (or `write_seqlock` … `write_sequnlock`). */
  readonly writer: Var;
  readonly assoc?: { readonly kind: 'spinlock' | 'mutex'; readonly lock: Resource };
  /** What a reader spinning in `read_seqbegin` waits for: the writer to make the count even. */
  readonly retry: Resource;
}
export interface Seqlock extends Seqcount { readonly lock: Spinlock }

function declare(sys: System, name: string, assoc?: Seqcount['assoc']): Seqcount {
  // __seqcount_init (include/linux/seqlock.h): lockdep_init_map(&s->dep_map, …) — a seqcount is lockdep's
  lockdep(sys);
  const seq = sys.var(`${name}.sequence`, int(0, MOD - 1)), writer = sys.var(`${name}.writer`, owner());
  const retry: Resource = {
    name: `${name}.sequence to become even`,
    heldAs: `the write side of ${name}`,
    retries: true,
    waitsFor: (s) => (s.get(seq) % 2 === 1 && s.get(writer) !== NONE ? [s.get(writer)] : []),
  };
  return { name, seq, writer, retry, ...(assoc ? { assoc } : {}) };
}

/** A `seqcount_t`: the writer provides its own exclusion and must not be preemptible. Turns lockdep's lock rules on (its `dep_map`). */
export const seqcount = (sys: System, name: string): Seqcount => declare(sys, name);
/** A `seqcount_spinlock_t` (`seqcount_spinlock_init(s, lock)`): the writer must hold `lock`. */
export const seqcount_spinlock = (sys: System, name: string, lock: Spinlock): Seqcount => declare(sys, name, { kind: 'spinlock', lock });
/** A `seqcount_mutex_t` (`seqcount_mutex_init(s, lock)`): the writer must hold `lock`; it writes with preemption disabled. */
export const seqcount_mutex = (sys: System, name: string, lock: Mutex): Seqcount => declare(sys, name, { kind: 'mutex', lock });

/** A `seqlock_t`: a seqcount and the spinlock writers take. */
export function seqlock(sys: System, name: string): Seqlock {
  return { ...seqcount(sys, name), lock: spinlock(sys, `${name}.lock`, `&${name}->lock`) };
}

const bump = (sc: Seqcount) => (s: State): State => s.set(sc.seq, (s.get(sc.seq) + 1) % MOD);
const H = 'include/linux/seqlock.h';

/** `write_seqcount_begin`'s assertion, broken: the built-in property's name. */
export const SEQPROP_ASSERT = 'seqprop_assert';

interface Assert { readonly sc: Seqcount; readonly c: Context }
type Reader = { readonly start: Var; readonly retry: Var };
/** The seqcounts' records in a system (its entry in `sys.registry`). */
interface Seqcounts {
  /** The assertion of each `write_seqcount_begin` step, by actor and label. */
  readonly asserts: Map<string, Assert>;
  /** Each reading context's locals, per seqcount name. */
  readonly readers: Map<Context, Map<string, Reader>>;
  /** How many `read_seqloop`s each context has (for fresh labels). */
  readonly loops: Map<Context, number>;
}
const SEQCOUNTS = systemKey<Seqcounts>('seqlock', () => ({ asserts: new Map(), readers: new Map(), loops: new Map() }));
const key = (actor: number, label: string): string => `${actor}\0${label}`;

/** `lockdep_assert_preemption_disabled()`: warns if `preempt_count() == 0` with hardirqs enabled (the kernel's count includes softirq and hardirq context). */
const notPreemptible = (s: State, c: Context): boolean => preempt_count(s, c) > 0 || softirqs_disabled(s, c) || irqs_disabled(s, c);
const asserted = (s: State, a: Assert): boolean =>
  a.sc.assoc === undefined ? notPreemptible(s, a.c) : a.sc.assoc.lock.holds?.(s, a.c.self.id) === true;
const failed = (asserts: Map<string, Assert>, t: Transition): Assert | undefined => {
  const a = asserts.get(key(t.step.actor.id, t.step.label));
  return a === undefined || asserted(t.before, a) ? undefined : a;
};

function splat(sys: System, t: Transition, a: Assert): string[] {
  const who = `${a.c.self.name}/${a.c.self.id}`;
  if (a.sc.assoc === undefined)
    return [`WARNING: at ${H}: __seqprop_assert: lockdep_assert_preemption_disabled()`,
      `${who} writes ${a.sc.name} (a seqcount_t) preemptible: preempt_count: ${preempt_count(t.before, a.c)}, irqs_disabled(): ${irqs_disabled(t.before, a.c) ? 1 : 0}`,
      ...heldLocks(t.before, sys, a.c.self)];
  return [`WARNING: lockdep_assert_held(${a.sc.assoc.lock.name}) failed (${H}: __seqprop_${a.sc.assoc.kind}_assert)`,
    `${who} writes ${a.sc.name} (a seqcount_${a.sc.assoc.kind}_t) without ${a.sc.assoc.lock.name}`,
    ...heldLocks(t.before, sys, a.c.self)];
}

const rule = (sys: System, asserts: Map<string, Assert>) => transition(SEQPROP_ASSERT, (t) => failed(asserts, t) === undefined, {
  explain: (t) => { const a = failed(asserts, t); return a === undefined ? [] : splat(sys, t, a); },
});

/**
 * `write_seqcount_begin()`: `seqprop_assert` (preemption disabled for a `seqcount_t`, the
 * associated lock held otherwise), preemption disabled for a `seqcount_mutex_t`, and the count
 * becomes odd.
 */
export function write_seqcount_begin(sc: Seqcount, c: Context): Node {
  const sys = c.self.sys, lbl = `write_seqcount_begin(${sc.name})`;
  const { asserts } = sys.registry.get(SEQCOUNTS);
  asserts.set(key(c.self.id, lbl), { sc, c });
  sys.builtin(rule(sys, asserts));
  const preempt = sc.assoc?.kind === 'mutex';
  return step(lbl, { fn: `${H}: write_seqcount_begin`, then: (s) => bump(sc)((preempt ? preempt_add(s, c, 1) : s).set(sc.writer, c.self.id)) });
}
/** `write_seqcount_end()`: even again (and preemption enabled for a `seqcount_mutex_t`). */
export const write_seqcount_end = (sc: Seqcount, c: Context): Node =>
  step(`write_seqcount_end(${sc.name})`, {
    fn: `${H}: write_seqcount_end`,
    then: (s) => { const t = bump(sc)(s).set(sc.writer, NONE); return sc.assoc?.kind === 'mutex' ? preempt_add(t, c, -1) : t; },
  });


const take = (sl: Seqlock, c: Context, v: Variant, api: string, write: boolean): Node =>
  step(`${api}(${sl.name})`, {
    fn: `${H}: ${api}`,
    when: (s) => s.get(sl.lock.owner) === NONE,
    then: (s) => { const t = enter(s, c, v).set(sl.lock.owner, c.self.id); return write ? bump(sl)(t).set(sl.writer, c.self.id) : t; },
    blocksOn: sl.lock, acquires: sl.lock, handoff: true,   // its spinlock is a qspinlock: FIFO, as spin_lock
  });
const release = (sl: Seqlock, c: Context, v: Variant, api: string, write: boolean): Node =>
  step(`${api}(${sl.name})`, {
    fn: `${H}: ${api}`, ...irqsOn(v),   // write_sequnlock_irq and friends: lockdep_hardirqs_on marks the locks still held
    then: (s) => {
      if (s.get(sl.lock.owner) !== c.self.id) throw new Error(`${api}(${sl.name}) by ${c.self.name}, which does not hold it`);
      const t = s.set(sl.lock.owner, NONE);
      return leave(write ? bump(sl)(t).set(sl.writer, NONE) : t, c, v);
    },
  });

/** `write_seqlock()`: the spinlock taken (preemption disabled) and the count made odd, one step. */
export const write_seqlock = (sl: Seqlock, c: Context): Node => take(sl, c, { suffix: '' }, 'write_seqlock', true);
/** `write_sequnlock()`: the count made even and the spinlock released. */
export const write_sequnlock = (sl: Seqlock, c: Context): Node => release(sl, c, { suffix: '' }, 'write_sequnlock', true);
/** `write_seqlock_bh()`: as `spin_lock_bh`, bottom halves disabled too. */
export const write_seqlock_bh = (sl: Seqlock, c: Context): Node => take(sl, c, { suffix: '_bh', bh: true }, 'write_seqlock_bh', true);
export const write_sequnlock_bh = (sl: Seqlock, c: Context): Node => release(sl, c, { suffix: '_bh', bh: true }, 'write_sequnlock_bh', true);
/** `write_seqlock_irq()`: as `spin_lock_irq` (and `write_sequnlock_irq` enables interrupts, whatever they were). */
export const write_seqlock_irq = (sl: Seqlock, c: Context): Node => take(sl, c, { suffix: '_irq', irq: true }, 'write_seqlock_irq', true);
export const write_sequnlock_irq = (sl: Seqlock, c: Context): Node => release(sl, c, { suffix: '_irq', irq: true }, 'write_sequnlock_irq', true);
/** `write_seqlock_irqsave(sl, flags)`: interrupts disabled, their state kept in `flags` (a bool local). */
export const write_seqlock_irqsave = (sl: Seqlock, c: Context, flags: Var): Node => take(sl, c, { suffix: '_irqsave', save: flags }, 'write_seqlock_irqsave', true);
export const write_sequnlock_irqrestore = (sl: Seqlock, c: Context, flags: Var): Node => release(sl, c, { suffix: '_irqsave', save: flags }, 'write_sequnlock_irqrestore', true);

/** `read_seqlock_excl()`: a locking reader: the spinlock, not the count (excludes writers and other locking readers). */
export const read_seqlock_excl = (sl: Seqlock, c: Context): Node => take(sl, c, { suffix: '' }, 'read_seqlock_excl', false);
export const read_sequnlock_excl = (sl: Seqlock, c: Context): Node => release(sl, c, { suffix: '' }, 'read_sequnlock_excl', false);
export const read_seqlock_excl_bh = (sl: Seqlock, c: Context): Node => take(sl, c, { suffix: '_bh', bh: true }, 'read_seqlock_excl_bh', false);
export const read_sequnlock_excl_bh = (sl: Seqlock, c: Context): Node => release(sl, c, { suffix: '_bh', bh: true }, 'read_sequnlock_excl_bh', false);
export const read_seqlock_excl_irq = (sl: Seqlock, c: Context): Node => take(sl, c, { suffix: '_irq', irq: true }, 'read_seqlock_excl_irq', false);
export const read_sequnlock_excl_irq = (sl: Seqlock, c: Context): Node => release(sl, c, { suffix: '_irq', irq: true }, 'read_sequnlock_excl_irq', false);
export const read_seqlock_excl_irqsave = (sl: Seqlock, c: Context, flags: Var): Node => take(sl, c, { suffix: '_irqsave', save: flags }, 'read_seqlock_excl_irqsave', false);
export const read_sequnlock_excl_irqrestore = (sl: Seqlock, c: Context, flags: Var): Node => release(sl, c, { suffix: '_irqsave', save: flags }, 'read_sequnlock_excl_irqrestore', false);

const localsOf = (c: Context, sc: Seqcount): Reader => {
  const { readers } = c.self.sys.registry.get(SEQCOUNTS), m = readers.get(c) ?? new Map<string, Reader>();
  readers.set(c, m);
  let l = m.get(sc.name);
  if (!l) { l = { start: c.self.local(`${sc.name}.seq`, int(0, MOD - 1)), retry: c.self.local(`${sc.name}.retry`, bool()) }; m.set(sc.name, l); }
  return l;
};

/** `read_seqbegin()`: spins (a guard) until the count is even, and notes it; while odd it waits for the writer. */
export const read_seqbegin = (sc: Seqcount, c: Context): Node => {
  const { start } = localsOf(c, sc);
  return step(`read_seqbegin(${sc.name})`, {
    fn: `${H}: read_seqbegin`, when: (s) => s.get(sc.seq) % 2 === 0, then: (s) => s.set(start, s.get(sc.seq)), blocksOn: sc.retry,
  });
};

/** `read_seqretry()`: notes whether the count moved since `read_seqbegin` (the local `<name>.retry`). */
export const read_seqretry = (sc: Seqcount, c: Context): Node => {
  const { start, retry } = localsOf(c, sc);
  return step(`read_seqretry(${sc.name})`, { fn: `${H}: read_seqretry`, then: (s) => s.set(retry, s.get(sc.seq) !== s.get(start)) });
};

/** `do { seq = read_seqbegin(sl); body } while (read_seqretry(sl, seq));` */
export function read_seqloop(sc: Seqcount, c: Context, body: Program): Program {
  const { loops } = c.self.sys.registry.get(SEQCOUNTS), n = (loops.get(c) ?? 0) + 1;
  loops.set(c, n);
  const { retry } = localsOf(c, sc), again = `read_seqbegin(${sc.name})#${n}`;
  return [label(again), read_seqbegin(sc, c), body, read_seqretry(sc, c), ifElse((s) => s.test(retry), [goto(again)])];
}
