/** `kmc check <model>`: explore every interleaving and print the verdict. */
import { Command, Option, UsageError } from 'clipanion';
import { check, checkAsync } from '../check/check.ts';
import { EXIT, exitCode } from '../explore/verdict.ts';
import { compare, describeExpectation, describeOutcome, type Outcome } from '../check/expect.ts';
import { guard, parseParamFlags } from './guard.ts';
import { loadModel, ROOT } from './load-model.ts';
import { counterexampleItf, counterexampleText, findScenario, resultLines, runScenario } from './scenario.ts';
import { writeFileSync } from 'node:fs';
import { junit } from '../trace/junit.ts';
import { junitCase } from './test.ts';
import { DEADLOCK } from '../model/property.ts';
import { instantiate } from '../state/instance.ts';
import type { Model } from '../model/define-model.ts';
import type { Expectation } from '../model/expectation.ts';
import { join } from 'node:path';
import { jsonReport, textReport } from '../trace/report.ts';
import type { Progress } from '../explore/options.ts';

export class CheckCommand extends Command {
  static override paths = [[`check`]];
  static override usage = Command.Usage({
    description: `explore every interleaving of a model and check its properties`,
    details: `
      Prints "ok: all N states explored" or the shortest interleaving that breaks a property.
      Exit codes: 0 ok, 10 incomplete, 11 deadlock, 12 safety, 13 liveness, 14 unreached,
      15 a surprise against --expect, 1 usage error, 2 model error, 255 internal error.
      A progress line goes to stderr about once a second (KMC_PROGRESS_MS sets the interval).
    `,
    examples: [
      [`Check the philosophers with three seats`, `$0 check classic/philosophers --param n=3`],
      [`Explore the whole state space, ignoring deadlocks`, `$0 check classic/dio-ring --param n=5 --no-deadlock`],
      [`Run row S-12 of the scenario table and save its counterexample`, `$0 check --scenario S-12 --save`],
    ],
  });

  model = Option.String({ name: `model`, required: false });
  scenario = Option.String(`--scenario`, { description: `run a row of the scenario table (models/scenarios.ts), e.g. S-12` });
  save = Option.Boolean(`--save`, false, { description: `with --scenario: write counterexamples/<row>.txt and .itf.json` });
  params = Option.Array(`--param`, [], { description: `model parameter as key=value (repeatable)` });
  maxStates = Option.String(`--max-states`, { description: `stop after N distinct states (verdict: incomplete)` });
  deadlock = Option.Boolean(`--deadlock`, true, { description: `check deadlocks and wait-for cycles (--no-deadlock skips)` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object with the verdict and an ITF trace` });
  property = Option.String(`--property`, { description: `check only this property (its name or first word, e.g. P1; or deadlock)` });
  junitFile = Option.String(`--junit`, { description: `write a JUnit XML report: one test case per property (each checked on its own)` });
  expect = Option.Boolean(`--expect`, false, { description: `compare with the model's expect() (or the scenario row's) and exit 15 on any surprise` });
  reference = Option.Boolean(`--reference`, false, { description: `use the slow reference explorer (cross-checking)` });

  override async execute(): Promise<number> {
    return guard(this.context, async () => {
      let maxStates: number | undefined;
      if (this.maxStates !== undefined) {
        maxStates = Number(this.maxStates);
        if (!Number.isInteger(maxStates) || maxStates < 1) throw new UsageError(`--max-states ${this.maxStates}: expected a positive integer`);
      }
      if (this.scenario !== undefined) return this.#scenario(this.scenario);
      if (this.model === undefined) throw new UsageError(`kmc check: give a model (see kmc list) or --scenario <row>`);
      const model = await loadModel(this.model);
      const r = await checkAsync(model, {
        params: parseParamFlags(this.params), maxStates, deadlock: this.deadlock,
        explorer: this.reference ? 'reference' : 'fast', onProgress: this.#progress(Number(process.env['KMC_PROGRESS_MS'] ?? 1000)), property: this.property,
      });
      if (this.#progressShown && (this.context.stderr as NodeJS.WriteStream).isTTY) this.context.stderr.write(`\n`);
      this.context.stdout.write(this.json ? jsonReport(r) : textReport(r));
      if (this.junitFile) writeFileSync(this.junitFile, junitOf(model, r.instance.params, this.expect ? model.expect?.(r.instance.params as never) : undefined));
      if (!this.expect) return exitCode(r.verdict);
      const expected = model.expect?.(r.instance.params as never);
      if (expected === undefined) throw new UsageError(`--expect: model '${model.name}' declares no expect()`);
      return this.#expectations(compare(model, r.instance.params, expected));
    });
  }

  async #scenario(id: string): Promise<number> {
    const row = await findScenario(id);
    const results = await runScenario(row, parseParamFlags(this.params));
    const out = this.context.stdout;
    out.write(`${row.id}: ${row.title}\n${resultLines(results).join('\n')}\n`);
    const cx = results.find((r) => r.property === row.counterexample) ?? results.find((r) => r.report.trace !== undefined);
    if (cx?.report.trace !== undefined) out.write(`\n${this.json ? counterexampleItf(row, cx.report) : counterexampleText(row, cx.report)}`);
    if (this.save && cx?.report.trace !== undefined) {
      const base = join(ROOT, 'counterexamples', row.id);
      writeFileSync(`${base}.txt`, counterexampleText(row, cx.report));
      writeFileSync(`${base}.itf.json`, counterexampleItf(row, cx.report));
      this.context.stderr.write(`saved ${base}.txt and ${base}.itf.json\n`);
    }
    if (this.expect) return this.#expectations(results);
    const first = results.find((r) => r.report.verdict.kind !== 'ok');
    return first ? exitCode(first.report.verdict) : 0;
  }

  #expectations(outcomes: readonly Outcome[]): number {
    this.context.stdout.write(`\nexpectations:\n${outcomes.map((o) => `  ${o.surprise ? 'SURPRISE' : 'as expected'}  ${o.property}: expected ${describeExpectation(o.expected)}, got ${describeOutcome(o.report)}`).join('\n')}\n`);
    return outcomes.some((o) => o.surprise) ? EXIT.surprise : EXIT.ok;
  }

  #progressShown = false;
  #progress(everyMs: number): (p: Progress) => void {
    const err = this.context.stderr as NodeJS.WriteStream;
    let last = 0;
    return (p) => {
      if (p.seconds * 1000 - last < everyMs) return;
      last = p.seconds * 1000;
      this.#progressShown = true;
      const line = `${p.phase}: ${p.states.toLocaleString('en-US')} states, ${Math.round(p.states / Math.max(p.seconds, 1e-9)).toLocaleString('en-US')} states/s, depth ${p.depth}, queue ${p.queue.toLocaleString('en-US')}`;
      err.write(err.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
    };
  }
}

/** One test case per property (and deadlock): fails on a violation, or with expectations on a surprise. */
function junitOf(model: Model, params: Readonly<Record<string, string | number | boolean>>, expected: Readonly<Record<string, Expectation>> | undefined): string {
  const names = [DEADLOCK, ...instantiate(model, params).properties.map((p) => p.name)];
  const outcomes = expected ? compare(model, params, expected) : names.map((property) => {
    const report = check(model, { params, property });
    return { property, expected: 'holds' as Expectation, report, surprise: report.verdict.kind !== 'ok' };
  });
  return junit(outcomes.map((o) => junitCase(model.name, o)));
}
