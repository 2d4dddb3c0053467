/**
 * The format of a desired-state record in the table, and its one parser.
 *
 * A record is whatever the table holds under a profile key, so it is parsed as untrusted input: the
 * desired state goes through `parseProperties`, the same validation the handler applies to a
 * template's properties, and every other attribute is checked for its type. A record that does not
 * parse is an error of that record alone (the sweep reports it and goes on).
 *
 * Versions:
 * - 2 (`schemaVersion` = 2): `properties` holds the resource properties as the template declared them
 *   (the wire contract), and `generation` counts the deploys that wrote the record.
 * - 1 (no `schemaVersion`): `desired` holds the parsed desired state as JSON. Still read, with
 *   `parseDesiredRecord`: the same per-field validation, on the desired state's own field names.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AccessScopeRecord } from './access-scope';
import { declaredTags, SecurityProfileRef, SecurityProfileState, withOwnerMark } from './profile-state';
import { parseDesiredRecord, parseProperties } from './properties';
import { DESIRED_STATE_PARTITION_KEY, DriftModeValue, PROP } from '../src/private/contract';

/** One managed security profile as a deploy records it, and as the reconciler needs it. */
export interface DesiredStateRecord {
  /** The security profile ARN (the physical resource id). */
  readonly securityProfileArn: string;
  /** The security profile id. */
  readonly securityProfileId: string;
  /** The instance id. */
  readonly instanceId: string;
  /** The owner mark on the profile (value of `OWNER_TAG_KEY`). */
  readonly ownerMark: string;
  /** The stack that manages the profile. */
  readonly stackId: string;
  /** The logical id of the resource in that stack. */
  readonly logicalResourceId: string;
  /** `REMEDIATE` or `DETECT_ONLY`. */
  readonly driftMode: DriftModeValue;
  /** The desired state (`plan`'s first argument), its tags with the owner mark. */
  readonly desired: SecurityProfileState;
  /** When the handler wrote the record (epoch ms). */
  readonly updatedAt: number;
}

/** The version `put` writes. */
export const RECORD_SCHEMA_VERSION = 2;

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
  /** The profile's instance no longer exists: the profile cannot be checked or recreated there. */
  | 'INSTANCE_MISSING'
  /** The hierarchy group the profile restricts access to no longer exists. */
  | 'GROUP_MISSING'
  /** Created moments ago and not visible to reads yet (Connect is eventually consistent). */
  | 'PENDING'
  /** The live owner tag or the record's stack is not this resource's: nothing was written. */
  | 'CONFLICT'
  /** The check failed, or the record does not parse (see `error`). */
  | 'ERROR'
  /**
   * A deploy holds the profile or rewrote (or removed) its record during the check: the difference is
   * left to the deploy and to the next check.
   */
  | 'SUPERSEDED';

/** Every status, in the order reports list them. */
export const DRIFT_STATUSES: readonly DriftStatus[] = [
  'IN_SYNC', 'DRIFTED', 'REMEDIATED', 'MISSING', 'INSTANCE_MISSING', 'GROUP_MISSING', 'PENDING', 'CONFLICT', 'ERROR', 'SUPERSEDED',
];

/** What the reconciler records about the last check of a profile. */
export interface DriftStatusRecord {
  readonly status: DriftStatus;
  /** The fields that differed (empty when in sync). */
  readonly driftFields: string[];
  /** When the check ran (ISO 8601). */
  readonly checkedAt: string;
  /** The sweep that ran the check, or `event` for a change event. */
  readonly checkedBy: string;
  /** The reason when `status` is `ERROR`, `CONFLICT` or a missing reference. */
  readonly error?: string;
}

/** A record as read back from the table: the desired state plus what the reconciler last wrote. */
export interface StoredRecord extends DesiredStateRecord {
  /** The table key, `<instanceId>/<securityProfileId>`. */
  readonly key: string;
  /** 1 or 2. */
  readonly schemaVersion: number;
  /** Deploys that wrote this record (0 for version 1 records). */
  readonly generation: number;
  readonly lastResult?: DriftStatusRecord;
  readonly accessScope?: AccessScopeRecord;
}

/** A record that does not parse: the key (when the item has one) and why. */
export class RecordFormatError extends Error {
  constructor(public readonly key: string, public readonly attribute: string, reason: string) {
    super(`desired-state record "${key}": attribute ${attribute} ${reason}`);
    this.name = 'RecordFormatError';
  }
}

/** The attributes of a record that are written by deploys (the rest is the reconciler's). */
export function recordAttributes(record: DesiredStateRecord, properties: Record<string, unknown>): Record<string, AttributeValue> {
  return {
    schemaVersion: { N: String(RECORD_SCHEMA_VERSION) },
    securityProfileArn: { S: record.securityProfileArn },
    securityProfileId: { S: record.securityProfileId },
    instanceId: { S: record.instanceId },
    ownerMark: { S: record.ownerMark },
    stackId: { S: record.stackId },
    logicalResourceId: { S: record.logicalResourceId },
    driftMode: { S: record.driftMode },
    properties: { S: JSON.stringify(properties) },
    updatedAt: { N: String(record.updatedAt) },
  };
}

