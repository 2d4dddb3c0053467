/**
 * Client-side token buckets in front of every Connect call: one bucket per Connect operation.
 *
 * Connect's API quotas are per operation, per account and Region (2 requests per second, burst 5, for
 * the security-profile operations; 10 per second for the user and hierarchy reads): one bucket for all
 * operations would hold the reads of a sweep to the rate of a single API while each API has its own.
 * The buckets pace one process; other processes (CloudFormation runs independent custom resources in
 * parallel, each Lambda container is a process) and other tools share the same quota, so a throttle
 * can still come back: the gateway's retries absorb it (lambda/connect-api.ts).
 */
import { ApiQuota, CONNECT_API_QUOTAS, ENV } from '../src/private/contract';

/** Something that lets a call of an operation go when its turn comes. */
export interface RateLimiter {
  /**
   * Resolves when one request of `operation` may be sent.
   *
   * @param operation the Connect operation, e.g. `DescribeSecurityProfile`
   */
  acquire(operation: string): Promise<void>;
}

/** Options of a `TokenBucket`. */
export interface TokenBucketOptions {
  /**
   * Tokens added per second.
   *
   * @default 2
   */
  readonly ratePerSecond?: number;
  /**
   * Bucket size: how many requests may go at once after a quiet period.
   *
   * @default 5
   */
  readonly burst?: number;
  /**
   * The clock, in milliseconds.
   *
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * How to wait.
   *
   * @default a setTimeout-based sleep
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The default rate (requests per second) of an operation Connect's quota table does not name. */
export const DEFAULT_RATE_PER_SECOND = CONNECT_API_QUOTAS.default.ratePerSecond;
/** The default burst of an operation Connect's quota table does not name. */
export const DEFAULT_BURST = CONNECT_API_QUOTAS.default.burst;

/**
 * One token bucket: starts full, refills continuously, serves waiters in order. As a `RateLimiter` it
 * is one bucket for every operation (tests use a wide-open one).
 */
export class TokenBucket implements RateLimiter {
  /** Tokens added per second. */
  public readonly ratePerSecond: number;
  /** Bucket size. */
  public readonly burst: number;
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: TokenBucketOptions = {}) {
    this.ratePerSecond = options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
    this.burst = options.burst ?? DEFAULT_BURST;
    if (!(this.ratePerSecond > 0) || !Number.isFinite(this.ratePerSecond)) {
      throw new Error(`rate limiter: ratePerSecond must be a positive number, received ${options.ratePerSecond}`);
    }
    if (!(this.burst >= 1) || !Number.isFinite(this.burst)) {
      throw new Error(`rate limiter: burst must be a number >= 1, received ${options.burst}`);
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Resolves when a token is taken. Callers are served first come, first served. */
  public acquire(_operation?: string): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond);
  }
}

/** Quotas by operation name; `default` (required) covers every operation not named. */
export type ApiQuotas = Readonly<Record<string, ApiQuota>>;

/** Options of `OperationRateLimiter`. */
export interface OperationRateLimiterOptions {
  /**
   * The clock, in milliseconds.
   *
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * How to wait.
   *
   * @default a setTimeout-based sleep
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket per Connect operation, created on first use with the operation's quota (or `default`).
 * Calls of different operations never wait for each other, as on Connect's side.
 */
export class OperationRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  /**
   * @param quotas the rate and burst of each operation (`default` for the rest)
   * @param options clock and sleep (tests)
   */
  constructor(public readonly quotas: ApiQuotas, private readonly options: OperationRateLimiterOptions = {}) {
    if (!quotas.default) {
      throw new Error('rate limiter: the quotas must have a "default" entry for the operations they do not name');
    }
    for (const [operation, quota] of Object.entries(quotas)) {
      // fail at start-up, naming the operation, rather than on its first call
      try {
        new TokenBucket(quota);
      } catch (err) {
        throw new Error(`${(err as Error).message} (quota of ${operation})`);
      }
    }
  }

  /** The quota a call of `operation` is paced at. */
  public quotaOf(operation: string): ApiQuota {
    return this.quotas[operation] ?? this.quotas.default!;
  }

  /** Resolves when one request of `operation` may be sent. */
  public acquire(operation: string): Promise<void> {
    return this.bucketOf(operation).acquire();
  }

  private bucketOf(operation: string): TokenBucket {
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      bucket = new TokenBucket({ ...this.quotaOf(operation), now: this.options.now, sleep: this.options.sleep });
      this.buckets.set(operation, bucket);
    }
    return bucket;
  }
}

/**
 * The per-operation quotas from the environment, on top of `CONNECT_API_QUOTAS`:
 * - `CONNECT_RATE_LIMITS`, JSON `{ "<Operation>": { "ratePerSecond": n, "burst": n }, "default": {...} }`,
 *   replaces the quota of each operation it names (`default`: every operation the table does not name);
 * - `CONNECT_RATE_LIMIT_PER_SECOND` and `CONNECT_RATE_LIMIT_BURST`, the older single-rate settings, set
 *   the `default` quota when `CONNECT_RATE_LIMITS` does not name it (each operation still gets its own bucket).
 *
 * @throws when a variable is set to something that does not parse, naming the variable and the entry
 */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiQuotas {
  const quotas: Record<string, ApiQuota> = { ...CONNECT_API_QUOTAS };
  quotas.default = {
    ratePerSecond: numberFromEnv(env, ENV.rateLimitPerSecond, CONNECT_API_QUOTAS.default.ratePerSecond),
    burst: numberFromEnv(env, ENV.rateLimitBurst, CONNECT_API_QUOTAS.default.burst),
  };
  const raw = env[ENV.rateLimits];
  if (raw !== undefined && raw.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new Error(`environment variable ${ENV.rateLimits} must be JSON like {"CreateSecurityProfile":{"ratePerSecond":2,"burst":5}}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`environment variable ${ENV.rateLimits} must be a JSON object of operation names to {"ratePerSecond":n,"burst":n}, received ${raw}`);
    }
    for (const [operation, value] of Object.entries(parsed as Record<string, unknown>)) {
      quotas[operation] = quotaOf(operation, value);
    }
  }
  return quotas;
}

function quotaOf(operation: string, value: unknown): ApiQuota {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const rate = v.ratePerSecond;
  const burst = v.burst;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1) {
    throw new Error(`environment variable ${ENV.rateLimits}: the entry "${operation}" must be {"ratePerSecond": a number > 0, "burst": a number >= 1}, received ${JSON.stringify(value)}`);
  }
  return { ratePerSecond: rate, burst };
}

let shared: OperationRateLimiter | undefined;

/**
 * The process-wide limiter (one bucket per operation), configured from the environment
 * (`rateLimitsFromEnv`) the first time it is asked for.
 */
export function processRateLimiter(env: NodeJS.ProcessEnv = process.env): OperationRateLimiter {
  shared ??= new OperationRateLimiter(rateLimitsFromEnv(env));
  return shared;
}

/**
 * Read a positive number from the environment.
 *
 * @throws when the variable is set to something that is not a positive number
 */
export function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`environment variable ${name} must be a positive number, received "${raw}"`);
  }
  return value;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
