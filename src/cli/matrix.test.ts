/**
 * `kmc matrix`, in every form the tests look at it (text, Markdown, JSON, shards, the README's
 * quick start): one file, so that this process computes each row once (`matrix.ts` keeps the rows
 * it computed) and every form after the first reuses them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './load-model.ts';
import { kmc } from '../test-util/cli.ts';

/** A section of the README, from its `## title` to the next. */
const section = (title: string): string => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8'), at = readme.indexOf(`\n## ${title}`);
  expect(at, `README section '${title}'`).toBeGreaterThan(0);
  return readme.slice(at + 1, readme.indexOf('\n## ', at + 1));
};

describe('kmc matrix', () => {
  it('prints the design-space matrix of every family, then the classic models', async () => {
    const r = await kmc('matrix');
    expect(r.code).toBe(0);
    const row = (label: string) => r.out.split('\n').find((l) => l.startsWith(`${label}  `))?.split(/ {2,}/).slice(1);
    expect((await kmc('matrix', '--markdown')).out).toContain('| mainline W0, FOLL_PIN\\|FOLL_WRITE ');
    // faults and GUP take mmap_read_lock, a step lockdep sees: every GUP and fault trace is two to four steps longer than when it was elided
    expect(row('mainline W0, FOLL_PIN|FOLL_WRITE')).toEqual(['violated(14)', 'violated(15)', 'violated(18)', 'holds', 'holds', 'holds', 'holds', '903']);
    expect(row('W1-ok, FOLL_PIN|FOLL_WRITE')).toEqual(['holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'holds', '575']);
    expect(row('W1-ok, FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE (RDMA), long-term pin')?.slice(0, 7)).toEqual(['holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'lasso(14+0)']);
    expect(row('mainline W0, FOLL_PIN|FOLL_WRITE, bcachefs (checksummed writes bounce)')?.slice(0, 5)).toEqual(['violated(16)', 'holds', 'violated(20)', 'holds', 'n/a']);
    expect(row('mainline W0, FOLL_PIN|FOLL_WRITE, punch hole, no user')?.slice(0, 4)).toEqual(['violated(16)', 'violated(17)', 'violated(20)', 'violated(22)']);
    expect(row('GFS2 prefault, FOLL_NOFAULT, retry, filemap_fault')?.slice(0, 4)).toEqual(['holds', 'lasso(22+24)', 'holds', 'lasso(44+96)']);   // 21+23, 42+92 before the DIO tried GUP-fast first (pin_user_pages_fast); 19+21, 38+84 before the prefault released mmap_lock for its read (VM_FAULT_RETRY)
    expect(row('bcachefs block lock across GUP, same-mapping fdm only')?.slice(0, 3)).toEqual(['holds', 'holds', 'deadlock(18)']);   // 16 before the DIO tried GUP-fast first (pin_user_pages_fast)
    expect(row('bcachefs block lock across GUP, ordered trylock and drop')?.slice(0, 5)).toEqual(['holds', 'holds', 'holds', 'holds', 'deadlock(16)']);   // 14 before the DIO tried GUP-fast first (pin_user_pages_fast)
    expect(row('iomap DIO')?.slice(0, 5)).toEqual(['holds', 'holds', 'holds', 'violated(28)', 'holds']);   // P6 +store: violated(24) before the store's fault released mmap_lock and retried (VM_FAULT_RETRY)
    expect(row('folio lock first')?.slice(0, 2)).toEqual(['holds', 'deadlock(8)']);
    // the kernel-locking known answers: lockdep's rules, lock classes, RCU readers, seqcounts
    expect(row('A taken in a hardirq, A -> B in a task, B taken with irqs on')).toEqual(['holds', 'holds', 'holds', 'warning(5)', '31']);
    expect(row('spin_unlock_irq(B) inside spin_lock_irqsave(A), A also taken in a hardirq of another CPU')).toEqual(['holds', 'holds', 'warning(3)', 'holds', '26']);
    expect(row('three mutexes taken around a cycle by three tasks')).toEqual(['deadlock(3)', 'warning(2)', 'holds', 'holds', '87']);
    expect(row('inode_lock(A) then inode_lock(B), two ext4 files')).toEqual(['holds', 'warning(2)', '5']);
    expect(row('inode_lock of an ext4 file, then of an xfs file')).toEqual(['holds', 'holds', '5']);
    expect(row('lock_two_nondirectories(A, B) and (B, A) in two tasks')).toEqual(['holds', 'holds', '27']);
    expect(row('an ext4 file and an xfs file locked in opposite orders by two tasks')).toEqual(['deadlock(4)', 'warning(2)', '32']);
    expect(row('two mutexes of one class nested in opposite orders with mutex_lock_nested(..., 1)')).toEqual(['deadlock(2)', 'holds', '19']);
    expect(row('preempt_disable() + rcu_dereference()')).toEqual(['holds', 'holds', 'violated(2)', '30']);
    expect(row('rcu_dereference() with no protection')).toEqual(['holds', 'violated(5)', 'violated(1)', '19']);
    expect(row('write_seqcount_begin() on a seqcount_t with preemption enabled')).toEqual(['holds', 'violated(1)', 'holds', '4']);
    expect(row('read_seqlock_excl() with bottom halves on, a softirq writer on that CPU')).toEqual(['deadlock(2)', 'n/a', 'warning(2)', '21']);
    expect(row('classic/abba')).toEqual(['ordered=false', 'deadlock(2)', 'deadlock', '7', '2']);
  });

  it('the shards computed every row of every table once', async () => {
    const rows = async (args: string[]): Promise<string[]> => (JSON.parse((await kmc('matrix', '--json', ...args)).out) as { tables: { title: string; rows: string[][] }[] })
      .tables.flatMap((t) => t.rows.slice(1).map((r) => `${t.title} | ${r.join(' | ')}`));
    const all = await rows([]), parts = [await rows(['--shard', '1/2']), await rows(['--shard', '2/2'])];
    expect(parts[0]!.length).toBeGreaterThan(0);
    expect(parts[1]!.length).toBeGreaterThan(0);
    expect(parts.flat().sort()).toEqual([...all].sort());
  });

  it('the quick start matrix rows are what kmc matrix prints', async () => {
    const sample = /for example:\n\n```\n([\s\S]*?)```/.exec(section('Quick start'))![1]!.trimEnd().split('\n');
    const run = await kmc('matrix');
    expect(run.code).toBe(0);
    for (const row of sample) expect(run.out).toContain(row);
  });

  it('--json is one JSON document on stdout, exit 0', async () => {
    const r = await kmc('matrix', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toHaveProperty('tables');
  });
});
