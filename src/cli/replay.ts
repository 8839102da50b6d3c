/** `kmc replay FILE.itf.json [model]`: does a saved counterexample still happen on the model as it is now? */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { match } from 'ts-pattern';
import { cycleKind, steps } from '../check/describe.ts';
import { livelock } from '../explore/deadlock.ts';
import { EXIT, exitCode } from '../explore/verdict.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { describeParam, parseParam } from '../model/params.ts';
import { toItf } from '../trace/itf.ts';
import { readItf } from '../trace/itf-read.ts';
import { replayItf, type Recorded, type Replayed } from '../trace/replay-itf.ts';
import { append, changedParams, fit, paramsText, replayCommand } from '../trace/report.ts';
import { renderCycle, renderTrace } from '../trace/text.ts';
import { UsageError } from '../util/errors.ts';
import { guard, parseParamFlags } from './guard.ts';
import { loadModel, shippedModels } from './load-model.ts';
import { configuredModels, findModel } from './project.ts';
import { sourceFile } from '../model/source.ts';
import { escapeControls, safeJson } from '../util/escape.ts';
import type { Instance } from '../state/instance.ts';
import type { Model } from '../model/define-model.ts';

export class ReplayCommand extends Command<KmcContext> {
  static override paths = [[`replay`]];
  static override usage = Command.Usage({
    description: `re-execute a saved counterexample (ITF) against the model as it is now`,
    details: `
      Says whether the trace still violates (exit 11, 12 or 13, as kmc check), no longer violates
      (every step replays and the violation does not happen: exit 0), or diverges at step k (that
      step is no longer the actor's next step, or no longer enabled, and why: exit 0). A trace is
      data and never chooses code: the model is the one given on the command line, else the one
      the trace names (#meta.source: a name of the project's models or of kmc's, never a path),
      with its recorded parameters; --param overrides a recorded parameter. A trace saved by kmc
      check --save for a model file of yours records that file relative to the trace
      (#meta.modelFile): it is loaded when it lies in the project's models directory (package.json
      "kmc"), or with --model-from-trace. The output says which file ran; control characters in
      the trace are printed escaped. One interleaving is not a proof: kmc check is.
    `,
    examples: [
      [`Did the fix close S-12's race?`, `$0 replay counterexamples/S-12.itf.json`],
      [`Against a changed parameter`, `$0 replay counterexamples/S-12.itf.json --param fault_lock=pagecache_kent`],
      [`Against a model file`, `$0 replay abba.itf.json ./models/abba.ts`],
    ],
  });

  file = Option.String({ name: `file.itf.json` });
  model = Option.String({ name: `model`, required: false });
  params = Option.Array(`--param`, [], { description: `model parameter as key=value, over the recorded ones (repeatable)` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object: the outcome, the step and why, and the replayed trace (ITF)` });
  modelFromTrace = Option.Boolean(`--model-from-trace`, false, { description: `run the model file the trace records (#meta.modelFile, relative to the trace) even outside the project's models directory` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const itf = readItf(this.file);
      const meta = itf['#meta'];
      const source = typeof meta['source'] === 'string' ? meta['source'] : undefined;
      const shown = escapeControls(this.file);
      const recorded = this.model === undefined ? await recordedFile(this.file, meta['modelFile'], this.modelFromTrace) : undefined;
      if (this.model === undefined && recorded === undefined && source === undefined) throw new UsageError(`${shown}: the trace names no model (#meta.source): give one (kmc replay ${shown} <model>)`);
      // a name the trace gives is one of the project's models or of kmc's; code anywhere else runs only when the user names it
      if (this.model === undefined && recorded === undefined) {
        const dir = await configuredModels();
        if (!shippedModels().includes(source!) && !(dir !== undefined && shippedModels(dir).includes(source!)))
          throw new UsageError(`${shown} was saved for model '${escapeControls(source!)}', which is not one of kmc's models (a trace never chooses a file to run): give its file (kmc replay ${shown} <path/to/model.ts>)`);
      }
      const model = await (this.model !== undefined ? loadModel(this.model) : recorded !== undefined ? loadModel(recorded) : findModel(source!));
      const ran = sourceFile(model);
      const flags = parseParamFlags(this.params);
      const inst = instantiate(model, resolveParams(model, { ...recordedParams(this.file, meta['params'], model, flags), ...flags }));
      const r = replayItf(inst, this.file, itf);
      const invokedAs = this.model ?? (recorded !== undefined ? relative(process.cwd(), recorded) : source!);
      const from: Ran = { file: ran === undefined ? undefined : relative(process.cwd(), ran) || ran, how: this.model !== undefined ? 'given' : recorded !== undefined ? 'recorded' : 'named' };
      this.context.stdout.write(this.json ? safeJson(JSON.stringify(replayJson(this.file, inst, r, from), null, 2)) + '\n' : escapeControls(replayText(this.file, inst, r, invokedAs, from), true));
      return r.outcome.kind === 'violates' ? exitCode(r.outcome.verdict) : EXIT.ok;
    });
  }
}

