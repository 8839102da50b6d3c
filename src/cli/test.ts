/**
 * `kmc test [targets...]`: every expected verdict — of each model, in each configuration it
 * lists, and of each row of the scenario table — checked; fails on any surprise. A model file
 * that does not load is reported and the rest still run.
 */
import { Command, Option } from './clipanion.ts';
import { keyErrors, stepName, unexcused, type UnreachedStep } from '../check/coverage.ts';
import { COVERAGE, coverageCase, coverageJson, keyErrorsJson } from '../trace/coverage.ts';
import type { KmcContext } from './context.ts';
import { compare, describeExpectation, describeOutcome, type Outcome } from '../check/expect.ts';
import { EXIT } from '../explore/verdict.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { junit, type JunitCase } from '../trace/junit.ts';
import { paramsText, stableTextReport, textReport } from '../trace/report.ts';
import { ModelError, UsageError } from '../util/errors.ts';
import { escapeControls } from '../util/escape.ts';
import { guard, writeOutput } from './guard.ts';
import { loadModel, MODELS, shippedModels } from './load-model.ts';
import { scenarioTable } from './scenario.ts';
import { projectModels } from './project.ts';
import { inShard, parseShard, shardText, type Shard } from './shard.ts';
import type { Model } from '../model/define-model.ts';

/** A configuration's outcomes; `steps`: the steps its search never fired, when the search exhausted the space, and `keyErrors`: its wrong `mayBeUnreached` keys. */
export interface Target { readonly name: string; readonly outcomes: readonly Outcome[]; readonly steps?: readonly UnreachedStep[]; readonly keyErrors?: readonly string[] }
export interface Broken { readonly model: string; readonly error: string }

export class TestCommand extends Command<KmcContext> {
  static override paths = [[`test`]];
  static override usage = Command.Usage({
    description: `check every expected verdict (models' expect() in each of their configurations, and the scenario table); fail on any surprise`,
    details: `Targets are model names or scenario ids; none means all. Exit 0 when every verdict is as expected, 15 on a surprise, 2 when a model does not load (the others still run). The last line reads "N passed, N failed".`,
    examples: [[`Everything, with a JUnit report`, `$0 test --junit kmc.xml`], [`Two rows`, `$0 test S-12 S-13`], [`The models of another directory`, `$0 test --models ./models`]],
  });

  targets = Option.Rest();
  junitFile = Option.String(`--junit`, { description: `write a JUnit XML report (one test case per property)` });
  json = Option.Boolean(`--json`, false, { description: `print the outcomes as one JSON object` });
  models = Option.String(`--models`, { description: `the directory of models to test (default: the project's, from package.json "kmc" or kmc.config.*; in kmc's own checkout its models/ and the scenario table)` });
  shard = Option.String(`--shard`, { description: `run only share i of n of the targets (i/n, as vitest and jest shard; merge the JUnit reports with kmc junit-merge; auto: from a Kubernetes Indexed Job's JOB_COMPLETION_INDEX and JOB_COMPLETION_COUNT)` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const shard = parseShard(this.shard, this.context.env);
      const { targets, broken, ran, total } = await runTargets(this.targets, this.models ?? await projectModels('kmc test'), shard, (note) => this.context.stderr.write(`kmc: ${escapeControls(note)}\n`));
      const all = targets.flatMap((t) => t.outcomes.map((o) => ({ t, o })));
      const uncovered = targets.filter(uncoveredTarget);
      const failed = all.filter(({ o }) => o.surprise);
      const nFailed = failed.length + uncovered.length, nPassed = all.length - failed.length + targets.filter((t) => t.steps).length - uncovered.length;
      const out = this.context.stdout;
      if (this.json) {
        out.write(JSON.stringify({ passed: nPassed, failed: nFailed, broken, ...(shard ? { shard: shardText(shard), targets: ran, of: total } : {}), outcomes: all.map(({ t, o }) => ({ target: t.name, ...outcomeJson(o) })),
          coverage: targets.filter((t) => t.steps).map((t) => ({ target: t.name, unreachedSteps: coverageJson(t.steps), ...keyErrorsJson(t.keyErrors ?? []), surprise: uncoveredTarget(t) })) }, null, 2) + '\n');
      } else {
        for (const { t, o } of all)
          out.write(`${o.surprise ? 'FAIL' : 'ok  '}  ${t.name}  ${o.property}: ${o.surprise ? `expected ${describeExpectation(o.expected)}, got ` : ''}${describeOutcome(o.report)}\n`);
        for (const t of uncovered) {
          const bad = unexcused(t.steps);
          if (bad.length) out.write(`FAIL  ${t.name}  ${COVERAGE}: ${bad.map(stepName).join('; ')} never fired (remove the step, make it reachable, or declare it in mayBeUnreached with the reason)\n`);
          for (const e of t.keyErrors ?? []) out.write(`FAIL  ${t.name}  ${COVERAGE}: ${e}\n`);
        }
        for (const b of broken) out.write(`BROKEN  ${b.model}: ${b.error}\n`);
        for (const { t, o } of failed) out.write(`\n--- ${t.name} ${o.property}\n${textReport(o.report)}`);
        out.write(`\n${nPassed} passed, ${nFailed} failed${broken.length ? `, ${broken.length} broken` : ''}${shard ? ` (shard ${shardText(shard)}: ${ran} of ${total} targets)` : ''}\n`);
      }
      if (this.junitFile !== undefined)
        writeOutput(this.context, '--junit', this.junitFile, junit([...all.map(({ t, o }) => junitCase(t.name, o)), ...targets.flatMap((t) => (t.steps ? [coverageCase(t.name, t.steps, t.keyErrors)] : [])), ...broken.map(brokenCase)]));
      return nFailed ? EXIT.surprise : broken.length ? EXIT.model : EXIT.ok;
    });
  }
}

