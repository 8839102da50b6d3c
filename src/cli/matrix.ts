/** `kmc matrix`: the design-space table — per family, fix variants × properties — then the classic models. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'clipanion';
import { match } from 'ts-pattern';
import { check } from '../check/check.ts';
import { cell } from '../check/describe.ts';
import { propertyOf } from '../check/verdict.ts';
import { instantiate, resolveParams } from '../model/instance.ts';
import { DEADLOCK } from '../check/property.ts';
import { guard } from './guard.ts';
import { loadModel, ROOT, shippedModels } from './load-model.ts';
import { paramsText } from './output.ts';
import type { Family } from '../../models/matrix.ts';
import type { Model } from '../model/define-model.ts';

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
      for (const f of families) out.push(`${f.title} (kmc check ${f.model})`, '', table(await familyRows(f), this.markdown));
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

/** One row per variant: a cell per column, then the largest state count any cell explored. */
export async function familyRows(f: Family): Promise<string[][]> {
  const model: Model = await loadModel(f.model);
  const rows: string[][] = [[`variant`, ...f.columns.map((c) => c.label), `states`]];
  for (const r of f.rows) {
    let states = 0;
    const cells = f.columns.map((c) => {
      const params = { ...r.params, ...c.params };
      const props = instantiate(model, resolveParams(model, params)).properties;
      if (c.property !== DEADLOCK && !props.some((p) => p.name.split(' ')[0] === c.property)) return `n/a`;
      const rep = check(model, { params, property: c.property });
      states = Math.max(states, rep.stats.states);
      return match(rep.verdict.kind).with('ok', () => `holds`).otherwise(() => cell(rep.verdict));
    });
    rows.push([r.variant, ...cells, states.toLocaleString('en-US')]);
  }
  return rows;
}

export function table(rows: readonly string[][], markdown: boolean): string {
  if (markdown) rows = rows.map((r) => r.map((x) => x.replaceAll('|', '\\|')));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]): string =>
    markdown ? `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |` : r.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  const sep = markdown ? `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|` : widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n') + '\n';
}
