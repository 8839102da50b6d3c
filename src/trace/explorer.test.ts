/** The explorer's data (the state graph a page holds), its page, and `kmc explore`; the page in a browser: viewer.test.ts. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { always, transition } from '../index.ts';
import { instantiate } from '../state/instance.ts';
import { abba, abbaOrdered, counter } from '../test-util/tiny.ts';
import { kmc } from '../test-util/cli.ts';
import { explore, type Explored } from './explorer.ts';
import { explorerHtml } from './explorer-html.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kmc-explore-'));
const moves = (g: Explored, i: number): string[] =>
  g.states[i]!.actors.flatMap((a) => (a.kind === 'enabled' ? a.moves.map((m) => `${g.steps[m.step]!.actor}: ${g.steps[m.step]!.label} -> ${m.to}`) : []));

describe('the explorer', () => {
  it('holds every reachable state (as many as the checker finds), each with its moves, its locks, who is blocked on what, and its deadlock', () => {
    const g = explore(instantiate(abba), 1000);
    expect([g.states.length, g.truncated, explore(instantiate(abbaOrdered), 1000).states.length]).toEqual([19, undefined, 16]);
    expect([g.model, g.actors, g.fields]).toEqual(['two-locks', ['T1', 'T2'], ['A', 'B', 'T1.pc', 'T2.pc']]);
    expect(moves(g, 0)).toEqual(['T1: mutex_lock(A) -> 1', 'T2: mutex_lock(B) -> 2']);
    expect(moves(g, 1)).toEqual(['T1: mutex_lock(B) -> 3', 'T2: mutex_lock(B) -> 4']);
    const dead = g.states[4]!;
    expect(dead.actors).toEqual([
      { kind: 'blocked', at: 'mutex_lock(B)', waits: [{ resource: 'B', on: ['T2'], retries: false }] },
      { kind: 'blocked', at: 'mutex_lock(A)', waits: [{ resource: 'A', on: ['T1'], retries: false }] },
    ]);
    expect(dead.deadlock).toEqual([{ actor: 'T1', waitsFor: 'B', heldBy: 'T2' }, { actor: 'T2', waitsFor: 'A', heldBy: 'T1' }]);
    expect(dead.locks).toEqual([{ lock: 'A', holds: ['T1'], shares: [], queued: [], waiting: ['T2'] }, { lock: 'B', holds: ['T2'], shares: [], queued: [], waiting: ['T1'] }]);
    expect(dead.values.map((v) => g.values[v])).toEqual(['T1', 'T2', 'mutex_lock(B)', 'mutex_lock(A)']);
    expect(g.states.filter((s) => s.deadlock !== undefined)).toHaveLength(1);
    expect(g.states.filter((s) => s.actors.every((a) => a.kind === 'done'))).toHaveLength(1);
  });

  it('marks the states that violate a safety property and the moves that break a transition property; past the bound, a move leads nowhere', () => {
    const m = counter(3, (x) => [always('x < 2', (s) => s.get(x) < 2), transition('no step to 3', ({ after }) => after.get(x) !== 3)]);
    const g = explore(instantiate(m), 100);
    expect(g.states.map((s) => s.violates)).toEqual([[], [], ['x < 2'], ['x < 2']]);
    expect(g.states.map((s) => s.actors[0]!.kind === 'enabled' ? s.actors[0]!.moves.map((mv) => mv.breaks ?? []) : 'done')).toEqual([[[]], [[]], [['no step to 3']], 'done']);
    const cut = explore(instantiate(m), 2);
    expect([cut.states.length, cut.truncated, moves(cut, 1)]).toEqual([2, 2, ['T: x = 2 -> -1']]);
  });

  it('the page: self-contained, the data in JSON script elements no string can close, the model and a loaded trace escaped', () => {
    const g = { ...explore(instantiate(abba), 100), model: '</script><script>alert(1)</script>' };
    const html = explorerHtml(g, { doc: { states: [{ x: '</script><b>' }] }, name: '</script>' });
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(http|<link/);
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).toContain('<h1 id="model"><span class="tok">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span></h1>');
    const data = (id: string): unknown => JSON.parse(new RegExp(`<script type="application/json" id="${id}">(.*)</script>`).exec(html)![1]!);
    expect(data('kmc-explored')).toEqual(JSON.parse(JSON.stringify(g)));
    expect(data('kmc-preload')).toEqual({ doc: { states: [{ x: '</script><b>' }] }, name: '</script>' });
  });

  it('kmc explore writes the page; past --max-states it says so on stderr; bad input is one line', async () => {
    const out = join(tmp, 'phil.html'), r = await kmc('explore', 'classic/philosophers', '--param', 'n=3', '--out', out, '--json');
    expect([r.code, r.err, JSON.parse(r.out)]).toEqual([0, '', { model: 'classic/philosophers', params: { n: 3 }, html: out, states: 35, complete: true }]);   // as kmc check --no-deadlock counts them
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
    const cut = await kmc('explore', 'classic/philosophers', '--out', out, '--max-states', '50');
    expect([cut.code, cut.out, cut.err]).toEqual([0, `wrote ${out} (50 states)\n`, 'kmc: explore: the model has more than 50 states: the page holds the first 50 (--max-states)\n']);
    // a saved trace without a model: the trace's model, with the parameters it recorded
    const trace = join(tmp, 'phil3.itf.json');
    writeFileSync(trace, JSON.stringify(JSON.parse((await kmc('check', 'classic/philosophers', '--param', 'n=3', '--json')).out).trace));
    const t = await kmc('explore', '--trace', trace, '--out', out, '--json');
    expect([t.code, t.err, JSON.parse(t.out)]).toEqual([0, '', { model: 'classic/philosophers', params: { n: 3 }, html: out, states: 35, complete: true }]);
    expect(JSON.parse(/<script type="application\/json" id="kmc-preload">(.*)<\/script>/.exec(readFileSync(out, 'utf8'))![1]!).name).toBe('phil3.itf.json');
    expect((await kmc('explore')).err).toBe('kmc: kmc explore: give a model (see kmc list), or --trace FILE.itf.json\n');
    expect((await kmc('explore', 'classic/abba', '--max-states', '0')).err).toBe('kmc: --max-states 0: expected an integer >= 1\n');
    expect((await kmc('explore', 'classic/abba', '--trace', 'package.json')).err).toBe('kmc: package.json: not an ITF trace: vars is not a list of names\n');
    expect((await kmc('explore', 'classic/abba', '--out', '/nonexistent/x.html')).err).toMatch(/^kmc: cannot write \/nonexistent\/x\.html: ENOENT[^\n]*\n$/);
  });
});
