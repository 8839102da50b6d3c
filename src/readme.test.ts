/** The README and docs/ say what the code does: their models run as shown, their lists are the code's own. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, type Report } from './check/check.ts';
import { stableTextReport } from './trace/report.ts';
import { loadModel, shippedModels } from './cli/load-model.ts';
import { paramsMarkdown } from './model/params.ts';
import { kmc } from './test-util/cli.ts';
import { blocks, readDoc } from './test-util/doc-tree.ts';
import type { Model } from './model/define-model.ts';
import './vitest.ts';

/** A section of a Markdown file, from its `## title` to the next. */
const section = (file: string, title: string): string => {
  const md = readDoc(file), at = md.indexOf(`\n## ${title}`);
  expect(at, `${file}: section '${title}'`).toBeGreaterThan(0);
  const end = md.indexOf('\n## ', at + 1);
  return md.slice(at + 1, end < 0 ? undefined : end);
};
const code = (text: string, lang: string): string[] => blocks(text).filter((b) => b.lang === lang).map((b) => b.code);

/** Imports a model's source from a file of its own (its `kmc` imports resolve to this checkout's sources). */
const importModel = async (source: string, name: string): Promise<Model> => {
  const dir = join(mkdtempSync(join(tmpdir(), 'kmc-readme-')), 'models');
  mkdirSync(dir);
  writeFileSync(join(dir, name), source);
  return (await import(join(dir, name))).default as Model;
};

/** A report's text between its title and its replay line. */
const body = (r: Report): string => { const t = stableTextReport(r); return t.slice(t.indexOf('\n') + 1, t.indexOf('\nreplay:')).trimEnd(); };

describe('README', () => {
  it('is short: at most 15,000 bytes', () => {
    expect(Buffer.byteLength(readDoc('README.md'))).toBeLessThanOrEqual(15_000);
  });

  it('the first model checks as described, and the vitest example passes on it', async () => {
    const first = section('README.md', 'Your first model');
    const [source] = code(first, 'ts');
    expect(source).toMatch(/from 'kmc';\nimport .* from 'kmc\/kernel';/);
    const model = await importModel(source!, 'flag.ts');
    const bad = check(model);
    expect(bad.verdict).toMatchObject({ kind: 'safety', property: 'two writers at once' });
    const ok = check(model, { params: { locked: true } });
    expect(ok.verdict).toEqual({ kind: 'ok' });
    const flow = section('README.md', 'Check, look, save, fix, replay, test');
    expect(flow).toContain(`# the fix: ok: all ${ok.stats.states} states explored`);
    // the vitest example, its imports being this test's
    const [suite] = code(section('README.md', 'In a test suite and in CI'), 'ts');
    const [, name, fn] = /it\('([^']+)', \(\) => \{\n([\s\S]*?)\n\}\);/.exec(suite!)!;
    expect(name).toBeTruthy();
    new Function('expect', 'check', 'flag', fn!)(expect, check, model);
  });

  it('the quick start prints classic/abba as kmc check does', async () => {
    const shown = /`npx kmc check classic\/abba` prints:\n\n```\n([\s\S]*?)```/.exec(section('README.md', 'Quick start'))![1]!;
    const r = await kmc('check', 'classic/abba');
    expect(r.code).toBe(11);
    expect(r.out).toContain(shown.trimEnd() + '\n\nreplay: kmc check classic/abba\n');
  });

  it('links only to docs that exist', () => {
    const md = readDoc('README.md') + readDoc('docs/README.md');
    const links = [...md.matchAll(/\]\((docs\/)?([\w-]+\.md)(#[\w-]+)?\)/g)].map((m) => `docs/${m[2]}`);
    expect(links.length).toBeGreaterThan(10);
    for (const l of links) expect(() => readDoc(l), l).not.toThrow();
  });
});

describe('docs/models.md', () => {
  it('the second model is models/truncate-fault/index.ts, and it answers as shown', async () => {
    const second = section('docs/models.md', 'Your second model: truncate vs a page fault, from kernel parts');
    const [source, , deadlock] = blocks(second).map((b) => b.code);
    expect(source).toBe(readDoc('models/truncate-fault/index.ts'));
    const model = await loadModel('truncate-fault');
    expect(second).toContain(`# ok: ${check(model).stats.states} states`);
    const run = await kmc('check', 'truncate-fault', '--param', 'fault_order=folio_lock_first');
    expect(run.code).toBe(11);
    expect(run.out).toContain(deadlock!.trimEnd());
  });

  it('the parameter lists are the models\' own, one for every shipped family with parameters', async () => {
    const md = readDoc('docs/models.md');
    const listed = [...md.matchAll(/<!-- params: (\S+) -->\n([\s\S]*?)\n<!-- \/params -->/g)];
    const names = listed.map((m) => m[1]!);
    expect(names).toEqual(['gup-writeback', 'dio-mmap', 'dio-coherence', 'truncate-fault', 'fs-plugin', 'kernel-locking', 'rcu-readers', 'seqcount', 'fairness', 'fs-infra', 'page-cache-facts', 'fault-retry', 'lockdep-rules', 'lockdep-classes']);
    for (const [, name, text] of listed) expect(text, `docs/models.md params of ${name}`).toBe(paramsMarkdown((await loadModel(name!)).params));
    // every family (a folder of models/) has its list
    const families = shippedModels().filter((m) => !m.startsWith('classic/') && !m.includes('/'));
    expect(families.filter((f) => !names.includes(f))).toEqual([]);
  });
});

describe('docs/lockdep.md', () => {
  it('the interrupt example deadlocks, breaks lockdep\'s usage rule, and is fixed by irqsave, as shown', async () => {
    const irq = section('docs/lockdep.md', 'Interrupts, RCU and lockdep');
    const [source, deadlock, usage] = blocks(irq).map((b) => b.code);
    const model = await importModel(source!, 'irq.ts');
    expect(body(check(model))).toBe(deadlock!.trimEnd());
    expect(body(check(model, { property: 'inconsistent' }))).toBe(usage!.trimEnd());
    const fixed = check(model, { params: { irqsave: true } });
    expect(irq).toContain(`\`--param irqsave=true\` says \`ok: all ${fixed.stats.states} states explored\``);
  });
});
