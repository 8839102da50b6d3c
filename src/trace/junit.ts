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

const unesc = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unesc(m[1]!) : undefined;
};

/**
 * The test cases of a JUnit XML report: kmc's own, or any tool's that writes `<testcase>`
 * elements (the suite is the case's `classname`, else its `<testsuite>`'s name; a `<failure>`
 * or `<error>` child makes it a failure). Undefined if the text is not a JUnit report.
 */
export function parseJunit(xml: string): JunitCase[] | undefined {
  if (!/<testsuites?[\s>]/.test(xml)) return undefined;
  const cases: JunitCase[] = [];
  const suiteAt = [...xml.matchAll(/<testsuite\s[^>]*>/g)].map((m) => ({ at: m.index!, name: attr(m[0], 'name') ?? '' }));
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const tag = m[1]!, body = m[3] ?? '';
    const suite = attr(tag, 'classname') ?? suiteAt.filter((s) => s.at < m.index!).at(-1)?.name ?? '';
    const f = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    cases.push({ suite, name: attr(tag, 'name') ?? '', ...(f ? { failure: { message: attr(f[2]!, 'message') ?? '', text: unesc(f[3] ?? '') } } : {}) });
  }
  return cases;
}
