/**
 * DIO / page-cache coherence of one folio: once a direct write has returned, the page cache must
 * not hold data read from disk before it (P6) — a later buffered read, or writeback of that
 * folio, would bring the old data back. The kernel detects one way it fails
 * (`dio_warn_stale_pagecache`: "Possible data corruption due to collision with buffered I/O");
 * the second property says whether every staleness reached is so reported.
 *
 * Ghost state (`diskVersions`): the version of the block on disk (0 a hole, 1 before the write,
 * 2 written), the version the cached folio was read from, and whether the kernel warned.
 */
import { always, bool, int, never, type Property, type State, type System, type Var } from '../src/index.ts';
import { onTrace, type Folio } from '../src/kernel/folio.ts';

export interface DiskVersions { readonly folio: Folio; readonly disk: Var; readonly cached: Var; readonly warned: Var }

export function diskVersions(sys: System, f: Folio): DiskVersions {
  const d: DiskVersions = {
    folio: f,
    disk: sys.var(`${f.name}.disk`, int(0, 2), 1),
    cached: sys.var(`${f.name}.read_from`, int(0, 2)),
    warned: sys.var('dio_warn_stale_pagecache', bool()),
  };
  onTrace(f, 'read_from_disk', (s) => s.set(d.cached, s.get(d.disk)));
  onTrace(f, 'disk_write', (s) => s.set(d.disk, 2));
  onTrace(f, 'blocks_freed', (s) => s.set(d.disk, 0));
  onTrace(f, 'stale_after_dio', (s) => s.set(d.warned, true));
  return d;
}

/** The page cache holds data older than the disk's. */
export const stale = (s: State, d: DiskVersions): boolean =>
  s.test(d.folio.cached) && s.test(d.folio.uptodate) && s.get(d.cached) !== s.get(d.disk);

export const p6 = (d: DiskVersions, returned: (s: State) => boolean): Property =>
  never('P6 stale page cache after the DIO write returned', (s) => returned(s) && stale(s, d));

export const reported = (d: DiskVersions, returned: (s: State) => boolean): Property =>
  always('stale page cache is reported (dio_warn_stale_pagecache)', (s) => !(returned(s) && stale(s, d)) || s.test(d.warned));
