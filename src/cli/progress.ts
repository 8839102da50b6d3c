import type { KmcContext } from './context.ts';

/**
 * A progress line on stderr at most every KMC_PROGRESS_MS milliseconds (default 1000): on a
 * terminal it rewrites one line, elsewhere it appends lines. `end()` closes the terminal's line.
 */
export function progressLine(context: KmcContext): { show(line: () => string): void; end(): void } {
  const err = context.stderr as NodeJS.WriteStream, everyMs = Number(context.env['KMC_PROGRESS_MS'] ?? 1000);
  let last = performance.now(), shown = false;
  return {
    show(line) {
      if (performance.now() - last < everyMs) return;
      last = performance.now();
      shown = true;
      err.write(err.isTTY ? `\r${line()}\x1b[K` : `${line()}\n`);
    },
    end() { if (shown && err.isTTY) err.write('\n'); },
  };
}