/**
 * The model file a trace records (`#meta.modelFile`, relative to the trace), when the user lets
 * it run: it lies in the project's models directory (which the user configured as the models
 * kmc runs), or `--model-from-trace` says so; otherwise a usage error saying how to run it.
 * Undefined when the trace records none.
 */
async function recordedFile(trace: string, modelFile: unknown, confirmed: boolean): Promise<string | undefined> {
  if (modelFile === undefined) return undefined;
  if (typeof modelFile !== 'string' || modelFile === '') throw new UsageError(`${trace}: #meta.modelFile is not a path`);
  const file = resolve(dirname(resolve(trace)), modelFile), shown = relative(process.cwd(), file);
  const models = await configuredModels();
  if (confirmed || (models !== undefined && !relative(models, file).startsWith('..') && !isAbsolute(relative(models, file)))) return file;
  throw new UsageError(`${trace} records its model file as ${shown}, outside the project's models directory; a model file is code: run it by naming it (kmc replay ${trace} ${shown}) or with --model-from-trace`);
}

/**
 * The trace's `#meta.params` that `--param` does not override: each must be a parameter of the
 * model with a value it accepts, or it is a usage error naming the file and the parameter.
 */
function recordedParams(file: string, params: unknown, model: Model, flags: Readonly<Record<string, string>>): Record<string, string | number | boolean> {
  if (params === undefined) return {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new UsageError(`${file}: #meta.params is not an object`);
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(params)) {
    const spec = model.params[k];
    if (spec === undefined) {
      const known = Object.entries(model.params).map(([n, p]) => `${n}=${describeParam(p)}`).join(', ');
      throw new UsageError(`${file}: parameter ${k}=${String(v)} recorded in the trace is not a parameter of model '${model.name}' (it has: ${known || 'none'})`);
    }
    if (k in flags) continue;
    if (!['string', 'number', 'boolean'].includes(typeof v) || 'error' in parseParam(k, spec, String(v)))
      throw new UsageError(`${file}: parameter ${k}=${String(v)} recorded in the trace is not a value model '${model.name}' accepts (${describeParam(spec)}): give --param ${k}=<value>`);
    out[k] = v as string | number | boolean;
  }
  return out;
}

const recordedText = (r: Recorded): string =>
  match(r)
    .with({ kind: 'deadlock' }, () => `a deadlock`)
    .with({ kind: 'livelock' }, () => `a livelock`)
    .with({ kind: 'safety' }, (r) => `a violation of '${r.property}'`)
    .with({ kind: 'liveness' }, (r) => `a fair run that never satisfies '${r.property}'`)
    .exhaustive();

