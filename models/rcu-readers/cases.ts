/**
 * The known-answer cases: a reader dereferences the published object while an updater
 * unpublishes it, waits for a grace period (`synchronize_rcu`, or `call_rcu` and a callback)
 * and frees it. Each answer is the kernel's, see params.ts.
 */
import { bool, never, sometimes, step, type Program, type Property, type State, type System, type Var } from '../../src/index.ts';
import type { Node } from '../../src/model/program.ts';
import {
  call_rcu, context, cpu, hardirq, lockdep_is_held, preempt_disable, preempt_enable, rcu_dereference, rcu_dereference_bh,
  rcu_dereference_check, rcu_dereference_protected, rcu_dereference_sched, rcu_head, rcu_read_lock, rcu_read_lock_bh,
  rcu_read_unlock, rcu_read_unlock_bh, spin_lock, spin_lock_irqsave, spin_unlock, spin_unlock_irqrestore, spinlock,
  synchronize_rcu, type Context, type DerefSpec,
} from '../../src/kernel/index.ts';
import type { Params } from './index.ts';

/** What every case tracks: the object published, in use by the reader, freed. */
interface Obj { readonly unpublished: Var; readonly using: Var; readonly freed: Var }

/** The reader's dereference: it uses the old object if the updater had not unpublished it yet. */
const use = (o: Obj): DerefSpec => ({ then: (s: State) => s.set(o.using, !s.test(o.unpublished)) });
const done = (o: Obj) => step('done with p', { then: (s) => s.set(o.using, false) });
const unpublish = (o: Obj) => step('rcu_assign_pointer(gp, new)', { fn: 'include/linux/rcupdate.h: rcu_assign_pointer', then: (s) => s.set(o.unpublished, true) });
const kfree = (o: Obj) => step('kfree(old)', { fn: 'mm/slub.c: kfree', then: (s) => s.set(o.freed, true) });

/** The updater: unpublish, synchronize_rcu(), free. */
const updater = (sys: System, o: Obj) => sys.task('updater', (self) => { const c = context(self); return [unpublish(o), synchronize_rcu(c), kfree(o)]; });

type Case = (sys: System, o: Obj) => void;

/** An `rcu_read_lock()` reader. */
const plainReader = (sys: System, o: Obj) =>
  sys.task('reader', (self) => { const c = context(self); return [rcu_read_lock(c), rcu_dereference(c, 'gp', use(o)), done(o), rcu_read_unlock(c)]; });

/** A reader task on a CPU of its own: `enter`, the dereference, `leave`. */
const reader = (enter: (c: Context) => Program, deref: (c: Context, o: Obj) => Node, leave: (c: Context) => Program): Case => (sys, o) => {
  sys.task('reader', (self) => { const c = context(self); return [enter(c), deref(c, o), done(o), leave(c)]; });
  updater(sys, o);
};

export const cases: Readonly<Record<Params['case'], Case>> = {
  rcu_read_lock: (sys, o) => { plainReader(sys, o); updater(sys, o); },
  preempt_sched: reader((c) => [preempt_disable(c)], (c, o) => rcu_dereference_sched(c, 'gp', use(o)), (c) => [preempt_enable(c)]),
  preempt_plain: reader((c) => [preempt_disable(c)], (c, o) => rcu_dereference(c, 'gp', use(o)), (c) => [preempt_enable(c)]),
  bh_call_rcu: (sys, o) => {
    const cpu0 = cpu(sys, 'cpu0');
    const head = rcu_head(sys, cpu0, 'obj->rcu', () => [kfree(o)]);
    sys.task('reader', (self) => { const c = context(self); return [rcu_read_lock_bh(c), rcu_dereference_bh(c, 'gp', use(o)), done(o), rcu_read_unlock_bh(c)]; });
    sys.task('remover', (self) => { const c = context(self); return [unpublish(o), call_rcu(head, c)]; }, { on: cpu0 });
  },
  irqsave_check: (sys, o) => {
    const l = spinlock(sys, '&dev->lock');
    sys.task('reader', (self) => {
      const c = context(self), flags = self.local('flags', bool());
      return [spin_lock_irqsave(l, c, flags), rcu_dereference_check(c, 'gp', lockdep_is_held(l, c), use(o)), done(o), spin_unlock_irqrestore(l, c, flags)];
    });
    updater(sys, o);
  },
  spinlock_check: (sys, o) => {
    const l = spinlock(sys, '&dev->lock');
    sys.task('reader', (self) => { const c = context(self); return [spin_lock(l, c), rcu_dereference_check(c, 'gp', lockdep_is_held(l, c), use(o)), done(o), spin_unlock(l, c)]; });
    updater(sys, o);
  },
  hardirq_sched: (sys, o) => {
    const cpu1 = cpu(sys, 'cpu1');
    hardirq(sys, cpu1, 'dev_irq', (c) => [rcu_dereference_sched(c, 'gp', use(o)), done(o)]);
    updater(sys, o);
  },
  wrong_flavour: reader((c) => [rcu_read_lock(c)], (c, o) => rcu_dereference_bh(c, 'gp', use(o)), (c) => [rcu_read_unlock(c)]),
  no_reader: reader(() => [], (c, o) => rcu_dereference(c, 'gp', use(o)), () => []),
  protected_unlocked: (sys, o) => {
    const l = spinlock(sys, '&dev->lock');
    plainReader(sys, o);
    sys.task('updater', (self) => { const c = context(self); return [rcu_dereference_protected(c, 'gp', lockdep_is_held(l, c)), unpublish(o), synchronize_rcu(c), kfree(o)]; });
  },
  protected_locked: (sys, o) => {
    const l = spinlock(sys, '&dev->lock');
    plainReader(sys, o);
    sys.task('updater', (self) => {
      const c = context(self);
      return [spin_lock(l, c), rcu_dereference_protected(c, 'gp', lockdep_is_held(l, c)), unpublish(o), spin_unlock(l, c), synchronize_rcu(c), kfree(o)];
    });
  },
};

export const USE_AFTER_FREE = 'use after free';

/** Declares the object and the case; the properties every case is checked for. */
export function setupCase(p: Params, sys: System): Property[] {
  const o: Obj = { unpublished: sys.var('unpublished', bool()), using: sys.var('reader_uses_old', bool()), freed: sys.var('old_freed', bool()) };
  cases[p.case](sys, o);
  return [
    never(USE_AFTER_FREE, (s) => s.test(o.freed) && s.test(o.using)),
    sometimes('the reader holds the old object while it is unpublished', (s) => s.test(o.using) && s.test(o.unpublished)),
  ];
}
