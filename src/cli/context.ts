/** What every kmc command is given besides clipanion's streams and environment. */
import type { BaseContext } from './clipanion.ts';

/**
 * Subscribes `stop` to whatever ends a check early (for the process: SIGINT and SIGTERM, `stop`
 * called with the signal's name); returns the function that unsubscribes it.
 */
export type Interrupts = (stop: (why: string) => void) => () => void;

export interface KmcContext extends BaseContext {
  readonly interrupts: Interrupts;
}
