/** docs/kernel-library.md is the TSDoc of src/kernel/ as scripts/kernel-docs.ts generates it: CI fails when they drift. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as kernel from '../src/kernel/index.ts';
import { KERNEL_DOC, kernelLibrary } from './kernel-docs.ts';

describe('docs/kernel-library.md', () => {
  const { markdown, exports } = kernelLibrary();

  it('is what npm run docs generates from the sources (run it after changing a TSDoc comment)', () => {
    expect(readFileSync(KERNEL_DOC, 'utf8') === markdown, 'docs/kernel-library.md differs from the TSDoc of src/kernel/: run npm run docs').toBe(true);
  });

  it('lists every export of kmc/kernel with its signature, under the file that declares it', () => {
    const values = Object.keys(kernel);
    expect(values.filter((name) => !exports.some((e) => e.name === name))).toEqual([]);
    for (const e of exports) expect(markdown, e.name).toMatch(new RegExp(`^### \`${e.name}\`\\n\\n\`\`\`ts\\n`, 'm'));
    // the documented share only grows: an export added without TSDoc shows up here
    expect(exports.filter((e) => e.documented).length / exports.length).toBeGreaterThan(0.65);
  });

  it('carries the library header, file headers and @example blocks as Markdown', () => {
    expect(markdown).toMatch(/^# Kernel library\n/);
    expect(markdown).toContain('**Fairness** belongs to the lock');
    expect(markdown).toContain("## mutex.ts\n\n`src/kernel/mutex.ts`\n\n`struct mutex` (kernel/locking/mutex.c)");
    expect(markdown).toContain("```ts\nconst a = mutex(sys, '&inode->i_rwsem[A]');\n");
    expect(markdown).toContain('```ts\nconst mutex_lock: (m: Mutex, self: ActorRef) => Node\n```');
  });
});
