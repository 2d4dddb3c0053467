/**
 * Per-profile leases: one writer of a security profile at a time.
 *
 * The deploy-time handler and the reconciler (sweep and change events) both write Connect. Without a
 * lease a sweep that read the old desired state can put the old permissions back over a deploy that
 * just revoked them. Every writer takes the profile's lease before it reads the desired state and keeps
 * it until it has written Connect, so each writer acts on the newest desired state and no two writes of
 * one profile interleave.
 *
 * A lease is an item of the desired-state table (`#lease:<key>`) with a holder, an expiry and a
 * generation, taken with a conditional write: free, expired or already ours. A writer that crashes
 * leaves a lease that expires; the next writer takes it over. A writer renews its lease right before
 * it writes Connect, and a renewal that fails (the lease expired and someone else took it) stops the
 * write. The generation grows with every take-over, so a holder can tell that it lost the lease.
 *
 * A write to Connect can wait long after that renewal (a throttled call retries for minutes), so every
 * attempt of every write is fenced too (`LeaseHandle.ensureHeld`, through the gateway's write guard):
 * an attempt is sent only while the lease has at least `writeMarginMs` left, which is far longer than one
 * request takes, so no attempt can land after another writer took the lease over. A deploy keeps its
 * lease alive while it runs (`keepAlive`): only a writer that is gone lets it expire. A check does not:
 * it stops writing when its lease runs low, so a deploy never waits longer than two lease durations.
 *
 * Clocks: expiry is compared with the writer's own clock. Lambda hosts are NTP-synchronised to well
 * under a second, two orders of magnitude below the lease duration.
 */
import { randomUUID } from 'crypto';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { itemKey, unlessConditionFails } from './dynamo-items';

/** Every key of a lease item starts with this; no profile key can (profile keys start with an instance id). */
export const LEASE_KEY_PREFIX = '#lease:';

/**
 * How long a lease lasts after it is taken or renewed.
 *
 * Long enough for one profile's writes (a handful of Connect calls, each retried under throttling),
 * short enough that a deploy waiting for a crashed sweep is delayed by about two minutes, not more.
 */
export const DEFAULT_LEASE_DURATION_MS = 120_000;

/** How long a deploy waits for another writer's lease before it gives up (two lease durations). */
export const DEFAULT_LEASE_WAIT_MS = 2 * DEFAULT_LEASE_DURATION_MS;

/**
 * An attempt to write Connect is sent only while the lease has at least this long left: longer than any
 * one Connect request takes, so the attempt lands before the lease can pass to another writer.
 */
export const DEFAULT_LEASE_WRITE_MARGIN_MS = 30_000;

/** A lease held by this writer. */
export interface HeldLease {
  /** The lease's key (the profile's table key, or a name such as `sweep`). */
  readonly key: string;
  /** Who holds it (unique per acquisition). */
  readonly holder: string;
  /** What the holder is (`deploy`, `sweep`, `event`): shown to writers that have to wait. */
  readonly purpose: string;
  /** Grows with every acquisition of this key. */
  readonly generation: number;
  /** When it expires unless renewed (epoch ms). */
  readonly expiresAt: number;
}

/** Who holds a lease that could not be taken. */
export interface LeaseHolder {
  readonly holder: string;
  readonly purpose: string;
  readonly expiresAt: number;
}

/** The outcome of one attempt to take a lease. */
export type AcquireResult =
  | { readonly acquired: true; readonly lease: HeldLease }
  | { readonly acquired: false; readonly heldBy: LeaseHolder };

/** A lease was lost: it expired and another writer took it, so this writer must not write. */
export class LeaseLostError extends Error {
  constructor(public readonly key: string, public readonly purpose: string, expiring = false) {
    super(expiring
      ? `the ${purpose}'s lease of ${key} is about to expire, so another writer may take it; nothing more was written`
      : `the ${purpose} lost the lease of ${key} (it expired and another writer took it); nothing was written after that`);
    this.name = 'LeaseLostError';
  }
}

/** A deploy waited for another writer's lease longer than it may. */
export class LeaseTimeoutError extends Error {
  constructor(public readonly key: string, public readonly heldBy: LeaseHolder, waitedMs: number) {
    super(`waited ${Math.round(waitedMs / 1000)} s for the ${heldBy.purpose} that holds the lease of ${key} `
      + `(expires ${new Date(heldBy.expiresAt).toISOString()}); retry the deployment`);
    this.name = 'LeaseTimeoutError';
  }
}

