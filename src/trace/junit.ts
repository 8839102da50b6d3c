/**
 * JUnit XML for CI (one test case per checked property), with no timestamps or durations, so
 * that a saved report only changes when a verdict does.
 */
export interface JunitCase { readonly suite: string; readonly name: string; readonly failure?: { readonly message: string; readonly text: string } }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junit(cases: readonly JunitCase[]): string {
  const suites = [...new Set(cases.map((c) => c.suite))];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kmc" tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}">`];
  for (const s of suites) {
    const mine = cases.filter((c) => c.suite === s);
    out.push(`  <testsuite name="${esc(s)}" tests="${mine.length}" failures="${mine.filter((c) => c.failure).length}">`);
    for (const c of mine) {
      if (!c.failure) { out.push(`    <testcase classname="${esc(s)}" name="${esc(c.name)}"/>`); continue; }
      out.push(`    <testcase classname="${esc(s)}" name="${esc(c.name)}">`, `      <failure message="${esc(c.failure.message)}">${esc(c.failure.text)}</failure>`, `    </testcase>`);
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join('\n') + '\n';
}
