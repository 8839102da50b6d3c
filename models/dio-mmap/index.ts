/**
 * DIO into an mmap of a file: the lock-recursion family (bcachefs's pagecache lock and
 * `faults_disabled_mapping`, Jan Kara's AB-BA objection, Kent Overstreet's answer;
 * `mapping->invalidate_lock` held across GUP).
 *
 * Task t does a DIO write to file t mod `files` whose user buffer is a MAP_SHARED mmap of the
 * same file or of the next one. GUP on the buffer (`bio_iov_iter_get_pages`) faults when the
 * buffer's PTE is absent, and `->fault` may need a lock the DIO already holds. Files are
 * ordered by address (A < B < C). The switches are in params.ts, each value with its doc; the
 * actors in dio.ts (the DIO variants) and others.ts.
 */
import { always, defineModel, eventually, sometimes, terminates, type ActorRef, type Property } from '../../src/index.ts';
import type { Vma } from '../../src/kernel/mm.ts';
import { EFAULT } from '../../src/kernel/gup.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';
import { world } from './world.ts';
import { dio } from './dio.ts';
import { buffered, bufferedSource, competitor, mprotect, punch, unmapper } from './others.ts';

export default defineModel({
  name: 'dio-mmap',
  doc: 'DIO whose buffer is an mmap of a file: fault-path lock recursion (S-10..S-14)',
  params,
  mayBeUnreached,
  setup(p, sys) {
    const w = world(sys, p);
    const src: Vma | undefined = p.buffered !== 'none' || p.competitor ? bufferedSource(sys, w, 'src') : undefined;

    const dios = Array.from({ length: p.tasks }, (_, t) => dio(w, t));
    const tasks: ActorRef[] = dios.map((d, t) => w.own(t, () => sys.task(`dio${t}`, d.build)));
    if (p.buffered !== 'none') sys.task('buffered', buffered(w, src!));
    if (p.competitor) sys.task('competitor', competitor(w, src!));
    if (p.mm_writer === 'present') sys.task('mprotect', mprotect(w));
    if (p.mm_writer === 'munmap') sys.task('munmap', unmapper(w));
    if (p.punch) sys.task('punch', punch(w));

    // the racy window: a DIO faults on its own buffer — or, with FOLL_NOFAULT (d3), finds it unmapped
    const props: Property[] = [
      p.dio === 'd3'
        ? sometimes('a DIO finds its buffer unmapped (FOLL_NOFAULT)', (s) => dios.some((d) => s.get(d.result()) === EFAULT))
        : sometimes('a DIO faults on its buffer while its write is in flight', (s) => tasks.some((t) => s.at(t, 'faultin'))),
      eventually('L2(b) some DIO completes', (s) => tasks.some((t) => s.done(t))),
      eventually('L2(c) every DIO completes', (s) => tasks.every((t) => s.done(t))),
      ...(p.competitor ? tasks.map((t) => terminates(t, `${t.name} completes`)) : []),
    ];
    if (p.buffer === 'same' && (p.fault_lock === 'pagecache_naive_fdm' || p.fault_lock === 'pagecache_kent'))
      props.push(always('a DIO from an mmap of its own file returns -EFAULT', (s) => tasks.every((t, i) => !s.done(t) || s.get(dios[i]!.result()) === EFAULT)));
    return props;
  },
});