/** Options of `LeaseTable`. */
export interface LeaseTableOptions {
  readonly tableName: string;
  readonly client: DynamoDBClient;
  /** @default DEFAULT_LEASE_DURATION_MS */
  readonly durationMs?: number;
  /** @default DEFAULT_LEASE_WRITE_MARGIN_MS (at most a quarter of `durationMs`) */
  readonly writeMarginMs?: number;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
  /** How to wait between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Leases in the desired-state table. */
export class LeaseTable {
  public readonly durationMs: number;
  public readonly writeMarginMs: number;
  public readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: LeaseTableOptions) {
    this.durationMs = options.durationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.writeMarginMs = options.writeMarginMs ?? Math.min(DEFAULT_LEASE_WRITE_MARGIN_MS, this.durationMs / 4);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  }

  /** Take the lease when it is free or expired; never waits. */
  public async tryAcquire(key: string, purpose: string, durationMs: number = this.durationMs): Promise<AcquireResult> {
    const holder = `${purpose}:${randomUUID()}`;
    const now = this.now();
    const expiresAt = now + durationMs;
    const out = await unlessConditionFails(this.options.client.send(new UpdateItemCommand({
      TableName: this.options.tableName,
      Key: leaseKey(key),
      UpdateExpression: 'SET holder = :h, purpose = :p, expiresAt = :e, generation = if_not_exists(generation, :zero) + :one',
      ConditionExpression: 'attribute_not_exists(holder) OR expiresAt < :now',
      ExpressionAttributeValues: {
        ':h': { S: holder },
        ':p': { S: purpose },
        ':e': { N: String(expiresAt) },
        ':now': { N: String(now) },
        ':zero': { N: '0' },
        ':one': { N: '1' },
      },
      ReturnValues: 'ALL_NEW',
    })));
    if (out) return { acquired: true, lease: { key, holder, purpose, expiresAt, generation: Number(out.Attributes?.generation?.N ?? 1) } };
    const current = await this.read(key);
    // Released between our attempt and the read: the caller simply tries again.
    return { acquired: false, heldBy: current ?? { holder: '', purpose: 'writer', expiresAt: now } };
  }

  /**
   * Take the lease, waiting while another writer holds it, for at most `maxWaitMs` (default two lease
   * durations: a check never holds a lease longer).
   *
   * @throws LeaseTimeoutError when the lease is still held after `maxWaitMs`
   */
  public async acquire(key: string, purpose: string, maxWaitMs: number = 2 * this.durationMs): Promise<HeldLease> {
    const started = this.now();
    let delay = 100;
    for (;;) {
      const result = await this.tryAcquire(key, purpose);
      if (result.acquired) return result.lease;
      const waited = this.now() - started;
      if (waited >= maxWaitMs) throw new LeaseTimeoutError(key, result.heldBy, waited);
      // Wake at the holder's expiry at the latest; usually it releases much sooner.
      const untilExpiry = Math.max(1, result.heldBy.expiresAt - this.now() + 1);
      await this.sleep(Math.min(delay, untilExpiry, Math.max(1, maxWaitMs - waited)) * (0.5 + Math.random() / 2));
      delay = Math.min(delay * 2, 2000);
    }
  }

  /**
   * Extend a held lease by a full duration. Call it right before writing Connect.
   *
   * @throws LeaseLostError when another writer took the lease meanwhile
   */
  public async renew(lease: HeldLease): Promise<HeldLease> {
    const expiresAt = this.now() + this.durationMs;
    const out = await unlessConditionFails(this.options.client.send(new UpdateItemCommand({
      TableName: this.options.tableName,
      Key: leaseKey(lease.key),
      UpdateExpression: 'SET expiresAt = :e',
      ConditionExpression: 'holder = :h AND generation = :g',
      ExpressionAttributeValues: { ':e': { N: String(expiresAt) }, ':h': { S: lease.holder }, ':g': { N: String(lease.generation) } },
    })));
    if (!out) throw new LeaseLostError(lease.key, lease.purpose);
    return { ...lease, expiresAt };
  }

