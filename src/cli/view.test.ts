/** `kmc view`: the page for a saved trace (what it shows: view.test.ts, and in a browser: viewer.test.ts). */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmc } from '../test-util/cli.ts';
import { traceHtml } from '../trace/html.ts';
import { readItf } from '../trace/itf-read.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kmc-view-'));

describe('kmc view', () => {
  it('writes the page for the trace, named after it unless --out says otherwise', async () => {
    const out = join(tmp, 'S-6.html');
    const r = await kmc('view', 'counterexamples/S-6.itf.json', '--out', out, '--json');
    expect([r.code, JSON.parse(r.out)]).toEqual([0, { file: 'counterexamples/S-6.itf.json', html: out }]);
    expect(readFileSync(out, 'utf8')).toBe(await traceHtml(readItf('counterexamples/S-6.itf.json'), 'counterexamples/S-6.itf.json'));
    copyFileSync('counterexamples/S-6.itf.json', join(tmp, 'lasso.itf.json'));
    expect((await kmc('view', join(tmp, 'lasso.itf.json'))).out).toBe(`wrote ${join(tmp, 'lasso.html')}\n`);
    expect(existsSync(join(tmp, 'lasso.html'))).toBe(true);
  });

  it('a file that is not a trace is one line and exit 1; a page that cannot be written, one line and exit 3', async () => {
    expect((await kmc('view', 'package.json')).err).toBe('kmc: package.json: not an ITF trace: vars is not a list of names\n');
    const r = await kmc('view', 'counterexamples/S-6.itf.json', '--out', '/nonexistent/dir/x.html');
    expect([r.code, r.out]).toEqual([3, '']);
    expect(r.err).toMatch(/^kmc: cannot write \/nonexistent\/dir\/x\.html: ENOENT[^\n]*\n$/);
  });
});
