/**
 * The pin holder: GUP with the family's flags, writes into the page (the CPU through the kernel
 * mapping, as gup-repro's module does, or a device's DMA), then the release. How the device
 * holds the page is a named record per `dev_mode`; how it releases it, per `unpin`.
 */
import { choice, goto, ifElse, int, label, ret, step, type Program, type Self, type State, type Var } from '../../src/index.ts';
import { current, type Current } from '../../src/kernel/current.ts';
import { has, trace } from '../../src/kernel/folio.ts';
import { odp_dma_write } from '../../src/kernel/device.ts';
import { get_user_pages, held_page_dirty, lock_held_page, mark_held_page_dirty, unlock_held_page, unpin_user_pages_dirty_lock, EFAULT } from '../../src/kernel/gup.ts';
import { bounceGrab, copyBack, type BounceGhosts } from './bounce.ts';
import type { Params, World } from './world.ts';

const KGUP = 'kgup-repro.c: write_dirty';   // github.com/lorenzo-stoakes/gup-repro
const ODP = 'drivers/infiniband/core/umem_odp.c: ib_umem_odp_map_dma_and_lock';

/** Dirtying at release, per `unpin`: each checks first whether the page is still the file's. */
const releases: Record<Params['unpin'], (cur: Current, w: World) => Program> = {
  dirty_lock: (cur, w) => unpin_user_pages_dirty_lock(w.f, cur, w.flags, w.flags.write),
  raw: (cur, w) => [
    w.flags.write ? mark_held_page_dirty(w.f, cur, `set_page_dirty(${w.f.name}) unlocked`, KGUP) : [],
    unpin_user_pages_dirty_lock(w.f, cur, w.flags, false),
  ],
  // a DIO read re-dirties, from a workqueue, any page cleaned while it was in flight (block/bio.c)
  dio_read: (cur, w) => [
    ifElse((s) => w.flags.write && !held_page_dirty(s, w.f, cur), [
      step('bio_check_pages_dirty: defer to a workqueue', { fn: 'block/bio.c: bio_check_pages_dirty' }),
      lock_held_page(w.f, cur), mark_held_page_dirty(w.f, cur, `folio_mark_dirty(${w.f.name})`, 'block/bio.c: bio_dirty_fn'), unlock_held_page(w.f, cur),
    ]),
    unpin_user_pages_dirty_lock(w.f, cur, w.flags, false),
  ],
};

/** A DIO read dirties its pages before submitting them (`bio_set_pages_dirty`: set_page_dirty_lock). */
const preSubmit = (cur: Current, w: World): Program => (w.p.unpin === 'dio_read' && w.flags.write
  ? ifElse((s) => !s.test(w.f.dirty) && !s.test(w.copy), [lock_held_page(w.f, cur), mark_held_page_dirty(w.f, cur, `folio_mark_dirty(${w.f.name})`, 'block/bio.c: bio_set_pages_dirty'), unlock_held_page(w.f, cur)])
  : []);

/** A long-term pin is released when the application decides (ibv_dereg_mr), or a revoke is acknowledged. */
const waitRelease = (w: World): Program => (w.p.pin_lifetime === 'long'
  ? step('wait for the application to deregister', {
    fn: 'drivers/infiniband/core/umem.c: ib_umem_release',
    when: (s) => s.test(w.deregistered) || (w.p.dev_mode === 'revocable' && s.test(w.revoke)),
  })
  : []);

interface Parts { readonly cur: Current; readonly w: World; readonly bounce: BounceGhosts | undefined }

const gupResult = (cur: Current): Var => cur.local('gup_ret', int(EFAULT, 0));

const gup = ({ cur, w, bounce }: Parts): Program => [
  get_user_pages(cur, w.vma, w.f, w.flags, { path: w.p.gup_path, refuseLongtermWrite: w.p.fix_longterm_refuse, ...(bounce ? { grab: bounceGrab(w, bounce) } : {}) }),
  ifElse((s) => s.get(gupResult(cur)) < 0, [ret()]),
];

/** A write by the holder: into its bounce copy (nothing the folio sees), or into the page it holds. */
const write = ({ cur, w }: Parts, what: string, fn: string, when?: (s: State) => boolean): Program =>
  step(`${what}(${w.f.name})`, {
    fn, ...(when ? { when } : {}),
    then: (s) => (s.test(w.copy) ? s : trace(w.f, has(s, w.f.orphans, cur) ? 'orphan_write' : 'write', s, cur.id)),
  });

const release = (parts: Parts): Program => (parts.bounce
  ? ifElse((s) => s.test(parts.w.copy), copyBack(parts.cur, parts.w, parts.bounce), releases[parts.w.p.unpin](parts.cur, parts.w))
  : releases[parts.w.p.unpin](parts.cur, parts.w));

const writes = (w: World): number => (w.flags.write ? w.p.writes : 0);

/** The device modes: a pin, an ODP device (no pin: MMU notifiers), a revocable pin. */
const modes: Record<Params['dev_mode'], (parts: Parts) => Program> = {
  pin: (parts) => [
    gup(parts), preSubmit(parts.cur, parts.w),
    Array.from({ length: writes(parts.w) }, () => write(parts, 'kwrite', KGUP)),
    waitRelease(parts.w), release(parts),
  ],
  // CASE 3 of Documentation/core-api/pin_user_pages.rst: no pin; each device write needs a writable PTE
  odp: ({ cur, w }) => Array.from({ length: Math.max(1, w.p.writes) }, () => odp_dma_write(cur, w.vma, w.f)),
  revocable: (parts) => {
    const out = parts.cur.label('unpin');
    return [
      gup(parts),
      Array.from({ length: writes(parts.w) }, () => choice([write(parts, 'dma_write', ODP)], [
        step('revoke acknowledged: stop DMA', { fn: 'proposed: revocable long-term pin', when: (s) => s.test(parts.w.revoke) }), goto(out)])),
      waitRelease(parts.w), label(out), release(parts),
    ];
  },
};

/** The pin holder's program, and — once built — where its GUP left its result (-EFAULT: refused). */
export function pinner(w: World, bounce: BounceGhosts | undefined): { build: (self: Self) => Program; result: () => Var } {
  let result: Var | undefined;
  return {
    build: (self) => {
      const cur = current(self);
      result = gupResult(cur);
      return modes[w.p.dev_mode]({ cur, w, bounce });
    },
    result: () => result!,
  };
}
