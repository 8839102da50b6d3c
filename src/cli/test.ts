/** `kmc test [targets...]`: every expected verdict — of the models and of the scenario table — checked; fails on any surprise. */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'clipanion';
import { compare, describeExpectation, describeOutcome, type Outcome } from '../check/expect.ts';
import { EXIT } from '../explore/verdict.ts';
import { resolveParams } from '../state/instance.ts';
import { junit, type JunitCase } from '../trace/junit.ts';
import { UsageError } from '../util/errors.ts';
import { guard } from './guard.ts';
import { loadModel, shippedModels } from './load-model.ts';
import { stableTextReport, textReport } from '../trace/report.ts';
import { scenarioTable } from './scenario.ts';

export interface Target { readonly name: string; readonly outcomes: readonly Outcome[] }

export class TestCommand extends Command {
  static override paths = [[`test`]];
  static override usage = Command.Usage({
    description: `check every expected verdict (models' expect, and the scenario table); fail on any surprise`,
    details: `Targets are model names or scenario ids; none means all. Exit 0 when every verdict is as expected, 15 otherwise. The last line reads "N passed, N failed".`,
    examples: [[`Everything, with a JUnit report`, `$0 test --junit kmc.xml`], [`Two rows`, `$0 test S-12 S-13`]],
  });

  targets = Option.Rest();
  junitFile = Option.String(`--junit`, { description: `write a JUnit XML report (one test case per property)` });
  json = Option.Boolean(`--json`, false, { description: `print the outcomes as JSON` });

  override async execute(): Promise<number> {
    return guard(this.context, async () => {
      const results = await runTargets(this.targets);
      const all = results.flatMap((t) => t.outcomes.map((o) => ({ t, o })));
      const failed = all.filter(({ o }) => o.surprise);
      if (this.junitFile) writeFileSync(this.junitFile, junit(all.map(({ t, o }) => junitCase(t.name, o))));
      if (this.json) {
        this.context.stdout.write(JSON.stringify(all.map(({ t, o }) => ({ target: t.name, property: o.property, expected: o.expected, got: describeOutcome(o.report), surprise: o.surprise })), null, 2) + '\n');
      } else {
        for (const { t, o } of all)
          this.context.stdout.write(`${o.surprise ? 'FAIL' : 'ok  '}  ${t.name}  ${o.property}: ${o.surprise ? `expected ${describeExpectation(o.expected)}, got ` : ''}${describeOutcome(o.report)}\n`);
        for (const { t, o } of failed) this.context.stdout.write(`\n--- ${t.name} ${o.property}\n${textReport(o.report)}`);
        this.context.stdout.write(`\n${all.length - failed.length} passed, ${failed.length} failed\n`);
      }
      return failed.length ? EXIT.surprise : EXIT.ok;
    });
  }
}

/** One JUnit test case for an outcome; a surprise fails with the counterexample as its text. */
export const junitCase = (suite: string, o: Outcome): JunitCase => ({
  suite, name: o.property,
  ...(o.surprise ? { failure: { message: `expected ${describeExpectation(o.expected)}, got ${describeOutcome(o.report)}`, text: stableTextReport(o.report) } } : {}),
});

/** Every model with expectations (default parameters) and every scenario row, or the named ones. */
export async function runTargets(names: readonly string[]): Promise<Target[]> {
  const rows = await scenarioTable();
  const models = shippedModels();
  const wanted = names.length ? names : [...models, ...rows.map((r) => r.id)];
  const out: Target[] = [];
  for (const name of wanted) {
    const row = rows.find((r) => r.id === name);
    if (row) { out.push({ name: row.id, outcomes: compare(await loadModel(row.model), row.params, row.expect) }); continue; }
    if (!models.includes(name)) throw new UsageError(`kmc test ${name}: neither a model nor a scenario row (models: ${models.join(', ')}; rows: ${rows.map((r) => r.id).join(', ')})`);
    const model = await loadModel(name);
    const params = resolveParams(model, {});
    const expected = model.expect?.(params as never);
    if (expected) out.push({ name, outcomes: compare(model, params, expected) });
    else if (names.length) throw new UsageError(`kmc test ${name}: the model declares no expect()`);
  }
  return out;
}
