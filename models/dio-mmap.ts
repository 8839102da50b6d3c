/**
 * DIO into an mmap of a file: the lock-recursion family (brief §3.2, §3.3, §3.6, scenarios
 * S-10, S-11, S-12, S-13, S-14).
 *
 * Task t does a DIO write to file t mod `files` whose user buffer is a MAP_SHARED mmap of the
 * same file (`buffer=same`) or of the next one (`buffer=next`). GUP on the buffer
 * (`bio_iov_iter_get_pages`) faults when the buffer's PTE is absent, and the fault handler may
 * need a lock the DIO already holds. One folio per file; `addr(file i) = i` orders mappings.
 *
 * Switches:
 * - `fault_lock`: what `->fault` takes on an absent folio — `none` (filemap_fault before
 *   invalidate_lock existed), `invalidate_lock` (`filemap_fault` today: shared
 *   `invalidate_lock`), `pagecache_nofdm` (bcachefs `bch2_page_fault` without the fdm checks),
 *   `pagecache_naive_fdm` (only the same-mapping SIGBUS check), `pagecache_kent` (the real
 *   `bch2_page_fault`: SIGBUS on the same mapping, address-ordered trylock-and-drop otherwise).
 * - `dio`: `d0` generic iomap (no fault-path lock across GUP), `d1_excl`/`d1_shared` (holds
 *   `invalidate_lock` across GUP), `d2` bcachefs (`bch2_pagecache_block_get` across GUP),
 *   `d3` GFS2-style prefault then FOLL_NOFAULT under the lock, dropping it to retry.
 * - `mm_writer`: an mmap_lock writer (munmap) in the tasks' mm; GUP then takes mmap_lock
 *   for read. Without a writer read acquisitions never block and are left out.
 * - `punch`: an ext4-style punch hole on file 0 (`inode_lock`, `inode_dio_wait`,
 *   `filemap_invalidate_lock`, truncate the page cache).
 * - `cached`: the buffer folios start in the page cache and mapped.
 */
import { match } from 'ts-pattern';
import { always, bool, brk, enumOf, eventually, call, defineModel, goto, ifElse, int, label, loop, param, ret, sometimes, step, type ActorRef, type Program, type State, type Var } from '../src/index.ts';
import { inode, inode_dio_begin, inode_dio_end, inode_dio_wait, inode_lock, inode_lock_shared, inode_unlock, inode_unlock_shared,
  filemap_invalidate_lock, filemap_invalidate_lock_shared, filemap_invalidate_unlock, filemap_invalidate_unlock_shared, type Inode } from '../src/kernel/inode.ts';
import { twoStateLock, bch2_pagecache_add_get, bch2_pagecache_add_put, bch2_pagecache_add_tryget, bch2_pagecache_block_get, bch2_pagecache_block_put, type TwoStateLock } from '../src/kernel/two-state-lock.ts';
import { down_read, up_read } from '../src/kernel/rwsem.ts';
import { mmapLock, mmap_read_lock, mmap_read_unlock, mmap_write_lock, mmap_write_unlock } from '../src/kernel/mm.ts';
import { userFault, vmaLock, vma_end_write_all, vma_start_write } from '../src/kernel/vma.ts';

const EFAULT = -14;
const VM_FAULT_SIGBUS = 1;

