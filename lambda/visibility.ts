/**
 * Waiting for Connect's eventual consistency: a profile just created (or reported as existing) may stay
 * invisible to reads for a while.
 */

/** How long to keep reading, and the clock and the wait to do it with. */
export interface VisibilityWait {
  /** Keep reading for this long (0: one read). */
  readonly waitMs: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
  /** How to wait between reads. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Read until the read finds something or the wait is over, backing off from 100 ms to 2 s between reads.
 *
 * @returns what the last read found (`undefined` when nothing showed up in time)
 */
export async function untilVisible<T>(read: () => Promise<T | undefined>, wait: VisibilityWait): Promise<T | undefined> {
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + wait.waitMs;
  let delay = 100;
  for (;;) {
    const found = await read();
    if (found !== undefined || now() >= deadline) return found;
    await sleep(Math.min(delay, Math.max(1, deadline - now())));
    delay = Math.min(delay * 2, 2000);
  }
}
