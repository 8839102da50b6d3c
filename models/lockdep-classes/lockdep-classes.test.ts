/** The known answers of lockdep-classes, pinned: verdicts, state counts, runs and lockdep's words. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { textReport } from '../../src/trace/report.ts';
import { down_write_nested, LOCK_ORDER, rwsem } from '../../src/kernel/index.ts';
import { System } from '../../src/model/system.ts';
import model from './index.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);
const KEY = '&sb->s_type->i_mutex_key';

/** print_deadlock_bug's report for class `cls` taken at `at` while held. */
const recursive = (cls: string, at: string): string => [
  '============================================',
  'WARNING: possible recursive locking detected',
  '--------------------------------------------',
  'T/0 is trying to acquire lock:',
  ` (${cls}){+.+.}-{4:4}, at: ${at}`, '',
  'but task is already holding lock:',
  ` (${cls}){+.+.}-{4:4}`, '',
  'other info that might help us debug this:',
  ' Possible unsafe locking scenario:', '',
  '       CPU0', '       ----', `  lock(${cls});`, `  lock(${cls});`, '', ' *** DEADLOCK ***', '',
  ' May be due to missing lock nesting notation',
].join('\n');

describe('lockdep-classes: one class per filesystem type (inode_init_always)', () => {
  it('two ext4 files locked nested without annotation: possible recursive locking on &sb->s_type->i_mutex_key', () => {
    const r = run('unannotated_pair');
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 2 } });
    expect(r.stats.states).toBe(5);
    expect(steps(r)).toEqual(['T: inode_lock(A)', 'T: inode_lock(B)']);
    expect(textReport(r)).toContain(recursive(KEY, 'inode_lock(B)'));
  });

  it('an ext4 file then an xfs file: two classes, no report (the code before this answered recursive locking)', () => {
    const r = run('ext4_then_xfs');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(5);
  });

  it('an ext4 and an xfs file in both orders: the deadlock, and lockdep\'s circular dependency between &sb->s_type->i_mutex_key and …#2', () => {
    const r = run('ext4_xfs_abba');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 4 } });
    expect(r.stats.states).toBe(22);
    const l = run('ext4_xfs_abba', LOCK_ORDER);
    expect(l.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 2 } });
    expect(l.stats.states).toBe(32);
    const text = textReport(l);
    expect(text).toContain([
      'WARNING: possible circular locking dependency detected',
      '------------------------------------------------------',
      'T2/1 is trying to acquire lock:',
      ` (${KEY}){+.+.}-{4:4}, at: inode_lock(A)`, '',
      'but task is already holding lock:',
      ` (${KEY}#2){+.+.}-{4:4}`, '',
    ].join('\n'));
    expect(text).toContain([
      `  lock(${KEY}#2);`,
      `                               lock(${KEY});`,
      `                               lock(${KEY}#2);`,
      `  lock(${KEY});`,
    ].join('\n'));
  });

  it('two ext4 files in both orders: the deadlock, reported by lockdep as recursive locking on the one class', () => {
    expect(run('ext4_ext4_abba').verdict).toMatchObject({ kind: 'deadlock', path: { length: 4 } });
    const l = run('ext4_ext4_abba', LOCK_ORDER);
    expect(l.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 2 } });
    expect(l.stats.states).toBe(32);
    expect(textReport(l)).toContain(recursive(KEY, 'inode_lock(B)').replace('T/0', 'T1/0'));
  });

  it('two invalidate_locks of one filesystem: recursive locking on mapping.invalidate_lock (lockdep_set_class_and_name)', () => {
    const r = run('invalidate_unannotated');
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 2 } });
    expect(r.stats.states).toBe(5);
    expect(textReport(r)).toContain(recursive('mapping.invalidate_lock', 'filemap_invalidate_lock(B)'));
  });
});

describe('lockdep-classes: nesting annotations (a subclass is a class of its own)', () => {
  it('lock_two_nondirectories(A, B): no report', () => {
    const r = run('lock_two');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(5);
  });

  it('lock_two_nondirectories on (A, B) and (B, A): ordered by address, neither a deadlock nor a report', () => {
    const r = run('lock_two_crossed');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(27);
  });

  it('a third file nested as I_MUTEX_NONDIR2: recursive locking on &sb->s_type->i_mutex_key/4', () => {
    const r = run('third_nondir2');
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 3 } });
    expect(r.stats.states).toBe(7);
    expect(steps(r)).toEqual(['T: inode_lock(A)', 'T: inode_lock_nested(B, I_MUTEX_NONDIR2)', 'T: inode_lock_nested(C, I_MUTEX_NONDIR2)']);
    expect(textReport(r)).toContain(recursive(`${KEY}/4`, 'inode_lock_nested(C,\n     I_MUTEX_NONDIR2)'));
  });

  it('filemap_invalidate_lock_two on (A, B) and (B, A): no report', () => {
    const r = run('invalidate_two_crossed');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(27);
  });

  it('mutex_lock_nested in opposite orders: a deadlock lockdep does not report (it trusts the annotation)', () => {
    const r = run('nested_hides_abba');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 2 } });
    expect(r.stats.states).toBe(7);
    const l = run('nested_hides_abba', LOCK_ORDER);
    expect(l.verdict).toEqual({ kind: 'ok' });
    expect(l.stats.states).toBe(19);
  });

  it('a subclass outside 0..7 is a one-line error naming it; so is an actor that cannot keep it', () => {
    const sys = new System(), sem = rwsem(sys, 'S');
    expect(() => sys.task('T', (t) => down_write_nested(sem, 8, t))).toThrow('down_write_nested(S): subclass 8 is not in 0..7 (MAX_LOCKDEP_SUBCLASSES)');
    const ref = { id: 0, name: 'T', kind: 'task' as const, fairness: 'weak' as const };
    expect(() => down_write_nested(sem, 1, ref)).toThrow('down_write_nested(S): the actor must be the task\'s self or current(self)');
  });
});
