/** `kmc check <model>` / `kmc check --scenario <row>`: explore every interleaving and print the verdict. */
import { availableParallelism, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { Command, Option, UsageError } from './clipanion.ts';
import { check, checkAsync, propertyReport, type CheckOptions, type Report } from '../check/check.ts';
import { describeExpectation, describeOutcome, outcomes as outcomesOf, type Outcome } from '../check/expect.ts';
import { coverageCase, coverageJson, coverageText, keyErrorsJson } from '../trace/coverage.ts';
import { keyErrors } from '../check/coverage.ts';
import { EXIT, exitCode } from '../explore/verdict.ts';
import { DEADLOCK } from '../model/property.ts';
import { junit } from '../trace/junit.ts';
import { fit, itfOf, reportJson, textReport } from '../trace/report.ts';
import { traceHtml } from '../trace/html.ts';
import { DOT_MAX_STATES, dotOf } from '../trace/dot.ts';
import { guard, parseParamFlags, parseSize, positiveInt, writeOutput } from './guard.ts';
import { loadModel, ROOT } from './load-model.ts';
import { findModel } from './project.ts';
import { defaultTraceName, savedTrace } from './save.ts';
import { refuseClobbering } from './outputs.ts';
import { sourceFile } from '../model/source.ts';
import { counterexampleItf, counterexampleText, findScenario, resultLines, runScenario } from './scenario.ts';
import { junitCase, outcomeJson } from './test.ts';
import type { Model } from '../model/define-model.ts';
import type { Expectation } from '../model/expectation.ts';
import type { Progress } from '../explore/options.ts';
import { thousands } from '../util/thousands.ts';
import { progressLine } from './progress.ts';
import type { KmcContext } from './context.ts';

/** The default --max-memory: most of the machine, so a run ends "incomplete" before the machine runs out. */
const DEFAULT_MAX_MEMORY = Math.floor(totalmem() * 0.7);

export class CheckCommand extends Command<KmcContext> {
  static override paths = [[`check`]];
  static override usage = Command.Usage({
    description: `explore every interleaving of a model and check its properties`,
    details: `
      Prints "ok: all N states explored" or the shortest interleaving that breaks a property.
      Exit codes: 0 ok, 10 incomplete, 11 deadlock, 12 safety, 13 liveness, 14 unreached,
      15 a surprise against --expect, 1 usage error, 2 model error, 255 internal error.
      Progress goes to stderr about once a second (KMC_PROGRESS_MS sets the interval).
      SIGINT or SIGTERM ends the run with the summary so far and verdict "incomplete".
    `,
    examples: [
      [`Check the philosophers with three seats`, `$0 check classic/philosophers --param n=3`],
      [`Explore the whole state space, ignoring deadlocks`, `$0 check classic/dio-ring --param n=5 --no-deadlock`],
      [`A counterexample to paste into a mail (72 columns, no statistics)`, `$0 check classic/abba --format email`],
      [`Check a model file of yours and save its counterexample (./mine-inverted=true.itf.json)`, `$0 check ./models/mine.ts --param inverted=true --save`],
      [`Run row S-12 of the scenario table and save its counterexample`, `$0 check --scenario S-12 --save`],
      [`Explore the philosophers up to turning the table (one state per orbit)`, `$0 check classic/philosophers --param n=10 --symmetry`],
    ],
  });

  model = Option.String({ name: `model`, required: false });
  scenario = Option.String(`--scenario`, { description: `run a row of the scenario table (models/scenarios.ts), e.g. S-12` });
  save = Option.String(`--save`, { tolerateBoolean: true, description: `write the counterexample as an ITF trace, to PATH (--save PATH.json or --save=PATH) or <model>[-<param>=<value>...].itf.json; with --scenario: counterexamples/<row>.txt and .itf.json` });
  /** `--save PATH`: clipanion reads PATH as a second positional (see #savePath). */
  savePositional = Option.String({ name: `path`, required: false });
  params = Option.Array(`--param`, [], { description: `model parameter as key=value (repeatable)` });
  maxStates = Option.String(`--max-states`, { description: `stop after N distinct states (verdict: incomplete)` });
  maxMemory = Option.String(`--max-memory`, { description: `stop before the explorer holds this much (512M, 4G; default 70% of the machine's memory)` });
  deadlock = Option.Boolean(`--deadlock`, true, { description: `check deadlocks and wait-for cycles (--no-deadlock skips)` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object with the verdict and an ITF trace` });
  format = Option.String(`--format`, { description: `text (the default) or email: for a mailing-list reply, at most 72 columns, the steps, the wait-for cycle and lockdep's text, the replay command, no statistics` });
  property = Option.String(`--property`, { description: `check only this property (its name or first word, e.g. P1; or deadlock)` });
  junitFile = Option.String(`--junit`, { description: `write a JUnit XML report: one test case per property (against expect() when the model has one)` });
  expect = Option.Boolean(`--expect`, false, { description: `compare with the model's expect() (or the scenario row's) and exit 15 on any surprise` });
  reference = Option.Boolean(`--reference`, false, { description: `use the slow reference explorer (cross-checking)` });
  reduce = Option.String(`--reduce`, { description: `reduce the state space: por (partial-order reduction; safety and deadlock only, refused with liveness properties), or por-state (the same, a dependent pair also judged in the state at hand, and the visited cycle proviso (--proviso): fewer states where actors share locks, several times the time per state, in one thread)` });
  proviso = Option.String(`--proviso`, { description: `with --reduce, the cycle proviso: static (a stubborn set with a step that closes a loop of its actor's program is expanded fully; the default of por) or visited (a set is used unless one of its steps stays within a loop of its actor's program and leads to a state the search found no later than this one, a set that closes no loop preferred: fewer states, in one thread, store in memory; the default of por-state)` });
  symmetry = Option.Boolean(`--symmetry`, false, { description: `explore the states up to a permutation of the actors the model declares interchangeable (sys.symmetric): one state per orbit; safety and deadlock only, in one thread; the counterexample is a run of the model` });
  store = Option.String(`--store`, { description: `where the search keeps what it stores: memory (the default) or compact (hash compaction: about 4.4 B per state in a table of 5/8 of --max-memory (all but 1.25 GiB of a larger one), the BFS tree and the levels past a chunk on disk, one thread, safety and deadlock only; prints the probability that a state was omitted)` });
  workers = Option.String(`--workers`, { description: `threads for the search (default: the machine's cores; a search starts in one and hands over to the workers once it proves big, if other processes leave the cores free)` });
  html = Option.String(`--html`, { description: `write the counterexample as one self-contained HTML page (the trace viewer)` });
  goOn = Option.Boolean(`--continue`, false, { description: `go on past the first violation until every property has its first (and list each property's verdict); --expect and --junit do this on their own` });
  dot = Option.String(`--dot`, { description: `write Graphviz DOT: the wait-for cycle of a deadlock, and the state graph with the counterexample in red (the counterexample's states alone above ${DOT_MAX_STATES} states, or --dot-states)` });
  dotStates = Option.String(`--dot-states`, { description: `with --dot: draw the whole state graph up to N states (default ${DOT_MAX_STATES}; a larger graph gets the counterexample's states alone)` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      this.#refuseContradictions();
      const red = reduction(this.reduce), prov = provisoFlag(this.proviso);
      const opts: CheckOptions = {
        maxStates: positiveInt('--max-states', this.maxStates), maxMemory: parseSize('--max-memory', this.maxMemory) ?? DEFAULT_MAX_MEMORY,
        explorer: this.reference ? 'reference' : 'fast', deadlock: this.deadlock,
        // the visited proviso runs in one thread: the default; more is refused by the check
        workers: this.reference || this.symmetry || this.store === 'compact' ? 1 : positiveInt('--workers', this.workers) ?? (visitedProviso(red, prov) ? 1 : availableParallelism()),
        ...(store(this.store) === 'compact' ? { store: 'compact' as const } : {}),
        ...red, ...(prov === undefined ? {} : { proviso: prov }),
        ...(this.symmetry ? { symmetry: true } : {}),
      };
      if (this.scenario !== undefined) return this.#scenario(this.scenario, opts);
      if (this.model === undefined) throw new UsageError(`kmc check: give a model (see kmc list) or --scenario <row>`);
      const model = await findModel(this.model);
      const savingTo = this.#savePath();
      this.#refuseClobbering(sourceFile(model), typeof savingTo === 'string' ? [savingTo] : []);
      // one search answers every property: asked for, or what --expect and --junit need (unless the explorer cannot go on)
      const goOn = this.goOn || ((this.expect || this.junitFile !== undefined) && this.property === undefined && !this.reference && opts.reduction === 'none');
      const r = await this.#interruptible((signal) => checkAsync(model, { ...opts, params: parseParamFlags(this.params), property: this.property, ...(goOn ? { continue: true } : {}), signal, onProgress: this.#progress() }));
      for (const note of r.notes) this.context.stderr.write(`kmc: ${note}\n`);
      const params = r.instance.params;
      const declared = model.expect?.(params as never);
      if (this.expect && declared === undefined) throw new UsageError(`--expect: model '${model.name}' declares no expect()`);
      // with --property, only its expectation counts; a model that expects nothing of it is checked plainly (refused under --expect)
      const expected = declared && this.property !== undefined ? (this.property in declared || this.expect ? only(declared, this.property) : undefined) : declared;
      const alone = (property: string): Report => check(model, { ...opts, params, property });
      const outcomes = this.expect ? outcomesOf(r, expected!, alone) : undefined;
      const found = this.goOn ? discoveriesOf(r) : undefined;
      this.context.stdout.write(this.json
        ? JSON.stringify({ ...reportJson(r), ...(found ? { discoveries: found.map(outcomeJsonOf) } : {}), unreachedSteps: coverageJson(r.unreachedSteps), ...keyErrorsJson(keyErrors(r.instance, r.unreachedSteps)), ...(outcomes ? { expectations: outcomes.map(outcomeJson) } : {}) }, null, 2) + '\n'
        : textReport(r, { invokedAs: this.model, email: this.#email() }) + (found ? discoveriesText(found) : '') + (this.#email() ? '' : coverageText(r.unreachedSteps, keyErrors(r.instance, r.unreachedSteps))) + (outcomes ? expectationsText(outcomes) : ''));
      if (this.junitFile !== undefined)
        writeOutput(this.context, '--junit', this.junitFile, junitOf(model, r, expected, alone, this.deadlock));
      await this.#pictures(r);
      const path = this.#savePath();
      if (path !== undefined) {
        const to = path === true ? defaultTraceName(r) : path, text = savedTrace(r, to);
        if (text === null) this.context.stderr.write(`kmc: --save: not written: the verdict (${r.verdict.kind}) has no counterexample\n`);
        else if (writeOutput(this.context, '--save', to, text)) this.context.stderr.write(`saved ${to} (kmc replay ${to})\n`);
      }
      return outcomes ? surprises(outcomes) : exitCode(r.verdict);
    });
  }

  /**
   * Where `--save` writes: true for the default name, a path, or undefined without --save.
   * `--save PATH` reaches here as --save and a second positional (clipanion takes a value of an
   * optional-valued option only as --save=PATH); of two positionals the one ending in .json is the path.
   */
  #savePath(): string | true | undefined {
    return this.save === undefined || this.save === false ? undefined : this.save;
  }

  /** `--save PATH`, given as two positionals, sorted into the model and the path. */
  #sortPositionals(): void {
    if (this.savePositional === undefined) return;
    if (this.save !== true) throw new UsageError(`kmc check: unexpected '${this.savePositional}' (an extra argument: one model, and a path only after --save)`);
    if (this.model?.endsWith('.json') && !this.savePositional.endsWith('.json')) [this.model, this.savePositional] = [this.savePositional, this.model];
    if (!this.savePositional.endsWith('.json')) throw new UsageError(`--save ${this.savePositional}: a trace is saved as JSON: give a path ending in .json (or --save=${this.savePositional})`);
    this.save = this.savePositional;
    this.savePositional = undefined;
  }

  /** `--format email`; any other format than text or email is a usage error. */
  #email(): boolean {
    if (this.format === undefined || this.format === 'text') return false;
    if (this.format === 'email') return true;
    throw new UsageError(`--format ${this.format}: expected text or email (--json for JSON)`);
  }

  /** Flags that contradict each other, or that a mode cannot honour, are refused, never dropped. */
  #refuseContradictions(): void {
    this.#sortPositionals();
    if (this.#email() && this.json) throw new UsageError(`--format email and --json contradict each other`);
    const row = this.scenario;
    const modifiers = [this.params.length ? '--param' : '', this.property !== undefined ? '--property' : '', this.maxStates !== undefined ? '--max-states' : '',
      this.maxMemory !== undefined ? '--max-memory' : '', this.reference ? '--reference' : '', this.reduce !== undefined ? '--reduce' : ''].filter(Boolean);
    const refusals: [boolean, string][] = [
      [this.property === DEADLOCK && !this.deadlock, `--property deadlock and --no-deadlock contradict each other`],
      [row !== undefined && this.model !== undefined, `give a model or --scenario ${row}, not both`],
      [row !== undefined && !this.deadlock, `--no-deadlock: a scenario row fixes what it checks, deadlock included`],
      [this.#savePath() === true && row !== undefined && modifiers.length > 0, `--save writes the committed counterexample of row ${row}, which ${modifiers.join(', ')} would change; drop ${modifiers.length > 1 ? 'them' : 'it'} or leave out --save`],
      [this.expect && !this.deadlock && row === undefined, `--expect compares every expected verdict, deadlock included: it cannot be combined with --no-deadlock`],
      [this.reference && this.workers !== undefined, `--workers and --reference contradict each other: the reference explorer runs in one thread`],
      [this.dotStates !== undefined && this.dot === undefined, `--dot-states sizes the graph that --dot draws: give --dot FILE too`],
      [this.reference && this.reduce !== undefined, `--reduce and --reference contradict each other: the reference explorer explores every interleaving`],
      [this.goOn && this.property !== undefined, `--continue goes on until every property has its first violation: it cannot be combined with --property`],
      [this.goOn && this.reference, `--continue and --reference contradict each other: only the fast explorer goes on past a violation`],
      [this.goOn && this.reduce !== undefined && this.reduce !== 'none', `--continue and --reduce contradict each other: the reduction keeps only what the properties see, so each property's first violation needs its own search`],
      [this.goOn && row !== undefined, `--continue: a scenario row already answers each of its properties`],
      [this.symmetry && this.workers !== undefined, `--symmetry runs in one thread: leave out --workers`],
      [this.store === 'compact' && this.workers !== undefined, `--store compact runs in one thread: leave out --workers`],
      [this.store === 'compact' && this.reference, `--store compact and --reference contradict each other: the reference explorer keeps whole states in memory`],
      [this.symmetry && this.reference, `--symmetry and --reference contradict each other: the reference explorer explores every state`],
      [this.symmetry && this.goOn, `--symmetry and --continue: each property's first violation needs its own search`],
      [this.symmetry && row !== undefined, `--symmetry: a scenario row fixes how it is checked`],
      [this.symmetry && (this.expect || this.junitFile !== undefined), `--symmetry with --expect or --junit: they answer every property, liveness and lockdep's included, which symmetry does not`],
    ];
    for (const [bad, why] of refusals) if (bad) throw new UsageError(why);
  }

  async #scenario(id: string, opts: CheckOptions): Promise<number> {
    const row = await findScenario(id);
    const saving = this.#savePath(), saveBase = typeof saving === 'string' ? saving.replace(/(\.itf)?\.json$/, '') : join(ROOT, 'counterexamples', row.id);
    this.#refuseClobbering(sourceFile(await loadModel(row.model)), saving !== undefined ? [`${saveBase}.txt`, `${saveBase}.itf.json`] : []);
    if (this.property !== undefined && !(this.property in row.expect))
      throw new UsageError(`--property ${this.property}: row ${row.id} expects nothing of it (it expects: ${Object.keys(row.expect).join(', ')})`);
    const picked = this.property === undefined ? row : { ...row, expect: only(row.expect, this.property) };
    const outcomes = await runScenario(picked, parseParamFlags(this.params), opts);
    const cx = outcomes.find((o) => o.property === row.counterexample && o.report.trace !== undefined) ?? outcomes.find((o) => o.report.trace !== undefined);
    const out = this.context.stdout, err = this.context.stderr;
    if (this.json) {
      // the shape of kmc check --json (the counterexample's report, or the first property's), with the row and its expectations
      const shown = cx ?? outcomes[0]!;
      out.write(JSON.stringify({ ...reportJson(shown.report), unreachedSteps: coverageJson(shown.report.unreachedSteps), ...keyErrorsJson(keyErrors(shown.report.instance, shown.report.unreachedSteps)), scenario: row.id, title: row.title, expectations: outcomes.map(outcomeJson) }, null, 2) + '\n');
    } else {
      const head = [`${row.id}: ${row.title}`, ...resultLines(outcomes)];
      out.write(`${(this.#email() ? fit(head) : head).join('\n')}\n`);
      if (cx) out.write(`\n${this.#email() ? textReport(cx.report, { email: true }) : counterexampleText(row, cx.report, this.params)}`);
    }
    const save = this.#savePath();
    if (save !== undefined && cx) {
      const base = typeof save === 'string' ? save.replace(/(\.itf)?\.json$/, '') : join(ROOT, 'counterexamples', row.id);
      if (writeOutput(this.context, '--save', `${base}.txt`, counterexampleText(row, cx.report)) && writeOutput(this.context, '--save', `${base}.itf.json`, counterexampleItf(row, cx.report)))
        err.write(`saved ${base}.txt and ${base}.itf.json\n`);
    }
    if (this.junitFile !== undefined) writeOutput(this.context, '--junit', this.junitFile, junit(outcomes.map((o) => junitCase(row.id, o))));
    if (cx) await this.#pictures(cx.report);
    else if (this.html !== undefined || this.dot !== undefined) err.write(`kmc: --html/--dot: not written: row ${row.id} has no counterexample\n`);
    if (this.expect) {
      if (!this.json) out.write(expectationsText(outcomes));
      return surprises(outcomes);
    }
    const first = outcomes.find((o) => o.report.verdict.kind !== 'ok');
    return first ? exitCode(first.report.verdict) : EXIT.ok;
  }

  /** Outputs that would overwrite the model's source or each other are refused before the check runs. */
  #refuseClobbering(model: string | undefined, saved: readonly string[] = []): void {
    const outputs = [['--html', this.html], ['--dot', this.dot], ['--junit', this.junitFile], ...saved.map((f) => ['--save', f])]
      .filter((o): o is [string, string] => o[1] !== undefined).map(([what, file]) => ({ what, file }));
    refuseClobbering(outputs, model === undefined ? [] : [{ what: "the model's source", file: relative(process.cwd(), model) || model }]);
  }

  /** `--html` and `--dot` for a report; what cannot be drawn is said on stderr, the exit code stays the verdict's. */
  async #pictures(r: Report): Promise<void> {
    const err = this.context.stderr;
    if (this.html !== undefined) {
      const itf = itfOf(r);
      if (itf === null) err.write(`kmc: --html ${this.html}: not written: the verdict (${r.verdict.kind}) has no counterexample to show\n`);
      else writeOutput(this.context, '--html', this.html, await traceHtml(itf));
    }
    if (this.dot !== undefined) {
      const most = positiveInt('--dot-states', this.dotStates) ?? DOT_MAX_STATES;
      const { dot, whole } = dotOf(r, most), large = `the state graph has more than ${most} states`;
      if (!whole && r.trace === undefined) err.write(`kmc: --dot ${this.dot}: not written: ${large}, and the verdict (${r.verdict.kind}) has no counterexample\n`);
      else if (writeOutput(this.context, '--dot', this.dot, dot) && !whole) err.write(`kmc: --dot ${this.dot}: ${large}: only the counterexample's states are drawn\n`);
    }
  }

  /** Runs `body` with the context's interrupts (the process's SIGINT and SIGTERM) turned into "stop, verdict incomplete". */
  async #interruptible(body: (signal: AbortSignal) => Promise<Report>): Promise<Report> {
    const ac = new AbortController();
    const unsubscribe = this.context.interrupts((why) => ac.abort(`interrupted (${why})`));
    try {
      return await body(ac.signal);
    } finally {
      unsubscribe();
      this.#line?.end();
    }
  }

  #line: ReturnType<typeof progressLine> | undefined;
  #progress(): (p: Progress) => void {
    const line = (this.#line = progressLine(this.context));
    return (p) => line.show(() => `${p.phase}: ${thousands(p.states)} states, ${thousands(p.states / Math.max(p.seconds, 1e-9))} states/s, depth ${p.depth}, queue ${thousands(p.queue)}`);
  }
}

