/**
 * Every shell command the README and `docs/` show runs, in order, in one tree of a reader's own
 * (files the text says to save are saved first), and does what its comment says: the exit code
 * it names, the counts and verdicts it quotes. `npx kmc …` runs in this process; Graphviz's `dot`
 * as itself. The few commands not run here are listed below, each with where it does run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli/load-model.ts';
import { kmc } from './test-util/cli.ts';
import { claims, commands, docTree, readDoc, saveFiles } from './test-util/doc-tree.ts';

/** Commands shown but not run here, and why. Keep it short: a command belongs here only if it cannot run in a test of this suite. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm start': 'npm ci installs from the network (.ci/run does it); npm start is kmc matrix, which src/cli/matrix.test.ts runs',
  'npm ci && npm test': 'the whole suite, which .ci/run runs after npm ci',
  'mkdir -p vendor && cp /path/to/kmc-0.1.0.tgz vendor/ && npm i -D ./vendor/kmc-0.1.0.tgz': 'installs the packed tarball: src/package.test.ts packs it, vendors it and installs it into an empty project with npm ci, then runs the README commands there',
  'npx kmc test --junit kmc.xml': "every shipped model's expectations and the scenario table: src/cli/ci.test.ts runs kmc test",
};

/** The README first (its tree is the reader's), then docs/ in name order. */
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

const hasDot = spawnSync('dot', ['-V']).status === 0;

describe('the commands of the README and docs/', () => {
  const tree = docTree();
  let ran = 0;

  it('a command not run here is one of a short list, each with its reason, and still shown', () => {
    const shown = new Set(DOCS.flatMap((d) => commands(readDoc(d)).map((c) => c.line)));
    expect(Object.keys(NOT_RUN).length).toBeLessThanOrEqual(4);
    expect(Object.keys(NOT_RUN).filter((c) => !shown.has(c))).toEqual([]);
  });

  it.each(DOCS)('%s: every command runs as its comment says', async (doc) => {
    const md = readDoc(doc);
    saveFiles(md, tree);
    const old = process.cwd();
    process.chdir(tree);
    try {
      for (const c of commands(md)) {
        if (Object.hasOwn(NOT_RUN, c.line)) continue;
        const [cmd, ...args] = c.words;
        let code: number | null, out: string, err: string;
        if (cmd === 'npx' && args[0] === 'kmc') ({ code, out, err } = await kmc(...args.slice(1)));
        else if (cmd === 'dot') {
          if (!hasDot && process.env['KMC_REQUIRE_TOOLS'] !== '1') continue;   // Graphviz missing: .ci/run installs it
          const r = spawnSync('dot', args, { encoding: 'utf8' });
          [code, out, err] = [r.status, r.stdout, r.stderr];
        } else throw new Error(`${doc}: \`${c.line}\` is neither npx kmc nor dot: run it here, or list it in NOT_RUN with the reason`);
        if (c.stdout !== undefined) writeFileSync(c.stdout, out);
        const want = claims(c.comment);
        expect([c.line, code], `${doc}: ${c.line}\n${err}`).toEqual([c.line, want.exit ?? expect.toSatisfy((n: number) => ![1, 2, 255].includes(n))]);
        for (const p of want.prints) expect(out + err, `${doc}: ${c.line}`).toContain(p);
        ran++;
      }
    } finally {
      process.chdir(old);
    }
  });

  it('ran them all (the README alone shows more than a dozen)', () => expect(ran).toBeGreaterThanOrEqual(25));
});

describe('reading a command and what its comment promises', () => {
  it('splits words as sh does, takes > FILE as where stdout goes, and the comment after #', () => {
    expect(commands("```sh\nnpx kmc check 'a b' --json > out.json   # save: exit 12\n\nnpx kmc list\n```\n")).toEqual([
      { line: "npx kmc check 'a b' --json > out.json", words: ['npx', 'kmc', 'check', 'a b', '--json'], stdout: 'out.json', comment: 'save: exit 12' },
      { line: 'npx kmc list', words: ['npx', 'kmc', 'list'], comment: '' },
    ]);
    expect(commands('```ts\nnpx kmc list\n```\n```\nnpx kmc list\n```\n')).toEqual([]);
  });

  it('holds a command to the exit code, counts and verdicts its comment names, not to remarks in parentheses', () => {
    expect(claims("violated: 'two writers at once' after 2 steps, exit 12")).toEqual({ exit: 12, prints: ["violated: 'two writers at once' after 2 steps"] });
    expect(claims('the fix: ok: all 20 states explored')).toEqual({ prints: ['ok: all 20 states'] });
    expect(claims('every expect(): 4 passed, 0 failed')).toEqual({ prints: ['4 passed, 0 failed'] });
    expect(claims('AB-BA: deadlock after 8 steps')).toEqual({ prints: ['after 8 steps'] });
    expect(claims('your own models (a model that does not load: reported, exit 2; 15 if a verdict also differs)')).toEqual({ prints: [] });
  });
});
