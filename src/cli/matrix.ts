/** `kmc matrix`: the design-space table — per family, fix variants × properties — then the classic models. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'clipanion';
import { check } from '../check/check.ts';
import { cell } from '../check/describe.ts';
import { propertyOf } from '../explore/verdict.ts';
import { guard } from './guard.ts';
import { loadModel, ROOT, shippedModels } from './load-model.ts';
import { paramsText } from '../trace/report.ts';
import { familyRows, type Family } from '../check/family.ts';

export class MatrixCommand extends Command {
  static override paths = [[`matrix`]];
  static override usage = Command.Usage({
    description: `print the design-space table: fix variants x properties, for every shipped family`,
    details: `Cells: holds, violated(N) / deadlock(N) with the shortest trace length, unreached (the racy window is never reached, so "holds" would be hollow), n/a (the variant has no such property).`,
  });

  markdown = Option.Boolean(`--markdown`, false, { description: `print Markdown tables` });

  override async execute(): Promise<number> {
    return guard(this.context, async () => {
      const { families } = (await import(pathToFileURL(join(ROOT, 'models/matrix.ts')).href)) as { families: readonly Family[] };
      const out: string[] = [];
      for (const f of families) out.push(`${f.title} (kmc check ${f.model})`, '', table(familyRows(f, await loadModel(f.model)), this.markdown));
      const rows: string[][] = [[`model`, `params`, `verdict`, `property`, `states`, `depth`]];
      for (const name of shippedModels().filter((n) => n.startsWith('classic/'))) {
        const r = check(await loadModel(name));
        rows.push([name, paramsText(r.instance.params), cell(r.verdict), propertyOf(r.verdict) ?? '', r.stats.states.toLocaleString('en-US'), String(r.stats.depth)]);
      }
      out.push('Classic models (outside reference numbers: shared/reference/)', '', table(rows, this.markdown));
      this.context.stdout.write(out.join('\n'));
      return 0;
    });
  }
}

export function table(rows: readonly string[][], markdown: boolean): string {
  if (markdown) rows = rows.map((r) => r.map((x) => x.replaceAll('|', '\\|')));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]): string =>
    markdown ? `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |` : r.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  const sep = markdown ? `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|` : widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n') + '\n';
}
