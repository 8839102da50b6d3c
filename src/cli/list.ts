/** `kmc list`: the shipped models, their parameters and properties. */
import { Command } from 'clipanion';
import { describeParam } from '../model/params.ts';
import { instantiate } from '../state/instance.ts';
import { guard } from './guard.ts';
import { loadModel, shippedModels } from './load-model.ts';

export class ListCommand extends Command {
  static override paths = [[`list`]];
  static override usage = Command.Usage({ description: `list the shipped models with their parameters and properties` });

  override async execute(): Promise<number> {
    return guard(this.context, async () => {
      const out: string[] = [];
      for (const name of shippedModels()) {
        const m = await loadModel(name);
        out.push(`${name}  ${m.doc}`);
        for (const [k, p] of Object.entries(m.params)) out.push(`  --param ${k}=${describeParam(p)}  (default ${String(p.default)}) ${p.doc}`);
        const props = instantiate(m).properties.map((p) => `${p.kind} '${p.name}'`);
        out.push(`  properties: deadlock${props.length ? `, ${props.join(', ')}` : ''}`);
      }
      this.context.stdout.write(out.join('\n') + '\n');
      return 0;
    });
  }
}
