/**
 * A virtual clock for code that takes `now` and `sleep`: sleeping advances it, so a test measures waiting
 * without waiting.
 */
export interface VirtualClock {
  /** The virtual time (ms), starting at 0. */
  readonly now: () => number;
  /** Advances the time by `ms` and records the wait. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Advances the time without a recorded wait (time that passes elsewhere). */
  readonly advance: (ms: number) => void;
  /** Every wait `sleep` was asked for, in order. */
  readonly sleeps: number[];
}

/** A new virtual clock at time 0. */
export function virtualClock(): VirtualClock {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}