/** `--store memory|compact`; anything else is a usage error naming the flag. */
function store(raw: string | undefined): 'memory' | 'compact' {
  if (raw === undefined || raw === 'memory') return 'memory';
  if (raw === 'compact') return 'compact';
  throw new UsageError(`--store ${raw}: expected memory or compact (hash compaction, the rest on disk)`);
}

/** `--proviso static|visited`; anything else is a usage error naming the flag. */
function provisoFlag(raw: string | undefined): 'static' | 'visited' | undefined {
  if (raw === undefined || raw === 'static' || raw === 'visited') return raw;
  throw new UsageError(`--proviso ${raw}: expected static (a set that closes a loop of its actor's program is expanded fully) or visited (a set is not used where a step within a loop leads to a state found no later)`);
}

/** Does the reduction asked for run under the visited proviso (in one thread)? */
const visitedProviso = (red: Pick<CheckOptions, 'reduction' | 'dependence'>, prov: 'static' | 'visited' | undefined): boolean =>
  red.reduction === 'partial-order' && (prov ?? (red.dependence === 'state' ? 'visited' : 'static')) === 'visited';

/** `--reduce por|por-state` → the checker's reduction (and its dependence); anything else is a usage error naming the flag. */
function reduction(raw: string | undefined): Pick<CheckOptions, 'reduction' | 'dependence'> {
  if (raw === undefined || raw === 'none') return { reduction: 'none' };
  if (raw === 'por') return { reduction: 'partial-order' };
  if (raw === 'por-state') return { reduction: 'partial-order', dependence: 'state' };
  throw new UsageError(`--reduce ${raw}: expected por (partial-order reduction), por-state (dependence judged in the state at hand too: fewer states, more time per state) or none`);
}

