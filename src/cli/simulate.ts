/** `kmc simulate <model>`: random schedules (fast-check) for models too large to exhaust; shrinks a failing one. */
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import fc from 'fast-check';
import { setImmediate } from 'node:timers/promises';
import { headline } from '../check/describe.ts';
import { EXIT, exitCode } from '../explore/verdict.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { walk } from '../explore/simulate.ts';
import { reconstruct, spinsOf } from '../explore/replay.ts';
import { renderCycle, renderTrace } from '../trace/text.ts';
import { renderLockdep } from '../trace/lockdep.ts';
import { changedParams, fit } from '../trace/report.ts';
import { toItf } from '../trace/itf.ts';
import { ModelError, UsageError } from '../util/errors.ts';
import { guard, parseParamFlags, positiveInt } from './guard.ts';
import { loadModel } from './load-model.ts';
import { parseShard, shardText } from './shard.ts';
import { progressLine } from './progress.ts';
import { thousands } from '../util/thousands.ts';

/** Thrown by every run once a signal came: the runs end with the summary so far. */
const STOP = new Error('stopped by a signal');

export class SimulateCommand extends Command<KmcContext> {
  static override paths = [[`simulate`]];
  static override usage = Command.Usage({
    description: `run random schedules of a model (fast-check), report and shrink the first violation; not a proof`,
    details: `Each run is a schedule of choices among the enabled steps. A violating schedule is shrunk to a shorter one that still violates; the output ends with the command that replays it. Liveness properties are not checked (a finite run shows no fair cycle). Exhaustive \`kmc check\` stays the way to prove a property. Progress goes to stderr about once a second (KMC_PROGRESS_MS sets the interval). SIGINT or SIGTERM ends the runs with the summary so far (exit 10, incomplete).`,
    examples: [[`S-12 at a size too large to exhaust`, `$0 simulate dio-mmap --param fault_lock=pagecache_naive_fdm --param tasks=4 --param files=3 --runs 200 --seed 1`]],
  });

