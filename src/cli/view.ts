/** `kmc view FILE.itf.json`: writes the trace viewer, one self-contained HTML page, for a saved trace. */
import { writeFileSync } from 'node:fs';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { traceHtml } from '../trace/html.ts';
import { readItf } from '../trace/itf-read.ts';
import { WriteError } from '../util/errors.ts';
import { refuseClobbering } from './outputs.ts';
import { escapeControls, safeJson } from '../util/escape.ts';
import { guard } from './guard.ts';

export class ViewCommand extends Command<KmcContext> {
  static override paths = [[`view`]];
  static override usage = Command.Usage({
    description: `write the trace viewer (one self-contained HTML page) for a saved ITF trace`,
    details: `The page needs no server and no network: open it in a browser. It opens on the answer: the model, its parameters, the verdict and a deadlock's wait-for cycle at the top, the first step selected. One lane per actor; each step with its label, kernel function and state diff; the locks held and waited for at the selected step and the fields it changed (all fields on request); a lasso's cycle marked. Keys: ↓/↑ or j/k step, Home/End first/last.`,
    examples: [[`S-12's deadlock, as counterexamples/S-12.html`, `$0 view counterexamples/S-12.itf.json`], [`To another file`, `$0 view trace.itf.json --out /tmp/trace.html`]],
  });

  file = Option.String({ name: `file.itf.json` });
  out = Option.String(`--out`, { description: `the page to write (default: the trace's name with .html)` });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object naming the page written` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const out = this.out ?? `${this.file.replace(/(\.itf)?\.json$/, '')}.html`;
      refuseClobbering([{ what: '--out', file: out }], [{ what: 'the trace', file: this.file }]);
      const html = await traceHtml(readItf(this.file), this.file);
      try {
        writeFileSync(out, html);
      } catch (err) {
        throw new WriteError(`cannot write ${out}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.context.stdout.write(this.json ? safeJson(JSON.stringify({ file: this.file, html: out }, null, 2)) + '\n' : `wrote ${escapeControls(out)}\n`);
      return 0;
    });
  }
}
