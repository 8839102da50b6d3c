/**
 * GUP vs writeback (brief §3.1–3.5, §3.10, §3.11; scenarios S-1, S-1x, S-2, S-2b, S-3, S-3b,
 * S-5, S-6). One file, one folio `f`, mapped MAP_SHARED; initially cached, uptodate, clean,
 * not prepared, with buffers, PTE RO-clean.
 *
 * Actors: `user` stores through the mapping (a write fault runs `->page_mkwrite` first);
 * `pinner` takes a GUP reference with `pin_flags`, writes the folio (CPU through the direct map,
 * or the device's DMA) and releases it; `writeback` runs `passes` writeback passes with the
 * chosen scheme; `reclaim` (optional) is vmscan.
 *
 * Switches: `fs` (ext4 drops dirty folios without buffers and WARNs; bcachefs drops folios
 * without dirty sectors and bounces checksummed writes), `pin_flags`, `pin_lifetime`,
 * `gup_path` (slow, or GUP-fast as three steps: read PTE, pin, re-check), `wb`
 * (`w0` mainline, `w1_ok` wait for pins after folio_mkclean, `w1_bad` before it, `w2` skip
 * pinned / bounce for data integrity), `wb_sync`, `dev_mode` (`pin`, `odp` = no pin, writes need
 * a writable PTE at write time, `revocable` = writeback asks the device to drop its pin),
 * `gup_bounce` (pin a private copy, copy back at unpin through a real write path),
 * `unpin` (`dirty_lock` = unpin_user_pages_dirty_lock, `raw` = unlocked set_page_dirty as in
 * gup-repro), `fix_longterm_refuse`, `fix_reclaim_skip_pinned`, `stable_writes`.
 */
import { match } from 'ts-pattern';
import { bool, call, choice, defineModel, goto, ifElse, int, label, never, param, ret, sometimes, step, terminates, type ActorRef, type Program, type Var } from '../src/index.ts';
import { folio, folio_lock, folio_maybe_dma_pinned, folio_unlock, folio_wait_stable, fresh, PTE, type Folio } from '../src/kernel/folio.ts';
import { cleanedWhilePinned, p1, p2, p3, p4, pinnedUnderWriteback, wa, waPrime } from '../properties/page-cache.ts';
import { mmapLock, mmap_read_lock, mmap_read_unlock, mmap_write_lock, mmap_write_unlock } from '../src/kernel/mm.ts';
import { userFault, vmaLock, vma_end_write_all, vma_start_write } from '../src/kernel/vma.ts';
import { twoStateLock, bch2_pagecache_add_get, bch2_pagecache_add_put } from '../src/kernel/two-state-lock.ts';
import type { Self } from '../src/model/system.ts';
import type { State } from '../src/model/state.ts';

const EFAULT = -14;

