/**
 * Bounce at GUP (a proposal: a long-term GUP of a file page hands out a private copy, copied
 * back at unpin through a real write path). The copy-back overwrites the folio — the whole page,
 * or only the bytes the holder changed — so with `whole_page` a store that landed in the folio
 * after the copy was taken is lost: P4'.
 */
import { bool, never, step, type Program, type Property, type State, type System, type Var } from '../../src/index.ts';
import { folio_lock, folio_unlock, folio_wait_stable, onTrace, trace, type Folio } from '../../src/kernel/folio.ts';
import { notify } from '../../src/kernel/fs.ts';
import type { Current } from '../../src/kernel/current.ts';
import type { World } from './world.ts';

export interface BounceGhosts { readonly storedSince: Var; readonly lostUpdate: Var }

/** Ghosts of P4': a store landed after the copy was taken; a copy-back overwrote one. */
export function bounceGhosts(sys: System, w: World): BounceGhosts {
  const g = { storedSince: sys.var('stored_since_copy', bool()), lostUpdate: sys.var('lost_update', bool()) };
  onTrace(w.f, 'write', (s) => (s.test(w.copy) ? s.set(g.storedSince, true) : s));
  return g;
}

/** What GUP hands out: a copy, not the folio. */
export const bounceGrab = (w: World, g: BounceGhosts) => ({
  take: (s: State) => s.set(w.copy, true).set(g.storedSince, false),
  drop: (s: State) => s.set(w.copy, false),
});

/** The copy-back at unpin: the folio locked, the filesystem told (like ->page_mkwrite), the copy written in. */
export const copyBack = (cur: Current, w: World, g: BounceGhosts, f: Folio = w.f): Program => [
  folio_lock(f, cur),
  notify(w.file.fs, f, `copy-back: prepare ${f.name} like ->page_mkwrite`, 'proposed: bounce-at-GUP copy-back'),
  folio_wait_stable(f, w.file.stableWrites),
  step(`copy-back: copy ${w.p.gup_bounce === 'byte_diff' ? 'the changed bytes' : 'the whole page'} into ${f.name}`, {
    fn: 'proposed: bounce-at-GUP copy-back',
    then: (s) => {
      const t = trace(f, 'write', s, cur.id);
      return w.p.gup_bounce === 'whole_page' && s.test(g.storedSince) ? t.set(g.lostUpdate, true) : t;
    },
  }),
  folio_unlock(f, cur),
  step('drop the bounce copy', { fn: 'proposed: bounce-at-GUP', then: (s) => s.set(w.copy, false) }),
];

export const lostUpdate = (g: BounceGhosts): Property => never("P4' no lost update: a copy-back overwrote a later store", (s) => s.test(g.lostUpdate));
