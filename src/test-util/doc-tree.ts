/**
 * The shell commands the README and `docs/` show, run as a reader runs them: in a tree of their
 * own where `kmc` and `kmc/kernel` resolve (to this checkout's sources, as an installed package
 * resolves them to its compiled ones), each `npx kmc …` in this process.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../cli/load-model.ts';

/** An empty project whose `node_modules/kmc` is this checkout (its sources), with `counterexamples/` to look at. */
export function docTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-docs-'));
  mkdirSync(join(dir, 'node_modules/kmc'), { recursive: true });
  symlinkSync(join(ROOT, 'src'), join(dir, 'node_modules/kmc/src'));
  writeFileSync(join(dir, 'node_modules/kmc/package.json'), JSON.stringify({
    name: 'kmc', type: 'module', exports: { '.': './src/index.ts', './kernel': './src/kernel/index.ts', './vitest': './src/vitest.ts' },
  }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-tree', private: true }));
  symlinkSync(join(ROOT, 'counterexamples'), join(dir, 'counterexamples'));
  return dir;
}

/** A ```lang block of a Markdown file, with what precedes it. */
export interface Block { readonly lang: string; readonly code: string; readonly before: string }

export const blocks = (md: string): Block[] =>
  [...md.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]!, before: md.slice(Math.max(0, m.index - 300), m.index) }));

/** Writes each ```ts block the text asks to save ("Save this as `path`") into `dir`. */
export function saveFiles(md: string, dir: string): string[] {
  const saved: string[] = [];
  for (const b of blocks(md)) {
    const path = /Save\s+(?:this\s+|it\s+)?as\s+`([^`]+)`[^`]*$/.exec(b.before)?.[1];
    if (b.lang !== 'ts' || path === undefined) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), b.code);
    saved.push(path);
  }
  return saved;
}

/** One command line of a ```sh block: its words, where stdout goes (`> FILE`), and the comment after it. */
export interface Command { readonly line: string; readonly words: string[]; readonly stdout?: string; readonly comment: string }

/** The commands of the ```sh blocks of `md`, in order. Words are split as sh splits them (quotes, no expansion). */
export function commands(md: string): Command[] {
  return blocks(md).filter((b) => b.lang === 'sh').flatMap((b) => b.code.split('\n').filter((l) => l.trim() !== '').map((raw): Command => {
    const hash = /\s#\s/.exec(raw), line = (hash ? raw.slice(0, hash.index) : raw).trim(), comment = hash ? raw.slice(hash.index + 3).trim() : '';
    const words = [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
    const at = words.indexOf('>');
    return at < 0 ? { line, words, comment } : { line, words: words.slice(0, at), stdout: words[at + 1]!, comment };
  }));
}

/** What a command's comment promises that its output can be held to: an exit code, and fragments of what it prints. */
export function claims(said: string): { exit?: number; prints: string[] } {
  const comment = said.replace(/\([^)]*\)/g, '');   // what is in parentheses is a remark, not a claim
  const exit = /\bexit (\d+)/.exec(comment)?.[1];
  const prints = [
    ...[...comment.matchAll(/\b(\d+ passed, \d+ failed)/g)].map((m) => m[1]!),
    ...[...comment.matchAll(/((?:ok: all )?\d[\d,]* states)/g)].map((m) => m[1]!),
    ...[...comment.matchAll(/(violated: '[^']+' after \d+ steps)/g)].map((m) => m[1]!),
    ...[...comment.matchAll(/deadlock after (\d+) steps/g)].map((m) => `after ${m[1]!} steps`),
  ];
  return { ...(exit !== undefined ? { exit: Number(exit) } : {}), prints };
}

export const readDoc = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
