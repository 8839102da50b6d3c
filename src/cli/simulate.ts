/** `kmc simulate <model>`: random schedules (fast-check) for models too large to exhaust; shrinks a failing one. */
import { Command, Option } from 'clipanion';
import fc from 'fast-check';
import { headline } from '../check/describe.ts';
import { exitCode } from '../explore/verdict.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { walk } from '../explore/simulate.ts';
import { reconstruct } from '../explore/replay.ts';
import { renderCycle, renderTrace } from '../trace/text.ts';
import { renderLockdep } from '../trace/lockdep.ts';
import { UsageError } from '../util/errors.ts';
import { guard, parseParamFlags } from './guard.ts';
import { loadModel } from './load-model.ts';
import { changedParams, fit } from '../trace/report.ts';

const count = (name: string, raw: string, min: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} ${raw}: expected an integer >= ${min}`);
  return n;
};

export class SimulateCommand extends Command {
  static override paths = [[`simulate`]];
  static override usage = Command.Usage({
    description: `run random schedules of a model (fast-check), report and shrink the first violation; not a proof`,
    details: `Each run is a schedule of choices among the enabled steps. A violating schedule is shrunk to a shorter one that still violates; the output ends with the --seed/--path that replays it. Exhaustive \`kmc check\` stays the way to prove a property.`,
    examples: [[`S-12 at a size too large to exhaust`, `$0 simulate dio-mmap --param fault_lock=pagecache_naive_fdm --param tasks=4 --param files=3 --runs 200 --seed 1`]],
  });

  model = Option.String({ name: `model` });
  params = Option.Array(`--param`, [], { description: `model parameter as key=value (repeatable)` });
  runs = Option.String(`--runs`, `100`, { description: `random schedules to try` });
  depth = Option.String(`--depth`, `200`, { description: `steps per schedule at most` });
  seed = Option.String(`--seed`, `42`, { description: `fast-check seed (runs are reproducible)` });
  replayPath = Option.String(`--path`, { description: `fast-check replay path printed by a failing run` });
  deadlock = Option.Boolean(`--deadlock`, true, { description: `check deadlocks and wait-for cycles (--no-deadlock skips)` });

  override async execute(): Promise<number> {
    return guard(this.context, async () => {
      const [runs, depth, seed] = [count('--runs', this.runs, 1), count('--depth', this.depth, 1), Number(this.seed)];
      if (!Number.isInteger(seed)) throw new UsageError(`--seed ${this.seed}: expected an integer`);
      const model = await loadModel(this.model);
      const inst = instantiate(model, resolveParams(model, parseParamFlags(this.params)));
      const schedules = fc.array(fc.nat({ max: 1 << 16 }), { maxLength: depth, size: 'max' });
      const out = fc.check(fc.property(schedules, (c) => walk(inst, c, this.deadlock).verdict === undefined),
        { numRuns: runs, seed, ...(this.replayPath ? { path: this.replayPath } : {}) });
      const o = this.context.stdout;
      if (!out.failed) {
        o.write(`no violation in ${out.numRuns} random runs of at most ${depth} steps (seed ${seed}); this is not a proof: kmc check explores every interleaving\n`);
        return 0;
      }
      const w = walk(inst, out.counterexample![0], this.deadlock), v = w.verdict!;
      const trace = reconstruct(inst, w.path);
      const params = Object.entries(changedParams(inst)).map(([k, x]) => ` --param ${k}=${String(x)}`).join('');
      const lines = [
        `${inst.model.name} (simulation, seed ${seed}): ${this.replayPath ? 'replayed from --path' : `found in run ${out.numRuns}, shrunk ${out.numShrinks} times`}`,
        headline(v, { states: 0, transitions: 0, depth: 0, seconds: 0, bytesPerState: 0, exact: true, collisionProbability: 0 }).replace(' (shortest)', ' (shrunk, not necessarily shortest)'),
        '', ...renderTrace(inst, trace),
        ...(v.kind === 'deadlock' && v.cycle ? ['', 'wait-for cycle:', ...renderCycle(inst, v.cycle), '', ...renderLockdep(inst, v.cycle)] : []),
      ];
      o.write(`${fit(lines).join('\n')}\n\nreplay: kmc simulate ${inst.model.name}${params} --seed ${seed} --path ${out.counterexamplePath}\n`);
      return exitCode(v);
    });
  }
}
