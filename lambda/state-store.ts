/**
 * The desired-state store of drift reconciliation, on DynamoDB.
 *
 * One item per managed security profile, keyed `<instanceId>/<securityProfileId>`, written only by the
 * deploy-time handler (Create/Update put it, Delete removes it). The reconciler reads the items and
 * writes only the status attributes of the items that still exist (a conditional update, so a profile
 * deleted by a deploy while a sweep runs is never written back). One extra item, `#sweep`, holds the
 * sweep cursor, so a sweep resumes where the previous invocation stopped.
 *
 * The table has one string partition key, `pk`, and nothing else (the construct in
 * src/private/provider.ts creates it on demand, with point-in-time recovery and encryption).
 * Structured values are stored as JSON strings: the store needs no marshalling library and an item
 * stays far under DynamoDB's 400 KB limit (500 permissions of 128 characters are 64 KB).
 */
import {
  AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AccessScopeRecord } from './access-scope';
import type { DesiredSecurityProfile } from './desired';
import type { DesiredStateRecord, DesiredStateStore } from './desired-state';
import { DESIRED_STATE_PARTITION_KEY, DriftModeValue } from '../src/private/contract';

export type { DesiredStateRecord, DesiredStateStore } from './desired-state';
export type { AccessScopeRecord } from './access-scope';

/** The partition key attribute of the desired-state table (the construct creates it with this name). */
export const TABLE_PARTITION_KEY = DESIRED_STATE_PARTITION_KEY;

/** The key of the item that holds the sweep cursor. It can never collide with a profile key. */
export const SWEEP_STATE_KEY = '#sweep';

/** The outcome of the last check of a profile. */
export type DriftStatus =
  /** The live profile matches the desired state. */
  | 'IN_SYNC'
  /** Drift found and left in place (detect-only mode). */
  | 'DRIFTED'
  /** Drift found and repaired (remediate mode). */
  | 'REMEDIATED'
  /** The profile no longer exists in Connect (deleted out of band); the next deploy recreates it. */
  | 'MISSING'
  /** The check failed (see `lastError`). */
  | 'ERROR'
  /**
   * The deploy-time handler rewrote (or removed) the record while the profile was being checked: a
   * deploy is under way, so the difference is left to it and to the next check.
   */
  | 'SUPERSEDED';

/** What the reconciler records about the last check of a profile. */
export interface DriftStatusRecord {
  readonly status: DriftStatus;
  /** The fields that differed (empty when in sync). */
  readonly driftFields: string[];
  /** When the check ran (ISO 8601). */
  readonly checkedAt: string;
  /** The sweep that ran the check, or `event` for a change event. */
  readonly checkedBy: string;
  /** The error message when `status` is `ERROR`. */
  readonly error?: string;
}

/** A record as read back from the table: the desired state plus what the reconciler last wrote. */
export interface StoredRecord extends DesiredStateRecord {
  /** The table key, `<instanceId>/<securityProfileId>`. */
  readonly key: string;
  readonly lastResult?: DriftStatusRecord;
  readonly accessScope?: AccessScopeRecord;
}

/** Where a sweep stands, kept between invocations. */
export interface SweepState {
  /** Identifies one sweep (the time it started, ISO 8601). */
  readonly sweepId: string;
  readonly startedAt: string;
  /** The key of the last profile the sweep finished; absent before the first. */
  readonly cursor?: string;
  /** Profiles checked so far in this sweep. */
  readonly checked: number;
  /** When the last sweep finished (ISO 8601); absent while none has. */
  readonly lastCompletedAt?: string;
  /** True while a sweep is under way (it has a cursor to resume from). */
  readonly inProgress: boolean;
}

/** One page of a scan over the records. */
export interface RecordPage {
  readonly records: StoredRecord[];
  /** The key to pass as `after` for the next page; absent on the last page. */
  readonly nextAfter?: string;
}

/** The table key of a profile. */
export function stateKey(instanceId: string, securityProfileId: string): string {
  return `${instanceId}/${securityProfileId}`;
}

/**
 * Turn what the handler may pass to `delete` into a table key.
 *
 * Accepts the key itself (`<instanceId>/<securityProfileId>`) or a security profile ARN
 * (`arn:<partition>:connect:<region>:<account>:instance/<instanceId>/security-profile/<id>`).
 */
export function keyOf(keyOrArn: string): string {
  const arn = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/([^/]+)\/security-profile\/([^/]+)$/.exec(keyOrArn);
  if (arn) return stateKey(arn[1], arn[2]);
  if (/^[^/]+\/[^/]+$/.test(keyOrArn)) return keyOrArn;
  throw new Error(`desired-state key: expected "<instanceId>/<securityProfileId>" or a security profile ARN, got "${keyOrArn}"`);
}

/** Options of `DynamoDbStateStore`. */
export interface DynamoDbStateStoreOptions {
  /** The table name (the provider sets it in `DESIRED_STATE_TABLE`). */
  readonly tableName: string;
  /** A client; default a new `DynamoDBClient` configured from the environment. */
  readonly client?: DynamoDBClient;
}

/**
 * The desired-state table.
 *
 * `put` and `delete` are what the deploy-time handler calls; the rest is for the reconciler.
 */
export class DynamoDbStateStore implements DesiredStateStore {
  /** The table name. */
  public readonly tableName: string;
  private readonly client: DynamoDBClient;

  constructor(options: DynamoDbStateStoreOptions) {
    if (!options.tableName) {
      throw new Error('desired-state store: tableName is empty; set DESIRED_STATE_TABLE to the table name');
    }
    this.tableName = options.tableName;
    this.client = options.client ?? new DynamoDBClient({});
  }

