/**
 * The scheduled sweep: check every managed profile, several at once, within a time budget.
 *
 * Single-flight: a sweep holds the table's `sweep` lease for its invocation, so a second invocation
 * (a schedule firing while a long sweep runs, or a retry) returns at once instead of checking the same
 * profiles twice. This replaces reserved Lambda concurrency, which new accounts cannot grant.
 *
 * Checks of different profiles run concurrently so that the reads of one profile wait for their own
 * operation's quota while other profiles' reads use the other operations': each Connect API has its own
 * rate limit, and a sequential sweep would use one at a time. How many: by Little's law, enough that
 * each read API always has a call waiting while checks spend time on everything else (the table's
 * lease, record and result, round trips): its rate × that time, doubled, and at least 8.
 *
 * The budget and cursor: an invocation stops starting checks when the slowest check so far would
 * overrun the budget, waits for the checks under way, saves the key up to which every profile is done,
 * and the next invocation resumes after it. A sweep in progress is always resumed before a new one
 * starts, so every profile is checked once per sweep (an invocation killed mid-way repeats at most the
 * checks since the last save).
 */
import { checkAndRecord, isChecked, ProfileOutcome, ReconcilerDeps } from './check-profile';
import { processRateLimiter } from './rate-limiter';
import type { MalformedRecord, SweepState } from './state-table';
import { isMalformed } from './state-table';
import { DRIFT_STATUSES, DriftStatus, StoredRecord } from './stored-record';
import type { ApiQuota } from '../src/private/contract';

/** Options of `runSweep`. */
export interface SweepOptions {
  /** Stop starting checks when the slowest check so far would end past this many ms from the start. */
  readonly budgetMs: number;
  /**
   * Records read from the table per scan page.
   *
   * @default 25
   */
  readonly pageSize?: number;
  /**
   * Profiles checked at the same time.
   *
   * @default sweepConcurrencyFor the process-wide limiter's quotas
   */
  readonly concurrency?: number;
}

/** The fewest profiles a sweep checks at once by default. */
export const DEFAULT_SWEEP_CONCURRENCY = 8;

/** The Connect reads of every check, one after the other. */
const CHECK_READS = ['DescribeSecurityProfile', 'ListSecurityProfilePermissions', 'ListSecurityProfileApplications'];

/** A generous bound on the time one check spends outside its waits for tokens, in seconds. */
const CHECK_OVERHEAD_SECONDS = 1;

/** The most checks at once, whatever the quotas (each holds a lease and a connection). */
const MAX_SWEEP_CONCURRENCY = 64;

/**
 * Profiles to check at once so that the slowest read API's quota is used fully: at Connect's default
 * 2 requests/s, 8; at a raised quota, more.
 *
 * @param quotaOf the quota the gateway paces an operation at
 */
export function sweepConcurrencyFor(quotaOf: (operation: string) => ApiQuota): number {
  const rate = Math.min(...CHECK_READS.map((op) => quotaOf(op).ratePerSecond));
  return Math.min(MAX_SWEEP_CONCURRENCY, Math.max(DEFAULT_SWEEP_CONCURRENCY, Math.ceil(2 * rate * CHECK_OVERHEAD_SECONDS)));
}

/** The sweep saves its cursor after this many profiles (and whenever it pauses or completes). */
export const CURSOR_SAVE_EVERY = 10;

/** The name of the lease that makes sweeps single-flight. */
export const SWEEP_LEASE_KEY = 'sweep';

/** Time kept on the sweep lease beyond the budget, for the checks under way and the last save. */
const SWEEP_LEASE_MARGIN_MS = 60_000;

/** What one sweep invocation did. */
export interface SweepReport {
  /** The sweep this invocation worked on (empty when it did not run). */
  readonly sweepId: string;
  /** True when the sweep reached the last profile; false when it stopped for the budget or did not run. */
  readonly complete: boolean;
  /** Profiles checked by this invocation, in table order. */
  readonly outcomes: ProfileOutcome[];
  /** Profiles checked by the whole sweep so far. */
  readonly sweepChecked: number;
  /** Set when another invocation holds the sweep: this one checked nothing. */
  readonly skipped?: string;
}

/**
 * Run (or resume) a sweep over every managed profile, within a time budget.
 */
export async function runSweep(deps: ReconcilerDeps, options: SweepOptions): Promise<SweepReport> {
  const now = deps.now ?? Date.now;
  const taken = await deps.leases.tryAcquire(SWEEP_LEASE_KEY, 'sweep', options.budgetMs + SWEEP_LEASE_MARGIN_MS);
  if (!taken.acquired) {
    const skipped = `another sweep holds the sweep lease until ${new Date(taken.heldBy.expiresAt).toISOString()}`;
    deps.logger.info('sweep not started: another sweep is running', { until: new Date(taken.heldBy.expiresAt).toISOString() });
    return { sweepId: '', complete: false, outcomes: [], sweepChecked: 0, skipped };
  }
  try {
    return await sweepHoldingLease(deps, options, now);
  } finally {
    deps.metrics.flush();
    await deps.leases.release(taken.lease);
  }
}

