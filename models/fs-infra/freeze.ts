/**
 * Freeze protection (include/linux/fs.h, fs/super.c) against i_rwsem and between its levels. Each
 * case's doc quotes the kernel source its answer comes from.
 */
import { step } from '../../src/index.ts';
import {
  down_write, freeze_super, rwsem, sb_end_intwrite, sb_end_pagefault, sb_end_write, sb_start_intwrite,
  sb_start_pagefault, sb_start_write, super_block, thaw_super, up_write,
} from '../../src/kernel/index.ts';
import type { Case } from './case.ts';

/**
 * Freeze protection against i_rwsem. include/linux/fs.h (`sb_start_write`): "Since freeze
 * protection behaves as a lock, users have to preserve ordering of freeze protection and other
 * filesystem locks. Generally, freeze protection should be the outermost lock. In particular, we
 * have: sb_start_write -> i_mutex (write path, truncate, directory ops, ...)".
 */
export const writeVsIRwsem = (inside: boolean): Case => (sys) => {
  const sb = super_block(sys, 'sb'), i_rwsem = rwsem(sys, '&inode->i_rwsem', '&sb->s_type->i_mutex_key');
  sys.task('write', (t) => [sb_start_write(sb, t), ...down_write(i_rwsem, t), step('generic_perform_write'), up_write(i_rwsem, t), sb_end_write(sb, t)]);
  sys.task('setattr', (t) => (inside
    ? [...down_write(i_rwsem, t), sb_start_write(sb, t), step('truncate_setsize'), sb_end_write(sb, t), up_write(i_rwsem, t)]
    : [sb_start_write(sb, t), ...down_write(i_rwsem, t), step('truncate_setsize'), up_write(i_rwsem, t), sb_end_write(sb, t)]));
  sys.task('fsfreeze', (t) => [...freeze_super(sb, t), ...thaw_super(sb, t)]);
  return [];
};

/**
 * Freeze levels. include/linux/fs.h (`sb_start_pagefault`): "sb_start_write -> mmap_lock ->
 * sb_start_pagefault", (`sb_start_intwrite`): "sb_start_write -> sb_start_intwrite"; fs/super.c
 * `freeze_super` takes SB_FREEZE_WRITE, SB_FREEZE_PAGEFAULT, SB_FREEZE_FS in that order.
 */
export const levels = (inOrder: boolean): Case => (sys) => {
  const sb = super_block(sys, 'sb');
  sys.task('fs', (t) => (inOrder
    ? [sb_start_write(sb, t), sb_start_pagefault(sb, t), sb_start_intwrite(sb, t), step('ext4_journal_start'), sb_end_intwrite(sb, t), sb_end_pagefault(sb, t), sb_end_write(sb, t)]
    : [sb_start_intwrite(sb, t), step('ext4_journal_start'), sb_start_pagefault(sb, t), step('fault in a user buffer'), sb_end_pagefault(sb, t), sb_end_intwrite(sb, t)]));
  sys.task('fsfreeze', (t) => [...freeze_super(sb, t), ...thaw_super(sb, t)]);
  return [];
};
