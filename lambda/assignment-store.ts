/**
 * Assignment records in the desired-state table (one table per stack, shared with the profiles' records).
 *
 * One item per assignment, keyed `#holders:<instanceId>/<securityProfileId>/<logicalResourceId>`: the
 * declaration (the resource's properties, as the template gave them), the users and AI agents the assignment
 * gave the profile (`added`, `addedAgents`: what Delete takes back and what a user leaving the selection loses),
 * and the last check. The profile sweep skips the item (its key starts with `#`).
 *
 * Writers record intent before they write Connect (the holders about to be added are recorded first, the
 * removed ones dropped after), so a writer that dies in between leaves a record that names a superset of the
 * holders it gave the profile; the next run drops the names that do not hold it.
 *
 * Only UpdateItem, GetItem, DeleteItem and Scan are used: what the handler's and the reconciler's roles hold.
 */
import {
  AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DesiredAssignment, parseAssignmentProperties, assignmentPropertiesOf } from './assignment-desired';
import { itemKey, updateExistingItem } from './dynamo-items';
import { RecordFormatError } from './stored-record';
import { ASSIGNMENT_KEY_PREFIX } from '../src/private/assignment-contract';
import { DESIRED_STATE_PARTITION_KEY } from '../src/private/contract';

/** The version `put` writes. */
export const ASSIGNMENT_RECORD_VERSION = 1;

/** The outcome of the last check of an assignment. */
export type AssignmentStatus =
  | 'IN_SYNC'
  /** Changes needed and left (detect-only mode). */
  | 'DRIFTED'
  /** Changes needed and made (remediate mode). */
  | 'REMEDIATED'
  /** More changes needed than `maxChangesPerRun`: none was made. */
  | 'HELD'
  /** The managed profile no longer exists. */
  | 'MISSING'
  /** The record is not this stack's. */
  | 'CONFLICT'
  | 'ERROR'
  /** Another writer held the profile. */
  | 'SUPERSEDED';

/** What the reconciler records about the last check. */
export interface AssignmentResult {
  readonly status: AssignmentStatus;
  /** Changes the check found needed. */
  readonly changes: number;
  readonly checkedAt: string;
  readonly error?: string;
}

/** One assignment, as written by deploys. */
export interface AssignmentRecord {
  readonly key: string;
  readonly stackId: string;
  readonly logicalResourceId: string;
  readonly desired: DesiredAssignment;
  /** User ids the assignment gave the profile (sorted). */
  readonly added: readonly string[];
  /** AI agent ARNs the assignment associated (sorted). */
  readonly addedAgents: readonly string[];
  readonly updatedAt: number;
}

/** A record as read back. */
export interface StoredAssignment extends AssignmentRecord {
  readonly lastResult?: AssignmentResult;
}

/** An assignment item that does not parse. */
export interface MalformedAssignment {
  readonly key: string;
  readonly error: RecordFormatError;
}

/** The key of an assignment's record. */
export function assignmentKey(instanceId: string, securityProfileId: string, logicalResourceId: string): string {
  return `${ASSIGNMENT_KEY_PREFIX}${instanceId}/${securityProfileId}/${logicalResourceId}`;
}

/** The assignment records of a stack's table. */
export class AssignmentStore {
  constructor(private readonly options: { readonly tableName: string; readonly client: DynamoDBClient }) {}

  public get tableName(): string {
    return this.options.tableName;
  }

  /** Record (or replace) an assignment's declaration and holders; the last check result is kept. */
  public async put(record: AssignmentRecord): Promise<void> {
    const attributes: Record<string, AttributeValue> = {
      schemaVersion: { N: String(ASSIGNMENT_RECORD_VERSION) },
      stackId: { S: record.stackId },
      logicalResourceId: { S: record.logicalResourceId },
      properties: { S: JSON.stringify(assignmentPropertiesOf(record.desired)) },
      added: { S: JSON.stringify([...record.added].sort()) },
      addedAgents: { S: JSON.stringify([...record.addedAgents].sort()) },
      updatedAt: { N: String(record.updatedAt) },
    };
    const names = Object.keys(attributes);
    await this.options.client.send(new UpdateItemCommand({
      TableName: this.options.tableName,
      Key: itemKey(record.key),
      UpdateExpression: `SET ${names.map((_n, i) => `#a${i} = :a${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:a${i}`, attributes[n]])),
    }));
  }

  /** Update only the holders of an existing record (the reconciler's repairs). False when the record is gone. */
  public async putHolders(key: string, added: readonly string[], addedAgents: readonly string[]): Promise<boolean> {
    return updateExistingItem(this.options.client, this.options.tableName, key, 'SET added = :a, addedAgents = :g', {
      ':a': { S: JSON.stringify([...added].sort()) },
      ':g': { S: JSON.stringify([...addedAgents].sort()) },
    });
  }

