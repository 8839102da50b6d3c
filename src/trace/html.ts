/**
 * The trace viewer: one self-contained HTML page (inline CSS and script, no server, no network)
 * for an ITF trace. One lane per actor, each step with its label, kernel function and state
 * diff; for the selected step the locks (who holds, who waits) and every field, the changed ones
 * marked; the wait-for cycle drawn for a deadlock; a lasso's cycle marked. Keys: ↓/↑ or j/k step,
 * Home/End first/last; `#step-N` in the address selects step N. The data is the page's one JSON
 * script element (`#kmc-trace`), the `View` of `view.ts`.
 */
import { viewOf, type View } from './view.ts';
import type { Itf } from './itf.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The wait-for cycle as an SVG drawing: actors on a circle, an arrow from each waiter to the holder, labelled with the lock. */
export function cycleSvg(cycle: NonNullable<View['cycle']>): string {
  const actors = [...new Set(cycle.flatMap((l) => [l.actor, l.heldBy]))], n = actors.length;
  // two actors side by side (their arrows bend above and below), more on a circle from the top
  const R = n === 1 ? 0 : n === 2 ? 150 : 110 + 15 * n, node = 26, first = n === 2 ? Math.PI : -Math.PI / 2;
  const at = (a: string): [number, number] => {
    const t = first + (2 * Math.PI * actors.indexOf(a)) / n;
    return [R * Math.cos(t), R * Math.sin(t)];
  };
  const f = (x: number): string => x.toFixed(1);
  const box: [number, number][] = [];
  const text = (cls: string, x: number, y: number, s: string): string => {
    const half = 4.2 * s.length;   // about half the width of s in 13px monospace
    box.push([x - half, y - 14], [x + half, y + 6]);
    return `<text class="${cls}" x="${f(x)}" y="${f(y)}">${esc(s)}</text>`;
  };
  const edges = cycle.map((l) => {
    const [px, py] = at(l.actor), [qx, qy] = at(l.heldBy);
    if (l.actor === l.heldBy)
      return `<path class="wait" d="M${f(px - 12)},${f(py - node + 4)} C${f(px - 60)},${f(py - 110)} ${f(px + 60)},${f(py - 110)} ${f(px + 12)},${f(py - node + 4)}" marker-end="url(#arrow)"/>` +
        text('lock', px, py - 92, l.waitsFor);
    const dx = qx - px, dy = qy - py, len = Math.hypot(dx, dy), cx = (px + qx) / 2 - (dy / len) * 70, cy = (py + qy) / 2 + (dx / len) * 70;
    const cut = (x: number, y: number): [number, number] => { const d = Math.hypot(cx - x, cy - y); return [x + ((cx - x) / d) * node, y + ((cy - y) / d) * node]; };
    const [sx, sy] = cut(px, py), [ex, ey] = cut(qx, qy);
    return `<path class="wait" d="M${f(sx)},${f(sy)} Q${f(cx)},${f(cy)} ${f(ex)},${f(ey)}" marker-end="url(#arrow)"/>` +
      text('lock', 0.25 * px + 0.5 * cx + 0.25 * qx - (dy / len) * 14, 0.25 * py + 0.5 * cy + 0.25 * qy + (dx / len) * 14 + 4, l.waitsFor);
  });
  const nodes = actors.map((a) => {
    const [x, y] = at(a);
    box.push([x - node, y - node], [x + node, y + node]);
    return `<g class="actor"><circle cx="${f(x)}" cy="${f(y)}" r="${node}"/>${text('name', x, y + 4, a)}</g>`;
  });
  const m = 12, x0 = Math.min(...box.map((p) => p[0])) - m, y0 = Math.min(...box.map((p) => p[1])) - m;
  const w = Math.max(...box.map((p) => p[0])) + m - x0, h = Math.max(...box.map((p) => p[1])) + m - y0;
  return `<svg id="cycle-svg" xmlns="http://www.w3.org/2000/svg" width="${f(w)}" height="${f(h)}" viewBox="${f(x0)} ${f(y0)} ${f(w)} ${f(h)}" role="img" aria-label="wait-for cycle">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>` +
    `${edges.join('')}${nodes.join('')}</svg>`;
}

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0 0 6px; } h3 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; color: #666; }
.headline { font-weight: 600; color: #b00020; margin: 0; } .keys { color: #666; margin: 4px 0 0; font-size: 12px; }
main { display: flex; gap: 16px; padding: 16px 20px; align-items: flex-start; }
#lanes { flex: 3; overflow-x: auto; } #detail { flex: 2; position: sticky; top: 8px; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px; max-height: 95vh; overflow: auto; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 4px 8px; }
#steps thead th { position: sticky; top: 0; background: #eef; border-bottom: 2px solid #99c; }
#steps tbody tr.step { cursor: pointer; border-bottom: 1px solid #eee; background: #fff; }
#steps tbody tr.step:hover { background: #f4f4ff; }
#steps tbody tr.in-cycle { background: #fff8e1; }
#steps tbody tr.selected { background: #dbe7ff; outline: 2px solid #3a6fd8; }
#steps td.num { color: #888; width: 2em; text-align: right; }
.label { font-weight: 600; font-family: ui-monospace, monospace; } .fn, .frame { color: #666; font-size: 12px; } .changes { font-family: ui-monospace, monospace; font-size: 12px; color: #0a6b2d; }
tr.marker td { color: #a15c00; font-weight: 600; text-align: center; background: #fff3cd; }
tr.ending td { color: #b00020; font-weight: 700; background: #fde7ea; }
#state td, #locks td { font-family: ui-monospace, monospace; font-size: 12px; border-bottom: 1px solid #f0f0f0; }
#state tr.changed td { background: #e6f6ea; font-weight: 600; } #locks tr.contended td { background: #fdecea; }
#cycle { padding: 0 20px 20px; } #cycle-svg .wait { fill: none; stroke: #b00020; stroke-width: 2; }
#cycle-svg marker path { fill: #b00020; } #cycle-svg circle { fill: #fff; stroke: #333; stroke-width: 2; }
#cycle-svg text { text-anchor: middle; font: 13px ui-monospace, monospace; } #cycle-svg text.lock { fill: #b00020; }
.none { color: #888; font-style: italic; }
`;

/* The page's script: renders the lanes and the detail of the selected step from the JSON data. */
const SCRIPT = `
const view = JSON.parse(document.getElementById('kmc-trace').textContent);
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const last = view.steps.length - 1, rows = [];
const marker = (text, cls) => { const tr = el('tr', cls); const td = el('td', '', text); td.colSpan = view.lanes.length + 1; tr.append(td); $('steps-body').append(tr); };
view.steps.forEach((s, i) => {
  if (view.loop !== undefined && i === view.loop + 1) marker('— cycle starts here —', 'marker');
  const tr = el('tr', 'step' + (view.loop !== undefined && i > view.loop ? ' in-cycle' : ''));
  tr.dataset.step = String(i);
  tr.append(el('td', 'num', String(i)));
  for (const lane of view.lanes) {
    const td = el('td');
    if (i === 0 && lane === view.lanes[0]) { td.append(el('div', 'label', s.label)); }
    else if (s.actor === lane || (s.actor === undefined && i > 0 && lane === view.lanes[0])) {
      if (s.frame.length) td.append(el('div', 'frame', '[' + s.frame.join(' > ') + ']'));
      td.append(el('div', 'label', s.label));
      if (s.fn) td.append(el('div', 'fn', s.fn));
      if (s.changes.length) td.append(el('div', 'changes', s.changes.join(' ')));
    }
    tr.append(td);
  }
  tr.addEventListener('click', () => select(i));
  rows.push(tr);
  $('steps-body').append(tr);
});
if (view.loop !== undefined) marker(view.loop === last ? '— from here on no fairly treated actor can step, forever —' : '— back to the start of the cycle, forever —', 'marker');
if (view.ending !== undefined) marker('*** ' + view.ending + (view.loop === undefined ? ' after step ' + last : ': the cycle repeats forever'), 'ending');
let current = -1;
function lockRow(l) {
  const tr = el('tr', l.waiting.length ? 'contended' : '');
  const held = l.holds.concat(l.shares.map((a) => a + ' (read)'));
  for (const x of [l.lock, held.join(', ') || '-', l.queued.join(', ') || '-', l.waiting.join(', ') || '-']) tr.append(el('td', '', x));
  return tr;
}
function select(i) {
  i = Math.max(0, Math.min(last, i));
  if (current >= 0) rows[current].classList.remove('selected');
  current = i;
  rows[i].classList.add('selected');
  rows[i].scrollIntoView({ block: 'nearest' });
  const s = view.steps[i];
  $('step-title').textContent = i === 0 ? 'initial state' : 'step ' + i + ' of ' + last + ': ' + (s.actor === undefined ? '' : s.actor + ': ') + s.label;
  $('step-fn').textContent = s.fn;
  $('step-changes').textContent = i === 0 ? '' : s.changes.length ? 'changed: ' + s.changes.join(' ') : 'no field changed';
  $('step-ending').textContent = i === last && view.ending !== undefined ? view.ending : '';
  const locks = $('locks-body'); locks.replaceChildren();
  if (view.locks === undefined) { const tr = el('tr'); const td = el('td', 'none', 'this trace records no locks'); td.colSpan = 4; tr.append(td); locks.append(tr); }
  else if (view.locks[i].length === 0) { const tr = el('tr'); const td = el('td', 'none', 'no lock held or waited for'); td.colSpan = 4; tr.append(td); locks.append(tr); }
  else for (const l of view.locks[i]) locks.append(lockRow(l));
  const state = $('state-body'); state.replaceChildren();
  const before = i > 0 ? new Map(view.fields[i - 1]) : new Map();
  for (const [k, v] of view.fields[i]) {
    const tr = el('tr', i > 0 && before.get(k) !== v ? 'changed' : '');
    tr.append(el('td', '', k), el('td', '', v));
    state.append(tr);
  }
  history.replaceState(null, '', '#step-' + i);
}
document.addEventListener('keydown', (e) => {
  const to = { ArrowDown: current + 1, ArrowRight: current + 1, j: current + 1, ArrowUp: current - 1, ArrowLeft: current - 1, k: current - 1, Home: 0, End: last }[e.key];
  if (to === undefined || e.ctrlKey || e.metaKey || e.altKey) return;
  e.preventDefault();
  select(to);
});
const m = /^#step-(\\d+)$/.exec(location.hash);
select(m ? Number(m[1]) : last);
`;

/** The page for `itf`; `file` names the trace in the page's title. */
export function traceHtml(itf: Itf, file?: string): string {
  const v = viewOf(itf);
  // the data goes into a script element: '<' escaped, so no string in it can close the element
  const data = JSON.stringify(v).replace(/</g, '\\u003c');
  const cycle = v.cycle?.length ? `<section id="cycle"><h3>wait-for cycle (last state): each arrow goes from a waiter to the holder, labelled with the lock</h3>${cycleSvg(v.cycle)}</section>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="kmc">
<title>${esc(`kmc: ${v.title}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(v.title)}</h1>
<p class="headline">${esc(v.headline)}</p>
<p class="keys">${file === undefined ? '' : `${esc(file)} · `}keys: ↓/↑ or j/k step, Home/End first/last; click a step</p>
</header>
<main>
<section id="lanes"><table id="steps"><thead><tr><th>#</th>${v.lanes.map((l) => `<th>${esc(l)}</th>`).join('')}</tr></thead><tbody id="steps-body"></tbody></table></section>
<aside id="detail">
<h2 id="step-title"></h2>
<p id="step-fn" class="fn"></p>
<p id="step-changes" class="changes"></p>
<p id="step-ending" class="headline"></p>
<h3>locks</h3>
<table id="locks"><thead><tr><th>lock</th><th>held by</th><th>queued</th><th>waiting</th></tr></thead><tbody id="locks-body"></tbody></table>
<h3>state</h3>
<table id="state"><tbody id="state-body"></tbody></table>
</aside>
</main>
${cycle}
<script type="application/json" id="kmc-trace">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