  model = Option.String({ name: `model` });
  params = Option.Array(`--param`, [], { description: `model parameter as key=value (repeatable)` });
  runs = Option.String(`--runs`, `100`, { description: `random schedules to try` });
  depth = Option.String(`--depth`, `200`, { description: `steps per schedule at most` });
  seed = Option.String(`--seed`, `42`, { description: `fast-check seed (runs are reproducible)` });
  replayPath = Option.String(`--path`, { description: `fast-check replay path printed by a failing run` });
  deadlock = Option.Boolean(`--deadlock`, true, { description: `check deadlocks and wait-for cycles (--no-deadlock skips)` });
  shard = Option.String(`--shard`, { description: `member i of a swarm of n (i/n): shard 1 runs as without it; shard i > 1 uses seed + i - 1 and leans towards actor (i - 2) mod actors; auto: from a Kubernetes Indexed Job's JOB_COMPLETION_INDEX and JOB_COMPLETION_COUNT` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const runs = positiveInt('--runs', this.runs)!, depth = positiveInt('--depth', this.depth)!;
      if (!/^-?\d+$/.test(this.seed) || !Number.isSafeInteger(Number(this.seed))) throw new UsageError(`--seed ${this.seed}: expected an integer`);
      if (this.replayPath !== undefined && !/^\d+(:\d+)*$/.test(this.replayPath)) throw new UsageError(`--path ${this.replayPath}: expected the path a failing run printed (numbers separated by ':')`);
      const model = await loadModel(this.model);
      const inst = instantiate(model, resolveParams(model, parseParamFlags(this.params)));
      // a swarm: each member its own seed and its own leaning, so that n machines search n different ways
      const shard = parseShard(this.shard, this.context.env), member = shard?.index ?? 1;
      const seed = Number(this.seed) + member - 1, bias = member > 1 ? (member - 2) % inst.actors.length : undefined;
      const unchecked = inst.properties.filter((p) => p.kind === 'leadsTo').map((p) => `'${p.name}'`);
      const schedules = fc.array(fc.nat({ max: 1 << 16 }), { maxLength: depth, size: 'max' });
      let out: fc.RunDetails<[number[]]>;
      // runs yield to the event loop, so that SIGINT/SIGTERM stop them with the summary so far
      let stopped: string | undefined, tried = 0;
      const unsubscribe = this.context.interrupts((why) => { stopped ??= `interrupted (${why})`; });
      const line = progressLine(this.context), started = performance.now();
      try {
        out = await fc.check(fc.asyncProperty(schedules, async (c) => {
          await setImmediate();
          // a failure fast-check shrinks to nothing at once, and that ends the runs
          if (stopped !== undefined) throw STOP;
          tried++;
          line.show(() => `simulation: ${thousands(tried)} runs, ${thousands(tried / Math.max((performance.now() - started) / 1000, 1e-9))} runs/s`);
          return walk(inst, c, this.deadlock, bias).verdict === undefined;
        }), { numRuns: runs, seed, ...(this.replayPath ? { path: this.replayPath } : {}) });
      } catch (err) {
        throw new UsageError(`--path ${this.replayPath}: does not replay a run of this configuration (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
      } finally {
        unsubscribe();
        line.end();
      }
      if (out.errorInstance instanceof ModelError) throw out.errorInstance;
      const notChecked = unchecked.length ? `not checked by simulation (liveness needs the whole state graph): ${unchecked.join(', ')}` : undefined;
      const o = this.context.stdout;
      if (stopped !== undefined && (!out.failed || out.errorInstance === STOP)) {
        const text = `${stopped}: no violation in the ${tried} random runs of at most ${depth} steps tried (of ${runs}; seed ${seed}${shard ? `, swarm member ${shardText(shard)}` : ''}); this is not a proof: kmc check explores every interleaving`;
        o.write(this.json ? JSON.stringify({ model: inst.model.name, params: inst.params, seed, runs: tried, depth, verdict: 'incomplete', reason: stopped, notChecked: unchecked, trace: null }, null, 2) + '\n'
          : `${text}\n${notChecked ? `${notChecked}\n` : ''}`);
        return EXIT.incomplete;
      }
      if (!out.failed) {
        const text = `no violation in ${out.numRuns} random runs of at most ${depth} steps (seed ${seed}${shard ? `, swarm member ${shardText(shard)}` : ''}); this is not a proof: kmc check explores every interleaving`;
        o.write(this.json ? JSON.stringify({ model: inst.model.name, params: inst.params, seed, runs: out.numRuns, depth, verdict: 'ok', notChecked: unchecked, trace: null }, null, 2) + '\n'
          : `${text}\n${notChecked ? `${notChecked}\n` : ''}`);
        return EXIT.ok;
      }
      const w = walk(inst, out.counterexample![0], this.deadlock, bias), v = w.verdict!;
      const trace = reconstruct(inst, v.kind === 'livelock' ? v.path : w.path, undefined, spinsOf(v));
      const flags = [...Object.entries(changedParams(inst)).map(([k, x]) => ` --param ${k}=${String(x)}`), this.depth !== '200' ? ` --depth ${depth}` : '', this.deadlock ? '' : ' --no-deadlock'].join('');
      const replay = `kmc simulate ${this.model}${flags} --seed ${this.seed}${shard ? ` --shard ${shardText(shard)}` : ''} --path ${out.counterexamplePath}`;
      const found = this.replayPath ? 'replayed from --path' : `found in run ${out.numRuns}, shrunk ${out.numShrinks} times`;
      if (this.json) {
        const itf = toItf(inst, trace, { status: v.kind, violation: v.kind, cycle: v.kind === 'deadlock' || v.kind === 'livelock' ? v.cycle : undefined });
        o.write(JSON.stringify({ model: inst.model.name, params: inst.params, seed, runs: out.numRuns, depth, found, verdict: v.kind, property: 'property' in v ? v.property : null,
          steps: w.path.length, notChecked: unchecked, replay, trace: itf }, null, 2) + '\n');
        return exitCode(v);
      }
      const lines = [
        `${inst.model.name} (simulation, seed ${seed}${shard ? `, swarm member ${shardText(shard)}` : ''}): ${found}`,
        headline(v, { states: 0, transitions: 0, depth: 0, seconds: 0, bytesPerState: 0, exact: true, collisionProbability: 0 }).replace(' (shortest)', ' (shrunk, not necessarily shortest)'),
        '', ...renderTrace(inst, trace, 72, spinsOf(v)),
        ...((v.kind === 'deadlock' || v.kind === 'livelock') && v.cycle ? ['', 'wait-for cycle:', ...renderCycle(inst, v.cycle), '', ...renderLockdep(inst, v.cycle)] : []),
        ...(notChecked ? ['', notChecked] : []),
      ];
      o.write(`${fit(lines).join('\n')}\n\nreplay: ${replay}\n`);
      return exitCode(v);
    });
  }
}
