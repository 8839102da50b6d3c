/**
 * The partial-order reduction's tables of the benchmark (`npm run bench`, or alone: `npm run
 * bench -- --por`): per matrix row, the states of the full search and of `--reduce por` summed
 * over the row's safety and deadlock cells, before (steps of different actors independent only
 * when they touch disjoint fields) and after (commuting writes independent too), the reduced
 * verdict and counterexample compared with the full one's; and the same on kernel
 * configurations of three actors and more.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, loadModel } from '../src/cli/load-model.ts';
import { table } from '../src/cli/matrix.ts';
import { check } from '../src/check/check.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { DEADLOCK, propertiesNamed } from '../src/model/property.ts';
import { rowLabel, type Family } from '../src/check/family.ts';
import { BEFORE_ENABLING, STATIC_DEPENDENCE, disjointStates } from './disjoint.ts';

type Params = Record<string, string | number | boolean>;

/** Kernel configurations of three actors and more for the reduction table (small enough to check in full quickly). */
const POR_KERNEL: Params[] = [
  { dio: 'd0', fault_lock: 'invalidate_lock', buffer: 'same', tasks: 4, files: 3 },
  { dio: 'd2', fault_lock: 'pagecache_kent', buffer: 'same', tasks: 4, files: 3 },
  { dio: 'd3', fault_lock: 'invalidate_lock', buffer: 'same', tasks: 4, files: 3 },
  { dio: 'd3', fault_lock: 'invalidate_lock', buffer: 'same', tasks: 3, files: 3, punch: true },
  { dio: 'd0', fault_lock: 'invalidate_lock', tasks: 3, files: 3, mm_writer: 'present', punch: true },
  { dio: 'd1_shared', fault_lock: 'invalidate_lock', tasks: 3, files: 3, mm_writer: 'present', punch: true },
  { dio: 'd1_shared', fault_lock: 'invalidate_lock', tasks: 3, files: 3, mm_writer: 'munmap', punch: true },
];

const fmt = (x: number): string => x.toLocaleString('en-US');

export async function porTables(quick: boolean, markdown: boolean, log: (s: string) => void): Promise<string> {
  log('matrix rows: full vs --reduce por, before and after');
  const { families } = (await import(pathToFileURL(join(ROOT, 'models/matrix.ts')).href)) as { families: readonly Family[] };
  const porRows: string[][] = [['family', 'variant', 'cells', 'states', 'disjoint fields', 'x fewer', 'commuting', 'x fewer', '--reduce por', 'x fewer', 'por-state', 'x fewer', 'verdicts']];
  for (const f of families) {
    const model = await loadModel(f.model);
    for (const r of f.rows) {
      let cells = 0, full = 0, reduced = 0, old = 0, commuting = 0, fixed = 0, same = true;
      for (const c of f.columns) {
        const params = { ...r, ...c.params };
        const props = propertiesNamed(instantiate(model, resolveParams(model, params)).properties, c.property);
        if ((c.property !== DEADLOCK && props.length === 0) || props.some((p) => p.kind === 'leadsTo' || p.kind === 'space')) continue;
        const a = check(model, { params, property: c.property }), b = check(model, { params, property: c.property, reduction: 'partial-order', dependence: 'state' });
        cells++; full += a.stats.states; reduced += b.stats.states; old += disjointStates(model, params, c.property); commuting += disjointStates(model, params, c.property, BEFORE_ENABLING);
        fixed += disjointStates(model, params, c.property, STATIC_DEPENDENCE);
        // the verdict and the counterexample, step for step (src/explore/por.test.ts checks the small families' cells so in npm test)
        const shown = (x: typeof a): string => JSON.stringify([x.verdict, x.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)]);
        same &&= shown(a) === shown(b);
      }
      porRows.push([f.model, rowLabel(f, model, r), String(cells), fmt(full), fmt(old), `${(full / old).toFixed(2)}x`, fmt(commuting), `${(full / commuting).toFixed(2)}x`,
        fmt(fixed), `${(full / fixed).toFixed(2)}x`, fmt(reduced), `${(full / reduced).toFixed(2)}x`, same ? 'same' : 'DIFFERENT']);
    }
  }
  log('kernel configurations: full vs --reduce por, before and after');
  const dio = await loadModel('dio-mmap');
  const kRows: string[][] = [['dio-mmap configuration', 'actors', 'states', 'disjoint fields', 'x fewer', 'commuting', 'x fewer', '--reduce por', 'x fewer', 'por-state', 'x fewer', 'verdicts']];
  for (const params of quick ? POR_KERNEL.slice(0, 2) : POR_KERNEL) {
    const a = check(dio, { params, property: DEADLOCK }), b = check(dio, { params, property: DEADLOCK, reduction: 'partial-order', dependence: 'state' });
    const old = disjointStates(dio, params, DEADLOCK), commuting = disjointStates(dio, params, DEADLOCK, BEFORE_ENABLING), fixed = disjointStates(dio, params, DEADLOCK, STATIC_DEPENDENCE);
    kRows.push([Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(' '), String(a.instance.actors.length), fmt(a.stats.states), fmt(old), `${(a.stats.states / old).toFixed(1)}x`,
      fmt(commuting), `${(a.stats.states / commuting).toFixed(1)}x`, fmt(fixed), `${(a.stats.states / fixed).toFixed(1)}x`, fmt(b.stats.states),
      `${(a.stats.states / b.stats.states).toFixed(1)}x`, JSON.stringify(a.verdict) === JSON.stringify(b.verdict) ? 'same' : 'DIFFERENT']);
  }
  const rules = 'with steps independent only on disjoint fields; with commuting writes independent too (code run over the declared domains, a disabled step needing every actor that may write what its guard reads); `--reduce por` (code run over the values fields can reach, necessary enabling sets, actors held until the set moves); and `--reduce por-state` (a dependent pair asked again over the values the actors left out can lead each field to from the state at hand)';
  return `\npartial-order reduction on kernel configurations of three actors and more (deadlock checked), ${rules}:\n\n${table(kRows, markdown)}`
    + `\npartial-order reduction per matrix row, ${rules}; safety and deadlock cells, the verdict and counterexample of the reduced search compared with the full one's; liveness and lockdep cells are refused:\n\n${table(porRows.filter((r, i) => i === 0 || r[2] !== '0'), markdown)}`;
}
