/** `kmc junit-merge <out> <report...>`: one JUnit report from the reports of sharded runs (`kmc test --shard i/n --junit …`). */
import { readFileSync } from 'node:fs';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { junit, type JunitCase } from '../trace/junit.ts';
import { NotJunit, readJunit } from '../trace/junit-read.ts';
import { UsageError } from '../util/errors.ts';
import { guard, writeOutput } from './guard.ts';
import { EXIT } from '../explore/verdict.ts';

export class JunitMergeCommand extends Command<KmcContext> {
  static override paths = [[`junit-merge`]];
  static override usage = Command.Usage({
    description: `merge JUnit XML reports (from kmc test --shard i/n --junit, or any tool) into one`,
    details: `Test cases keep their suites, and their failures, errors and skips; suites are listed in the order the reports first mention them. A report that is not well-formed XML (cut off halfway, say) is refused with exit 1. Exit 0 once the merged report is written, whatever it holds (each shard's own exit code says whether it passed).`,
    examples: [[`Merge the reports of four shards`, `$0 junit-merge kmc.xml kmc-1.xml kmc-2.xml kmc-3.xml kmc-4.xml`]],
  });

  out = Option.String({ name: `out` });
  reports = Option.Rest({ required: 1 });
  json = Option.Boolean(`--json`, false, { description: `print the totals as one JSON object` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const cases: JunitCase[] = [];
      for (const file of this.reports) {
        let text: string;
        try { text = readFileSync(file, 'utf8'); } catch (err) { throw new UsageError(`junit-merge ${file}: cannot read it (${err instanceof Error ? err.message : String(err)})`); }
        try { cases.push(...await readJunit(text)); } catch (err) {
          if (err instanceof NotJunit) throw new UsageError(`junit-merge ${file}: ${err.message}`);
          throw err;
        }
      }
      const n = (k: 'failure' | 'error' | 'skipped'): number => cases.filter((c) => c[k] !== undefined).length;
      const failures = n('failure'), errors = n('error'), skipped = n('skipped');
      if (!writeOutput(this.context, 'junit-merge', this.out, junit(cases))) return EXIT.usage;
      this.context.stdout.write(this.json ? JSON.stringify({ reports: this.reports.length, tests: cases.length, failures, errors, skipped }, null, 2) + '\n'
        : `merged ${this.reports.length} reports into ${this.out}: ${cases.length} tests, ${failures} failures, ${errors} errors, ${skipped} skipped\n`);
      return EXIT.ok;
    });
  }
}
