/**
 * The interactive explorer's page (`kmc explore`): one self-contained HTML file, the model's
 * explored state graph (`explorer.ts`) in it as data, so it needs no server and fetches nothing.
 * In the spirit of Stateright's Explorer and the TLA+ trace explorer: from the initial state
 * the user picks the next step among those the actors can take (each actor's row says what it
 * can do, or where it is blocked, on what, held by whom), sees the locks and the fields the
 * step changed (all on request), goes back and forward along the run, or back to any step of it
 * to try another interleaving ("what if this task ran now"); a saved ITF trace (kmc's
 * `counterexamples/*.itf.json`, `kmc check --json`'s `trace`) loads as the run, to be continued
 * from any of its steps. A state in a deadlock, or violating a property, says so at the top.
 * Keys: Backspace or ← back, → forward, 1–9 the n-th step offered. The address holds the run up to
 * the step shown (`#run=3.7`), so a run can be bookmarked or sent. Every string of the model or
 * of a loaded trace is shown as text (escaped in the HTML, set as `textContent` by the script).
 */
import { BASE_CSS, BASE_SCRIPT, esc, scriptData, STATE_PANEL, tokens } from './page.ts';
import type { Explored } from './explorer.ts';

const CSS = `${BASE_CSS}
#controls button { font: inherit; margin-right: 6px; }
#load-status { margin: 4px 0 0; font-size: 12px; } #load-status.bad { color: #b00020; font-weight: 600; }
#history { width: 100%; }
#history tr.hstep { cursor: pointer; border-bottom: 1px solid #eee; background: #fff; }
#history tr.hstep:hover { background: #f4f4ff; }
#history tr.current { background: #dbe7ff; outline: 2px solid #3a6fd8; }
#history tr.ahead td { color: #999; }
#history td.num { color: #888; text-align: right; width: 2em; }
#actors td { border-bottom: 1px solid #eee; }
#actors tr.blocked td { background: #fdecea; } #actors tr.done td { color: #888; }
#actors .why { white-space: normal; font-size: 12px; }
button.move { display: block; margin: 2px 0; text-align: left; font: 12px ui-monospace, monospace; cursor: pointer; }
button.move .fn { display: block; }
button.move.breaks { border-color: #b00020; }
#verdict:empty { display: none; }
`;

