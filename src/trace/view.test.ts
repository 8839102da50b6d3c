/** The trace viewer's data (from an ITF trace alone) and the page around it; the page in a browser: viewer.test.ts. */
import { describe, expect, it } from 'vitest';
import { check } from '../check/check.ts';
import { itfOf } from './report.ts';
import { showItf, viewOf } from './view.ts';
import { traceHtml } from './html.ts';
import { circularCycleSvg, cycleDot, cycleSvg, graphviz } from './cycle-svg.ts';
import { abba } from '../test-util/tiny.ts';
import { loadModel } from '../cli/load-model.ts';
import { dotOf } from './dot.ts';
import type { Itf } from './itf.ts';

const abbaItf = itfOf(check(abba))!;

describe('the viewer data', () => {
  it('lanes, steps with labels, kernel functions and diffs, the locks of every state, the cycle and the ending', () => {
    const v = viewOf(abbaItf);
    expect(v.title).toBe('two-locks');
    expect(v.headline).toBe('deadlock after 2 steps');
    expect(v.lanes).toEqual(['T1', 'T2']);
    expect(v.steps).toEqual([
      { actor: undefined, label: 'initial state', fn: '', frame: [], changes: [] },
      { actor: 'T1', label: 'mutex_lock(A)', fn: 'kernel/locking/mutex.c: mutex_lock', frame: [], changes: ['A=T1'] },
      { actor: 'T2', label: 'mutex_lock(B)', fn: 'kernel/locking/mutex.c: mutex_lock', frame: [], changes: ['B=T2'] },
    ]);
    expect(v.fields[1]).toEqual([['A', 'T1'], ['B', '-'], ['T1.pc', 'mutex_lock(B)'], ['T2.pc', 'mutex_lock(B)']]);
    expect(v.locks).toEqual([
      [],
      [{ lock: 'A', holds: ['T1'], shares: [], queued: [], waiting: [] }],
      [{ lock: 'A', holds: ['T1'], shares: [], queued: [], waiting: ['T2'] }, { lock: 'B', holds: ['T2'], shares: [], queued: [], waiting: ['T1'] }],
    ]);
    expect(v.cycle).toEqual([{ actor: 'T1', waitsFor: 'B', heldBy: 'T2' }, { actor: 'T2', waitsFor: 'A', heldBy: 'T1' }]);
    expect([v.loop, v.ending]).toEqual([undefined, 'deadlock']);
  });

  it("shows another tool's ITF: lanes from the steps' actors (or one), values decoded, no lock information", () => {
    const itf: Itf = {
      '#meta': { status: 'violation' }, vars: ['x', 's', 'm', 'mbt::actionTaken'],
      states: [
        { x: { '#bigint': '0' }, s: { '#set': [] }, m: { '#map': [] }, 'mbt::actionTaken': 'init' },
        { x: { '#bigint': '1' }, s: { '#set': ['a', 'b'] }, m: { '#map': [[{ '#bigint': '1' }, { '#tup': [true, 'b'] }]] }, 'mbt::actionTaken': 'Step' },
      ],
    };
    const v = viewOf(itf);
    expect([v.lanes, v.locks, v.cycle, v.ending, v.headline]).toEqual([['trace'], undefined, undefined, undefined, 'violation: 1 step']);
    expect(v.steps[1]).toEqual({ actor: undefined, label: 'Step', fn: '', frame: [], changes: ['x=1', 's={a,b}', 'm={1↦(true, b)}'] });
    expect(showItf({ tag: 'Free', value: { '#tup': [] } })).toBe('-');
  });
});

