/**
 * A client-side token bucket in front of every Connect call.
 *
 * Connect's API quotas are per account and Region (2 requests per second, burst 5, for most security
 * profile operations), so one process shares one bucket: `processRateLimiter()`.
 */
import { ENV } from '../src/private/contract';

/** Something that lets a call go when its turn comes. */
export interface RateLimiter {
  /** Resolves when one request may be sent. */
  acquire(): Promise<void>;
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

/** The default rate (requests per second) and burst, matching Connect's default API quotas. */
export const DEFAULT_RATE_PER_SECOND = 2;
/** The default burst. */
export const DEFAULT_BURST = 5;

/**
 * A token bucket: starts full, refills continuously, serves waiters in order.
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
  public acquire(): Promise<void> {
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

let shared: TokenBucket | undefined;

/**
 * The process-wide bucket, configured from `CONNECT_RATE_LIMIT_PER_SECOND` and `CONNECT_RATE_LIMIT_BURST`
 * (defaults 2 and 5) the first time it is asked for.
 */
export function processRateLimiter(env: NodeJS.ProcessEnv = process.env): TokenBucket {
  if (!shared) {
    shared = new TokenBucket({
      ratePerSecond: numberFromEnv(env, ENV.rateLimitPerSecond, DEFAULT_RATE_PER_SECOND),
      burst: numberFromEnv(env, ENV.rateLimitBurst, DEFAULT_BURST),
    });
  }
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