export default defineModel({
  name: 'gup-writeback',
  doc: 'a GUP pin holder writes a file folio behind writeback (S-1..S-6)',
  params: {
    fs: param.enum({ values: ['ext4', 'bcachefs'], default: 'ext4', doc: 'filesystem semantics of writeback' }),
    pin_flags: param.enum({ values: ['pin+write', 'pin+longterm+write', 'get+write', 'pin', 'pin+longterm', 'get'], default: 'pin+write', doc: 'GUP flags of the pinner' }),
    pin_lifetime: param.enum({ values: ['short', 'long'], default: 'short', doc: 'short: released (fairly); long: never released' }),
    gup_path: param.enum({ values: ['slow', 'fast'], default: 'slow', doc: 'GUP slow path or GUP-fast' }),
    wb: param.enum({ values: ['w0', 'w1_ok', 'w1_bad', 'w2'], default: 'w0', doc: 'writeback scheme' }),
    wb_sync: param.enum({ values: ['none', 'all'], default: 'none', doc: 'WB_SYNC_NONE (background) or WB_SYNC_ALL (fsync)' }),
    passes: param.int({ min: 1, max: 2, default: 1, doc: 'writeback passes' }),
    dev_mode: param.enum({ values: ['pin', 'odp', 'revocable'], default: 'pin', doc: 'how the device holds the page' }),
    gup_bounce: param.enum({ values: ['off', 'whole_page', 'byte_diff'], default: 'off', doc: 'long-term GUP hands out a private copy, copied back (whole page or changed bytes) at unpin' }),
    unpin: param.enum({ values: ['dirty_lock', 'raw', 'dio_read'], default: 'dirty_lock', doc: 'unpin_user_pages_dirty_lock, unlocked set_page_dirty (gup-repro), or a DIO read (bio_set_pages_dirty + bio_check_pages_dirty)' }),
    writes: param.int({ min: 0, max: 2, default: 1, doc: 'writes by the pin holder' }),
    user: param.bool({ default: true, doc: 'a user store through the mapping takes part' }),
    reclaim: param.bool({ default: false, doc: 'vmscan takes part' }),
    stable_writes: param.bool({ default: true, doc: 'the mapping has stable writes (checksums/DIF)' }),
    fix_longterm_refuse: param.bool({ default: false, doc: 'refuse FOLL_LONGTERM|FOLL_WRITE pins of dirty-tracked file mappings' }),
    fix_reclaim_skip_pinned: param.bool({ default: true, doc: 'vmscan keeps fs-private data of pinned folios' }),
    fault_ctx: param.enum({ values: ['mmap_lock', 'vma_lock'], default: 'mmap_lock', doc: 'user faults run under mmap_lock or the per-VMA lock' }),
    mm_writer: param.enum({ values: ['absent', 'present'], default: 'absent', doc: 'an mprotect (mmap_lock writer) in the same mm; GUP and faults then take mmap_lock' }),
  },
  setup(p, sys) {
    const f = folio(sys, 'f');
    const flags = new Set(p.pin_flags.split('+'));
    const WRITE = flags.has('write'), PIN = flags.has('pin'), LONGTERM = flags.has('longterm');
    const bounce = sys.var('bounce_copy', bool());   // GUP bounce: the pinner holds a private copy
    const bounced = p.gup_bounce !== 'off' && LONGTERM;
    const storedSince = sys.var('stored_since_copy', bool());   // ghost: a store landed in f after the copy was taken
    const lostUpdate = sys.var('lost_update', bool());          // ghost: a copy-back overwrote it
    let writeback: ActorRef | undefined;
    const writebackId = (): number | undefined => writeback?.id;

    const isRW = (s: State): boolean => s.get(f.pte) === PTE.rw;
    const pagecache = p.fs === 'bcachefs' ? twoStateLock(sys, 'f', 3) : undefined;
    // without an mmap_lock writer, read acquisitions never block: they are left out
    const mm = p.mm_writer === 'present' ? mmapLock(sys) : undefined;
    const vma = p.mm_writer === 'present' && p.fault_ctx === 'vma_lock' ? vmaLock(sys) : undefined;

    /** filemap_fault for an absent PTE: map the (cached) folio read-only. */
    const readFault = (): Program => step(`filemap_fault(${f.name}): map RO`, {
      fn: 'mm/filemap.c: filemap_fault',
      then: (s) => s.set(f.pte, PTE.ro).set(f.inCache, true).set(f.hasBuffers, s.test(f.inCache) ? s.test(f.hasBuffers) : true),
    });

    /** do_wp_page → wp_page_shared → do_page_mkwrite: the fs is notified, then the PTE is made writable, folio locked throughout. */
    const writeFault = (self: Self): Program => call('handle_mm_fault', [
      ifElse((s) => s.get(f.pte) === PTE.absent, [readFault()]),
      ...(pagecache ? [bch2_pagecache_add_get(pagecache, self)] : []),   // bch2_page_mkwrite ignores fdm
      folio_lock(f, self),
      step(p.fs === 'ext4' ? 'ext4_page_mkwrite' : 'bch2_page_mkwrite', {
        fn: p.fs === 'ext4' ? 'fs/ext4/inode.c: ext4_page_mkwrite' : 'fs/bcachefs/fs-io-pagecache.c: bch2_page_mkwrite',
        then: (s) => s.set(f.prepared, true).set(f.hasBuffers, true).set(f.dirty, true),
      }),
      folio_wait_stable(f, p.stable_writes, writebackId),
      // wp_page_shared keeps the folio locked (VM_FAULT_LOCKED) until the PTE is writable
      step('wp_page_reuse: PTE RW-dirty', { fn: 'mm/memory.c: wp_page_reuse', then: (s) => s.set(f.pte, PTE.rw) }),
      folio_unlock(f, self),
      ...(pagecache ? [bch2_pagecache_add_put(pagecache, self)] : []),
    ]);

    if (p.user) sys.task('user', (self) => {
      const ok = self.local('stored', bool());
      const got = vma ? self.local('vma_locked', int(0, 1)) : undefined;
      return [
        label('retry'),
        ifElse((s) => !isRW(s), userFault(p.fault_ctx, vma, mm, self, got, () => writeFault(self))),
        step(`store(${f.name})`, {
          fn: '',
          then: (s) => (isRW(s) ? fresh(s, f).set(ok, true).set(storedSince, s.test(bounce)) : s),   // a write-protected PTE faults again
        }),
        ifElse((s) => !s.test(ok), [goto('retry')]),
      ];
    });

    // a long-term pin holder (an RDMA application) never finishes: it may idle forever
    let pinnerRet: Var | undefined;
    // Short- and long-term pins differ only in fairness (brief §6). The kernel side of the pin
    // holder (GUP, faults, unpin) is weakly fair; with a long-term pin, *when* it unpins is the
    // application's decision (ibv_dereg_mr), made by an actor with no fairness: it may never come.
    const released = sys.var('deregistered', bool(), p.pin_lifetime === 'short');
    const waitRelease: Program = p.pin_lifetime === 'long'
      ? [step('wait for the application to deregister', { fn: 'drivers/infiniband/core/umem.c: ib_umem_release', when: (s) => s.test(released) || (p.dev_mode === 'revocable' && s.test(revoke)) })]
      : [];
    const pinner = sys.task(p.dev_mode === 'pin' ? 'pinner' : 'device', (self) => {
      const err = self.local('ret', int(EFAULT, 0));
      pinnerRet = err;
      const seen = self.local('pte_seen', bool());
      const take = (s: State): State => (bounced
        ? s.set(bounce, true).set(storedSince, false)
        : PIN ? s.set(f.pins, s.get(f.pins) + 1) : s.set(f.refs, s.get(f.refs) + 1));
      const drop = (s: State): State => (s.test(bounce) ? s.set(bounce, false)
        : PIN ? s.set(f.pins, s.get(f.pins) - 1) : s.set(f.refs, s.get(f.refs) - 1));
      const followable = (s: State): boolean => s.get(f.pte) !== PTE.absent && (!WRITE || isRW(s));

      // follow_page_pte checks the PTE and grabs the folio atomically under the PTL
      const slow: Program = [
        label('follow'),
        step(`follow_page_pte(${f.name})`, {
          fn: 'mm/gup.c: follow_page_pte',
          then: (s) => (followable(s) ? take(s).set(seen, true) : s.set(seen, false)),
        }),
        ifElse((s) => !s.test(seen), [WRITE ? writeFault(self) : readFault(), goto('follow')]),
      ];
      const gup: Program = call(PIN ? 'pin_user_pages' : 'get_user_pages', [
        ...(mm ? [mmap_read_lock(mm, self)] : []),
        ...(WRITE && PIN && LONGTERM && p.fix_longterm_refuse
          ? [step('check_vma_flags: writable_file_mapping_allowed() = false', { fn: 'mm/gup.c: check_vma_flags' }), ...(mm ? [mmap_read_unlock(mm, self)] : []), ret(EFAULT)]
          : []),
        ...(p.gup_path === 'fast' ? [
          step('gup_fast_pte_range: read PTE', { fn: 'mm/gup.c: gup_fast_pte_range', then: (s) => s.set(seen, followable(s)) }),
          ifElse((s) => s.test(seen), [
            step('try_grab_folio_fast', { fn: 'mm/gup.c: try_grab_folio_fast', then: take }),
            // gup_fast_folio_allowed() refuses file-backed PIN|LONGTERM|WRITE: unpin and fall back
            step('gup_fast: re-check PTE', {
              fn: 'mm/gup.c: gup_fast_pte_range',
              then: (s) => (followable(s) && !(PIN && LONGTERM && WRITE) ? s : drop(s).set(seen, false)),
            }),
          ]),
          ifElse((s) => !s.test(seen), slow),
        ] : slow),
        ...(mm ? [mmap_read_unlock(mm, self)] : []),
        ret(0),
      ], { result: err });

      const write = (what: string): Program => step(`${what}(${f.name})`, {
        fn: p.dev_mode === 'pin' ? 'kgup-repro.c: write_dirty' : 'drivers/infiniband/core/umem_odp.c: ib_umem_odp_map_dma_and_lock',
        when: p.dev_mode === 'odp' ? isRW : undefined,
        then: (s) => (s.test(bounce) ? s : fresh(s, f)),
      });

      const dirtyLocked = (fn: string): Program => [
        folio_lock(f, self),
        step(`folio_mark_dirty(${f.name})`, { fn, then: (s) => s.set(f.dirty, true) }),
        folio_unlock(f, self),
      ];
      const release: Program = match(p.unpin)
        .with('dirty_lock', () => [
          ifElse((s) => !s.test(f.dirty) && WRITE && !s.test(bounce), dirtyLocked('mm/gup.c: unpin_user_pages_dirty_lock')),
        ])
        .with('raw', () => [
          ifElse(() => WRITE, [step(`set_page_dirty(${f.name}) unlocked`, { fn: 'kgup-repro.c: write_dirty', then: (s) => s.set(f.dirty, true) })]),
        ])
        // K3': bio_check_pages_dirty re-dirties (from a workqueue) any page cleaned during the read
        .with('dio_read', () => [
          ifElse((s) => !s.test(f.dirty) && WRITE && !s.test(bounce), [
            step('bio_check_pages_dirty: defer to a workqueue', { fn: 'block/bio.c: bio_check_pages_dirty' }),
            dirtyLocked('block/bio.c: bio_dirty_fn'),
          ]),
        ])
        .exhaustive();
      // a DIO read dirties its pages before submitting (bio_set_pages_dirty: set_page_dirty_lock)
      const preSubmit: Program = p.unpin === 'dio_read' && WRITE
        ? ifElse((s) => !s.test(f.dirty) && !s.test(bounce), dirtyLocked('block/bio.c: bio_set_pages_dirty'))
        : [];
      const copyBack: Program = ifElse((s) => s.test(bounce), [
        folio_lock(f, self),
        step(`copy-back: prepare ${f.name} like ->page_mkwrite`, { fn: 'hypothetical: bounce-at-GUP copy-back', then: (s) => s.set(f.prepared, true).set(f.hasBuffers, true).set(f.dirty, true) }),
        folio_wait_stable(f, p.stable_writes, writebackId),
        step(`copy-back: copy ${p.gup_bounce === 'byte_diff' ? 'the changed bytes' : 'the whole page'} into ${f.name}`, {
          fn: 'hypothetical: bounce-at-GUP copy-back',
          then: (s) => (p.gup_bounce === 'whole_page' && s.test(storedSince) ? fresh(s, f).set(lostUpdate, true) : fresh(s, f)),
        }),
        folio_unlock(f, self),
      ]);
      const unpinStep = step(`unpin_user_page(${f.name})`, { fn: PIN ? 'mm/gup.c: unpin_user_page' : 'mm/swap.c: put_page', then: drop });

      return match(p.dev_mode)
        .with('pin', () => [
          gup,
          ifElse((s) => s.get(err) < 0, [ret()]),
          preSubmit,
          ...Array.from({ length: WRITE ? p.writes : 0 }, () => write('kwrite')),
          waitRelease,
          copyBack, release, unpinStep,
        ])
        .with('odp', () => [
          // CASE 3: no pin; each device write needs a writable PTE at the time of the write
          ...Array.from({ length: Math.max(1, p.writes) }, (_, i) => [
            label(`odp${i}`),
            ifElse((s) => !isRW(s), [call('hmm_range_fault', [writeFault(self)])]),
            choice([write('dma_write')], [step('mmu notifier invalidated the range: retry', { when: (s) => !isRW(s) }), goto(`odp${i}`)]),
          ]),
        ])
        .with('revocable', () => [
          gup,
          ifElse((s) => s.get(err) < 0, [ret()]),
          ...Array.from({ length: WRITE ? p.writes : 0 }, () => choice([write('dma_write')], [
            step('revoke acknowledged: stop DMA', { when: (s) => s.test(revoke) }), goto('unpin')])),
          waitRelease,
          label('unpin'),
          release, unpinStep,
        ])
        .exhaustive() as Program;
    });
    const revoke = sys.var('revoke_requested', bool());
    if (p.pin_lifetime === 'long')
      sys.task('application', () => [step('ibv_dereg_mr', { fn: 'drivers/infiniband/core/verbs.c: ib_dereg_mr_user', then: (s) => s.set(released, true) })], { fairness: 'none' });

    writeback = sys.task('writeback', (self) => {
      const pins = (s: State): boolean => folio_maybe_dma_pinned(s, f);
      const waitPins = (where: string, i: number): Program => [label(`wait_pins${i}`), step(`wait for pins ${where}`, {
        fn: "hypothetical: Jan Kara's 'wait for unpinning'",
        when: (s) => !pins(s),
        blocksOn: { name: `pins of ${f.name}`, waitsFor: (s) => (pins(s) ? [pinner.id] : []) },
      })];
      const pass = (i: number): Program => [
        folio_lock(f, self),
        ifElse((s) => !s.test(f.dirty), [folio_unlock(f, self), goto(`next${i}`)]),
        ...(p.wb_sync === 'all' ? [step(`folio_wait_writeback(${f.name})`, { fn: 'mm/page-writeback.c: folio_wait_writeback', when: (s) => !s.test(f.writeback) })] : []),
        ...(p.wb === 'w1_bad' ? [waitPins('before folio_mkclean', i)] : []),
        step(`folio_mkclean(${f.name})`, {
          fn: 'mm/rmap.c: folio_mkclean',
          then: (s) => (isRW(s) ? s.set(f.pte, PTE.ro) : s),
        }),
        ...(p.dev_mode === 'revocable' ? [ifElse(pins, [
          label(`revoke${i}`),
          step('request revoke', { fn: 'hypothetical: revocable long-term pin', then: (s) => s.set(revoke, true) }),
          step('wait for the revoke', { when: (s) => !pins(s), blocksOn: { name: `pins of ${f.name}`, waitsFor: (s) => (pins(s) ? [pinner.id] : []) } })])] : []),
        ...(p.wb === 'w1_ok' ? [waitPins('after folio_mkclean', i)] : []),
        ...(p.wb === 'w2' ? [ifElse(pins, p.wb_sync === 'none'
          ? [label(`skip${i}`), folio_unlock(f, self), goto(`next${i}`)]
          : [
            label(`bounce${i}`),
            step(`bounce ${f.name}: submit a copy, stay dirty`, {
              fn: 'folio_clear_dirty_for_io (Jan Kara RFC 2023, 3/5)',
              then: (s) => s.set(f.writeback, true).set(f.wbSnap, s.get(f.content)).set(f.bounced, true),
            }),
            folio_unlock(f, self),
            step(`folio_end_writeback(${f.name})`, { fn: 'mm/filemap.c: folio_end_writeback', then: (s) => s.set(f.writeback, false).set(f.bounced, false) }),
            goto(`next${i}`),
          ])] : []),
        step(`folio_clear_dirty_for_io(${f.name})`, { fn: 'mm/page-writeback.c: folio_clear_dirty_for_io', then: (s) => s.set(f.dirty, false) }),
        ...(p.fs === 'ext4'
          ? [ifElse((s) => !s.test(f.hasBuffers), [
            step('mpage_prepare_extent_to_map: no buffers, data dropped (W-b)', { fn: 'fs/ext4/inode.c: mpage_prepare_extent_to_map', then: (s) => s.set(f.dropped, true) }),
            folio_unlock(f, self), goto(`next${i}`)])]
          : [ifElse((s) => !s.test(f.prepared), [
            step('__bch2_writepage: no dirty sectors, nothing written', { fn: 'fs/bcachefs/fs-io-buffered.c: __bch2_writepage', then: (s) => s.set(f.dropped, true) }),
            folio_unlock(f, self), goto(`next${i}`)])]),
        step(`folio_start_writeback(${f.name}): submit`, {
          fn: p.fs === 'ext4' ? 'fs/ext4/page-io.c: ext4_bio_write_folio' : 'fs/bcachefs/io_write.c: bch2_write_extent',
          then: (s) => s.set(f.prepared, false).set(f.writeback, true).set(f.wbSnap, s.get(f.content)).set(f.bounced, p.fs === 'bcachefs' && p.stable_writes),
        }),
        folio_unlock(f, self),
        step(`folio_end_writeback(${f.name})`, { fn: 'mm/filemap.c: folio_end_writeback', then: (s) => s.set(f.writeback, false).set(f.bounced, false) }),
        label(`next${i}`),
      ];
      return [...Array.from({ length: p.passes }, (_, i) => pass(i)), step('writeback done')];
    });

    if (mm) sys.task('mprotect', (self) => [
      ...mmap_write_lock(mm, self),
      ...(vma ? vma_start_write(vma, self) : []),
      step('change_protection', { fn: 'mm/mprotect.c: change_protection' }),
      ...(vma ? [vma_end_write_all(vma, self)] : []),
      mmap_write_unlock(mm, self),
    ]);

    if (p.reclaim) sys.task('reclaim', (self) => [
      folio_lock(f, self),
      step(`try_to_unmap(${f.name})`, { fn: 'mm/rmap.c: try_to_unmap', then: (s) => s.set(f.pte, PTE.absent) }),
      ifElse((s) => (p.fix_reclaim_skip_pinned && folio_maybe_dma_pinned(s, f)) || s.test(f.dirty) || s.test(f.writeback), [folio_unlock(f, self), ret()]),
      step(`filemap_release_folio(${f.name})`, { fn: 'mm/vmscan.c: shrink_folio_list', then: (s) => s.set(f.hasBuffers, false) }),
      step(`__remove_mapping(${f.name})`, {
        fn: 'mm/vmscan.c: __remove_mapping',
        then: (s) => (s.get(f.pins) > 0 || s.get(f.refs) > 0 ? s : s.set(f.inCache, false)),
      }),
      folio_unlock(f, self),
    ]);

    const props = [p1(f), p2(f), p3(f), p4(f), terminates(writeback!, 'L1 writeback eventually completes')];
    if (bounced) props.push(never("P4' no lost update: a copy-back overwrote a later store", (s) => s.test(lostUpdate)));
    if (p.fs === 'ext4') props.push(wa(f), waPrime(f));
    if (!p.stable_writes) props.splice(1, 1);
    // the racy window each variant must actually reach, so that a "holds" is not hollow
    if (WRITE && PIN && LONGTERM && p.fix_longterm_refuse)
      props.push(sometimes('the long-term writable pin is refused', (s) => s.done(pinner) && s.get(pinnerRet!) === EFAULT));
    else if (bounced)
      props.push(sometimes('writeback runs while the pinner holds a bounce copy', (s) => s.test(bounce) && s.test(f.writeback)));
    else if (p.dev_mode === 'revocable' && LONGTERM)
      props.push(sometimes('writeback revokes a pin', (s) => s.at(writeback!, 'revoke0')));
    else if (p.wb === 'w2')
      props.push(sometimes(`writeback ${p.wb_sync === 'none' ? 'skips' : 'bounces'} a pinned folio`, (s) => s.at(writeback!, `${p.wb_sync === 'none' ? 'skip' : 'bounce'}0`)));
    else if (p.wb === 'w1_ok' || p.wb === 'w1_bad')
      props.push(sometimes('writeback waits for a pinned folio', (s) => s.at(writeback!, 'wait_pins0') && folio_maybe_dma_pinned(s, f)));
    else if (p.dev_mode === 'odp')
      props.push(sometimes('the device writes after writeback cleaned the folio once', (s) => s.get(f.content) !== 0 && s.test(f.writeback)));
    else props.push(pinnedUnderWriteback(f), cleanedWhilePinned(f));
    return props;
  },
});

export type { Folio };