  /** Record a check's result. False when the record is gone (a deploy removed it meanwhile). */
  public async putResult(key: string, result: AssignmentResult): Promise<boolean> {
    return updateExistingItem(this.options.client, this.options.tableName, key, 'SET lastResult = :r', { ':r': { S: JSON.stringify(result) } });
  }

  /**
   * Read one record; undefined when absent.
   *
   * @throws RecordFormatError when the item does not parse
   */
  public async get(key: string): Promise<StoredAssignment | undefined> {
    const out = await this.options.client.send(new GetItemCommand({ TableName: this.options.tableName, Key: itemKey(key), ConsistentRead: true }));
    return out.Item ? parseAssignmentItem(out.Item) : undefined;
  }

  /** Remove a record (no error when absent). */
  public async delete(key: string): Promise<void> {
    await this.options.client.send(new DeleteItemCommand({ TableName: this.options.tableName, Key: itemKey(key) }));
  }

  /** Every assignment record of the table, each parsed or, when it does not parse, the reason. */
  public async scanAll(): Promise<Array<StoredAssignment | MalformedAssignment>> {
    const out: Array<StoredAssignment | MalformedAssignment> = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(new ScanCommand({
        TableName: this.options.tableName,
        ConsistentRead: true,
        FilterExpression: 'begins_with(#pk, :prefix)',
        ExpressionAttributeNames: { '#pk': DESIRED_STATE_PARTITION_KEY },
        ExpressionAttributeValues: { ':prefix': { S: ASSIGNMENT_KEY_PREFIX } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      for (const item of page.Items ?? []) {
        try {
          out.push(parseAssignmentItem(item));
        } catch (error) {
          if (!(error instanceof RecordFormatError)) throw error;
          out.push({ key: error.key, error });
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

/** Whether a scanned entry is a record that did not parse. */
export function isMalformedAssignment(entry: StoredAssignment | MalformedAssignment): entry is MalformedAssignment {
  return 'error' in entry && entry.error instanceof RecordFormatError;
}

/**
 * Parse one item into a record, with the handler's own validation of the properties.
 *
 * @throws RecordFormatError naming the key and the attribute that is wrong
 */
export function parseAssignmentItem(item: Record<string, AttributeValue>): StoredAssignment {
  const key = item[DESIRED_STATE_PARTITION_KEY]?.S;
  if (key === undefined || !key.startsWith(ASSIGNMENT_KEY_PREFIX)) {
    throw new RecordFormatError(key ?? '(no key)', DESIRED_STATE_PARTITION_KEY, `is not an assignment key (${ASSIGNMENT_KEY_PREFIX}...)`);
  }
  const text = (name: string): string => {
    const value = item[name]?.S;
    if (value === undefined || value === '') throw new RecordFormatError(key, name, 'is missing or not a string');
    return value;
  };
  const json = (name: string): unknown => {
    const raw = item[name];
    if (raw === undefined) return undefined;
    if (raw.S === undefined) throw new RecordFormatError(key, name, 'is not a string of JSON');
    try {
      return JSON.parse(raw.S);
    } catch (error) {
      throw new RecordFormatError(key, name, `is not valid JSON (${(error as Error).message})`);
    }
  };
  const list = (name: string): string[] => {
    const value = json(name) ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new RecordFormatError(key, name, 'is not a JSON list of strings');
    return value as string[];
  };
  const version = Number(item.schemaVersion?.N ?? NaN);
  if (version !== ASSIGNMENT_RECORD_VERSION) {
    throw new RecordFormatError(key, 'schemaVersion', `is ${item.schemaVersion?.N}; this reconciler reads version ${ASSIGNMENT_RECORD_VERSION}`);
  }
  let desired: DesiredAssignment;
  try {
    desired = parseAssignmentProperties(json('properties'));
  } catch (error) {
    throw new RecordFormatError(key, 'properties', `does not validate: ${(error as Error).message}`);
  }
  const logicalResourceId = text('logicalResourceId');
  if (key !== assignmentKey(desired.instanceId, desired.securityProfileId, logicalResourceId)) {
    throw new RecordFormatError(key, DESIRED_STATE_PARTITION_KEY, 'does not match the instance, profile and logical id of the record');
  }
  const lastResult = json('lastResult') as AssignmentResult | undefined;
  return {
    key,
    stackId: text('stackId'),
    logicalResourceId,
    desired,
    added: list('added'),
    addedAgents: list('addedAgents'),
    updatedAt: Number(item.updatedAt?.N ?? 0),
    ...(lastResult !== undefined ? { lastResult } : {}),
  };
}
