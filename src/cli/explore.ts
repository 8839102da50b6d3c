/** `kmc explore MODEL`: writes the interactive explorer, one self-contained HTML page, for a model and its parameters. */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { explore } from '../trace/explorer.ts';
import { explorerHtml } from '../trace/explorer-html.ts';
import { readItf } from '../trace/itf-read.ts';
import { UsageError } from '../util/errors.ts';
import { guard, parseParamFlags, positiveInt } from './guard.ts';
import { loadModel } from './load-model.ts';

/** The most states a page holds unless --max-states says otherwise (about 1 KB each in the page). */
export const EXPLORE_MAX_STATES = 10_000;

export class ExploreCommand extends Command<KmcContext> {
  static override paths = [[`explore`]];
  static override usage = Command.Usage({
    description: `write the interactive explorer (one self-contained HTML page) for a model: pick who runs next, go back, load a saved trace and continue from any step`,
    details: `The page needs no server and no network: the model's reachable states (breadth-first, at most --max-states) are in it. From the initial state, pick the next step among those the actors can take; each actor says what it can do, or where it is blocked, on what and held by whom; the locks and the fields the step changed are shown (all fields on request); a deadlock or a violated property is said at the top. Go back (Backspace, ←) and forward (→), or click any step of the run to take another turn from there. "load a saved trace" takes an ITF trace (counterexamples/*.itf.json, the trace of kmc check --json) as the run; --trace does it when the page opens (and, without a model, explores the trace's model with the parameters it recorded, --param over them).`,
    examples: [[`Two locks taken in opposite orders`, `$0 explore classic/abba`], [`S-12's deadlock (its model and parameters are the trace's), to try other interleavings from any of its steps`, `$0 explore --trace counterexamples/S-12.itf.json`]],
  });

  model = Option.String({ name: `model`, required: false });
  params = Option.Array(`--param`, [], { description: `model parameter as key=value (repeatable)` });
  trace = Option.String(`--trace`, { description: `a saved ITF trace to load as the run when the page opens` });
  out = Option.String(`--out`, { description: `the page to write (default: the model's name with .explore.html, in the working directory)` });
  maxStates = Option.String(`--max-states`, { description: `the most states the page holds (default ${EXPLORE_MAX_STATES}); moves to states past them are shown, disabled` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object naming the page written and how many states it holds` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const max = positiveInt('--max-states', this.maxStates) ?? EXPLORE_MAX_STATES;
      const itf = this.trace === undefined ? undefined : readItf(this.trace);
      // without a model, the trace's (#meta.source) with the parameters it recorded, --param over them
      const source = itf?.['#meta']['source'], recorded = itf?.['#meta']['params'];
      const name = this.model ?? (typeof source === 'string' ? source : undefined);
      if (name === undefined) throw new UsageError(this.trace === undefined ? `kmc explore: give a model (see kmc list), or --trace FILE.itf.json` : `${this.trace}: the trace names no model (#meta.source): give one (kmc explore <model> --trace ${this.trace})`);
      const model = await loadModel(name);
      const given = this.model === undefined && typeof recorded === 'object' && recorded !== null ? recorded as Record<string, string | number | boolean> : {};
      const g = explore(instantiate(model, resolveParams(model, { ...given, ...parseParamFlags(this.params) })), max);
      const trace = itf === undefined ? undefined : { doc: itf, name: basename(this.trace!) };
      const out = this.out ?? `${basename(model.name.replace(/\//g, '-'))}.explore.html`;
      try {
        writeFileSync(out, explorerHtml(g, trace));
      } catch (err) {
        throw new UsageError(`cannot write ${out}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (g.truncated !== undefined) this.context.stderr.write(`kmc: explore: the model has more than ${max} states: the page holds the first ${max} (--max-states)\n`);
      this.context.stdout.write(this.json ? JSON.stringify({ model: model.name, params: g.params, html: out, states: g.states.length, complete: g.truncated === undefined }, null, 2) + '\n' : `wrote ${out} (${g.states.length} states)\n`);
      return 0;
    });
  }
}
