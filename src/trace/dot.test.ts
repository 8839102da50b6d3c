/** Graphviz output: the wait-for cycle and the state graph with the counterexample in red; rendered with dot when it is installed. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../check/check.ts';
import { loadModel } from '../cli/load-model.ts';
import { DOT_MAX_STATES, dotOf } from './dot.ts';
import { abba } from '../test-util/tiny.ts';
import { kmc } from '../test-util/cli.ts';
import { hasDot, required } from '../test-util/tools.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kmc-dot-'));

describe('DOT', () => {
  it('a deadlock: the wait-for cycle, and the whole state graph with the counterexample in red and its last state filled', () => {
    const { dot, whole } = dotOf(check(abba));
    expect(whole).toBe(true);
    const lines = dot.split('\n');
    expect(lines.slice(0, 10)).toEqual([
      'digraph kmc {',
      '  label="two-locks: deadlock after 2 steps"; labelloc=t;',
      '  node [fontname="monospace", fontsize=10]; edge [fontname="monospace", fontsize=9];',
      '  subgraph cluster_waitfor {',
      '    label="wait-for cycle (each arrow: a waiter to the holder, labelled with the lock)"; color="#b00020"; fontcolor="#b00020";',
      '    w0 [label="T1", shape=box, style=rounded];',
      '    w1 [label="T2", shape=box, style=rounded];',
      '    w0 -> w1 [label="B", color="#b00020", fontcolor="#b00020"];',
      '    w1 -> w0 [label="A", color="#b00020", fontcolor="#b00020"];',
      '  }',
    ]);
    expect(lines).toContain('    label="state graph: 19 states, the counterexample in red";');
    expect(lines.filter((l) => /^ {4}s\d+ \[/.test(l))).toHaveLength(19);
    expect(lines.filter((l) => /^ {4}s\d+ -> s\d+ /.test(l))).toHaveLength(22);
    expect(lines).toContain('    s0 [label="0\\nT1 at mutex_lock(A)\\nT2 at mutex_lock(B)", shape=box, peripheries=2, color="#b00020", penwidth=2];');
    expect(lines).toContain('    s4 [label="4\\nT1 at mutex_lock(B)\\nT2 at mutex_lock(A)", shape=box, color="#b00020", penwidth=2, style=filled, fillcolor="#fde7ea"];');
    expect(lines.filter((l) => l.includes('-> s') && l.includes('color="#b00020"'))).toEqual([
      '    s0 -> s1 [label="T1: mutex_lock(A)", color="#b00020", fontcolor="#b00020", penwidth=2];',
      '    s1 -> s4 [label="T2: mutex_lock(B)", color="#b00020", fontcolor="#b00020", penwidth=2];',
    ]);
  });

  it(`above ${DOT_MAX_STATES} states: the counterexample's states alone, and the graph's label says so`, async () => {
    const { dot, whole } = dotOf(check(await loadModel('classic/philosophers'), { params: { n: 6 } }));
    expect(whole).toBe(false);
    expect(dot).toContain(`    label="the counterexample's 7 states (the state graph has more than ${DOT_MAX_STATES} states)";`);
    expect(dot.split('\n').filter((l) => /^ {4}s\d+ -> s\d+ .*penwidth=2/.test(l))).toHaveLength(6);
    expect(dot).toContain('    w5 -> w0 [label="fork[0]"');
  });

  it('kmc check --dot writes it; what cannot be drawn is one line on stderr, and the verdict keeps its exit code', async () => {
    const file = join(tmp, 'abba.dot');
    expect((await kmc('check', 'classic/abba', '--dot', file)).code).toBe(11);
    expect(readFileSync(file, 'utf8')).toBe(dotOf(check(abba)).dot.replace('two-locks', 'classic/abba'));
    const six = join(tmp, 'six.dot'), p6 = await kmc('check', 'classic/philosophers', '--param', 'n=6', '--dot', six);
    expect([p6.code, p6.err]).toEqual([11, `kmc: --dot ${six}: the state graph has more than ${DOT_MAX_STATES} states: only the counterexample's states are drawn\n`]);
    expect(existsSync(six)).toBe(true);
    // the default five philosophers: 392 states, past the 100 drawn whole unless --dot-states asks for more
    expect(DOT_MAX_STATES).toBe(100);
    const five = join(tmp, 'five.dot'), p5 = await kmc('check', 'classic/philosophers', '--dot', five);
    expect([p5.code, p5.err]).toEqual([11, `kmc: --dot ${five}: the state graph has more than 100 states: only the counterexample's states are drawn\n`]);
    expect(readFileSync(five, 'utf8')).toContain(`    label="the counterexample's 6 states (the state graph has more than 100 states)";`);
    const asked = await kmc('check', 'classic/philosophers', '--dot', five, '--dot-states', '400');
    expect([asked.code, asked.err]).toEqual([11, '']);
    expect(readFileSync(five, 'utf8')).toContain('    label="state graph: 392 states, the counterexample in red";');
    expect((await kmc('check', 'classic/philosophers', '--dot-states', '400')).err).toBe('kmc: --dot-states sizes the graph that --dot draws: give --dot FILE too\n');
    expect((await kmc('check', 'classic/philosophers', '--dot', five, '--dot-states', '0')).err).toBe('kmc: --dot-states 0: expected an integer >= 1\n');
    const big = join(tmp, 'ring.dot'), r = await kmc('check', 'classic/dio-ring', '--param', 'n=3', '--no-deadlock', '--dot', big, '--html', join(tmp, 'ring.html'));
    expect(r.code).toBe(0);
    expect(r.err).toBe(`kmc: --html ${join(tmp, 'ring.html')}: not written: the verdict (ok) has no counterexample to show\n` +
      `kmc: --dot ${big}: not written: the state graph has more than ${DOT_MAX_STATES} states, and the verdict (ok) has no counterexample\n`);
    expect(existsSync(big)).toBe(false);
  });

  it.skipIf(!hasDot && !required)('renders with Graphviz dot: the deadlock, the large model and a lasso', async () => {
    const pics = [
      dotOf(check(abba)).dot,
      dotOf(check(await loadModel('classic/philosophers'), { params: { n: 6 } })).dot,
      dotOf(check(await loadModel('classic/starvation'), { params: { wait: 'bit_lock' } })).dot,
    ];
    for (const dot of pics) {
      const r = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toContain('<title>cluster_states</title>');
      expect(r.stdout).toContain('<title>s0</title>');
    }
    expect(spawnSync('dot', ['-Tsvg'], { input: pics[0], encoding: 'utf8' }).stdout).toContain('<title>cluster_waitfor</title>');
  });
});
