/** `kmc list`: the models, their parameters and properties; a model that does not load is reported, the rest listed. */
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { describeParam } from '../model/params.ts';
import { instantiate } from '../state/instance.ts';
import { keywordOf } from '../model/property.ts';
import { EXIT } from '../explore/verdict.ts';
import { ModelError } from '../util/errors.ts';
import { escapeControls } from '../util/escape.ts';
import { guard } from './guard.ts';
import { loadModel, MODELS, shippedModels } from './load-model.ts';
import type { Model } from '../model/define-model.ts';

export class ListCommand extends Command<KmcContext> {
  static override paths = [[`list`]];
  static override usage = Command.Usage({
    description: `list the models with their parameters and properties`,
    details: `Exit 2 if a model does not load (it is reported; the others are still listed).`,
  });

  json = Option.Boolean(`--json`, false, { description: `print one JSON object` });
  models = Option.String(`--models`, { description: `the directory of models to list (default: this package's models/)` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const listed: Record<string, unknown>[] = [], broken: { model: string; error: string }[] = [], out: string[] = [];
      for (const name of shippedModels(this.models ?? MODELS, (note) => this.context.stderr.write(`kmc: ${escapeControls(note)}\n`))) {
        let m: Model, props: { keyword: string; name: string }[];
        try {
          m = await loadModel(name, this.models ?? MODELS, { fresh: false });
          props = instantiate(m).properties.map((p) => ({ keyword: keywordOf(p), name: p.name }));
        } catch (err) {
          if (!(err instanceof ModelError)) throw err;
          broken.push({ model: name, error: err.message });
          continue;
        }
        listed.push({ name, doc: m.doc, params: Object.entries(m.params).map(([k, p]) => ({ name: k, ...p })), properties: [{ keyword: 'deadlock', name: 'deadlock' }, ...props] });
        out.push(`${name}  ${m.doc}`);
        for (const [k, p] of Object.entries(m.params)) {
          out.push(`  --param ${k}=${describeParam(p)}  (default ${String(p.default)}) ${p.doc}`);
          if (p.kind === 'enum') for (const v of p.values) out.push(`      ${v}: ${p.docs[v]}`);
        }
        out.push(`  properties: deadlock${props.map((p) => `, ${p.keyword} '${p.name}'`).join('')}`);
      }
      for (const b of broken) out.push(`BROKEN  ${b.model}: ${b.error}`);
      this.context.stdout.write(this.json ? JSON.stringify({ models: listed, broken }, null, 2) + '\n' : out.join('\n') + '\n');
      return broken.length ? EXIT.model : EXIT.ok;
    });
  }
}
