/**
 * GFS2 as a filesystem record (fs.ts), and the inode glock as far as its fault and direct I/O
 * paths need it (fs/gfs2/glock.c, fs/gfs2/file.c). On one node a glock's holders share it in one
 * state: `LM_ST_SHARED` holders with each other, `LM_ST_DEFERRED` (direct I/O) holders with each
 * other, `LM_ST_EXCLUSIVE` with nobody (`may_grant`); SH and DF exclude each other, so buffered
 * and mmap I/O and direct I/O on one file never overlap. Cluster-wide state changes (the DLM),
 * demotion callbacks and the holder queue's order are left out: a waiter waits for the holders
 * of an incompatible state, and any compatible waiter may be granted (no handoff modelled). The
 * kernel gives glocks no lockdep map; neither does this.
 *
 * The record: `->fault` is `gfs2_fault` (`LM_ST_SHARED` around `filemap_fault`);
 * `->page_mkwrite` is `gfs2_page_mkwrite`: `LM_ST_EXCLUSIVE`, the folio locked, "`!uptodate ||
 * folio->mapping != inode->i_mapping`" → VM_FAULT_NOPAGE, blocks allocated and the folio
 * dirtied, `folio_wait_stable`, the glock dropped. `gfs2_file_direct_write` holds the glock
 * `LM_ST_DEFERRED` around `iomap_dio_rw` (with page faults disabled: a fault on a mapping of the
 * same file would need it SH).
 *
 * @example
 * const A = file(sys, 'A', { fs: 'gfs2' }), gl = gfs2_glock_of(A);
 * [gfs2_glock_nq(gl, cur, 'DEFERRED'), …, gfs2_glock_dq(gl, cur)]
 */
import { ModelError } from '../util/errors.ts';
import { actorSet, enumOf } from '../model/domain.ts';
import { call, goto, ifElse, ret, step, type Node, type Program } from '../model/program.ts';
import { bits } from './bits.ts';
import { filemap_fault, folio_lock_vmf, folio_mkwrite_truncated, folio_unlock_vmf } from './fault.ts';
import { folio_wait_stable, PRIVATE } from './folio.ts';
import { filesystem, type Filesystem } from './fs.ts';
import { registerLock } from './locks.ts';
import type { Inode } from './inode.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';

/** A glock state a holder asks for: `LM_ST_SHARED`, `LM_ST_DEFERRED`, `LM_ST_EXCLUSIVE`. */
export type GlockState = 'SHARED' | 'DEFERRED' | 'EXCLUSIVE';
const STATES = ['UNLOCKED', 'SHARED', 'DEFERRED', 'EXCLUSIVE'] as const;

export interface Glock {
  readonly name: string;
  /** The state the local holders hold it in (`gl->gl_state`; UNLOCKED without holders). */
  readonly state: Var;
  readonly holders: Var;
  /** What a waiter waits on: the holders. */
  readonly resource: Resource;
}

/** Declares glock `name` (an inode glock: `ip->i_gl`). */
export function glock(sys: System, name: string): Glock {
  const state = sys.var(`${name}.gl_state`, enumOf(...STATES)), holders = sys.var(`${name}.holders`, actorSet());
  const resource: Resource = {
    name, lockClass: 'gfs2_glock', waitsFor: (s) => bits(s.get(holders)), holds: (s, a) => (s.get(holders) & (1 << a)) !== 0,
  };
  registerLock(sys, resource, 'bit');
  return { name, state, holders, resource };
}

/** `may_grant()` (fs/gfs2/glock.c) on one node: nobody holds it, or its holders hold it in the same state and that state is not exclusive. */
export const glock_compatible = (s: State, gl: Glock, want: GlockState): boolean =>
  s.get(gl.holders) === 0 || (want !== 'EXCLUSIVE' && s.get(gl.state) === STATES.indexOf(want));

const GL = 'fs/gfs2/glock.c';