/** An outcome as JSON: `{ property, expected, got, surprise }`. */
export const outcomeJson = (o: Outcome): Record<string, unknown> =>
  ({ property: o.property, expected: describeExpectation(o.expected), got: describeOutcome(o.report), surprise: o.surprise, states: o.report.stats.states });

/** One JUnit test case for an outcome; a surprise fails with the counterexample as its text. */
export const junitCase = (suite: string, o: Outcome): JunitCase => ({
  suite, name: o.property,
  ...(o.surprise ? { failure: { message: `expected ${describeExpectation(o.expected)}, got ${describeOutcome(o.report)}`, text: stableTextReport(o.report) } } : {}),
});

const brokenCase = (b: Broken): JunitCase => ({ suite: b.model, name: 'loads', failure: { message: 'the model does not load', text: b.error } });

/** A model's expectations in one configuration it lists (a configuration outside its parameters is a model error). */
function configTarget(name: string, model: Model, config: Readonly<Record<string, unknown>>): Target {
  let params;
  try { params = resolveParams(model, config as Record<string, string | number | boolean>); } catch (err) {
    if (err instanceof UsageError) throw new ModelError('KMC013', `model '${model.name}': configurations: ${err.message}`);
    throw err;
  }
  const label = Object.keys(config).length ? `${name} ${paramsText(config)}` : name;
  return covered(label, compare(model, params, model.expect!(params as never)));
}

/**
 * A target and its step coverage, when its search exhausted the space. A search that ended
 * because every expected property was found violated has no coverage, and needs none: no
 * verdict of it says "holds".
 */
const covered = (name: string, outcomes: readonly Outcome[]): Target => {
  const report = outcomes.find((o) => o.report.unreachedSteps)?.report;
  return { name, outcomes, ...(report ? { steps: report.unreachedSteps!, keyErrors: keyErrors(report.instance, report.unreachedSteps) } : {}) };
};

/** The target's coverage fails: a step never fired that the model does not excuse, or a `mayBeUnreached` key is wrong. */
const uncoveredTarget = (t: Target): boolean => unexcused(t.steps).length > 0 || (t.keyErrors?.length ?? 0) > 0;

/** One unit of `kmc test`'s work (what `--shard` deals out): a model configuration, a scenario row, or a model that does not load. */
type Job = () => Target | Broken;

const caught = (name: string, f: () => Target): Target | Broken => {
  try { return f(); } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    return { model: name, error: err.message };
  }
};

/**
 * Every model's expectations in each of its configurations, then every scenario row; or the
 * named ones. With a shard, only that shard's share of them (see `shard.ts`).
 */
export async function runTargets(names: readonly string[], dir?: string, shard?: Shard, skipped?: (note: string) => void): Promise<{ targets: Target[]; broken: Broken[]; ran: number; total: number }> {
  const rows = dir === undefined ? await scenarioTable() : [];
  const models = shippedModels(dir ?? MODELS, skipped);
  const wanted = names.length ? names : [...models, ...rows.map((r) => r.id)];
  const jobs: Job[] = [];
  for (const name of wanted) {
    const row = rows.find((r) => r.id === name);
    if (row) {
      const model = await loadModel(row.model);
      jobs.push(() => covered(row.id, compare(model, row.params, row.expect)));
      continue;
    }
    if (!models.includes(name)) throw new UsageError(`kmc test ${name}: neither a model nor a scenario row (models: ${models.join(', ')}${rows.length ? `; rows: ${rows.map((r) => r.id).join(', ')}` : ''})`);
    let model: Model;
    try {
      model = await loadModel(name, dir ?? MODELS);
      if (model.expect === undefined) {
        if (names.length) throw new UsageError(`kmc test ${name}: the model declares no expect()`);
        instantiate(model);   // nothing to compare, but it must at least build
        continue;
      }
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      const broken: Broken = { model: name, error: err.message };
      jobs.push(() => broken);
      continue;
    }
    for (const config of model.configurations ?? [{}]) jobs.push(() => caught(name, () => configTarget(name, model, config)));
  }
  const targets: Target[] = [], broken: Broken[] = [], mine = inShard(jobs, shard);
  for (const job of mine) {
    const r = job();
    if ('outcomes' in r) targets.push(r); else if (!broken.some((b) => b.model === r.model)) broken.push(r);
  }
  return { targets, broken, ran: mine.length, total: jobs.length };
}
