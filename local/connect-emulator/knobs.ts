/** A token bucket rule: `rate` tokens per second, at most `burst` tokens. */
export interface ThrottleRule { readonly rate: number; readonly burst: number }

/** The throttling knob: off, the realistic preset, or rules per operation with an optional default. */
export type ThrottlingOption = 'off' | 'realistic' | { readonly default?: ThrottleRule; readonly [operation: string]: ThrottleRule | undefined };

/** The fault knob: probabilities 0..1 drawn from a seeded PRNG, optionally limited to some operations. */
export interface FaultOptions {
  readonly internalError?: number;
  readonly throttle?: number;
  readonly dropConnection?: number;
  readonly appliedButResponseLost?: number;
  readonly seed?: number;
  readonly operations?: string[];
}

/**
 * Operations whose default rate is 10 rps in the Service Quotas table (connect-model README,
 * "Throttling quotas"); every other operation is 2 rps.
 */
export const TEN_RPS_OPERATIONS = ['DescribeUser', 'ListUsers', 'DescribeUserHierarchyGroup', 'ListUserHierarchyGroups', 'DescribeUserHierarchyStructure'];

/** The `realistic` preset: 2 rps burst 5 (AG23 "all other operations"); 10 rps burst 10 for the user and hierarchy reads. */
export function realisticRules(): { default: ThrottleRule; [operation: string]: ThrottleRule } {
  const rules: { default: ThrottleRule; [operation: string]: ThrottleRule } = { default: { rate: 2, burst: 5 } };
  for (const op of TEN_RPS_OPERATIONS) {
    rules[op] = { rate: 10, burst: 10 };
  }
  return rules;
}

/**
 * Token buckets per operation, shared by every instance (Connect throttles per account and Region).
 * A bucket starts full.
 */
export class Throttler {
  private readonly rules: Record<string, ThrottleRule | undefined>;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(option: ThrottlingOption | undefined) {
    if (!option || option === 'off') {
      this.rules = {};
    } else if (option === 'realistic') {
      this.rules = realisticRules();
    } else {
      for (const [op, rule] of Object.entries(option)) {
        if (rule && (!(rule.rate > 0) || !(rule.burst >= 1))) {
          throw new Error(`connect emulator: throttling rule for ${op} is ${JSON.stringify(rule)}; rate must be > 0 and burst >= 1`);
        }
      }
      this.rules = { ...option };
    }
  }

  /** Take a token for `operation`; false when the request must be throttled. */
  take(operation: string, now: number): boolean {
    const rule = this.rules[operation] ?? this.rules.default;
    if (!rule) {
      return true;
    }
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      bucket = { tokens: rule.burst, at: now };
      this.buckets.set(operation, bucket);
    }
    bucket.tokens = Math.min(rule.burst, bucket.tokens + ((now - bucket.at) / 1000) * rule.rate);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return false;
  }
}

/** What a fault draw decided for one request. */
export type Fault = 'none' | 'internalError' | 'throttle' | 'dropConnection' | 'appliedButResponseLost';

/** mulberry32: a small seeded PRNG, so fault sequences repeat for a given seed. */
/* eslint-disable no-bitwise */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

/** Draws faults per request: one uniform draw split into bands in the order of `Fault`. */
export class FaultInjector {
  private readonly random: () => number;
  private readonly operations?: Set<string>;
  private readonly bands: Array<[Exclude<Fault, 'none'>, number]>;
  readonly active: boolean;

  constructor(options: FaultOptions | undefined) {
    const o = options ?? {};
    this.random = mulberry32(o.seed ?? 1);
    this.operations = o.operations ? new Set(o.operations) : undefined;
    const probabilities: Array<[Exclude<Fault, 'none'>, number]> = [
      ['internalError', o.internalError ?? 0], ['throttle', o.throttle ?? 0],
      ['dropConnection', o.dropConnection ?? 0], ['appliedButResponseLost', o.appliedButResponseLost ?? 0],
    ];
    let total = 0;
    this.bands = probabilities.map(([name, p]) => {
      if (!(p >= 0 && p <= 1)) {
        throw new Error(`connect emulator: fault probability ${name} is ${p}; use a number from 0 to 1`);
      }
      total += p;
      return [name, total] as [Exclude<Fault, 'none'>, number];
    });
    if (total > 1) {
      throw new Error(`connect emulator: fault probabilities add up to ${total}; their sum must be at most 1`);
    }
    this.active = total > 0;
  }

  /** Decide the fault for one request of `operation`. */
  draw(operation: string): Fault {
    if (!this.active || (this.operations && !this.operations.has(operation))) {
      return 'none';
    }
    const r = this.random();
    for (const [name, upTo] of this.bands) {
      if (r < upTo) {
        return name;
      }
    }
    return 'none';
  }
}

