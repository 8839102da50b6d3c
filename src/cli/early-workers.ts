/**
 * The worker threads a `kmc check` command line asks for, read from its words before the CLI
 * loads, so that `main.ts` can start them with the process: a worker thread's start (a Node
 * thread, then kmc's modules) then overlaps the main thread's own (the CLI's modules, the model),
 * and a search that proves big hands over sooner (`explore/bfs.ts`). What the check itself does
 * is `check.ts`'s to decide: a worker started here and never given a search stays idle in the
 * pool (unref'd: it never holds the process up).
 */

/** Worker threads (besides the main thread) that `kmc ...argv` will want: 0 unless it is a check that may run in several threads. */
export function workersAsked(argv: readonly string[], cores: number): number {
  if (argv[0] !== 'check') return 0;
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    if (at >= 0) return argv[at + 1];
    return argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  // one thread: the reference explorer, symmetry, the compact store, the visited proviso (check.ts refuses them with --workers)
  if (argv.includes('--reference') || argv.includes('--symmetry') || value('--store') === 'compact') return 0;
  const proviso = value('--proviso');
  if (proviso === 'visited' || (value('--reduce') === 'por-state' && proviso !== 'static')) return 0;
  // no search at all: the help
  if (argv.includes('--help') || argv.includes('-h')) return 0;
  const w = value('--workers');
  const threads = w === undefined ? cores : /^[1-9]\d{0,2}$/.test(w) ? Number(w) : 1;
  return Math.max(0, threads - 1);
}
