/**
 * The symmetry table of `npm run bench` (alone: `npm run bench -- --symmetry`): states of the full
 * search against `--symmetry`, `--reduce por` and both, each in a fresh process, with the
 * targets of the reduction: philosophers n=14 (the 14 rotations of the table) and four DIO
 * tasks each into an mmap of its own file (the 24 permutations of the tasks) at >= 10x fewer
 * states with symmetry alone.
 */
import { DEADLOCK } from '../src/model/property.ts';
import { table } from '../src/cli/matrix.ts';

export interface SymRun { states: number; transitions: number; depth: number; seconds: number; verdict?: string }
type Params = Record<string, string | number | boolean>;
interface SymCase { readonly model: string; readonly params: Params; readonly label: string; readonly group: string; readonly property?: string; readonly target?: number; readonly por?: boolean }

/** Four GFS2-style DIO tasks (d3), each into an mmap of its own file: the tasks are interchangeable. */
const OWN4: Params = { dio: 'd3', fault_lock: 'invalidate_lock', buffer: 'same', tasks: 4, files: 4 };

export const symmetryCases = (quick: boolean): SymCase[] => quick
  ? [
    { model: 'classic/philosophers', params: { n: 10 }, label: 'n=10', group: 'rotation (10)' },
    { model: 'dio-mmap', params: { ...OWN4, tasks: 3, files: 3 }, label: '3 DIO tasks, own files, d3', group: 'permutation (3! = 6)', property: DEADLOCK, por: true },
  ]
  : [
    { model: 'classic/philosophers', params: { n: 14 }, label: 'n=14', group: 'rotation (14)', target: 10 },
    { model: 'classic/dio-ring', params: { n: 7 }, label: 'n=7', group: 'rotation (7)', por: true },
    { model: 'dio-mmap', params: OWN4, label: '4 DIO tasks, own files, d3', group: 'permutation (4! = 24)', property: DEADLOCK, target: 10, por: true },
    { model: 'dio-mmap', params: { ...OWN4, dio: 'd1_excl' }, label: '4 DIO tasks, own files, d1_excl', group: 'permutation (4! = 24)', property: DEADLOCK, por: true },
  ];

/** The table and the target lines; `run(mode, model, params, property)` measures in a fresh process, `known` reuses a full run measured already. */
export function symmetryTable(quick: boolean, markdown: boolean, run: (mode: string, model: string, params: Params, property?: string) => SymRun,
  known: (model: string, params: Params, property?: string) => SymRun | undefined = () => undefined): string {
  const fmt = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const rows: string[][] = [['model', 'size', 'group', 'search', 'states', 'x fewer', 'seconds', 'verdict']];
  const lines: string[] = [];
  for (const c of symmetryCases(quick)) {
    const full = known(c.model, c.params, c.property) ?? run('fast', c.model, c.params, c.property);
    const sym = run('sym', c.model, c.params, c.property);
    const por = c.por ? run('por', c.model, c.params, c.property) : undefined;
    const both = c.por ? run('sym+por', c.model, c.params, c.property) : undefined;
    const add = (name: string, r: SymRun, first: boolean): void => {
      rows.push([first ? c.model : '', first ? c.label : '', first ? c.group : '', name, fmt(r.states), `${fmt(full.states / r.states, 1)}x`, fmt(r.seconds, 2), r.verdict ?? '']);
    };
    add('full', full, true); add('--symmetry', sym, false);
    if (por) add('--reduce por', por, false);
    if (both) add('--symmetry --reduce por', both, false);
    const x = full.states / sym.states, same = [sym, por, both].every((r) => r === undefined || r.verdict === full.verdict);
    lines.push(`${c.model} ${c.label}: --symmetry explores ${fmt(x, 2)}x fewer states (${fmt(sym.states)} of ${fmt(full.states)}), in ${(sym.seconds / full.seconds).toFixed(2)}x the full search's time${c.target ? ` (target >= ${c.target}x: ${x >= c.target ? 'hit' : 'MISSED'})` : ''}${both ? `; with --reduce por ${fmt(full.states / both.states, 1)}x (por alone ${fmt(full.states / por!.states, 1)}x)` : ''}; ${same ? 'same verdict' : 'DIFFERENT VERDICT'}`);
  }
  return `symmetry reduction (deadlock checked where a property is named; otherwise the whole state space):\n\n${table(rows, markdown)}\n${lines.join('\n')}\n`;
}
