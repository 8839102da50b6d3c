/** `kmc matrix`: checks every shipped model with its default parameters and prints a verdict table. */
import { Command, Option } from 'clipanion';
import { check } from '../check/check.ts';
import { cell } from '../check/describe.ts';
import { propertyOf } from '../check/verdict.ts';
import { guard } from './guard.ts';
import { loadModel, shippedModels } from './load-model.ts';
import { paramsText } from './output.ts';

export class MatrixCommand extends Command {
  static override paths = [[`matrix`]];
  static override usage = Command.Usage({ description: `check every shipped model and print the verdict table` });

  markdown = Option.Boolean(`--markdown`, false, { description: `print a Markdown table` });

  override async execute(): Promise<number> {
    return guard(this.context, async () => {
      const rows: string[][] = [[`model`, `params`, `verdict`, `property`, `states`, `depth`, `seconds`]];
      for (const name of shippedModels()) {
        const r = check(await loadModel(name));
        rows.push([name, paramsText(r.instance.params), cell(r.verdict), propertyOf(r.verdict) ?? '', r.stats.states.toLocaleString('en-US'), String(r.stats.depth), r.stats.seconds.toFixed(2)]);
      }
      this.context.stdout.write(table(rows, this.markdown));
      return 0;
    });
  }
}

export function table(rows: readonly string[][], markdown: boolean): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]): string =>
    markdown ? `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |` : r.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  const sep = markdown ? `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|` : widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n') + '\n';
}
