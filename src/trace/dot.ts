/**
 * Graphviz (DOT) for a check: the wait-for cycle of a deadlock, and, for a model of at most
 * `DOT_MAX_STATES` (100) states, or as many as asked, the whole explored state graph with the counterexample in red (each
 * state labelled with where every actor is; the initial state drawn double; the violating state
 * filled). A larger model gets the counterexample's own states instead, and says so in the
 * graph's label. Render with `dot -Tsvg file.dot > file.svg`.
 */
import { buildGraph, treeOf, type StateGraph } from '../explore/graph.ts';
import { drain } from '../explore/options.ts';
import { Successors } from '../explore/successors.ts';
import { pcNames } from '../state/decode.ts';
import { pathOf, propertyOf, type Path } from '../explore/verdict.ts';
import type { Report } from '../check/check.ts';
import type { Instance } from '../state/instance.ts';
import type { SlotState } from '../state/slot-state.ts';

/** The largest state graph drawn whole by default (`kmc check --dot-states N` asks for more): past about a hundred states Graphviz draws a picture no one can read. */
export const DOT_MAX_STATES = 100;

const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const RED = '"#b00020"';

/** Where each actor is, one per line: `T1 at mutex_lock(B)` (its next step), `T2 done`. */
const where = (inst: Instance, s: SlotState): string =>
  inst.actors.map((a, i) => (s.pcOf(i) === a.end ? `${a.ref.name} done` : `${a.ref.name} at ${pcNames(a)[s.pcOf(i)]}`)).join('\n');

const stepLabel = (inst: Instance, e: number): string => `${inst.actors[inst.edges[e]!.actor]!.ref.name}: ${inst.edges[e]!.label}`;

/** The states of `g` as views, in id order (each follows its BFS parent by its edge). */
function graphStates(inst: Instance, g: StateGraph): SlotState[] {
  const succ = new Successors(inst), out = [succ.initial()], { parent, via } = treeOf(g);
  for (let v = 1; v < g.states; v++) out.push(succ.step(out[parent[v]!]!, inst.edges[via[v]!]!)!);
  return out;
}

/** Node ids along `path` in `g`, from the initial state. */
function pathNodes(g: StateGraph, path: Path): number[] {
  const out = [0];
  for (const e of path) {
    const v = out.at(-1)!;
    let next = -1;
    for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) if (g.edges[k] === e) { next = g.targets[k]!; break; }
    if (next < 0) throw new Error(`Assertion failed: the counterexample leaves the state graph at edge ${e}`);
    out.push(next);
  }
  return out;
}

function waitForCluster(r: Report): string[] {
  if ((r.verdict.kind !== 'deadlock' && r.verdict.kind !== 'livelock') || r.verdict.cycle === undefined) return [];
  const name = (a: number): string => r.instance.actors[a]!.ref.name;
  const actors = [...new Set(r.verdict.cycle.links.flatMap((l) => [l.actor, l.heldBy]))];
  return [
    '  subgraph cluster_waitfor {',
    `    label="wait-for cycle (each arrow: a waiter to the holder, labelled with the lock)"; color=${RED}; fontcolor=${RED};`,
    ...actors.map((a) => `    w${a} [label=${q(name(a))}, shape=box, style=rounded];`),
    ...r.verdict.cycle.links.map((l) => `    w${l.actor} -> w${l.heldBy} [label=${q(l.resource)}, color=${RED}, fontcolor=${RED}];`),
    '  }',
  ];
}

/** The DOT text; `whole`: the state graph (of at most `maxStates` states) is drawn whole (else only the counterexample's states, if there is one). */
export function dotOf(r: Report, maxStates = DOT_MAX_STATES): { dot: string; whole: boolean } {
  // a livelock's spins change no state: drawn as loops on the state they spin in
  const inst = r.instance, full = pathOf(r.verdict), loop = r.verdict.kind === 'livelock' ? r.verdict.loop : undefined;
  const path = loop === undefined ? full : full!.slice(0, loop), spins = loop === undefined ? [] : full!.slice(loop);
  const g = drain(buildGraph(inst, [], maxStates));
  const whole = g.incomplete === undefined;
  const lines = [
    'digraph kmc {',
    `  label=${q(`${inst.model.name}: ${r.verdict.kind}${propertyOf(r.verdict) && r.verdict.kind !== 'deadlock' && r.verdict.kind !== 'livelock' ? ` '${propertyOf(r.verdict)}'` : ''}${path ? ` after ${path.length} steps` : ''}`)}; labelloc=t;`,
    '  node [fontname="monospace", fontsize=10]; edge [fontname="monospace", fontsize=9];',
    ...waitForCluster(r),
  ];
  const on = new Set<number>(), onEdge = new Set<string>();
  let states: SlotState[], nodes: number[], edges: [number, number, number][];
  if (whole) {
    states = graphStates(inst, g);
    nodes = states.map((_, i) => i);
    edges = [];
    for (let v = 0; v < g.states; v++) for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) edges.push([v, g.targets[k]!, g.edges[k]!]);
    if (path) {
      const ps = pathNodes(g, path);
      ps.forEach((v, i) => { on.add(v); if (i > 0) onEdge.add(`${ps[i - 1]}>${v}>${path[i - 1]}`); });
    }
  } else {
    states = r.trace === undefined ? [] : [...r.trace.views];
    nodes = states.map((_, i) => i);
    states = states.slice(0, (path?.length ?? 0) + 1);
    nodes = states.map((_, i) => i);
    edges = (path ?? []).map((e, i) => [i, i + 1, e]);
    for (const v of nodes) on.add(v);
    for (const [a, b, e] of edges) onEdge.add(`${a}>${b}>${e}`);
  }
  const lastOn = path === undefined ? -1 : whole ? pathNodes(g, path).at(-1)! : path.length;
  for (const e of spins) { edges.push([lastOn, lastOn, e]); onEdge.add(`${lastOn}>${lastOn}>${e}`); }
  // one line at a time: a spread of 10^5 lines into push() overflows the stack
  for (const l of ['  subgraph cluster_states {',
    `    label=${q(whole ? `state graph: ${g.states} states, the counterexample in red` : `the counterexample's ${states.length} states (the state graph has more than ${maxStates} states)`)};`,
    ...nodes.map((v) => `    s${v} [label=${q(`${v}\n${where(inst, states[v]!)}`)}, shape=box${v === 0 ? ', peripheries=2' : ''}${on.has(v) ? `, color=${RED}, penwidth=2` : ''}${v === lastOn ? `, style=filled, fillcolor="#fde7ea"` : ''}];`),
    ...edges.map(([a, b, e]) => `    s${a} -> s${b} [label=${q(stepLabel(inst, e))}${onEdge.has(`${a}>${b}>${e}`) ? `, color=${RED}, fontcolor=${RED}, penwidth=2` : ', color="#888888"'}];`),
    '  }', '}']) lines.push(l);
  return { dot: lines.join('\n') + '\n', whole };
}
