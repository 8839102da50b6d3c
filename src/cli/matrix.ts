/** `kmc matrix`: the design-space table — per family, fix variants × properties — then the classic models. */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { check } from '../check/check.ts';
import { cell } from '../check/describe.ts';
import { propertyOf } from '../explore/verdict.ts';
import { guard } from './guard.ts';
import { loadModel, MODELS, moduleFile, shippedModels } from './load-model.ts';
import { paramsText } from '../trace/report.ts';
import { familyHeader, familyRow, type Family } from '../check/family.ts';
import { thousands } from '../util/thousands.ts';
import { inShard, parseShard, shardText } from './shard.ts';
import { projectModels } from './project.ts';

export class MatrixCommand extends Command<KmcContext> {
  static override paths = [[`matrix`]];
  static override usage = Command.Usage({
    description: `print the design-space table: fix variants x properties, for every family; then each model's verdict`,
    details: `In a project that configures its models (package.json "kmc" or kmc.config.*), its models: the families of its matrix.ts if it has one, then every model in each of its configurations. Cells: holds, violated(N) / deadlock(N) with the shortest trace length, unreached (the racy window is never reached, so "holds" would be hollow), n/a (the variant has no such property).`,
  });

  markdown = Option.Boolean(`--markdown`, false, { description: `print Markdown tables` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object: each table as rows of cells, the header first` });
  shard = Option.String(`--shard`, { description: `compute only share i of n of the rows (i/n, as vitest and jest shard); tables keep their headers; auto: from a Kubernetes Indexed Job's JOB_COMPLETION_INDEX and JOB_COMPLETION_COUNT` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const shard = parseShard(this.shard, this.context.env);
      const dir = await projectModels('kmc matrix'), base = dir ?? MODELS, matrixFile = moduleFile(join(base, 'matrix'));
      const { families } = existsSync(matrixFile) ? (await import(pathToFileURL(matrixFile).href)) as { families: readonly Family[] } : { families: [] };
      // every row of every table is one unit of work; a shard computes its share, in table order
      const tables: { title: string; model?: string; rows: string[][] }[] = [];
      const jobs: { table: number; row: () => string[] }[] = [];
      for (const f of families) {
        const model = await loadModel(f.model, base), t = tables.push({ title: f.title, model: f.model, rows: [familyHeader(f)] }) - 1;
        for (const r of f.rows) jobs.push({ table: t, row: () => once(r, () => familyRow(f, model, r)) });
      }
      const title = dir === undefined ? 'Classic models (state counts pinned against SPIN in the tests)' : `Models (${relative(process.cwd(), dir) || '.'}), in each of their configurations`;
      const classic = tables.push({ title, rows: [[`model`, `params`, `verdict`, `property`, `states`, `depth`]] }) - 1;
      for (const name of dir === undefined ? shippedModels().filter((n) => n.startsWith('classic/')) : shippedModels(dir)) {
        const model = await loadModel(name, base);
        for (const config of dir === undefined ? [undefined] : model.configurations ?? [{}]) {
          jobs.push({ table: classic, row: () => once(config ?? model, () => {
            const r = check(model, config === undefined ? {} : { params: config as Record<string, string | number | boolean> });
            return [name, paramsText(r.instance.params), cell(r.verdict), propertyOf(r.verdict) ?? '', thousands(r.stats.states), String(r.stats.depth)];
          }) });
        }
      }
      for (const j of inShard(jobs, shard)) tables[j.table]!.rows.push(j.row());
      const shown = tables.filter((t) => t.rows.length > 1);
      this.context.stdout.write(this.json ? JSON.stringify({ ...(shard ? { shard: shardText(shard) } : {}), tables: shown }, null, 2) + '\n'
        : shown.map((t) => [`${t.title}${t.model ? ` (kmc check ${t.model})` : ''}`, '', table(t.rows, this.markdown)].join('\n')).join('\n'));
      return 0;
    });
  }
}

/**
 * Rows already computed in this process, by the family row (or classic model) they are of: a
 * row depends only on its model module and its parameters, both loaded once per process, so a
 * process that prints the matrix again (in another format, or another shard) reuses them.
 */
const computed = new WeakMap<object, string[]>();

function once(key: object, row: () => string[]): string[] {
  const known = computed.get(key);
  if (known) return known;
  const fresh = row();
  computed.set(key, fresh);
  return fresh;
}

export function table(rows: readonly string[][], markdown: boolean): string {
  if (markdown) rows = rows.map((r) => r.map((x) => x.replaceAll('|', '\\|')));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]): string =>
    markdown ? `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |` : r.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  const sep = markdown ? `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|` : widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n') + '\n';
}