const SCRIPT = `${BASE_SCRIPT}
const g = JSON.parse(document.getElementById('kmc-explored').textContent);
const preload = JSON.parse(document.getElementById('kmc-preload').textContent);
let path = [{ state: 0 }], at = 0;
const fields = (i) => g.fields.map((k, j) => [k, g.values[g.states[i].values[j]]]);
const pcs = new Set(g.actors.map((a) => a + '.pc'));
/* What a step changed, as the viewer says it: +flag, -flag, field=value (where the actors are left out: the step says). */
const changes = (from, to) => g.fields.flatMap((k, j) => {
  const a = g.states[from].values[j], b = g.states[to].values[j];
  if (a === b || pcs.has(k)) return [];
  const v = g.values[b];
  return [v === 'true' ? '+' + k : v === 'false' ? '-' + k : k + '=' + v];
});
const stepText = (p) => p.step === undefined ? 'initial state' : g.steps[p.step].actor + ': ' + g.steps[p.step].label;
/* The moves offered in a state, in actor order: [actor index, move]. */
const offered = (i) => g.states[i].actors.flatMap((a, k) => a.kind === 'enabled' ? a.moves.map((m) => [k, m]) : []);
function go(i) { at = Math.max(0, Math.min(path.length - 1, i)); render(); }
function pick(m) {
  if (m.to < 0) return;
  if (path[at + 1] && path[at + 1].step === m.step && path[at + 1].state === m.to) at++;
  else { path = path.slice(0, at + 1).concat([{ step: m.step, state: m.to }]); at++; }
  render();
}
function why(a) {
  if (a.kind === 'done') return 'done';
  if (a.kind === 'enabled') return '';
  return "blocked in '" + a.at + "': " + a.waits.map((w) => (w.retries ? 'retrying, waiting for ' + w.resource + (w.on.length ? ' (' + w.on.join(', ') + ' in the way)' : '') : 'waiting on ' + w.resource + (w.on.length ? ' held by ' + w.on.join(', ') : ''))).join(' or ');
}
function render() {
  const cur = path[at].state, st = g.states[cur];
  const hist = $('history-body'); hist.replaceChildren();
  path.forEach((p, i) => {
    const tr = el('tr', 'hstep' + (i === at ? ' current' : i > at ? ' ahead' : ''));
    tr.dataset.at = String(i);
    const s = p.step === undefined ? undefined : g.steps[p.step];
    const td = el('td');
    td.append(el('div', 'label', s ? s.label : 'initial state'));
    if (s && s.fn) td.append(el('div', 'fn', s.fn));
    if (i > 0) { const d = changes(path[i - 1].state, p.state); if (d.length) td.append(toks(el('div', 'changes'), d.join(' '))); }
    tr.append(el('td', 'num', String(i)), el('td', 'label', s ? s.actor : ''), td);
    tr.addEventListener('click', () => go(i));
    hist.append(tr);
  });
  hist.children[at].scrollIntoView({ block: 'nearest' });
  $('state-title').replaceChildren();
  toks($('state-title'), at === 0 ? 'initial state (state 0)' : 'after step ' + at + ': ' + stepText(path[at]) + ' (state ' + cur + ')');
  const bad = [];
  if (st.deadlock) bad.push(st.deadlock.length ? 'deadlock: ' + st.deadlock.map((l) => l.actor + ' waits for ' + l.waitsFor + ', held by ' + l.heldBy).join('; ') : 'deadlock: nothing can run while work is unfinished');
  for (const p of st.violates) bad.push("violated: '" + p + "'");
  const prev = path[at].step === undefined ? undefined : (g.states[path[at - 1].state].actors.flatMap((a) => a.kind === 'enabled' ? a.moves : []).find((m) => m.step === path[at].step && m.to === cur) || {});
  for (const p of (prev && prev.breaks) || []) bad.push("the step broke '" + p + "'");
  if (offered(cur).length === 0 && !st.deadlock) bad.push(st.actors.every((a) => a.kind === 'done') ? 'every actor is done' : 'no actor can step');
  $('verdict').textContent = bad.join(' · ');
  const actors = $('actors-body'); actors.replaceChildren();
  let n = 0;
  st.actors.forEach((a, k) => {
    const tr = el('tr', 'actor ' + a.kind);
    tr.dataset.actor = g.actors[k];
    const td = el('td');
    if (a.kind === 'enabled') for (const m of a.moves) {
      const s = g.steps[m.step], b = el('button', 'move' + (m.breaks ? ' breaks' : ''));
      n++;
      b.append(el('span', 'label', (n <= 9 ? n + ' ' : '') + s.label));
      if (s.fn) b.append(el('span', 'fn', s.fn));
      b.dataset.step = String(m.step);
      if (m.to < 0) { b.disabled = true; b.title = 'leads past the first ' + g.states.length + ' states, which this page holds (kmc explore --max-states)'; }
      else if (m.breaks) b.title = 'breaks ' + m.breaks.join(', ');
      b.addEventListener('click', () => pick(m));
      td.append(b);
    }
    else td.append(toks(el('div', 'why'), why(a)));
    tr.append(el('td', 'label', g.actors[k]), td);
    actors.append(tr);
  });
  const locks = $('locks-body'); locks.replaceChildren();
  if (st.locks.length === 0) noneRow(locks, 'no lock held or waited for', 4);
  else for (const l of st.locks) locks.append(lockRow(l));
  const all = $('all-fields').checked;
  $('state-what').textContent = at === 0 || all ? 'state: every field' : 'state: the fields step ' + at + ' changed';
  fieldRows($('state-body'), fields(cur), at > 0 ? fields(path[at - 1].state) : undefined, all);
  $('back').disabled = at === 0; $('forward').disabled = at === path.length - 1;
  history.replaceState(null, '', at === 0 ? location.pathname : '#run=' + path.slice(1, at + 1).map((p) => p.step).join('.'));
}
/* The run in the address (#run=<step>.<step>…, the steps' indices): each taken from where the last left off; false if one cannot be. */
function fromAddress() {
  const m = /^#run=([0-9.]+)$/.exec(location.hash);
  if (!m) return false;
  const run = [{ state: 0 }];
  for (const id of m[1].split('.').map(Number)) {
    const move = offered(run[run.length - 1].state).map((o) => o[1]).find((x) => x.step === id && x.to >= 0);
    if (!move) return false;
    run.push({ step: id, state: move.to });
  }
  path = run; at = run.length - 1; render();
  return true;
}
/* A saved ITF trace as the run: each step (its #meta actor and action) taken from where the last left off. */
function load(doc, name) {
  const status = $('load-status'); status.className = '';
  const states = doc && Array.isArray(doc.states) ? doc.states : undefined;
  if (!states || states.length === 0) { status.className = 'bad'; status.textContent = name + ': not an ITF trace (no states)'; return; }
  const meta = doc['#meta'] || {}, notes = [];
  if (typeof meta.source === 'string' && meta.source !== g.model) notes.push('it was saved for model ' + meta.source);
  const mine = Object.entries(g.params).map(([k, v]) => k + '=' + v).join(' '), theirs = meta.params && typeof meta.params === 'object' ? Object.entries(meta.params).map(([k, v]) => k + '=' + v).join(' ') : mine;
  if (theirs !== mine) notes.push('with ' + theirs);
  const run = [{ state: 0 }];
  for (let i = 1; i < states.length; i++) {
    const m = (states[i] && states[i]['#meta']) || {}, here = g.states[run[run.length - 1].state];
    const k = g.actors.indexOf(m.actor), a = k < 0 ? undefined : here.actors[k];
    const move = a && a.kind === 'enabled' ? a.moves.find((x) => g.steps[x.step].label === m.action && x.to >= 0) : undefined;
    if (!move) {
      status.className = 'bad';
      status.textContent = name + ': step ' + i + ' (' + m.actor + ': ' + m.action + ') cannot be taken here: ' + (k < 0 ? 'no actor ' + m.actor : a.kind === 'enabled' ? m.actor + ' can only ' + a.moves.map((x) => g.steps[x.step].label).join(' | ') : m.actor + ' is ' + why(a)) + '; loaded its first ' + (i - 1) + ' steps' + (notes.length ? ' (' + notes.join(', ') + ')' : '');
      path = run; at = run.length - 1; render();
      return;
    }
    run.push({ step: move.step, state: move.to });
  }
  path = run; at = run.length - 1;
  status.textContent = 'loaded ' + name + ': ' + (run.length - 1) + ' steps; click any step to continue from there' + (notes.length ? ' (' + notes.join(', ') + ')' : '');
  render();
}
$('load').addEventListener('change', (e) => {
  const f = e.target.files[0];
  if (!f) return;
  f.text().then((t) => { let doc; try { doc = JSON.parse(t); } catch (err) { $('load-status').className = 'bad'; $('load-status').textContent = f.name + ': not JSON'; return; } load(doc, f.name); });
});
$('back').addEventListener('click', () => go(at - 1));
$('forward').addEventListener('click', () => go(at + 1));
$('restart').addEventListener('click', () => { path = [{ state: 0 }]; go(0); });
$('all-fields').addEventListener('change', () => render());
document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.target.tagName === 'INPUT') return;
  if (e.key === 'Backspace' || e.key === 'ArrowLeft') { e.preventDefault(); go(at - 1); }
  else if (e.key === 'ArrowRight') { e.preventDefault(); go(at + 1); }
  else if (/^[1-9]$/.test(e.key)) { const o = offered(path[at].state)[Number(e.key) - 1]; if (o) { e.preventDefault(); pick(o[1]); } }
});
if (!fromAddress()) { if (preload) load(preload.doc, preload.name); else render(); }
`;

