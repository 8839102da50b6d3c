/**
 * JUnit XML for CI (one test case per checked property), with no timestamps or durations, so
 * that a saved report only changes when a verdict does.
 */
/** What a test case's child says of it: `<failure>`, `<error>` or `<skipped>`, with its message and text. */
export interface JunitNote { readonly message: string; readonly text: string }

/** A test case: passed, or failed, errored or skipped (as its report said; kmc's own only fail). */
export interface JunitCase {
  readonly suite: string;
  readonly name: string;
  readonly failure?: JunitNote;
  readonly error?: JunitNote;
  readonly skipped?: JunitNote;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const KINDS = ['failure', 'error', 'skipped'] as const;

const count = (cases: readonly JunitCase[], k: (typeof KINDS)[number]): number => cases.filter((c) => c[k] !== undefined).length;
/** The counts a suite carries (errors and skipped only when there are some: kmc's own reports have none). */
const totals = (cases: readonly JunitCase[]): string => {
  const e = count(cases, 'error'), s = count(cases, 'skipped');
  return `tests="${cases.length}" failures="${count(cases, 'failure')}"${e ? ` errors="${e}"` : ''}${s ? ` skipped="${s}"` : ''}`;
};

export function junit(cases: readonly JunitCase[]): string {
  const suites = [...new Set(cases.map((c) => c.suite))];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kmc" ${totals(cases)}>`];
  for (const s of suites) {
    const mine = cases.filter((c) => c.suite === s);
    out.push(`  <testsuite name="${esc(s)}" ${totals(mine)}>`);
    for (const c of mine) {
      const notes = KINDS.filter((k) => c[k] !== undefined);
      if (notes.length === 0) { out.push(`    <testcase classname="${esc(s)}" name="${esc(c.name)}"/>`); continue; }
      out.push(`    <testcase classname="${esc(s)}" name="${esc(c.name)}">`);
      for (const k of notes) {
        const n = c[k]!;
        out.push(n.text === '' ? `      <${k} message="${esc(n.message)}"/>` : `      <${k} message="${esc(n.message)}">${esc(n.text)}</${k}>`);
      }
      out.push(`    </testcase>`);
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join('\n') + '\n';
}
