/**
 * The kernel library's per-system state lives in `sys.registry` (src/model/registry.ts), and
 * lockdep's lock rules are turned on by what lockdep tracks — a lock, a seqcount, RCU's read
 * side — or by `lockdep(sys)`, never by declaring an execution context.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { step } from '../index.ts';
import { System } from '../model/system.ts';
import { instantiate } from '../state/instance.ts';
import { tiny } from '../test-util/tiny.ts';
import { context, contextsOf, cpu, hardirq, local_irq_disable, local_irq_enable } from './context.ts';
import { file } from './file.ts';
import { bitLock, clear_and_wake_up_bit, wait_on_bit_lock } from './bit-lock.ts';
import { locksOf, lockClassName } from './lockdep-map.ts';
import { INCONSISTENT, INVALID_CONTEXT, IRQ_INVERSION, LOCK_ORDER, lockdep, lockdepEnabled } from './lockdep.ts';
import { mutex } from './mutex.ts';
import { rcu_read_lock, rcu_read_unlock } from './rcu.ts';
import { seqcount } from './seqlock.ts';

const LOCK_RULES = [LOCK_ORDER, INCONSISTENT, IRQ_INVERSION];
const builtins = (sys: System): string[] => sys.declarations().builtins.map((p) => p.name);

/** A task on cpu0 that turns interrupts off and on, and a handler there: contexts, no lock. */
function contextsOnly(sys: System): void {
  const cpu0 = cpu(sys, 'cpu0');
  sys.task('T', (self) => { const c = context(self); return [local_irq_disable(c), step('work'), local_irq_enable(c)]; }, { on: cpu0 });
  hardirq(sys, cpu0, 'irq', () => [step('ack')]);
}

describe('lockdep is turned on explicitly', () => {
  it('declaring contexts adds the invalid-context rule only: no lock for the lock rules to judge, no lock rules', () => {
    const sys = new System();
    contextsOnly(sys);
    expect(builtins(sys)).toEqual([INVALID_CONTEXT]);
    expect(lockdepEnabled(sys)).toBe(false);
    // as a model: the lock rules are not among its properties
    const m = tiny('contexts-only', (s) => { contextsOnly(s); return []; });
    expect(instantiate(m).properties.map((p) => p.name)).toEqual([INVALID_CONTEXT]);
  });

  it('a lock lockdep tracks turns them on (lockdep_init_map); a bit lock, which it does not track, does not', () => {
    const bits = new System(), l = bitLock(bits, 'PG_locked');
    bits.task('T', (self) => [wait_on_bit_lock(l, self), clear_and_wake_up_bit(l, self)]);
    expect(locksOf(bits).map((d) => d.kind)).toEqual(['bit']);
    expect(lockdepEnabled(bits)).toBe(false);
    expect(builtins(bits)).toEqual([]);
    const sys = new System();
    mutex(sys, 'm');
    expect(lockdepEnabled(sys)).toBe(true);
    expect(builtins(sys)).toEqual(LOCK_RULES);
  });

  it("a seqcount's dep_map and RCU's rcu_lock_map are lockdep's: declaring one turns the rules on", () => {
    const sc = new System();
    seqcount(sc, 'seq');
    expect(builtins(sc)).toEqual(LOCK_RULES);
    const rcu = new System();
    rcu.task('reader', (self) => { const c = context(self); return [rcu_read_lock(c), rcu_read_unlock(c)]; });
    expect(builtins(rcu)).toEqual([INVALID_CONTEXT, ...LOCK_RULES]);
  });

  it('lockdep(sys) is the switch a model may throw itself, once however often it is called', () => {
    const sys = new System();
    contextsOnly(sys);
    lockdep(sys);
    lockdep(sys);
    expect(lockdepEnabled(sys)).toBe(true);
    expect(builtins(sys)).toEqual([INVALID_CONTEXT, ...LOCK_RULES]);
  });
});

describe('the per-system registry', () => {
  it('two systems built in one process share nothing: contexts, locks, lock classes, file addresses', () => {
    const a = new System(), b = new System(), key = {};
    contextsOnly(a);
    mutex(a, 'm');
    const fa = file(a, 'A');
    expect(lockClassName(a, 'cls', key)).toBe('cls');
    expect(lockClassName(a, 'cls', {})).toBe('cls#2');
    expect(contextsOf(b)).toEqual([]);
    expect(locksOf(b)).toEqual([]);
    expect(lockdepEnabled(b)).toBe(false);
    expect(lockClassName(b, 'cls', {})).toBe('cls');   // numbered per system
    expect(file(b, 'A').addr).toBe(fa.addr);
    expect(contextsOf(a).map((c) => c.self.name)).toEqual(['T', 'irq']);
  });

  it('an entry is made by its key on first use, once per system', () => {
    let made = 0;
    const key = { name: 'test', create: (sys: System) => ({ sys, n: ++made }) };
    const a = new System(), b = new System();
    expect(a.registry.peek(key)).toBeUndefined();
    expect(a.registry.get(key)).toEqual({ sys: a, n: 1 });
    expect(a.registry.get(key)).toBe(a.registry.get(key));
    expect(b.registry.get(key).n).toBe(2);
    expect(made).toBe(2);
  });

  it('no library module keeps state at module level: every per-system record is a registry entry', () => {
    const dir = import.meta.dirname;
    const offenders = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).flatMap((f) =>
      readFileSync(join(dir, f), 'utf8').split('\n')
        .filter((l) => /^(export )?(const|let|var) \w+(: [^=]+)? = new (WeakMap|Map|Set|WeakSet)\b/.test(l) || /^(export )?let /.test(l))
        .map((l) => `${f}: ${l.trim()}`));
    expect(offenders).toEqual([]);
  });
});
