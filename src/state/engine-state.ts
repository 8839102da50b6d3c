/** @internal What explorers need of a state beyond the model-facing {@link State}. */
import type { State } from '../model/state.ts';

export interface EngineState extends State {
  pcOf(actor: number): number;
  /** A successor with the actor's pc moved (same update rules as `set`). */
  withPc(actor: number, pc: number): EngineState;
}