describe('the page', () => {
  it('is one self-contained document: no external resource, the data in one JSON script element that no string can close', async () => {
    const itf = { ...abbaItf, '#meta': { ...abbaItf['#meta'], source: '</script><script>alert(1)</script>' } };
    const html = await traceHtml(itf);
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(http|<link/);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain('<h1 id="model"><span class="tok">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span></h1>');
    const data = /<script type="application\/json" id="kmc-trace">(.*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(data)).toEqual(JSON.parse(JSON.stringify(viewOf(itf))));
  });

  const two = [{ actor: 'T1', waitsFor: 'B', heldBy: 'T2' }, { actor: 'T2', waitsFor: 'A', heldBy: 'T1' }];
  const nodes = (svg: string): string[] => [...svg.matchAll(/<g [^>]*class="node"[^>]*>[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  const edges = (svg: string): string[] => [...svg.matchAll(/<g [^>]*class="edge"[^>]*>[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

  it('the wait-for cycle in DOT: each actor once, exactly one edge per link, from the waiter to the holder, labelled with the lock', () => {
    expect(cycleDot(two).split('\n').filter((l) => l.includes('label='))).toEqual([
      '  w0 [label="T1"];', '  w1 [label="T2"];', '  w0 -> w1 [label="B"];', '  w1 -> w0 [label="A"];',
    ]);
  });

  it("the page's cycle has exactly the edges of --dot's wait-for cluster (five philosophers)", async () => {
    const r = check(await loadModel('classic/philosophers'));
    /** `waiter -> holder: lock` for every edge of a DOT text, nodes by their labels. */
    const arrows = (dot: string): string[] => {
      const names = new Map([...dot.matchAll(/^ +(w\d+) \[label="([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
      return [...dot.matchAll(/^ +(w\d+) -> (w\d+) \[label="([^"]*)"/gm)].map((m) => `${names.get(m[1]!)} -> ${names.get(m[2]!)}: ${m[3]}`);
    };
    const page = arrows(cycleDot(viewOf(itfOf(r)!).cycle!));
    expect(page).toEqual(['phil0 -> phil1: fork[1]', 'phil1 -> phil2: fork[2]', 'phil2 -> phil3: fork[3]', 'phil3 -> phil4: fork[4]', 'phil4 -> phil0: fork[0]']);
    expect(page).toEqual(arrows(dotOf(r).dot));
  });

  it('the circular drawing (no layout engine installed): the same nodes and edges; a self-wait is one loop; every name escaped', () => {
    const svg = circularCycleSvg(two);
    expect([nodes(svg), edges(svg)]).toEqual([['T1', 'T2'], ['B', 'A']]);
    expect(svg.match(/<path class="wait"/g)).toHaveLength(2);
    expect(circularCycleSvg([{ actor: 'T', waitsFor: 'A', heldBy: 'T' }]).match(/<path class="wait" d="M[^"]* C/g)).toHaveLength(1);
    const evil = circularCycleSvg([{ actor: '<b>x', waitsFor: '</svg><script>', heldBy: 'y&' }]);
    expect([nodes(evil), edges(evil), evil.includes('<script>')]).toEqual([['&lt;b&gt;x', 'y&amp;'], ['&lt;/svg&gt;&lt;script&gt;'], false]);
  });

  it('the drawing the page gets: laid out by Graphviz (WebAssembly) when @viz-js/viz is installed, else the circular one; same nodes and edges', async () => {
    const svg = await cycleSvg(two), g = await graphviz();
    expect(svg).toMatch(g ? /^<svg id="cycle-svg" class="graphviz"/ : /^<svg id="cycle-svg" class="circular"/);
    expect([nodes(svg), edges(svg)]).toEqual([['T1', 'T2'], ['B', 'A']]);
    expect(await cycleSvg(two, 'circle')).toBe(circularCycleSvg(two));
    const evil = await cycleSvg([{ actor: '<b>x', waitsFor: '</svg><script>', heldBy: 'y&' }, { actor: 'y&', waitsFor: '&lt;i&gt;', heldBy: '<b>x' }]);
    expect([nodes(evil), edges(evil), evil.includes('<script>'), evil.includes('<b>')]).toEqual([['&lt;b&gt;x', 'y&amp;'], ['&lt;/svg&gt;&lt;script&gt;', '&amp;lt;i&amp;gt;'], false, false]);
  });
});
