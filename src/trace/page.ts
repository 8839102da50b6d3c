/**
 * What the trace viewer and the explorer pages share: escaping, the layout (a header that stays
 * in view over two panes that scroll on their own), the style of steps, locks and fields, and
 * the page-side helpers. Names never break inside a token: every cell with a name is `nowrap`,
 * and running text is split into `.tok` spans that break only between them (a browser would
 * otherwise break `&inode->i_rwsem` after its `-`).
 */

/** Text as HTML (element content or a quoted attribute). */
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Text as HTML, each word a `.tok` that does not break inside. */
export const tokens = (s: string): string => s.split(/\s+/).filter(Boolean).map((w) => `<span class="tok">${esc(w)}</span>`).join(' ');

/** Data for a page's script: JSON with every `<` escaped, so no string in it can close the script element. */
export const scriptData = (x: unknown): string => JSON.stringify(x).replace(/</g, '\\u003c');

export const BASE_CSS = `
html, body { height: 100%; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; display: flex; flex-direction: column; overflow: hidden; }
header { flex: none; display: flex; gap: 24px; align-items: flex-start; justify-content: space-between; padding: 10px 20px; background: #fff; border-bottom: 1px solid #ddd; max-height: 45vh; overflow: auto; }
h1 { font-size: 18px; margin: 0 0 2px; } h2 { font-size: 15px; margin: 0 0 6px; } h3 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; color: #666; }
.params { margin: 0 0 4px; font-family: ui-monospace, monospace; font-size: 12px; color: #444; }
.headline { font-weight: 600; color: #b00020; margin: 0; } .keys { color: #666; margin: 4px 0 0; font-size: 12px; }
.tok { white-space: nowrap; }
main { flex: 1; min-height: 0; display: flex; gap: 16px; padding: 12px 20px; }
main > section { flex: 3; min-width: 0; overflow: auto; }
main > aside { flex: 2; min-width: 0; overflow: auto; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px; }
table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top; padding: 4px 8px; white-space: nowrap; }
.label { font-weight: 600; font-family: ui-monospace, monospace; white-space: nowrap; } .fn, .frame { color: #666; font-size: 12px; white-space: nowrap; }
.changes { font-family: ui-monospace, monospace; font-size: 12px; color: #0a6b2d; }
#state td, #locks td { font-family: ui-monospace, monospace; font-size: 12px; border-bottom: 1px solid #f0f0f0; }
#state tr.changed td { background: #e6f6ea; font-weight: 600; } #locks tr.contended td { background: #fdecea; }
.toggle { font-size: 12px; font-weight: normal; text-transform: none; color: #444; margin-left: 8px; }
figure { margin: 0; flex: none; } figcaption { font-size: 12px; color: #666; max-width: 420px; }
#cycle-svg { display: block; max-height: max(30vh, 220px); max-width: 45vw; height: auto; }
#cycle-svg.circular .wait { fill: none; stroke: #b00020; stroke-width: 2; } #cycle-svg.circular .head { fill: #b00020; }
#cycle-svg.circular circle { fill: #fff; stroke: #333; stroke-width: 2; }
#cycle-svg.circular text { text-anchor: middle; font: 12px ui-monospace, monospace; } #cycle-svg.circular .edge text { fill: #b00020; }
.none { color: #888; font-style: italic; }
`;

/** Page-side helpers: `$`, `el`, `toks` (text as `.tok` spans), `lockRow`, `fieldRows`. */
export const BASE_SCRIPT = `
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const toks = (e, text) => { text.split(/\\s+/).filter(Boolean).forEach((w, i) => { if (i) e.append(' '); e.append(el('span', 'tok', w)); }); return e; };
const noneRow = (body, text, cols) => { const tr = el('tr'); const td = el('td', 'none', text); td.colSpan = cols; tr.append(td); body.append(tr); };
function lockRow(l) {
  const tr = el('tr', l.waiting.length ? 'contended' : '');
  const held = l.holds.concat(l.shares.map((a) => a + ' (read)'));
  for (const x of [l.lock, held.join(', ') || '-', l.queued.join(', ') || '-', l.waiting.join(', ') || '-']) tr.append(el('td', '', x));
  return tr;
}
/* The fields of a state into body: the ones that differ from before (all of them with all, or without a before). */
function fieldRows(body, fields, before, all) {
  body.replaceChildren();
  const was = before ? new Map(before) : undefined;
  let shown = 0;
  for (const [k, v] of fields) {
    const changed = was !== undefined && was.get(k) !== v;
    if (!all && was !== undefined && !changed) continue;
    const tr = el('tr', changed ? 'changed' : '');
    tr.append(el('td', '', k), el('td', '', v));
    body.append(tr);
    shown++;
  }
  if (shown === 0) noneRow(body, 'no field changed', 2);
}
`;

/** The side panel both pages fill from their script: who holds and waits for each lock, and the state's fields. */
export const STATE_PANEL = `<h3>locks</h3>
<table id="locks"><thead><tr><th>lock</th><th>held by</th><th>queued</th><th>waiting</th></tr></thead><tbody id="locks-body"></tbody></table>
<h3><span id="state-what">state</span><label class="toggle"><input type="checkbox" id="all-fields"> all fields</label></h3>
<table id="state"><tbody id="state-body"></tbody></table>`;