/** Which requests a hold stops, and how. */
export interface HoldOptions {
  /** The operation, e.g. `UpdateSecurityProfile`. */
  readonly operation: string;
  /**
   * Only requests about this security profile: its `SecurityProfileId` (an id or an ARN), or the
   * `resourceArn` of the tag operations.
   *
   * @default any profile
   */
  readonly securityProfileId?: string;
  /**
   * Only requests signed with this access key id (each writer process can have its own).
   *
   * @default any caller
   */
  readonly caller?: string;
  /**
   * How many matching requests are held; later ones pass.
   *
   * @default 1 (`answer: 'throttle'`: every matching request until released)
   */
  readonly count?: number;
  /**
   * `before`: the request waits before it is applied (the caller is paused with its call in flight);
   * `after`: it is applied, then its response waits (paused after the write, before the caller learns of it).
   *
   * @default 'before'
   */
  readonly stage?: 'before' | 'after';
  /**
   * `wait`: the request waits until `release()`; `throttle`: it is answered ThrottlingException at once, so
   * the caller stays in its own retry loop (a writer held between its last read and its write) until
   * `release()`.
   *
   * @default 'wait'
   */
  readonly answer?: 'wait' | 'throttle';
}

/** The handle of one hold. */
export class Hold {
  /** Matching requests stopped so far (held, or answered throttled). */
  public held = 0;
  private releasedFlag = false;
  private readonly waiting: Array<() => void> = [];
  private readonly watchers: Array<{ n: number; resolve: () => void }> = [];
  private readonly count: number;

  constructor(public readonly options: HoldOptions) {
    this.count = options.count ?? (options.answer === 'throttle' ? Infinity : 1);
    if (!(this.count >= 1)) {
      throw new Error(`connect emulator: hold count is ${options.count}; use a whole number of at least 1`);
    }
  }

  /** True once released. */
  public get released(): boolean {
    return this.releasedFlag;
  }

  /** Resolves once `n` matching requests were stopped (at once when they already were). */
  public reached(n = 1): Promise<void> {
    if (this.held >= n) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ n, resolve }));
  }

  /** Let every held request go on, and stop holding. */
  public release(): void {
    this.releasedFlag = true;
    for (const resume of this.waiting.splice(0)) resume();
  }

  /** Whether this hold stops a request. */
  public matches(operation: string, input: Record<string, unknown>, caller: string | undefined): boolean {
    const o = this.options;
    if (this.releasedFlag || this.held >= this.count || o.operation !== operation) return false;
    if (o.caller !== undefined && o.caller !== caller) return false;
    if (o.securityProfileId !== undefined && profileIdOf(input) !== lastSegment(o.securityProfileId)) return false;
    return true;
  }

  /** Count a stopped request; `resume` runs on release (never, for a throttled answer). */
  public stop(resume?: () => void): void {
    this.held++;
    if (resume) this.waiting.push(resume);
    for (const w of this.watchers.filter((x) => this.held >= x.n)) {
      this.watchers.splice(this.watchers.indexOf(w), 1);
      w.resolve();
    }
  }
}

/** The live holds of a server, in the order they were added (the first match stops a request). */
export class Holds {
  private readonly holds: Hold[] = [];

  /** Add a hold. */
  public add(options: HoldOptions): Hold {
    if (options.stage === 'after' && options.answer === 'throttle') {
      throw new Error('connect emulator: a hold answered with throttle has no "after" stage; use stage "before" or answer "wait"');
    }
    const hold = new Hold(options);
    this.holds.push(hold);
    return hold;
  }

  /** The hold that stops this request, if any (released holds are forgotten). */
  public match(operation: string, input: Record<string, unknown>, caller: string | undefined): Hold | undefined {
    for (let i = this.holds.length - 1; i >= 0; i--) {
      if (this.holds[i].released) this.holds.splice(i, 1);
    }
    return this.holds.find((h) => h.matches(operation, input, caller));
  }

  /** Release every hold (when the emulator stops). */
  public releaseAll(): void {
    for (const h of this.holds.splice(0)) h.release();
  }
}

/** The security profile a request is about: `SecurityProfileId` (id or ARN), or a tag call's `resourceArn`. */
function profileIdOf(input: Record<string, unknown>): string | undefined {
  if (typeof input.SecurityProfileId === 'string') return lastSegment(input.SecurityProfileId);
  if (typeof input.resourceArn === 'string') {
    const m = /\/security-profile\/([^/]+)$/.exec(input.resourceArn);
    return m ? m[1] : undefined;
  }
  return undefined;
}

function lastSegment(idOrArn: string): string {
  return idOrArn.slice(idOrArn.lastIndexOf('/') + 1);
}

/** The access key id of a SigV4 `Authorization` header (`... Credential=<key>/<date>/...`). */
export function callerOf(authorization: string | undefined): string | undefined {
  const m = /Credential=([^/,\s]+)\//.exec(authorization ?? '');
  return m ? m[1] : undefined;
}
