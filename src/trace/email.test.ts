/**
 * `kmc check --format email`: a counterexample to paste into a mailing-list reply, at 72
 * columns, with the steps, the wait-for cycle, lockdep's text and the replay command, and no
 * statistics; on shipped counterexamples (a deadlock, lockdep's report, a lasso).
 */
import { describe, expect, it } from 'vitest';
import { kmc } from '../test-util/cli.ts';
import { narrowLockdep } from './lockdep.ts';

const email = async (...args: string[]): Promise<{ code: number | null; lines: string[] }> => {
  const r = await kmc('check', ...args, '--format', 'email');
  expect(r.err).toBe('');
  return { code: r.code, lines: r.out.trimEnd().split('\n') };
};

/** What an email must not carry: a line over 72 columns, the statistics. */
const mailable = (lines: readonly string[]): void => {
  expect(lines.filter((l) => l.length > 72)).toEqual([]);
  expect(lines.filter((l) => /^states |states\/s|p\(collision\)|states explored/.test(l))).toEqual([]);
};

describe('--format email', () => {
  it('AB-BA: the steps, the wait-for cycle, lockdep\'s scenario and the replay command, nothing else', async () => {
    const r = await email('classic/abba');
    expect(r.code).toBe(11);
    expect(r.lines).toEqual([
      'classic/abba', 'deadlock: wait-for cycle (AB-BA) after 2 steps (shortest)', '',
      '   T1                                T2', '   --                                --',
      '1  mutex_lock(A)', '   A=T1', '2                                    mutex_lock(B)', '                                     B=T2',
      '*** deadlock after step 2', '',
      'wait-for cycle:', '  T1 holds A and waits for B, held by T2', '  T2 holds B and waits for A, held by T1', '',
      ' Possible unsafe locking scenario:', '',
      '       CPU0                    CPU1', '       ----                    ----',
      '  lock(A);', '                               lock(B);', '                               lock(A);', '  lock(B);', '',
      ' *** DEADLOCK ***', '', ' CPU0 is T1', ' CPU1 is T2', '',
      'replay:', '  kmc check classic/abba',
    ]);
  });

  it('a three-lock deadlock (jbd2): "Chain exists of:", within 72 columns', async () => {
    const r = await email('fs-infra', '--param', 'case=jbd2_handle_abba');
    expect(r.code).toBe(11);
    mailable(r.lines);
    const text = r.lines.join('\n');
    expect(text).toContain('\nwait-for cycle:\n  jbd2/sda1 holds sda1: T_LOCKED transaction and waits for sda1:\n      t_updates, held by T2 for read\n');
    expect(text).toContain('\nChain exists of:\n  sda1: t_updates --> &ei->i_data_sem --> sda1: T_LOCKED transaction\n');
    expect(r.lines.slice(-3)).toEqual(['', 'replay:', '  kmc check fs-infra --param case=jbd2_handle_abba']);
  });

  it("lockdep's report of a circular dependency no interleaving needs to deadlock on", async () => {
    const r = await email('fs-infra', '--param', 'case=jbd2_handle_abba', '--property', 'possible');
    expect(r.code).toBe(16);
    mailable(r.lines);
    const text = r.lines.join('\n');
    expect(text).toContain('\nWARNING: possible circular locking dependency detected\n');
    expect(text).toContain('\n  rlock(jbd2_handle);\n                               lock(&ei->i_data_sem);\n');
    expect(r.lines.slice(-2)).toEqual(['replay:', '  kmc check fs-infra --param case=jbd2_handle_abba --property possible']);
  });

  it('a lasso: the cycle marked, fairness, who never progresses', async () => {
    const r = await email('classic/starvation', '--param', 'wait=bit_lock');
    expect(r.code).toBe(13);
    mailable(r.lines);
    expect(r.lines).toContain('--- cycle starts here ---');
    expect(r.lines).toContain('--- back to the start of the cycle, forever ---');
    expect(r.lines).toContain('fairness: weak: waiter, competitor');
  });

  it('a scenario row: its long replay command continues with a backslash, as a shell reads it', async () => {
    const r = await kmc('check', '--scenario', 'S-12', '--format', 'email');
    const lines = r.out.trimEnd().split('\n');
    mailable(lines);
    expect(lines.slice(-3)).toEqual(['replay:', '  kmc check dio-mmap --param fault_lock=pagecache_naive_fdm \\', '      --property deadlock']);
  });

  it('refuses another format, and --json with it', async () => {
    expect((await kmc('check', 'classic/abba', '--format', 'mbox')).err).toBe('kmc: --format mbox: expected text or email (--json for JSON)\n');
    expect((await kmc('check', 'classic/abba', '--format', 'email', '--json')).err).toBe('');
    expect(JSON.parse((await kmc('check', 'classic/abba', '--format', 'email', '--json')).out)).toEqual({ error: { kind: 'usage', message: '--format email and --json contradict each other' } });
  });
});

describe("lockdep's table within the margin", () => {
  const long = '&sb->s_type->i_mutex_key#14_with_a_long_class_name';
  const table = ['Chain exists of:', `  ${long} --> &mapping->invalidate_lock --> &ei->i_data_sem`, '', ' Possible unsafe locking scenario:', '',
    '       CPU0                    CPU1', '       ----                    ----', `  lock(&ei->i_data_sem);`, `${' '.repeat(31)}lock(${long});`, `${' '.repeat(31)}lock(&ei->i_data_sem);`, `  lock(&mapping->invalidate_lock);`, '', ' *** DEADLOCK ***'];

  it('one line per lock taken, naming its CPU, where a column would pass 72; a long chain continued at its arrows', () => {
    expect(narrowLockdep(table, 72)).toEqual(['Chain exists of:', `  ${long}`, '    --> &mapping->invalidate_lock', '    --> &ei->i_data_sem', '', ' Possible unsafe locking scenario:', '',
      '  CPU0: lock(&ei->i_data_sem);', `  CPU1: lock(${long});`, '  CPU1: lock(&ei->i_data_sem);', '  CPU0: lock(&mapping->invalidate_lock);', '', ' *** DEADLOCK ***']);
  });

  it('as lockdep prints it where it fits', () => {
    expect(narrowLockdep(table, 120)).toEqual(table);
  });
});