export default defineModel({
  name: 'dio-mmap',
  doc: 'DIO whose buffer is an mmap of a file: fault-path lock recursion (S-10..S-14)',
  params: {
    fault_lock: param.enum({ values: ['none', 'invalidate_lock', 'pagecache_nofdm', 'pagecache_naive_fdm', 'pagecache_kent'], default: 'pagecache_kent', doc: 'what ->fault takes on an absent folio' }),
    dio: param.enum({ values: ['d0', 'd1_excl', 'd1_shared', 'd2', 'd3'], default: 'd2', doc: 'the DIO write path' }),
    tasks: param.int({ min: 1, max: 4, default: 2, doc: 'DIO tasks' }),
    files: param.int({ min: 1, max: 3, default: 2, doc: 'files (task t writes file t mod files)' }),
    buffer: param.enum({ values: ['same', 'next'], default: 'next', doc: 'buffer is an mmap of the same file or of the next one' }),
    cached: param.bool({ default: false, doc: 'buffer folios start cached and mapped' }),
    mm_writer: param.enum({ values: ['absent', 'present'], default: 'absent', doc: 'an mmap_lock writer (munmap) in the same mm' }),
    punch: param.bool({ default: false, doc: 'an ext4 punch hole on file 0' }),
    fault_ctx: param.enum({ values: ['mmap_lock', 'vma_lock'], default: 'mmap_lock', doc: 'user faults (d3 prefault) run under mmap_lock or the per-VMA lock' }),
    buffered: param.enum({ values: ['none', 'same', 'next'], default: 'none', doc: 'a buffered write to file 0 from an mmap of file 0 or 1 (bcachefs holds add(A) while faulting the buffer in)' }),
  },
  setup(p, sys) {
    const F = p.files, names = ['A', 'B', 'C'];
    const file: Inode[] = Array.from({ length: F }, (_, i) => inode(sys, names[i]!));
    const pagecache: TwoStateLock[] = p.fault_lock.startsWith('pagecache') || p.dio === 'd2'
      ? Array.from({ length: F }, (_, i) => twoStateLock(sys, names[i]!, p.tasks + (p.buffered === 'none' ? 1 : 3))) : [];
    const inCache = sys.array('folio_in_cache', F, bool(), p.cached);
    const pins = sys.array('folio_pins', F, int(0, p.tasks));
    const mm = p.mm_writer === 'present' ? mmapLock(sys) : undefined;
    const vma = mm && p.fault_ctx === 'vma_lock' ? vmaLock(sys) : undefined;
    const dioFile = (t: number): number => t % F;
    const bufFile = (t: number): number => (t + (p.buffer === 'next' ? 1 : 0)) % F;
    const mapped = sys.array('buffer_pte_present', p.tasks, bool(), p.cached);
    const bufMapped = sys.var('buffered_pte_present', bool(), p.cached);

    /** Every task whose buffer maps file f loses its PTE (unmap_mapping_range). */
    const unmapFile = (s: State, f: number): State => {
      for (let u = 0; u < p.tasks; u++) if (bufFile(u) === f) s = s.set(mapped, u, false);
      if (p.buffered !== 'none' && (p.buffered === 'same' ? 0 : 1 % F) === f) s = s.set(bufMapped, false);
      return s;
    };
    const invalidate = (f: number, t: ActorRef): Program =>
      step(`invalidate_inode_pages2_range(${names[f]})`, {
        fn: 'mm/truncate.c: invalidate_inode_pages2_range',
        when: (s) => s.get(pins, f) === 0,   // -EBUSY on a pinned folio: the caller retries until unpinned
        then: (s) => unmapFile(s.set(inCache, f, false), f),
        blocksOn: { name: `folio ${names[f]} pinned`, waitsFor: (s) => (s.get(pins, f) > 0 ? Array.from({ length: p.tasks }, (_, u) => u).filter((u) => u !== t.id && bufFile(u) === f) : []) },
      });

    /** The fault handlers a task runs, over its own locals; `a` is the file its DIO holds (-1: none). */
    function faultHandlers(self: ActorRef, l: { fdm: Var; fdmDropped: Var; vmret: Var; got: Var }, a: number) {
      const { fdm, fdmDropped, vmret, got } = l;
    /** filemap_fault: an absent folio is read in under invalidate_lock (shared) when it exists. */
    const filemap_fault = (m: number): Program => [
      ...(p.fault_lock === 'none' ? [] : [down_read(file[m]!.invalidate_lock, self, { label: `filemap_invalidate_lock_shared(${names[m]})`, fn: 'mm/filemap.c: filemap_fault' })]),
      step(`filemap_read_folio(${names[m]})`, { fn: 'mm/filemap.c: filemap_fault', then: (s) => s.set(inCache, m, true) }),
      ...(p.fault_lock === 'none' ? [] : [up_read(file[m]!.invalidate_lock, self, { label: `filemap_invalidate_unlock_shared(${names[m]})`, fn: 'mm/filemap.c: filemap_fault' })]),
    ];

    /** vm_ops->fault on an absent folio of file m; VM_FAULT_SIGBUS into vmret. */
    let inlined = 0;   // a handler inlined at several call sites needs distinct labels
    const fault = (m: number): Program => {
      if (!p.fault_lock.startsWith('pagecache')) return call('filemap_fault', filemap_fault(m), { result: vmret });
      const pc = pagecache[m]!, gotLock = `got_lock(${names[m]})${inlined++ ? `#${inlined}` : ''}`;
      const body: Program[] = [];
      if (p.fault_lock !== 'pagecache_nofdm') body.push(ifElse((s) => s.get(fdm) === m + 1, [ret(VM_FAULT_SIGBUS)]));
      if (p.fault_lock === 'pagecache_kent' && a > m) {
        // fdm's address is above the faulting mapping's: out of lock order
        body.push(ifElse((s) => s.get(fdm) === a + 1, [
          bch2_pagecache_add_tryget(pc, self, got),
          ifElse((s) => s.get(got) === 1, [goto(gotLock)]),
          bch2_pagecache_block_put(pagecache[a]!, self),
          bch2_pagecache_add_get(pc, self),
          bch2_pagecache_add_put(pc, self),
          bch2_pagecache_block_get(pagecache[a]!, self),
          step('set_fdm_dropped_locks()', { fn: 'fs/bcachefs/fs-io.h: set_fdm_dropped_locks', then: (s) => s.set(fdmDropped, true) }),
          ret(VM_FAULT_SIGBUS),
        ]));
      }
      body.push(bch2_pagecache_add_get(pc, self), label(gotLock), call('filemap_fault', filemap_fault(m)), bch2_pagecache_add_put(pc, self), ret(0));
      return call('bch2_page_fault', body, { result: vmret });
    };

      return { fault };
    }

    const tasks: ActorRef[] = [], rets: Var[] = [];
    for (let t = 0; t < p.tasks; t++) {
      const a = dioFile(t), b = bufFile(t), A = file[a]!, B = names[b]!;
      tasks.push(sys.task(`dio${t}`, (self) => {
        const fdm = self.local('faults_disabled_mapping', enumOf('NULL', ...names.slice(0, F)), 0);   // file i is i + 1
        const fdmDropped = self.local('fdm_dropped', bool());
        const dropped = self.local('dropped', bool());
        const err = self.local('ret', int(EFAULT, 0));
        rets.push(err);
        const vmret = self.local('vmret', int(0, VM_FAULT_SIGBUS));
        const got = self.local('got', int(0, 1));
        const pinned = self.local('pinned', bool());
        const vmaGot = vma && p.dio === 'd3' ? self.local('vma_locked', int(0, 1)) : undefined;

        const { fault } = faultHandlers(self, { fdm, fdmDropped, vmret, got }, a);
        /** bio_iov_iter_get_pages → __get_user_pages on the buffer: follow the PTE, fault it in, pin. */
        const gup = (nofault: boolean): Program => call('bio_iov_iter_get_pages', [
          ...(mm ? [mmap_read_lock(mm, self)] : []),
          label('follow'),
          ifElse((s) => s.test(mapped, t), [
            step(`follow_page_pte(${B}): pin`, { fn: 'mm/gup.c: follow_page_pte', then: (s) => s.set(pins, b, s.get(pins, b) + 1).set(pinned, true) }),
          ], nofault ? [] : [
            label('faultin'),
            step(`faultin_page(${B})`, { fn: 'mm/gup.c: faultin_page', then: (s) => s.set(vmret, 0) }),
            ifElse((s) => s.get(inCache, b) === 1, [], [fault(b)]),
            ifElse((s) => s.get(vmret) === VM_FAULT_SIGBUS, [
              ...(mm ? [mmap_read_unlock(mm, self)] : []),
              ret(EFAULT),
            ]),
            step(`finish_fault(${B}): map`, { fn: 'mm/memory.c: finish_fault', then: (s) => s.set(mapped, t, true) }),
            goto('follow'),
          ]),
          ...(mm ? [mmap_read_unlock(mm, self)] : []),
          ret(0),
        ], { result: err });

        const submit: Program = [
          step(`submit_bio(${names[a]})`, { fn: 'block/blk-core.c: submit_bio' }),
          step(`bio_release_pages(${B})`, { fn: 'block/bio.c: bio_release_pages', then: (s) => s.set(pins, b, s.get(pins, b) - 1).set(pinned, false) }),
        ];

        return match(p.dio)
          .with('d0', () => [inode_lock_shared(A, self), inode_dio_begin(A, self), invalidate(a, self), gup(false),
            ifElse((s) => s.test(pinned), submit), inode_dio_end(A, self), inode_unlock_shared(A, self)])
          .with('d1_excl', () => [inode_lock_shared(A, self), inode_dio_begin(A, self), ...filemap_invalidate_lock(A, self), invalidate(a, self), gup(false),
            ifElse((s) => s.test(pinned), submit), filemap_invalidate_unlock(A, self), inode_dio_end(A, self), inode_unlock_shared(A, self)])
          .with('d1_shared', () => [inode_lock_shared(A, self), inode_dio_begin(A, self), filemap_invalidate_lock_shared(A, self), invalidate(a, self), gup(false),
            ifElse((s) => s.test(pinned), submit), filemap_invalidate_unlock_shared(A, self), inode_dio_end(A, self), inode_unlock_shared(A, self)])
          .with('d2', () => [
            ...inode_lock(A, self),
            inode_dio_begin(A, self),
            bch2_pagecache_block_get(pagecache[a]!, self),
            inode_unlock(A, self),
            invalidate(a, self),
            label('again'),
            step(`current->faults_disabled_mapping = ${names[a]}`, { fn: 'fs/bcachefs/fs-io-direct.c: bch2_dio_write_loop', then: (s) => s.set(fdm, a + 1) }),
            gup(false),
            step('dropped = fdm_dropped_locks(); fdm = NULL', {
              fn: 'fs/bcachefs/fs-io-direct.c: bch2_dio_write_loop',
              then: (s) => {
                const d = s.test(fdmDropped);
                const s1 = s.set(dropped, d).set(fdm, 0).set(fdmDropped, false);
                return d && s.get(err) !== 0 ? s1.set(err, 0) : s1;
              },
            }),
            ifElse((s) => s.get(err) < 0, [goto('done')]),
            ifElse((s) => s.test(dropped), [invalidate(a, self), ifElse((s) => !s.test(pinned), [goto('again')])]),
            submit,
            label('done'),
            bch2_pagecache_block_put(pagecache[a]!, self),
            inode_dio_end(A, self),
          ])
          .with('d3', () => [
            loop(
              call('fault_in_iov_iter_readable', [
                ifElse((s) => s.test(mapped, t), [], [
                  label('faultin'),
                  step(`handle_mm_fault(${B})`, { fn: 'mm/gup.c: fault_in_readable', then: (s) => s.set(vmret, 0) }),
                  userFault(p.fault_ctx, vma, mm, self, vmaGot, () => [
                    ifElse((s) => s.get(inCache, b) === 1, [], [fault(b)]),
                    step(`finish_fault(${B}): map`, { fn: 'mm/memory.c: finish_fault', then: (s) => s.set(mapped, t, true) }),
                  ]),
                ]),
              ]),
              ...inode_lock(A, self),
              inode_dio_begin(A, self),
              invalidate(a, self),
              gup(true),
              ifElse((s) => s.test(pinned), [...submit, inode_dio_end(A, self), inode_unlock(A, self), brk()]),
              inode_dio_end(A, self),
              inode_unlock(A, self),
            ),
          ])
          .exhaustive() as Program;
      }));
    }

    if (p.buffered !== 'none') sys.task('buffered', (self) => {
      // bch2_buffered_write: add_get(A), then fault_in_iov_iter_readable(iter) while holding it
      const b = p.buffered === 'same' ? 0 : 1 % F;
      const fdm = self.local('faults_disabled_mapping', enumOf('NULL', ...names.slice(0, F)), 0);
      const l = { fdm, fdmDropped: self.local('fdm_dropped', bool()), vmret: self.local('vmret', int(0, VM_FAULT_SIGBUS)), got: self.local('got', int(0, 1)) };
      const { fault } = faultHandlers(self, l, -1);
      const pc = pagecache[0];
      const faultIn: Program = ifElse((s) => s.test(bufMapped), [], [
        label('faultin'),
        step(`handle_mm_fault(${names[b]})`, { fn: 'mm/gup.c: fault_in_readable', then: (s) => s.set(l.vmret, 0) }),
        ifElse((s) => s.get(inCache, b) === 1, [], [fault(b)]),
        step(`finish_fault(${names[b]}): map`, { fn: 'mm/memory.c: finish_fault', then: (s) => s.set(bufMapped, true) }),
      ]);
      const copy = step(`copy_folio_from_iter(${names[0]})`, { fn: p.fault_lock.startsWith('pagecache') ? 'fs/bcachefs/fs-io-buffered.c: __bch2_buffered_write' : 'mm/filemap.c: generic_perform_write', then: (s) => s.set(inCache, 0, true) });
      return pc && p.fault_lock.startsWith('pagecache')
        ? [bch2_pagecache_add_get(pc, self), faultIn, copy, bch2_pagecache_add_put(pc, self)]
        : [faultIn, ...inode_lock(file[0]!, self), copy, inode_unlock(file[0]!, self)];
    });

    if (mm) sys.task('munmap', (self) => [
      ...mmap_write_lock(mm, self), ...(vma ? vma_start_write(vma, self) : []),
      step('unmap_region', { fn: 'mm/vma.c: unmap_region' }),
      ...(vma ? [vma_end_write_all(vma, self)] : []), mmap_write_unlock(mm, self),
    ]);
    if (p.punch) {
      const A = file[0]!;
      sys.task('punch', (self) => [
        ...inode_lock(A, self), inode_dio_wait(A), ...filemap_invalidate_lock(A, self),
        step('truncate_pagecache_range(A)', { fn: 'mm/truncate.c: truncate_pagecache_range', when: (s) => s.get(pins, 0) === 0, then: (s) => unmapFile(s.set(inCache, 0, false), 0) }),
        filemap_invalidate_unlock(A, self), inode_unlock(A, self),
      ]);
    }

    const props = [
      sometimes('a DIO faults on its buffer while its write is in flight', (s) => tasks.some((t) => s.at(t, 'faultin'))),
      eventually('L2(b) some DIO completes', (s) => tasks.some((t) => s.done(t))),
      eventually('L2(c) every DIO completes', (s) => tasks.every((t) => s.done(t))),
    ];
    if (p.buffer === 'same' && (p.fault_lock === 'pagecache_naive_fdm' || p.fault_lock === 'pagecache_kent'))
      props.push(always('a DIO from an mmap of its own file returns -EFAULT', (s) =>
        tasks.every((t, i) => !s.done(t) || s.get(rets[i]!) === EFAULT)));
    return props;
  },
});