  /** Give the lease back (no error when it was lost meanwhile: the new holder keeps it). */
  public async release(lease: HeldLease): Promise<void> {
    await unlessConditionFails(this.options.client.send(new UpdateItemCommand({
      TableName: this.options.tableName,
      Key: leaseKey(lease.key),
      UpdateExpression: 'REMOVE holder, purpose SET expiresAt = :zero',
      ConditionExpression: 'holder = :h',
      ExpressionAttributeValues: { ':h': { S: lease.holder }, ':zero': { N: '0' } },
    })));
  }

  /** Remove the lease item of a profile that no longer exists (only when free or ours). */
  public async forget(key: string, lease?: HeldLease): Promise<void> {
    await unlessConditionFails(this.options.client.send(new DeleteItemCommand({
      TableName: this.options.tableName,
      Key: leaseKey(key),
      ConditionExpression: lease ? 'attribute_not_exists(holder) OR holder = :h' : 'attribute_not_exists(holder) OR expiresAt < :now',
      ExpressionAttributeValues: lease ? { ':h': { S: lease.holder } } : { ':now': { N: String(this.now()) } },
    })));
  }

  /**
   * Run `work` holding the lease of `key`; the lease is released however `work` ends. With `keepAlive`
   * the lease is renewed every third of its duration while `work` runs.
   */
  public async withLease<T>(
    key: string, purpose: string, work: (lease: LeaseHandle) => Promise<T>, maxWaitMs?: number, options: { keepAlive?: boolean } = {},
  ): Promise<T> {
    const handle = new LeaseHandle(this, await this.acquire(key, purpose, maxWaitMs));
    const stop = options.keepAlive ? handle.keepAlive() : () => undefined;
    try {
      return await work(handle);
    } finally {
      stop();
      await this.release(handle.current);
    }
  }

  /** Who holds a lease now; undefined when it is free. */
  public async read(key: string): Promise<LeaseHolder | undefined> {
    const out = await this.options.client.send(new GetItemCommand({
      TableName: this.options.tableName, Key: leaseKey(key), ConsistentRead: true,
    }));
    const holder = out.Item?.holder?.S;
    if (holder === undefined) return undefined;
    return { holder, purpose: out.Item?.purpose?.S ?? 'writer', expiresAt: Number(out.Item?.expiresAt?.N ?? 0) };
  }
}

/** A held lease that renews itself in place (what writers pass around). */
export class LeaseHandle {
  private lost?: LeaseLostError;
  private keptAlive = false;

  constructor(private readonly table: LeaseTable, public current: HeldLease) {}

  /** Renew before a write to Connect; throws `LeaseLostError` when the lease was lost. */
  public async beforeWrite(): Promise<void> {
    try {
      this.current = await this.table.renew(this.current);
    } catch (error) {
      if (error instanceof LeaseLostError) this.lost = error;
      throw error;
    }
  }

  /**
   * Throw `LeaseLostError` unless the lease is still ours for at least the table's write margin: the
   * guard in front of every attempt of a write to Connect. No call to the table while the margin is
   * left (nobody can take a lease before its expiry); below it, a lease kept alive is renewed at once
   * (its renewals fell behind: a slow table), and any other lease is given up.
   */
  public async ensureHeld(): Promise<void> {
    if (this.lost) throw this.lost;
    if (this.current.expiresAt - this.table.now() >= this.table.writeMarginMs) return;
    if (!this.keptAlive) throw new LeaseLostError(this.current.key, this.current.purpose, true);
    await this.beforeWrite();
  }

  /**
   * Renew the lease every third of its duration until the returned function is called. A renewal that
   * finds the lease lost stops the renewals, and `ensureHeld` throws from then on; a renewal that fails
   * otherwise (a throttled table) is tried again at the next tick.
   */
  public keepAlive(): () => void {
    this.keptAlive = true;
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.lost) return;
      busy = true;
      this.beforeWrite().catch(() => undefined).finally(() => { busy = false; });
    }, Math.max(1, Math.floor(this.table.durationMs / 3)));
    timer.unref?.();
    return () => {
      clearInterval(timer);
      this.keptAlive = false;
    };
  }
}

function leaseKey(key: string) {
  return itemKey(`${LEASE_KEY_PREFIX}${key}`);
}
