/**
 * kmc's kernel library (`import { mutex_lock, folio_lock } from 'kmc/kernel'`): locks and
 * page-cache objects under their kernel names, each primitive one atomic step that cites the
 * function it models.
 */
export * from './mutex.ts';
export * from './rwsem.ts';
export * from './folio.ts';
export * from './inode.ts';
export * from './mm.ts';
export * from './vma.ts';
export * from './two-state-lock.ts';
