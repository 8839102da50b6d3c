/**
 * The trace viewer: one self-contained HTML page (inline CSS and script, no server, no network)
 * for an ITF trace. It opens on the answer: the model, its parameters and the verdict in a
 * header that stays in view, the wait-for cycle of a deadlock drawn beside them, and the first
 * step selected. One lane per actor, each step with its label, kernel function and state diff;
 * for the selected step the locks (who holds, who waits) and the fields it changed (every field
 * on request: the "all fields" box); a lasso's cycle marked. Keys: ↓/↑ or j/k step, Home/End
 * first/last; `#step-N` in the address selects step N. The data is the page's one JSON script
 * element (`#kmc-trace`), the `View` of `view.ts`; every string of the trace reaches the page
 * escaped (HTML text, or JSON that no string can close) and is shown as text.
 */
import { viewOf } from './view.ts';
import { cycleSvg } from './cycle-svg.ts';
import { BASE_CSS, BASE_SCRIPT, esc, scriptData, STATE_PANEL, tokens } from './page.ts';
import type { Itf } from './itf.ts';

const CSS = `${BASE_CSS}
#steps { width: 100%; }
#steps thead th { position: sticky; top: 0; background: #eef; border-bottom: 2px solid #99c; }
#steps tbody tr.step { cursor: pointer; border-bottom: 1px solid #eee; background: #fff; }
#steps tbody tr.step:hover { background: #f4f4ff; }
#steps tbody tr.in-cycle { background: #fff8e1; }
#steps tbody tr.selected { background: #dbe7ff; outline: 2px solid #3a6fd8; }
#steps td.num { color: #888; width: 2em; text-align: right; }
tr.marker td { color: #a15c00; font-weight: 600; text-align: center; background: #fff3cd; }
tr.ending td { color: #b00020; font-weight: 700; background: #fde7ea; }
`;

/* The page's script: renders the lanes and the detail of the selected step from the JSON data. */
const SCRIPT = `${BASE_SCRIPT}
const view = JSON.parse(document.getElementById('kmc-trace').textContent);
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
      if (s.changes.length) td.append(toks(el('div', 'changes'), s.changes.join(' ')));
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
function select(i) {
  i = Math.max(0, Math.min(last, i));
  if (current >= 0) rows[current].classList.remove('selected');
  current = i;
  rows[i].classList.add('selected');
  rows[i].scrollIntoView({ block: 'nearest' });
  const s = view.steps[i];
  $('step-title').replaceChildren();
  toks($('step-title'), i === 0 ? 'initial state' : 'step ' + i + ' of ' + last + ': ' + (s.actor === undefined ? '' : s.actor + ': ') + s.label);
  $('step-fn').textContent = s.fn;
  $('step-changes').replaceChildren();
  toks($('step-changes'), i === 0 ? '' : s.changes.length ? 'changed: ' + s.changes.join(' ') : 'no field changed');
  $('step-ending').textContent = i === last && view.ending !== undefined ? view.ending : '';
  const locks = $('locks-body'); locks.replaceChildren();
  if (view.locks === undefined) noneRow(locks, 'this trace records no locks', 4);
  else if (view.locks[i].length === 0) noneRow(locks, 'no lock held or waited for', 4);
  else for (const l of view.locks[i]) locks.append(lockRow(l));
  const all = $('all-fields').checked;
  $('state-what').textContent = i === 0 || all ? 'state: every field' : 'state: the fields step ' + i + ' changed';
  fieldRows($('state-body'), view.fields[i], i > 0 ? view.fields[i - 1] : undefined, all);
  history.replaceState(null, '', '#step-' + i);
}
$('all-fields').addEventListener('change', () => select(current));
document.addEventListener('keydown', (e) => {
  const to = { ArrowDown: current + 1, ArrowRight: current + 1, j: current + 1, ArrowUp: current - 1, ArrowLeft: current - 1, k: current - 1, Home: 0, End: last }[e.key];
  if (to === undefined || e.ctrlKey || e.metaKey || e.altKey) return;
  e.preventDefault();
  select(to);
});
const m = /^#step-(\\d+)$/.exec(location.hash);
select(m ? Number(m[1]) : Math.min(1, last));
`;

/** The page for `itf`; `file` names the trace in the page's header. */
export async function traceHtml(itf: Itf, file?: string): Promise<string> {
  const v = viewOf(itf);
  const cycle = v.cycle?.length
    ? `<figure id="cycle">${await cycleSvg(v.cycle)}<figcaption>wait-for cycle in the last state: each arrow goes from a waiter to the holder, labelled with the lock</figcaption></figure>`
    : '';
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
<div id="answer">
<h1 id="model">${tokens(v.model)}</h1>
<p class="params" id="params">${v.params.length ? tokens(v.params.join(' ')) : 'default parameters'}</p>
<p class="headline" id="verdict">${esc(v.headline)}</p>
<p class="keys">${file === undefined ? '' : `${tokens(file)} · `}keys: ↓/↑ or j/k step, Home/End first/last; click a step</p>
</div>
${cycle}
</header>
<main>
<section id="lanes"><table id="steps"><thead><tr><th>#</th>${v.lanes.map((l) => `<th>${esc(l)}</th>`).join('')}</tr></thead><tbody id="steps-body"></tbody></table></section>
<aside id="detail">
<h2 id="step-title"></h2>
<p id="step-fn" class="fn"></p>
<p id="step-changes" class="changes"></p>
<p id="step-ending" class="headline"></p>
${STATE_PANEL}
</aside>
</main>
<script type="application/json" id="kmc-trace">${scriptData(v)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