function outcomeLine(r: Replayed): string {
  const n = r.steps.length;
  return match(r.outcome)
    .with({ kind: 'violates' }, ({ verdict: v }) => `still violates: ${match(v)
      .with({ kind: 'deadlock' }, (v) => `${v.cycle && livelock(v.cycle) ? 'livelock' : 'deadlock'}${v.cycle ? `, wait-for cycle (${cycleKind(v.cycle)})` : ', no step enabled with tasks unfinished'} after ${steps(v.path.length)}`)
      .with({ kind: 'livelock' }, (v) => `livelock${v.cycle ? `, wait-for cycle (${cycleKind(v.cycle)})` : ''} after ${steps(v.loop)}, then a cycle of ${steps(v.path.length - v.loop)} that changes nothing`)
      .with({ kind: 'safety' }, (v) => `'${v.property}' after ${steps(v.path.length)}`)
      .with({ kind: 'liveness' }, (v) => `'${v.property}' on a fair run of ${steps(v.loop)} then a cycle of ${steps(v.path.length - v.loop)} (${v.fairness})`)
      .with({ kind: 'lockdep' }, (v) => `lockdep: ${v.property}, shown by a run of ${steps(v.path.length)}`)
      .exhaustive()}${v.path.length === n ? ', as recorded' : ` (recorded: ${steps(n)})`}`)
    .with({ kind: 'no-longer-violates' }, () => `no longer violates: all ${steps(n)} replay, without ${recordedText(r.recorded)}`)
    .with({ kind: 'diverges' }, (o) => `diverges at step ${o.step} of ${n} (${r.steps[o.step - 1]!.actor}: ${r.steps[o.step - 1]!.action}): ${o.why}`)
    .exhaustive();
}

/** Which model file ran, and how it was chosen: named by the user, recorded in the trace (inside the project's models or with --model-from-trace), or named by the trace (one of the project's or kmc's models). */
interface Ran { readonly file: string | undefined; readonly how: 'given' | 'recorded' | 'named' }

function replayText(file: string, inst: Instance, r: Replayed, invokedAs: string, from: Ran): string {
  const changed = changedParams(inst), o = r.outcome;
  const lines = [`${inst.model.name}${Object.keys(changed).length ? ` ${paramsText(changed)}` : ''}`,
    `model: ${from.file ?? inst.model.name} (${from.how === 'given' ? 'the model given' : from.how === 'recorded' ? 'recorded in the trace' : 'named by the trace'})`,
    `replay of ${file}: ${recordedText(r.recorded)} in ${steps(r.steps.length)}`, outcomeLine(r)];
  if (r.differs !== undefined)
    lines.push(`note: the recorded ${r.differs.state === 0 ? 'initial state' : `state after step ${r.differs.state}`} differs from the replayed one in ${r.differs.fields.join(', ')}: the trace's values are not this model's as it is now (edited, or the model or its parameters changed)`);
  if (r.trace.steps.length > 0) {
    append(lines, ['', ...(o.kind === 'diverges' ? [o.step === 2 ? `the step before it replays:` : `the ${o.step - 1} steps before it replay:`] : []),
      ...renderTrace(inst, r.trace, 72, o.kind === 'violates' && (o.verdict.kind === 'liveness' || o.verdict.kind === 'livelock') ? o.verdict.loop : undefined)]);
  }
  if (o.kind === 'violates' && (o.verdict.kind === 'deadlock' || o.verdict.kind === 'livelock') && o.verdict.cycle) lines.push('', 'wait-for cycle:', ...renderCycle(inst, o.verdict.cycle));
  // the command stays whole, however long (it must paste)
  const proof = o.kind === 'violates' ? [] : ['', `one interleaving is not a proof; this is:`, `  ${replayCommand({ instance: inst }, invokedAs)}`];
  return [...fit(lines), ...proof].join('\n') + '\n';
}

function replayJson(file: string, inst: Instance, r: Replayed, from: Ran): Record<string, unknown> {
  const o = r.outcome;
  return {
    file, model: inst.model.name, modelFile: from.file ?? null, modelGiven: from.how === 'given', params: inst.params,
    recorded: { violation: r.recorded.kind === 'deadlock' || r.recorded.kind === 'livelock' ? r.recorded.kind : r.recorded.property, steps: r.steps.length },
    outcome: o.kind,
    verdict: o.kind === 'violates' ? o.verdict.kind : null,
    step: o.kind === 'violates' ? o.verdict.path.length : o.kind === 'diverges' ? o.step : null,
    why: o.kind === 'diverges' ? o.why : null,
    differs: r.differs ?? null,
    trace: toItf(inst, r.trace, { status: o.kind, violation: undefined, cycle: o.kind === 'violates' && (o.verdict.kind === 'deadlock' || o.verdict.kind === 'livelock') ? o.verdict.cycle : undefined }),
  };
}