/** The page for `g`; `trace` (a saved ITF trace and its name) is loaded as the run when it opens. */
export function explorerHtml(g: Explored, trace?: { readonly doc: unknown; readonly name: string }): string {
  const params = Object.entries(g.params).map(([k, v]) => `${k}=${String(v)}`);
  const size = g.truncated === undefined ? `${g.states.length} states, all reachable` : `the first ${g.states.length} states (the model has more: kmc explore --max-states)`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="kmc">
<title>${esc(`kmc explore: ${[g.model, ...params].join(' ')}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<div id="answer">
<h1 id="model">${tokens(g.model)}</h1>
<p class="params" id="params">${params.length ? tokens(params.join(' ')) : 'default parameters'}</p>
<p class="keys" id="size">explorer: ${esc(size)} · pick the next step; keys: Backspace or ← back, → forward, 1–9 the n-th step offered</p>
<p id="controls"><button id="back">← back</button><button id="forward">forward →</button><button id="restart">restart</button><label>load a saved trace (.itf.json): <input type="file" id="load" accept=".json,application/json"></label></p>
<p id="load-status"></p>
</div>
</header>
<main>
<section id="run"><h3>the run</h3><table id="history"><tbody id="history-body"></tbody></table></section>
<aside id="detail">
<h2 id="state-title"></h2>
<p id="verdict" class="headline"></p>
<h3>actors: pick who runs next</h3>
<table id="actors"><tbody id="actors-body"></tbody></table>
${STATE_PANEL}
</aside>
</main>
<script type="application/json" id="kmc-explored">${scriptData(g)}</script>
<script type="application/json" id="kmc-preload">${scriptData(trace ?? null)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
