import { describe, expect, it } from 'vitest';
import { workersAsked } from './early-workers.ts';

describe('the worker threads a kmc check command line asks for, read before the CLI loads', () => {
  it('the cores less the main thread by default, --workers N (either spelling) otherwise', () => {
    expect(workersAsked(['check', 'classic/philosophers', '--param', 'n=12'], 4)).toBe(3);
    expect(workersAsked(['check', 'classic/philosophers', '--workers', '2'], 4)).toBe(1);
    expect(workersAsked(['check', 'classic/philosophers', '--workers=3'], 2)).toBe(2);
    expect(workersAsked(['check', 'classic/philosophers', '--workers', '1'], 4)).toBe(0);
  });

  it('none for other commands, one-thread explorers and values the check will refuse', () => {
    expect(workersAsked(['test', 'classic/philosophers'], 4)).toBe(0);
    expect(workersAsked([], 4)).toBe(0);
    for (const flags of [['--reference'], ['--symmetry'], ['--store', 'compact'], ['--store=compact'], ['--workers', 'many'], ['--workers', '0'], ['--help'], ['-h']])
      expect(workersAsked(['check', 'classic/philosophers', ...flags], 4)).toBe(0);
  });

  it('none under the visited cycle proviso (--reduce por-state, or --proviso visited), which runs in one thread', () => {
    for (const flags of [['--reduce', 'por-state'], ['--reduce=por-state'], ['--reduce', 'por', '--proviso', 'visited']])
      expect(workersAsked(['check', 'classic/philosophers', ...flags], 4)).toBe(0);
    for (const flags of [['--reduce', 'por'], ['--reduce', 'por-state', '--proviso', 'static']])
      expect(workersAsked(['check', 'classic/philosophers', ...flags], 4)).toBe(3);
  });
});