/**
 * The resource properties of a desired state (what version 2 stores): its members are the property keys,
 * so this only leaves out what is no property (the instance id, the owner mark) and adds the drift mode.
 */
export function propertiesOf(desired: SecurityProfileState, record: Pick<DesiredStateRecord, 'driftMode'>): Record<string, unknown> {
  const { InstanceId: _instanceId, ...declared } = desired;
  return { ...declared, [PROP.tags]: declaredTags(desired), [PROP.driftMode]: record.driftMode };
}

/** The profile a record is about. */
export function refOf(record: DesiredStateRecord): SecurityProfileRef {
  return {
    instanceArn: record.desired.InstanceArn,
    instanceId: record.instanceId,
    securityProfileArn: record.securityProfileArn,
    securityProfileId: record.securityProfileId,
  };
}

/**
 * Parse one item of the table into a record.
 *
 * @throws RecordFormatError naming the key and the attribute that is wrong
 */
export function parseStoredRecord(item: Record<string, AttributeValue>): StoredRecord {
  const key = item[DESIRED_STATE_PARTITION_KEY]?.S;
  if (key === undefined) throw new RecordFormatError('(no key)', DESIRED_STATE_PARTITION_KEY, 'is missing or not a string');
  const text = (name: string): string => {
    const value = item[name]?.S;
    if (value === undefined || value === '') throw new RecordFormatError(key, name, 'is missing or not a string');
    return value;
  };
  const json = <T>(name: string): T | undefined => {
    const raw = item[name];
    if (raw === undefined) return undefined;
    if (raw.S === undefined) throw new RecordFormatError(key, name, 'is not a string of JSON');
    try {
      return JSON.parse(raw.S) as T;
    } catch (error) {
      throw new RecordFormatError(key, name, `is not valid JSON (${(error as Error).message})`);
    }
  };

  const versionText = item.schemaVersion?.N;
  const schemaVersion = versionText === undefined ? 1 : Number(versionText);
  if (schemaVersion !== 1 && schemaVersion !== RECORD_SCHEMA_VERSION) {
    throw new RecordFormatError(key, 'schemaVersion', `is ${versionText}; this reconciler reads versions 1 and ${RECORD_SCHEMA_VERSION}`);
  }

  const securityProfileId = text('securityProfileId');
  const instanceId = text('instanceId');
  if (key !== `${instanceId}/${securityProfileId}`) {
    throw new RecordFormatError(key, DESIRED_STATE_PARTITION_KEY, `does not match instanceId/securityProfileId ("${instanceId}/${securityProfileId}")`);
  }
  const securityProfileArn = text('securityProfileArn');
  if (!securityProfileArn.endsWith(`:instance/${instanceId}/security-profile/${securityProfileId}`)) {
    throw new RecordFormatError(key, 'securityProfileArn', `("${securityProfileArn}") is not the ARN of ${key}`);
  }
  const driftMode = text('driftMode') as DriftModeValue;
  if (!['REMEDIATE', 'DETECT_ONLY', 'DISABLED'].includes(driftMode)) {
    throw new RecordFormatError(key, 'driftMode', `is "${driftMode}"; expected REMEDIATE, DETECT_ONLY or DISABLED`);
  }
  // an `accessScopeReport` attribute of older records is ignored: the report is switched per stack
  // (SecurityProfileSettings.accessScopeReport)

  let desired: SecurityProfileState;
  try {
    desired = schemaVersion === 1
      ? parseDesiredRecord(requireObject(key, 'desired', json<unknown>('desired')))
      : parseProperties(requireObject(key, 'properties', json<unknown>('properties'))).profile;
  } catch (error) {
    if (error instanceof RecordFormatError) throw error;
    throw new RecordFormatError(key, schemaVersion === 1 ? 'desired' : 'properties', `does not validate: ${(error as Error).message}`);
  }
  if (desired.InstanceId !== instanceId) {
    throw new RecordFormatError(key, 'properties', `name instance ${desired.InstanceId}, not ${instanceId}`);
  }
  const ownerMark = text('ownerMark');
  return {
    key,
    schemaVersion,
    generation: Number(item.generation?.N ?? 0),
    securityProfileArn,
    securityProfileId,
    instanceId,
    ownerMark,
    stackId: text('stackId'),
    logicalResourceId: text('logicalResourceId'),
    driftMode,
    desired: withOwnerMark(desired, ownerMark),
    updatedAt: Number(item.updatedAt?.N ?? 0),
    lastResult: json<DriftStatusRecord>('lastResult'),
    accessScope: json<AccessScopeRecord>('accessScope'),
  };
}

function requireObject(key: string, attribute: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordFormatError(key, attribute, 'is missing or not a JSON object');
  }
  return value as Record<string, unknown>;
}