const only = (expected: Readonly<Record<string, Expectation>>, property: string): Record<string, Expectation> => {
  if (!(property in expected)) throw new UsageError(`--property ${property}: no expectation for it (expected: ${Object.keys(expected).join(', ')})`);
  return { [property]: expected[property]! };
};

const expectationsText = (outcomes: readonly Outcome[]): string =>
  `\nexpectations:\n${outcomes.map((o) => `  ${o.surprise ? 'SURPRISE' : 'as expected'}  ${o.property}: expected ${describeExpectation(o.expected)}, got ${describeOutcome(o.report)}`).join('\n')}\n`;

const surprises = (outcomes: readonly Outcome[]): number => (outcomes.some((o) => o.surprise) ? EXIT.surprise : EXIT.ok);

/**
 * One test case per property, as `kmc test` writes them: against the model's expect() when it
 * has one, otherwise each property (and deadlock, unless skipped) expected to hold; read from
 * the run when it answers them (`--continue`), each other one checked on its own. Then step
 * coverage, when the run exhausted the space.
 */
function junitOf(model: Model, r: Report, expected: Readonly<Record<string, Expectation>> | undefined, alone: (property: string) => Report, deadlock: boolean): string {
  const names = [...(deadlock ? [DEADLOCK] : []), ...r.instance.properties.map((p) => p.name)];
  const outcomes = outcomesOf(r, expected ?? Object.fromEntries(names.map((n) => [n, 'holds' as const])), alone);
  return junit([...outcomes.map((o) => junitCase(model.name, o)), ...(r.unreachedSteps ? [coverageCase(model.name, r.unreachedSteps, keyErrors(r.instance, r.unreachedSteps))] : [])]);
}

/** With `--continue`: each property's own report, `deadlock` first. */
const discoveriesOf = (r: Report): { property: string; report: Report }[] =>
  [...(r.discoveries?.keys() ?? [])].map((property) => ({ property, report: propertyReport(r, property) }));

const discoveriesText = (found: readonly { property: string; report: Report }[]): string =>
  `
every property (--continue):
${found.map((f) => `  ${f.property}: ${describeOutcome(f.report)}`).join('\n')}\n`;

const outcomeJsonOf = (f: { property: string; report: Report }): Record<string, unknown> =>
  ({ property: f.property, verdict: f.report.verdict.kind, got: describeOutcome(f.report), trace: itfOf(f.report) });
