/**
 * The desired-state store of drift reconciliation, on DynamoDB.
 *
 * One item per managed security profile, keyed `<instanceId>/<securityProfileId>`, written only by the
 * deploy-time handler (Create/Update put it, Delete removes it); its format and parser are in
 * stored-record.ts. The reconciler reads the items and writes only the status attributes of the items
 * that still exist (a conditional update, so a profile deleted by a deploy while a sweep runs is never
 * written back). Items whose key starts with `#` are not profiles: `#sweep` holds the sweep cursor (so
 * a sweep resumes where the previous invocation stopped) and `#lease:<key>` the writers' leases
 * (lease.ts).
 *
 * The table has one string partition key, `pk`, and nothing else (the construct in
 * src/private/provider.ts creates it on demand, with point-in-time recovery and encryption).
 * Structured values are stored as JSON strings: the store needs no marshalling library and an item
 * stays far under DynamoDB's 400 KB limit (500 permissions of 128 characters are 64 KB).
 */
import {
  AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AccessScopeRecord } from './access-scope';
import { itemKey, updateExistingItem } from './dynamo-items';
import { parseStoredRecord, propertiesOf, RecordFormatError, recordAttributes } from './stored-record';
import type { DesiredStateRecord, DriftStatusRecord, StoredRecord } from './stored-record';
import { parseSecurityProfileArn } from '../src/private/arns';
import { DESIRED_STATE_PARTITION_KEY } from '../src/private/contract';

export type { AccessScopeRecord } from './access-scope';
export type { DesiredStateRecord, DriftStatus, DriftStatusRecord, StoredRecord } from './stored-record';
export { RecordFormatError } from './stored-record';

/**
 * What the deploy-time handler needs of the table: it writes a record on Create and Update when
 * `DriftMode` is not `DISABLED`, removes it when drift is turned off, and removes it on Delete.
 */
export interface DesiredStateStore {
  /** Create or replace the record of `record.securityProfileArn`. */
  put(record: DesiredStateRecord): Promise<void>;
  /** Remove the record of a security profile ARN (no error when absent). */
  delete(securityProfileArn: string): Promise<void>;
}

/** The partition key attribute of the desired-state table (the construct creates it with this name). */
export const TABLE_PARTITION_KEY = DESIRED_STATE_PARTITION_KEY;

/** The key of the item that holds the sweep cursor. It can never collide with a profile key. */
export const SWEEP_STATE_KEY = '#sweep';

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

/** An item under a profile key that does not parse as a record. */
export interface MalformedRecord {
  readonly key: string;
  readonly error: RecordFormatError;
}

/** One page of a scan over the records. */
export interface RecordPage {
  /** The records in scan order, each parsed or, when it does not parse, the reason. */
  readonly records: Array<StoredRecord | MalformedRecord>;
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
  const arn = parseSecurityProfileArn(keyOrArn);
  if (arn) return stateKey(arn.instanceId, arn.securityProfileId);
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

  /**
   * Record (or replace) the desired state of a profile and count the deploy in `generation`.
   * The last check result is kept.
   */
  public async put(record: DesiredStateRecord): Promise<void> {
    const key = stateKey(record.instanceId, record.securityProfileId);
    const attributes = recordAttributes(record, propertiesOf(record.desired, record));
    const names = Object.keys(attributes);
    // An update, not a put: the reconciler's status attributes of the same profile survive a deploy.
    await this.client.send(new UpdateItemCommand({
      TableName: this.tableName,
      Key: itemKey(key),
      UpdateExpression: `SET ${names.map((_n, i) => `#a${i} = :a${i}`).join(', ')}, generation = if_not_exists(generation, :zero) + :one `
        + 'REMOVE desired',
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((n, i) => [`:a${i}`, attributes[n]])),
        ':zero': { N: '0' },
        ':one': { N: '1' },
      },
    }));
  }

  /** Remove the record of a profile (by key or ARN). Removing a missing record succeeds. */
  public async delete(keyOrArn: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: itemKey(keyOf(keyOrArn)),
    }));
  }

  /**
   * Read one record (by key or ARN); undefined when the profile is not managed here.
   *
   * @throws RecordFormatError when the item does not parse
   */
  public async get(keyOrArn: string): Promise<StoredRecord | undefined> {
    const out = await this.client.send(new GetItemCommand({
      TableName: this.tableName,
      Key: itemKey(keyOf(keyOrArn)),
      ConsistentRead: true,
    }));
    return out.Item ? parseStoredRecord(out.Item) : undefined;
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
      ...(after !== undefined ? { ExclusiveStartKey: itemKey(after) } : {}),
    }));
    const records = (out.Items ?? [])
      .filter((item) => !(item[TABLE_PARTITION_KEY]?.S ?? '').startsWith('#'))
      .map(parseOrReport);
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
    return updateExistingItem(this.client, this.tableName, key, expression, values);
  }

  /**
   * Read where the sweep stands: a fresh state when no sweep ever ran, and when the item does not parse
   * (then `error` says why, and the caller reports it: a corrupt cursor must not stop every sweep).
   */
  public async getSweepState(): Promise<SweepState & { readonly error?: string }> {
    const out = await this.client.send(new GetItemCommand({
      TableName: this.tableName,
      Key: itemKey(SWEEP_STATE_KEY),
      ConsistentRead: true,
    }));
    const fresh: SweepState = { sweepId: '', startedAt: '', checked: 0, inProgress: false };
    if (out.Item === undefined) return fresh;
    const error = (reason: string) => ({ ...fresh, error: `the sweep cursor item ${SWEEP_STATE_KEY} ${reason}; starting a new sweep` });
    const raw = out.Item.state?.S;
    if (raw === undefined) return error('has no state attribute');
    let state: unknown;
    try {
      state = JSON.parse(raw);
    } catch (e) {
      return error(`is not valid JSON (${(e as Error).message})`);
    }
    const s = state as Partial<SweepState>;
    if (typeof s !== 'object' || s === null || typeof s.sweepId !== 'string' || typeof s.startedAt !== 'string'
      || typeof s.checked !== 'number' || typeof s.inProgress !== 'boolean'
      || (s.cursor !== undefined && typeof s.cursor !== 'string')
      || (s.lastCompletedAt !== undefined && typeof s.lastCompletedAt !== 'string')) {
      return error(`does not have the shape of a sweep state (${raw.slice(0, 200)})`);
    }
    return s as SweepState;
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

function parseOrReport(item: Record<string, AttributeValue>): StoredRecord | MalformedRecord {
  try {
    return parseStoredRecord(item);
  } catch (error) {
    if (!(error instanceof RecordFormatError)) throw error;
    return { key: error.key, error };
  }
}

/** Whether a scanned entry is a record that did not parse. */
export function isMalformed(entry: StoredRecord | MalformedRecord): entry is MalformedRecord {
  return 'error' in entry && entry.error instanceof RecordFormatError;
}