async function sweepHoldingLease(sweepDeps: ReconcilerDeps, options: SweepOptions, now: () => number): Promise<SweepReport> {
  const deps: ReconcilerDeps = { ...sweepDeps, groupChecks: sweepDeps.groupChecks ?? new Map() };
  const started = now();
  const deadline = started + options.budgetMs;
  const pageSize = options.pageSize ?? 25;
  const limiter = processRateLimiter();
  const concurrency = Math.max(1, options.concurrency ?? sweepConcurrencyFor((op) => limiter.quotaOf(op)));

  const saved = await deps.store.getSweepState();
  if (saved.error !== undefined) {
    deps.metrics.error();
    deps.logger.error('sweep cursor does not parse', { error: saved.error });
  }
  let state: SweepState = saved.inProgress ? saved : {
    sweepId: new Date(started).toISOString(),
    startedAt: new Date(started).toISOString(),
    checked: 0,
    inProgress: true,
    ...(saved.lastCompletedAt !== undefined ? { lastCompletedAt: saved.lastCompletedAt } : {}),
  };
  deps.logger.info(saved.inProgress ? 'sweep resumed' : 'sweep started', {
    sweepId: state.sweepId, checkedSoFar: state.checked, budgetMs: options.budgetMs, concurrency,
  });
  // A new sweep is saved at once: an invocation that ends abruptly resumes it rather than starting another.
  if (!saved.inProgress) await deps.store.putSweepState(stripError(state));

  const pool = new OrderedPool(concurrency);
  let slowestMs = 0;
  let sinceSaved = 0;
  let scanCursor = state.cursor;
  let paused = false;

  // The cursor moves only over a prefix of finished profiles, so a resumed sweep never skips one.
  const advance = async (): Promise<void> => {
    for (const done of pool.takeFinishedPrefix()) {
      state = { ...state, cursor: done.key, checked: state.checked + (done.checked ? 1 : 0) };
      if (++sinceSaved >= CURSOR_SAVE_EVERY) {
        await deps.store.putSweepState(state);
        sinceSaved = 0;
      }
    }
  };

  scan: for (;;) {
    const page = await deps.store.scan(scanCursor, pageSize);
    for (const entry of page.records) {
      // Always start one profile per invocation, so a tiny budget still makes progress.
      if (pool.started > 0 && now() + slowestMs > deadline) {
        paused = true;
        break scan;
      }
      if (!isMalformed(entry) && !isChecked(entry)) {
        pool.skip(entry.key);
      } else {
        await pool.run(entry.key, async () => {
          const t0 = now();
          const outcome = await checkAndRecord(deps, entry as StoredRecord | MalformedRecord, state.sweepId);
          slowestMs = Math.max(slowestMs, now() - t0);
          return outcome;
        });
      }
      await advance();
    }
    if (page.nextAfter === undefined) break;
    scanCursor = page.nextAfter;
  }
  await pool.drain();
  await advance();
  const outcomes = pool.outcomes();

  if (paused) {
    await deps.store.putSweepState(state);
    deps.logger.info('sweep paused for the time budget', {
      sweepId: state.sweepId, checkedNow: outcomes.length, checkedSoFar: state.checked, slowestCheckMs: slowestMs,
    });
    return { sweepId: state.sweepId, complete: false, outcomes, sweepChecked: state.checked };
  }
  const completedAt = new Date(now()).toISOString();
  const { cursor: _done, ...rest } = state;
  await deps.store.putSweepState({ ...rest, inProgress: false, lastCompletedAt: completedAt });
  deps.logger.info('sweep complete', {
    sweepId: state.sweepId, checked: state.checked, checkedNow: outcomes.length, ...summarize(outcomes),
  });
  return { sweepId: state.sweepId, complete: true, outcomes, sweepChecked: state.checked };
}

function stripError(state: SweepState & { error?: string }): SweepState {
  const { error: _error, ...rest } = state;
  return rest;
}

/** Counts of outcomes by status (for the sweep's last log line). */
export function summarize(outcomes: readonly ProfileOutcome[]): Record<DriftStatus, number> {
  const counts = Object.fromEntries(DRIFT_STATUSES.map((s) => [s, 0])) as Record<DriftStatus, number>;
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

interface Slot {
  readonly key: string;
  readonly checked: boolean;
  done: boolean;
  outcome?: ProfileOutcome;
}

/**
 * At most `limit` tasks at once, remembered in the order they were started, so the caller can tell
 * the longest prefix of finished tasks (where the cursor may move).
 */
class OrderedPool {
  public started = 0;
  private readonly slots: Slot[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly finished: ProfileOutcome[] = [];
  private next = 0;

  constructor(private readonly limit: number) {}

  /** A record the sweep does not check (drift off): it only moves the cursor. */
  public skip(key: string): void {
    this.slots.push({ key, checked: false, done: true });
  }

  /** Start a task once fewer than `limit` run. */
  public async run(key: string, task: () => Promise<ProfileOutcome>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    const slot: Slot = { key, checked: true, done: false };
    this.slots.push(slot);
    this.started++;
    const p: Promise<void> = task().then((outcome) => {
      slot.outcome = outcome;
      slot.done = true;
      this.running.delete(p);
    });
    this.running.add(p);
  }

  /** Wait for every task under way. */
  public async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** The finished slots not returned before, up to the first one still running. */
  public takeFinishedPrefix(): Slot[] {
    const out: Slot[] = [];
    while (this.next < this.slots.length && this.slots[this.next].done) {
      const slot = this.slots[this.next++];
      if (slot.outcome) this.finished.push(slot.outcome);
      out.push(slot);
    }
    return out;
  }

  /** The outcomes of the finished prefix, in start order. */
  public outcomes(): ProfileOutcome[] {
    return [...this.finished];
  }
}