/** `gfs2_glock_nq()` (fs/gfs2/glock.c) of a holder in state `want`: waits until it may be granted (`may_grant`). */
export const gfs2_glock_nq = (gl: Glock, self: ActorRef, want: GlockState): Node =>
  step(`gfs2_glock_nq(${gl.name}, LM_ST_${want})`, {
    fn: `${GL}: gfs2_glock_nq`,
    when: (s) => glock_compatible(s, gl, want),
    then: (s) => s.set(gl.state, STATES.indexOf(want)).set(gl.holders, s.get(gl.holders) | (1 << self.id)),
    blocksOn: gl.resource, acquires: gl.resource, sleeps: true,
  });

/** `gfs2_glock_dq()` (fs/gfs2/glock.c): the holder leaves; the last one leaves the glock unlocked locally. */
export const gfs2_glock_dq = (gl: Glock, self: ActorRef): Node =>
  step(`gfs2_glock_dq(${gl.name})`, {
    fn: `${GL}: gfs2_glock_dq`,
    then: (s) => {
      if ((s.get(gl.holders) & (1 << self.id)) === 0) throw new Error(`gfs2_glock_dq(${gl.name}) by ${self.name}, which does not hold it`);
      const left = s.get(gl.holders) & ~(1 << self.id);
      return s.set(gl.holders, left).set(gl.state, left === 0 ? 0 : s.get(gl.state));
    },
  });

/** Each GFS2 file's inode glock (an entry in `sys.registry`). */
const GLOCKS = systemKey<Map<Inode, Glock>>('gfs2', () => new Map());

/** The inode glock (`ip->i_gl`) of a GFS2 file. */
export function gfs2_glock_of(file: Inode): Glock {
  const gl = file.sys.registry.peek(GLOCKS)?.get(file);
  if (gl === undefined) throw new ModelError('KMC013', `gfs2_glock_of: file ${file.name} is not on gfs2 (declare it with file(sys, '${file.name}', { fs: 'gfs2' }))`);
  return gl;
}

const FILE = 'fs/gfs2/file.c';

export const gfs2: Filesystem = filesystem('gfs2', {
  setup: (sys, file) => { sys.registry.get(GLOCKS).set(file, glock(sys, `ip->i_gl[${file.name}]`)); },
  fault: (cur, vma, f) => {
    const gl = gfs2_glock_of(vma.file);
    // ret = filemap_fault(vmf); gfs2_glock_dq(&gh); return ret; (fs/gfs2/file.c: gfs2_fault)
    return call('gfs2_fault', [gfs2_glock_nq(gl, cur, 'SHARED'), filemap_fault(cur, vma, f), gfs2_glock_dq(gl, cur), ret()], { result: cur.vmret });
  },
  page_mkwrite: (cur, vma, f, out) => {
    const gl = gfs2_glock_of(vma.file);
    return [
      gfs2_glock_nq(gl, cur, 'EXCLUSIVE'),
      folio_lock_vmf(cur, f),
      ifElse((s) => !s.test(f.uptodate) || folio_mkwrite_truncated(cur, f)(s), [folio_unlock_vmf(cur, f), gfs2_glock_dq(gl, cur), goto(out)]),
      step('gfs2_page_mkwrite', { fn: `${FILE}: gfs2_page_mkwrite`, then: (s) => s.set(f.private, PRIVATE.dirty).set(f.dirty, true) }),
      folio_wait_stable(f, vma.file.stableWrites),
      gfs2_glock_dq(gl, cur),
    ];
  },
  submit: { fn: 'fs/gfs2/aops.c: gfs2_writepages' },
  freeBlocks: { fn: 'fs/gfs2/bmap.c: punch_hole' },
});

/** What `gfs2_file_direct_write` / `gfs2_file_direct_read` (fs/gfs2/file.c) hold around the I/O: the inode glock, LM_ST_DEFERRED. */
export const gfs2_direct_io_locked = (cur: ActorRef, file: Inode, body: Program): Program => {
  const gl = gfs2_glock_of(file);
  return [gfs2_glock_nq(gl, cur, 'DEFERRED'), body, gfs2_glock_dq(gl, cur)];
};