  /** Record (or replace) the desired state of a profile. The last check result is kept. */
  public async put(record: DesiredStateRecord): Promise<void> {
    const key = stateKey(record.instanceId, record.securityProfileId);
    // An update, not a put: the reconciler's status attributes of the same profile survive a deploy.
    await this.client.send(new UpdateItemCommand({
      TableName: this.tableName,
      Key: { [TABLE_PARTITION_KEY]: { S: key } },
      UpdateExpression: 'SET securityProfileArn = :a, securityProfileId = :p, instanceId = :i, ownerMark = :o, '
        + 'stackId = :s, logicalResourceId = :l, driftMode = :m, accessScopeReport = :r, desired = :d, updatedAt = :u',
      ExpressionAttributeValues: {
        ':a': { S: record.securityProfileArn },
        ':p': { S: record.securityProfileId },
        ':i': { S: record.instanceId },
        ':o': { S: record.ownerMark },
        ':s': { S: record.stackId },
        ':l': { S: record.logicalResourceId },
        ':m': { S: record.driftMode },
        ':r': { BOOL: record.accessScopeReport },
        ':d': { S: JSON.stringify(record.desired) },
        ':u': { N: String(record.updatedAt) },
      },
    }));
  }

  /** Remove the record of a profile (by key or ARN). Removing a missing record succeeds. */
  public async delete(keyOrArn: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { [TABLE_PARTITION_KEY]: { S: keyOf(keyOrArn) } },
    }));
  }

  /** Read one record (by key or ARN); undefined when the profile is not managed here. */
  public async get(keyOrArn: string): Promise<StoredRecord | undefined> {
    const out = await this.client.send(new GetItemCommand({
      TableName: this.tableName,
      Key: { [TABLE_PARTITION_KEY]: { S: keyOf(keyOrArn) } },
      ConsistentRead: true,
    }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  /**
   * Read one page of records in the table's scan order, starting after the record `after`.
   *
   * The scan order is stable for a given set of keys, so a key is a valid cursor across invocations:
   * records added behind the cursor wait for the next sweep, records removed are simply not read.
   */
  public async scan(after: string | undefined, limit: number): Promise<RecordPage> {
    const out = await this.client.send(new ScanCommand({
      TableName: this.tableName,
      Limit: limit,
      ConsistentRead: true,
      ...(after !== undefined ? { ExclusiveStartKey: { [TABLE_PARTITION_KEY]: { S: after } } } : {}),
    }));
    const records = (out.Items ?? [])
      .filter(item => item[TABLE_PARTITION_KEY]?.S !== SWEEP_STATE_KEY)
      .map(toRecord);
    const nextAfter = out.LastEvaluatedKey?.[TABLE_PARTITION_KEY]?.S;
    return { records, nextAfter };
  }

  /**
   * Record the result of a check. Returns false (and writes nothing) when the record is gone:
   * the deploy-time handler deleted it meanwhile.
   */
  public async putResult(key: string, result: DriftStatusRecord, accessScope?: AccessScopeRecord): Promise<boolean> {
    const values: Record<string, AttributeValue> = { ':r': { S: JSON.stringify(result) } };
    let expression = 'SET lastResult = :r';
    if (accessScope !== undefined) {
      expression += ', accessScope = :s';
      values[':s'] = { S: JSON.stringify(accessScope) };
    }
    try {
      await this.client.send(new UpdateItemCommand({
        TableName: this.tableName,
        Key: { [TABLE_PARTITION_KEY]: { S: key } },
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_PARTITION_KEY },
        ExpressionAttributeValues: values,
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Read where the sweep stands (a fresh state when no sweep ever ran). */
  public async getSweepState(): Promise<SweepState> {
    const out = await this.client.send(new GetItemCommand({
      TableName: this.tableName,
      Key: { [TABLE_PARTITION_KEY]: { S: SWEEP_STATE_KEY } },
      ConsistentRead: true,
    }));
    const raw = out.Item?.state?.S;
    if (raw === undefined) return { sweepId: '', startedAt: '', checked: 0, inProgress: false };
    return JSON.parse(raw) as SweepState;
  }

  /** Save where the sweep stands. */
  public async putSweepState(state: SweepState): Promise<void> {
    await this.client.send(new PutItemCommand({
      TableName: this.tableName,
      Item: { [TABLE_PARTITION_KEY]: { S: SWEEP_STATE_KEY }, state: { S: JSON.stringify(state) } },
    }));
  }
}

/**
 * Create the desired-state table with the schema the construct deploys (for local servers and tests).
 */
export async function createDesiredStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: TABLE_PARTITION_KEY, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: TABLE_PARTITION_KEY, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
}

function toRecord(item: Record<string, AttributeValue>): StoredRecord {
  const text = (name: string): string => item[name]?.S ?? '';
  const json = <T>(name: string): T | undefined => {
    const raw = item[name]?.S;
    return raw === undefined ? undefined : JSON.parse(raw) as T;
  };
  return {
    key: text(TABLE_PARTITION_KEY),
    securityProfileArn: text('securityProfileArn'),
    securityProfileId: text('securityProfileId'),
    instanceId: text('instanceId'),
    ownerMark: text('ownerMark'),
    stackId: text('stackId'),
    logicalResourceId: text('logicalResourceId'),
    driftMode: (text('driftMode') || 'DISABLED') as DriftModeValue,
    accessScopeReport: item.accessScopeReport?.BOOL ?? true,
    desired: json<DesiredSecurityProfile>('desired') as DesiredSecurityProfile,
    updatedAt: Number(item.updatedAt?.N ?? 0),
    lastResult: json<DriftStatusRecord>('lastResult'),
    accessScope: json<AccessScopeRecord>('accessScope'),
  };
}
