/**
 * `kmc shrink <model> --property P`: the smallest configuration that still violates P.
 * fast-check shrinks the model's parameters (integers toward their minimum, booleans toward
 * false, enums toward their first value) starting from the given configuration; each candidate
 * is checked exhaustively. What turns a big failing model into a mailing-list-sized one.
 */
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import fc from 'fast-check';
import { check } from '../check/check.ts';
import { exitCode, isViolation } from '../explore/verdict.ts';
import { resolveParams } from '../state/instance.ts';
import { UsageError } from '../util/errors.ts';
import { guard, parseParamFlags, positiveInt } from './guard.ts';
import { loadModel } from './load-model.ts';
import { paramsText, reportJson, textReport } from '../trace/report.ts';
import type { Model } from '../model/define-model.ts';
import { paramArbitrary } from '../model/param-arbitrary.ts';

type Params = Record<string, string | number | boolean>;

/** Shrinks `start` (which must violate `property`) to a smallest violating configuration. */
export function shrinkConfig(model: Model, property: string, start: Params, maxStates: number): { params: Params; tried: number } {
  const violates = (ps: Params): boolean => isViolation(check(model, { params: ps, property, maxStates }).verdict);
  if (!violates(start)) throw new UsageError(`kmc shrink: ${paramsText(start)} does not violate '${property}' (within --max-states ${maxStates})`);
  let tried = 0;
  const arb = fc.record(Object.fromEntries(Object.entries(model.params).map(([k, p]) => [k, paramArbitrary(p)]))) as fc.Arbitrary<Params>;
  const out = fc.check(fc.property(arb, (ps) => { tried++; return !violates(ps); }), { examples: [[start]], numRuns: 1, endOnFailure: false });
  if (!out.failed || out.counterexample === null) throw new Error(`Assertion failed: the starting configuration did not fail under fast-check`);
  return { params: out.counterexample[0], tried };
}

export class ShrinkCommand extends Command<KmcContext> {
  static override paths = [[`shrink`]];
  static override usage = Command.Usage({
    description: `find the smallest configuration of a model that still violates a property, and print its shortest trace`,
    examples: [[`Shrink an oversized S-12`, `$0 shrink dio-mmap --property deadlock --param fault_lock=pagecache_naive_fdm --param tasks=4 --param files=3`]],
  });

  model = Option.String({ name: `model` });
  property = Option.String(`--property`, { required: true, description: `the property that must stay violated (or deadlock)` });
  params = Option.Array(`--param`, [], { description: `the starting configuration, key=value (repeatable)` });
  maxStates = Option.String(`--max-states`, `1000000`, { description: `state bound for each candidate's exhaustive check` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object: the configuration found and its check report` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const model = await loadModel(this.model);
      const maxStates = positiveInt('--max-states', this.maxStates)!;
      const start = resolveParams(model, parseParamFlags(this.params));
      const { params, tried } = shrinkConfig(model, this.property, start, maxStates);
      const changed = Object.entries(params).filter(([k, v]) => start[k] !== v);
      const r = check(model, { params, property: this.property });
      this.context.stdout.write(this.json
        ? JSON.stringify({ property: this.property, start, params, changed: Object.fromEntries(changed), tried, report: reportJson(r) }, null, 2) + '\n'
        : `smallest configuration violating '${this.property}' (${tried} candidates checked):\n  ${paramsText(params)}\n` +
          `  changed: ${changed.map(([k, v]) => `${k}: ${String(start[k])} -> ${String(v)}`).join(', ') || 'nothing (already minimal)'}\n\n${textReport(r)}`);
      return exitCode(r.verdict);
    });
  }
}
