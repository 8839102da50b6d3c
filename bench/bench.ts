/**
 * `npm run bench [-- --quick]`: kmc's fast explorer, kmc's reference explorer and SPIN on the
 * reference models, in one run, from ~1e5 to over 1e7 states. Prints states, seconds, states/s,
 * resident bytes/state and the ratio to SPIN (pan -DNOREDUCE -DSAFETY) measured in the same run;
 * then the start-up of `kmc check classic/abba` against its 0.5 s target.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../src/cli/load-model.ts';
import { table } from '../src/cli/matrix.ts';
import { ensureSpin, runSpin, type SpinRun } from './spin.ts';
import { measureStartup, TARGET_SECONDS } from './startup.ts';

const quick = process.argv.includes('--quick');
const cases: { model: string; pml: string; n: number; reference: boolean; graph: boolean }[] = [
  { model: 'classic/philosophers', pml: 'phil.pml', n: 10, reference: true, graph: true },
  { model: 'classic/philosophers', pml: 'phil.pml', n: 12, reference: false, graph: true },
  { model: 'classic/philosophers', pml: 'phil.pml', n: 14, reference: false, graph: false },
  { model: 'classic/dio-ring', pml: 'dio-ring.pml', n: 5, reference: true, graph: true },
  { model: 'classic/dio-ring', pml: 'dio-ring.pml', n: 6, reference: false, graph: true },
  { model: 'classic/dio-ring', pml: 'dio-ring.pml', n: 7, reference: false, graph: false },
].filter((c) => !quick || c.n === 10 || c.n === 5);

const log = (s: string): void => { process.stderr.write(`${s}\n`); };
const kmc = (explorer: string, model: string, n: number) => JSON.parse(execFileSync(process.execPath,
  ['--expose-gc', join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/run-kmc.ts'), explorer, model, String(n)],
  { encoding: 'utf8', maxBuffer: 1 << 20 })) as { states: number; transitions: number; seconds: number; residentBytesPerState: number; graphBytesPerState?: number };

const spinMissing = ensureSpin(log);
if (spinMissing) log(`SPIN unavailable (${spinMissing}): the SPIN rows and ratios are left out`);

const fmt = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: string[][] = [['model', 'n', 'tool', 'states', 'transitions', 'seconds', 'states/s', 'B/state', 'x SPIN']];
const ratios: { model: string; n: number; speed: number; bytes: number }[] = [];
for (const c of cases) {
  const spin: SpinRun | undefined = spinMissing ? undefined : await runSpin(join(ROOT, '../shared/reference', c.pml), c.n).catch((e) => { log(`spin failed: ${e}`); return undefined; });
  log(`${c.model} n=${c.n}: kmc fast`);
  const fast = kmc('fast', c.model, c.n);
  const ref = c.reference ? (log(`${c.model} n=${c.n}: kmc reference`), kmc('reference', c.model, c.n)) : undefined;
  const speed = (s: { states: number; seconds: number }) => s.states / s.seconds;
  const vs = spin ? speed(fast) / speed(spin) : NaN;
  if (spin) ratios.push({ model: c.model, n: c.n, speed: vs, bytes: fast.residentBytesPerState });
  rows.push([c.model, String(c.n), 'kmc fast', fmt(fast.states), fmt(fast.transitions), fmt(fast.seconds, 2), fmt(speed(fast)), fmt(fast.residentBytesPerState, 1), spin ? `${vs.toFixed(2)}x` : '-']);
  if (c.graph) {
    log(`${c.model} n=${c.n}: kmc liveness graph`);
    const g = kmc('graph', c.model, c.n);
    rows.push(['', '', 'kmc liveness graph', fmt(g.states), fmt(g.transitions), fmt(g.seconds, 2), fmt(speed(g)), `${fmt(g.residentBytesPerState, 1)} (graph ${fmt(g.graphBytesPerState!, 1)})`, '-']);
  }
  if (ref) rows.push(['', '', 'kmc reference', fmt(ref.states), fmt(ref.transitions), fmt(ref.seconds, 2), fmt(speed(ref)), fmt(ref.residentBytesPerState, 1), spin ? `${(speed(ref) / speed(spin)).toFixed(2)}x` : '-']);
  if (spin) rows.push(['', '', 'SPIN pan', fmt(spin.states), fmt(spin.transitions), fmt(spin.seconds, 2), fmt(speed(spin)), fmt(spin.residentBytes / spin.states, 1), '1.00x']);
  if (spin && spin.states !== fast.states) log(`MISMATCH: SPIN stored ${spin.states} states, kmc ${fast.states}`);
}
process.stdout.write(table(rows, process.argv.includes('--markdown')));
log('random models: fast vs reference explorer');
const random = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/agreement.ts'), quick ? '50' : '300', '1'], { encoding: 'utf8' })) as
  { agreed: number; largest: number; seconds: number; disagreement?: unknown };
process.stdout.write(`\nrandom models (up to 5 actors, 4 variables): ${random.agreed} agree on states, transitions, depth, verdict and trace; largest ${fmt(random.largest)} states; ${fmt(random.seconds, 1)} s\n`);
if (random.disagreement) process.stdout.write(`DISAGREEMENT: ${JSON.stringify(random.disagreement)}\n`);
const big = ratios.filter((r) => r.n === 14 || r.n === 7);
if (big.length) process.stdout.write(`\nat >= 1e7 states: kmc fast / SPIN states/s = ${big.map((r) => `${r.speed.toFixed(2)}x`).join(', ')}; resident ${big.map((r) => r.bytes.toFixed(1)).join(', ')} B/state\n`);
log('start-up: packing, installing the tarball, timing kmc check classic/abba');
const startup = measureStartup();
process.stdout.write(`\nstart-up: kmc check classic/abba, whole process, median of 5\n${table([['kmc', 'seconds', `/ ${TARGET_SECONDS} s target`],
  ...startup.map((s) => [s.how, fmt(s.seconds, 2), `${(s.seconds / TARGET_SECONDS).toFixed(2)}x`])], process.argv.includes('--markdown'))}`);
