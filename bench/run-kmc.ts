/**
 * One measured run in a fresh process → one JSON line:
 * `run-kmc.ts <mode> <model> <params as JSON> [property]`, mode one of
 * `fast` (one thread), `workers:N` (N worker threads, as `kmc check --workers N`), `por`
 * (`--reduce por`, one thread), `por-state` (`--reduce por-state`), `por:visited` and `por-state:static` (the other
 * cycle proviso, `--proviso`), `por:disjoint` (the same with steps independent only on disjoint
 * fields, the rule before commuting writes; states only), `sym` (`--symmetry`), `sym+por` (both), `reference`, `graph` (the
 * liveness state graph alone), `memory:BYTES` (one thread, `--max-memory BYTES`),
 * `compact:BYTES` (`--store compact --max-memory BYTES`).
 * The whole state space, deadlock checking off unless a property is named.
 */
import { check } from '../src/check/check.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { ReferenceBfs } from '../src/explore/reference.ts';
import { buildGraph } from '../src/explore/graph.ts';
import { drain } from '../src/explore/options.ts';
import { loadModel } from '../src/cli/load-model.ts';
import { DEADLOCK } from '../src/model/property.ts';
import { disjointStates } from './disjoint.ts';

const [mode, name, paramsJson, property] = process.argv.slice(2) as [string, string, string, string | undefined];
const model = await loadModel(name);
const params = JSON.parse(paramsJson) as Record<string, string | number | boolean>;
global.gc?.();
const before = process.memoryUsage().rss;
const peak = (): number => process.resourceUsage().maxRSS * 1024 - before;
const out = (o: Record<string, unknown>): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };
if (mode === 'graph') {
  // the liveness state graph (every edge kept), as `kmc check` builds it for leadsTo properties
  const t0 = performance.now();
  const g = drain(buildGraph(instantiate(model, resolveParams(model, params)), []));
  const seconds = (performance.now() - t0) / 1000;
  out({ states: g.states, transitions: g.transitions, seconds, graphBytesPerState: g.bytes / g.states, residentBytesPerState: peak() / g.states });
} else if (mode === 'por:disjoint') {
  const t0 = performance.now(), states = disjointStates(model, params, property ?? DEADLOCK);
  out({ states, transitions: NaN, depth: NaN, seconds: (performance.now() - t0) / 1000, residentBytesPerState: peak() / states });
} else if (mode === 'reference') {
  const r = drain(new ReferenceBfs(instantiate(model, resolveParams(model, params)), { deadlock: false }).run());
  out({ ...r.stats, verdict: r.verdict.kind, residentBytesPerState: peak() / r.stats.states });
} else {
  const workers = mode.startsWith('workers:') ? Number(mode.slice('workers:'.length)) : 1;
  const budget = /^(memory|compact):(\d+)$/.exec(mode);
  const cpu0 = process.cpuUsage();
  const r = check(model, {
    params, workers, ...(budget ? { maxMemory: Number(budget[2]) } : {}), ...(budget?.[1] === 'compact' ? { store: 'compact' as const } : {}), deadlock: property !== undefined, ...(property === undefined ? {} : { property }),
    ...(mode === 'por' || mode === 'sym+por' || mode === 'por:visited' ? { reduction: 'partial-order' as const } : {}),
    ...(mode === 'por-state' || mode === 'por-state:static' ? { reduction: 'partial-order' as const, dependence: 'state' as const } : {}),
    ...(mode === 'por:visited' ? { proviso: 'visited' as const } : mode === 'por-state:static' ? { proviso: 'static' as const } : {}),
    ...(mode.startsWith('sym') ? { symmetry: true } : {}),
  });
  const cpu = process.cpuUsage(cpu0);
  out({ ...r.stats, verdict: r.verdict.kind, ...(r.verdict.kind === 'incomplete' ? { reason: r.verdict.reason } : {}), workers: r.stats.workers ?? 1, residentBytesPerState: peak() / r.stats.states, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
}
