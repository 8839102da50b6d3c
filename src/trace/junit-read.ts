/**
 * Reads a JUnit XML report (kmc's own, or any tool's) with a real XML parser, fast-xml-parser:
 * the document must be well-formed (a report cut off halfway, an attribute without a value, a
 * stray `<` are refused, naming the line), comments and CDATA are what XML says they are
 * (a commented-out `<testcase>` is no test case), attributes may be single- or double-quoted, and
 * entities are decoded. Test cases are found under `<testsuites>`/`<testsuite>` (suites may
 * nest); a case's suite is its `classname`, else its innermost `<testsuite>`'s name; its
 * `<failure>`, `<error>` and `<skipped>` children are kept as they are.
 *
 * The parser is loaded when a report is read, so that the rest of kmc never waits for it.
 */
import { UsageError } from '../util/errors.ts';
import type { JunitCase, JunitNote } from './junit.ts';

/** The part of fast-xml-parser's documented API used here (https://github.com/NaturalIntelligence/fast-xml-parser/tree/master/docs/v4). */
interface FastXmlParser {
  XMLValidator: { validate(xml: string, opts?: { allowBooleanAttributes?: boolean }): true | { err: { code: string; msg: string; line: number; col: number } } };
  XMLParser: new (opts: Record<string, unknown>) => { parse(xml: string): unknown };
}

/** The package, named in a variable: imported when a report is read. */
const PARSER: string = 'fast-xml-parser';

/** Why a text is not a JUnit report: one line. */
export class NotJunit extends Error {}

/** Elements that may repeat: always arrays in the parsed tree. */
const REPEATED = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped']);

type Node = Record<string, unknown>;
const nodes = (x: unknown): Node[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]).map((n) => (typeof n === 'object' && n !== null ? n as Node : { '#text': String(n) }));
const str = (x: unknown): string | undefined => (x === undefined ? undefined : String(x));

function note(n: Node): JunitNote {
  return { message: str(n['@message']) ?? '', text: str(n['#text']) ?? '' };
}

function casesOf(suite: Node, outer: string, out: JunitCase[]): void {
  const name = str(suite['@name']) ?? outer;
  for (const c of nodes(suite['testcase'])) {
    const kept: { failure?: JunitNote; error?: JunitNote; skipped?: JunitNote } = {};
    for (const k of ['failure', 'error', 'skipped'] as const) {
      const first = nodes(c[k])[0];
      if (first !== undefined) kept[k] = note(first);
    }
    out.push({ suite: str(c['@classname']) ?? name, name: str(c['@name']) ?? '', ...kept });
  }
  for (const inner of nodes(suite['testsuite'])) casesOf(inner, name, out);
}

const where = (e: { line: number; col: number }): string => `line ${e.line}${e.col === undefined ? '' : `, column ${e.col}`}`;

/** The validator's message in one line; its list of unclosed elements (a report cut off) said as such. */
function why(msg: string): string {
  const open = /^Invalid '(\[.*\])' found\.$/s.exec(msg.trim());
  if (open) {
    try { return `it ends inside ${(JSON.parse(open[1]!) as string[]).map((t) => `<${t}>`).join(', ')}: cut off?`; } catch { /* said as it is */ }
  }
  return msg.replace(/\s+/g, ' ');
}

/** The test cases of a JUnit XML report, in document order per suite; {@link NotJunit} if it is not one. */
export async function readJunit(xml: string): Promise<JunitCase[]> {
  let lib: FastXmlParser;
  try { lib = (await import(PARSER)) as FastXmlParser; } catch (err) {
    throw new UsageError(`junit-merge: the XML parser ${PARSER}, a dependency of kmc, is not installed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  const valid = lib.XMLValidator.validate(xml);
  if (valid !== true) throw new NotJunit(`not well-formed XML (${where(valid.err)}: ${why(valid.err.msg)})`);
  const doc = new lib.XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', parseTagValue: false, parseAttributeValue: false,
    trimValues: true, processEntities: true, htmlEntities: true, ignoreDeclaration: true, ignorePiTags: true,
    isArray: (name: string, _path: string, _leaf: boolean, isAttribute: boolean) => !isAttribute && REPEATED.has(name),
  }).parse(xml) as Node;
  const roots = [...nodes(doc['testsuites']), ...nodes(doc['testsuite']).map((s) => ({ testsuite: [s] }))];
  if (roots.length === 0) throw new NotJunit(`not a JUnit XML report (no <testsuites> or <testsuite> element at the top)`);
  const out: JunitCase[] = [];
  for (const r of roots) for (const s of nodes(r['testsuite'])) casesOf(s, '', out);
  return out;
}
