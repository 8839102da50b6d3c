/**
 * The wait-for cycle as an SVG drawing for the trace viewer: one node per actor in the cycle and
 * exactly one arrow per link of the cycle, from the waiter to the holder, labelled with the lock
 * (the same nodes and edges as the `cluster_waitfor` of `kmc check --dot`).
 *
 * Laid out by Graphviz (`dot`, left to right) compiled to WebAssembly (`@viz-js/viz`), in
 * process, when that package is installed: the SVG it writes is inlined into the page, so the
 * page fetches nothing and runs no layout code. Without it, a deterministic circular layout:
 * the actors on a circle in the order of the cycle, the first at the top (two side by side),
 * each arrow bent outwards with its label at the middle of the bend; for the 1–6 actors of a
 * wait-for cycle no two labels meet. Both drawings have the same structure: `g.node` (a
 * `text` with the actor), `g.edge` (`path`s and a `text` with the lock).
 */

/** One link of the cycle, by name: `actor` waits for `waitsFor`, which `heldBy` holds. */
export interface CycleLink { readonly actor: string; readonly waitsFor: string; readonly heldBy: string }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A DOT string whose text Graphviz draws as it is (`&` too: Graphviz would read `&lt;` as `<`). */
const q = (s: string): string => `"${s.replace(/&/g, '&amp;').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** The actors of the cycle, each once, in the order the cycle meets them. */
export const cycleActors = (cycle: readonly CycleLink[]): string[] => [...new Set(cycle.flatMap((l) => [l.actor, l.heldBy]))];

/** The cycle as a DOT graph: nodes `w<i>` labelled with the actors, one edge per link. */
export function cycleDot(cycle: readonly CycleLink[]): string {
  const actors = cycleActors(cycle), id = (a: string): string => `w${actors.indexOf(a)}`;
  return [
    'digraph waitfor {',
    '  rankdir=LR; bgcolor=transparent; nodesep=0.5; ranksep=0.9;',
    '  node [shape=box, style=rounded, fontname="monospace", fontsize=12];',
    '  edge [fontname="monospace", fontsize=11, color="#b00020", fontcolor="#b00020"];',
    ...actors.map((a) => `  ${id(a)} [label=${q(a)}];`),
    ...cycle.map((l) => `  ${id(l.actor)} -> ${id(l.heldBy)} [label=${q(l.waitsFor)}];`),
    '}',
  ].join('\n') + '\n';
}

interface Viz { renderString(dot: string, opts: { format: 'svg'; engine?: string }): string }
/** The package laid out with, when it is installed (imported by a name TypeScript does not resolve: it is optional). */
const VIZ = '@viz-js/viz';
let viz: Promise<Viz | undefined> | undefined;
/** Graphviz in WebAssembly, or undefined when `@viz-js/viz` is not installed. */
export function graphviz(): Promise<Viz | undefined> {
  viz ??= (import(VIZ) as Promise<{ instance(): Promise<Viz> }>).then((m) => m.instance(), () => undefined);
  return viz;
}

/** Graphviz's SVG as an element to inline: no XML prolog, doctype or comments, the given id. */
const inlineSvg = (svg: string): string =>
  svg.replace(/^[\s\S]*?(?=<svg\b)/, '').replace(/<!--[\s\S]*?-->\n?/g, '').replace(/^<svg\b/, '<svg id="cycle-svg" class="graphviz" role="img" aria-label="wait-for cycle"').trim();

/** The drawing: Graphviz's when `@viz-js/viz` is installed (and `engine` is not `circle`), else the circular one. */
export async function cycleSvg(cycle: readonly CycleLink[], engine: 'graphviz' | 'circle' = 'graphviz'): Promise<string> {
  const g = engine === 'graphviz' ? await graphviz() : undefined;
  return g ? inlineSvg(g.renderString(cycleDot(cycle), { format: 'svg', engine: 'dot' })) : circularCycleSvg(cycle);
}

/** The deterministic circular layout (see the module's doc). */
export function circularCycleSvg(cycle: readonly CycleLink[]): string {
  const actors = cycleActors(cycle), n = actors.length;
  const R = n === 1 ? 0 : n === 2 ? 100 : 50 + 14 * n, node = 24, first = n === 2 ? Math.PI : -Math.PI / 2;
  const at = (a: string): [number, number] => {
    const t = first + (2 * Math.PI * actors.indexOf(a)) / n;
    return [R * Math.cos(t), R * Math.sin(t)];
  };
  const f = (x: number): string => x.toFixed(1);
  const box: [number, number][] = [];
  const text = (x: number, y: number, s: string): string => {
    const half = 3.9 * s.length;   // about half the width of s in 12px monospace
    box.push([x - half, y - 13], [x + half, y + 5]);
    return `<text x="${f(x)}" y="${f(y)}">${esc(s)}</text>`;
  };
  const arrow = (x: number, y: number, dx: number, dy: number): string => {
    const d = Math.hypot(dx, dy), ux = dx / d, uy = dy / d;
    return `<path class="head" d="M${f(x)},${f(y)} L${f(x - 9 * ux + 4 * uy)},${f(y - 9 * uy - 4 * ux)} L${f(x - 9 * ux - 4 * uy)},${f(y - 9 * uy + 4 * ux)} z"/>`;
  };
  const edges = cycle.map((l) => {
    const [px, py] = at(l.actor), [qx, qy] = at(l.heldBy);
    if (l.actor === l.heldBy) {
      const sx = px - 10, sy = py - node, ex = px + 10, ey = py - node;
      return `<g class="edge"><path class="wait" d="M${f(sx)},${f(sy)} C${f(px - 55)},${f(py - 100)} ${f(px + 55)},${f(py - 100)} ${f(ex)},${f(ey)}"/>` +
        `${arrow(ex, ey, 10, 20)}${text(px, py - 84, l.waitsFor)}</g>`;
    }
    const dx = qx - px, dy = qy - py, len = Math.hypot(dx, dy), cx = (px + qx) / 2 + (dy / len) * 50, cy = (py + qy) / 2 - (dx / len) * 50;
    const cut = (x: number, y: number): [number, number] => { const d = Math.hypot(cx - x, cy - y); return [x + ((cx - x) / d) * node, y + ((cy - y) / d) * node]; };
    const [sx, sy] = cut(px, py), [ex, ey] = cut(qx, qy);
    const mx = 0.25 * sx + 0.5 * cx + 0.25 * ex, my = 0.25 * sy + 0.5 * cy + 0.25 * ey;
    return `<g class="edge"><path class="wait" d="M${f(sx)},${f(sy)} Q${f(cx)},${f(cy)} ${f(ex)},${f(ey)}"/>${arrow(ex, ey, ex - cx, ey - cy)}` +
      `${text(mx + (dy / len) * 14, my - (dx / len) * 14 + 4, l.waitsFor)}</g>`;
  });
  const nodes = actors.map((a) => {
    const [x, y] = at(a);
    box.push([x - node, y - node], [x + node, y + node]);
    return `<g class="node"><circle cx="${f(x)}" cy="${f(y)}" r="${node}"/>${text(x, y + 4, a)}</g>`;
  });
  const m = 8, x0 = Math.min(...box.map((p) => p[0])) - m, y0 = Math.min(...box.map((p) => p[1])) - m;
  const w = Math.max(...box.map((p) => p[0])) + m - x0, h = Math.max(...box.map((p) => p[1])) + m - y0;
  return `<svg id="cycle-svg" class="circular" xmlns="http://www.w3.org/2000/svg" width="${f(w)}" height="${f(h)}" viewBox="${f(x0)} ${f(y0)} ${f(w)} ${f(h)}" role="img" aria-label="wait-for cycle">` +
    `${edges.join('')}${nodes.join('')}</svg>`;
}
