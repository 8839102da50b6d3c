/**
 * The state as a model sees it: an immutable value. Guards and properties read it; an effect
 * returns the successor that `set` yields, never mutating the state it was given.
 *
 * @example
 * when: (s) => s.get(lock) === NONE,
 * then: (s) => s.set(lock, self.id).set(waiting, false),
 *
 * Values are small integers (see `domain.ts`); `test` reads a field as a boolean.
 * A state that has been updated must not be used again: `set` hands back the new value and
 * the old handle of a draft becomes stale (reading it is error KMC006), so a model cannot
 * observe a half-built successor.
 */
import type { ActorRef, ArrayVar, Var } from './vars.ts';

export interface State {
  get(v: Var): number;
  get(v: ArrayVar, i: number): number;
  test(v: Var): boolean;
  test(v: ArrayVar, i: number): boolean;
  set(v: Var, x: number | boolean): State;
  set(v: ArrayVar, i: number, x: number | boolean): State;
  /** The actor has run to the end of its program. */
  done(actor: ActorRef): boolean;
  /** The actor is resting at `label(name)` in its program (about to take the step after it). */
  at(actor: ActorRef, name: string): boolean;
  /** The actor's next step may sleep (it is declared `sleeps`): `might_sleep()` is where it stands. */
  mightSleep(actor: ActorRef): boolean;
}
