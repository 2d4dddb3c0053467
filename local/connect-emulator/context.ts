import { Store } from './state';

/** What an operation handler sees besides its input. */
export interface HandlerContext {
  readonly store: Store;
  readonly region: string;
  /** Epoch ms of this request. */
  readonly now: number;
  /** A new security profile is invisible to reads for this long after its creation. */
  readonly consistencyDelayMs: number;
}

/** An operation handler: validated input in, output members out (`undefined` for an empty `{}`). */
export type OperationHandler = (input: any, ctx: HandlerContext) => unknown;

/** Epoch ms to the wire's epoch seconds (fractions allowed). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
