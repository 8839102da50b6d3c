import { describe, expect, it } from 'vitest';
import { compare, describeOutcome, meets } from './expect.ts';
import { check } from './check.ts';
import { abba, abbaOrdered, counter } from '../test-util/tiny.ts';
import { always } from '../model/property.ts';
import { junit } from '../trace/junit.ts';

describe('expected verdicts', () => {
  it('a fix that starts holding is a surprise', () => {
    const [o] = compare(abbaOrdered, {}, { deadlock: 'violated' });
    expect(o!.surprise).toBe(true);
    expect(describeOutcome(o!.report)).toBe('holds');
  });

  it('a violation of another length is a surprise, the right length is not', () => {
    const r = check(abba);
    expect(meets(r, { violated: 2 })).toBe(true);
    expect(meets(r, { violated: 3 })).toBe(false);
    expect(meets(r, 'violated')).toBe(true);
    expect(meets(r, 'holds')).toBe(false);
  });

  it('keeps the order the expectations are written in', () =>
    expect(compare(counter(5, (x) => [always('x below 3', (s) => s.get(x) < 3)]), {}, { 'x below 3': { violated: 3 }, deadlock: 'holds' })
      .map((o) => [o.property, o.surprise])).toEqual([['x below 3', false], ['deadlock', false]]));
});

describe('JUnit', () => {
  it('is stable XML: escaped, no timestamps or durations', () => {
    expect(junit([{ suite: 'm', name: 'P1 <a & "b">' }, { suite: 'm', name: 'deadlock', failure: { message: 'expected holds', text: 'T1 < T2' } }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kmc" tests="2" failures="1">\n  <testsuite name="m" tests="2" failures="1">\n' +
      '    <testcase classname="m" name="P1 &lt;a &amp; &quot;b&quot;&gt;"/>\n    <testcase classname="m" name="deadlock">\n' +
      '      <failure message="expected holds">T1 &lt; T2</failure>\n    </testcase>\n  </testsuite>\n</testsuites>\n');
  });
});
