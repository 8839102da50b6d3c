/**
 * `kmc junit-merge` reads reports with a real XML parser: a report cut off halfway is refused
 * (exit 1, one line), skipped and errored cases stay what they were, single-quoted attributes
 * keep their values, commented-out test cases are not test cases.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmc } from '../test-util/cli.ts';
import { junit } from '../trace/junit.ts';
import { readJunit } from '../trace/junit-read.ts';

const dir = mkdtempSync(join(tmpdir(), 'kmc-junit-merge-'));
const file = (name: string, text: string): string => { const f = join(dir, name); writeFileSync(f, text); return f; };
const merge = async (...texts: string[]) => {
  const out = join(dir, `merged-${Math.random().toString(36).slice(2)}.xml`);
  const r = await kmc('junit-merge', out, ...texts.map((t, i) => file(`in-${i}-${Math.random().toString(36).slice(2)}.xml`, t)));
  return { ...r, merged: r.code === 0 ? readFileSync(out, 'utf8') : '' };
};

const own = junit([{ suite: 'classic/abba', name: 'P1' }, { suite: 'classic/abba', name: 'deadlock', failure: { message: 'expected "holds"', text: 'T1 <-> T2 & more' } }]);

describe('kmc junit-merge', () => {
  it('a report cut off inside a failing test case: exit 1, one line naming the file and the line', async () => {
    const cut = own.slice(0, own.indexOf('<failure') + 20);
    const r = await merge(own, cut);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^kmc: junit-merge .*in-1-\w+\.xml: not well-formed XML \(line \d+, column \d+: [^\n]+\)\n$/);
  });

  it('a report cut off between test cases is refused too (no "2 tests, 0 failures")', async () => {
    const cut = own.slice(0, own.indexOf('</testsuite>'));
    expect((await merge(cut)).code).toBe(1);
  });

  it('<skipped/> stays skipped, <error> stays an error, <failure> a failure', async () => {
    const other = `<?xml version="1.0"?>
<testsuites><testsuite name="vitest" time="1.2">
  <testcase name="passes" time="0.1"/>
  <testcase name="later"><skipped/></testcase>
  <testcase name="todo"><skipped message="not yet"/></testcase>
  <testcase classname="c" name="boom"><error message="TypeError" type="E">stack</error><system-out>o</system-out></testcase>
</testsuite></testsuites>`;
    const r = await merge(other, own);
    expect([r.code, r.out]).toEqual([0, expect.stringMatching(/: 6 tests, 1 failures, 1 errors, 2 skipped\n$/)]);
    expect(await readJunit(r.merged)).toEqual([
      { suite: 'vitest', name: 'passes' },
      { suite: 'vitest', name: 'later', skipped: { message: '', text: '' } },
      { suite: 'vitest', name: 'todo', skipped: { message: 'not yet', text: '' } },
      { suite: 'c', name: 'boom', error: { message: 'TypeError', text: 'stack' } },
      { suite: 'classic/abba', name: 'P1' },
      { suite: 'classic/abba', name: 'deadlock', failure: { message: 'expected "holds"', text: 'T1 <-> T2 & more' } },
    ]);
  });

  it("single-quoted attributes keep their values; commented-out test cases are not counted", async () => {
    const text = `<testsuite name='s q'>
  <testcase classname='pkg.A' name='it &apos;works&apos;'/>
  <!-- <testcase classname="pkg.A" name="disabled"><failure message="x"/></testcase> -->
  <testcase classname="pkg.B" name='mixed'><failure message='it broke'>at line 3</failure></testcase>
</testsuite>`;
    const r = await merge(text);
    expect([r.code, r.out]).toEqual([0, expect.stringMatching(/: 2 tests, 1 failures, 0 errors, 0 skipped\n$/)]);
    expect(await readJunit(r.merged)).toEqual([
      { suite: 'pkg.A', name: "it 'works'" },
      { suite: 'pkg.B', name: 'mixed', failure: { message: 'it broke', text: 'at line 3' } },
    ]);
  });

  it('XML that is not a JUnit report, and text that is not XML: exit 1', async () => {
    expect((await merge('<coverage lines="3"/>')).err).toMatch(/^kmc: junit-merge .*: not a JUnit XML report \(no <testsuites> or <testsuite> element at the top\)\n$/);
    expect((await merge('{"not": "xml"}')).code).toBe(1);
  });
});
