/**
 * Reverts: a writer that applies a desired state older than the newest one deployed.
 *
 * Connect writes come from the emulator's request log (applied ones: answered 200, or applied with the
 * response lost), record writes from the DynamoDB proxy's journal, which notes the request log's length
 * when each record committed, so both fall in one order. A write by one of `writers` to a profile is a
 * revert when a value it sets differs from the newest record of that profile at that moment: an
 * `UpdateSecurityProfile` field, a tag `TagResource` sets (the owner tag must be the record's mark), a
 * key `UntagResource` removes that the record declares. Once the record is removed, a write by one of
 * `checkers` (the reconciler: the deploy that removed it may still delete or release the profile) is one
 * too. Writes before a profile's first record are not judged (a Create has nothing older to revert to).
 */
import type { RecordWrite } from './dynamo-proxy';
import { createInput } from '../../lambda/apply';
import type { SecurityProfileState } from '../../lambda/profile-state';
import type { RequestLogEntry } from '../../local/connect-emulator';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const WRITES = ['UpdateSecurityProfile', 'TagResource', 'UntagResource'];

/** Who wrote what, for the report. */
export interface Revert {
  readonly index: number;
  readonly operation: string;
  readonly caller?: string;
  readonly key: string;
  readonly reason: string;
}

/** Options of `findReverts`. */
export interface RevertOptions {
  /** Access key ids of the writers judged (deploys and checks). */
  readonly writers: readonly string[];
  /** Of those, the reconciler's: they must not write a profile whose record is gone. */
  readonly checkers: readonly string[];
  /** Judge the writes from this index of the log on (earlier ones still order the records). @default 0 */
  readonly from?: number;
}

/** Every revert in the log (empty when none). */
export function findReverts(log: readonly RequestLogEntry[], journal: readonly RecordWrite[], options: RevertOptions): Revert[] {
  const out: Revert[] = [];
  log.forEach((entry, index) => {
    if (index < (options.from ?? 0) || !WRITES.includes(entry.operation) || !options.writers.includes(entry.caller ?? '')) return;
    if (entry.status !== 200 && entry.errorType !== 'ResponseLost') return;
    const input = entry.input as Record<string, any>;
    const key = profileKeyOf(input);
    if (!key) return;
    const newest = [...journal].reverse().find((r) => r.key === key && r.connectLogIndex <= index);
    if (!newest) return;
    const revert = (reason: string) => out.push({ index, operation: entry.operation, caller: entry.caller, key, reason });
    if (!newest.desired) {
      if (options.checkers.includes(entry.caller ?? '')) revert('written after its record was removed');
      return;
    }
    for (const reason of differences(entry.operation, input, newest.desired)) revert(reason);
  });
  return out;
}

/** A readable list of reverts. */
export function describeReverts(reverts: readonly Revert[]): string {
  return reverts.map((r) => `#${r.index} ${r.operation} by ${r.caller} to ${r.key}: ${r.reason}`).join('\n');
}

/** The table key (`<instanceId>/<securityProfileId>`) of the profile a Connect write is about. */
export function profileKeyOf(input: Record<string, any>): string | undefined {
  if (typeof input.resourceArn === 'string') {
    const m = /:instance\/([^/]+)\/security-profile\/([^/]+)$/.exec(input.resourceArn);
    return m ? `${m[1]}/${m[2]}` : undefined;
  }
  if (typeof input.InstanceId === 'string' && typeof input.SecurityProfileId === 'string') {
    return `${input.InstanceId.slice(input.InstanceId.lastIndexOf('/') + 1)}/${input.SecurityProfileId.slice(input.SecurityProfileId.lastIndexOf('/') + 1)}`;
  }
  return undefined;
}

function differences(operation: string, input: Record<string, any>, desired: SecurityProfileState): string[] {
  const out: string[] = [];
  // the record's tags carry its owner mark
  const tags = desired.Tags as Record<string, string>;
  if (operation === 'UpdateSecurityProfile') {
    const expected = createInput(desired) as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(input)) {
      if (field === 'InstanceId' || field === 'SecurityProfileId') continue;
      const want = normalize(field, expected[field]);
      const got = normalize(field, value);
      if (want !== got) out.push(`${field} set to ${got}, the newest record has ${want}`);
    }
  } else if (operation === 'TagResource') {
    for (const [k, v] of Object.entries(input.tags as Record<string, string>)) {
      const want = tags[k];
      if (v !== want) out.push(`tag ${k} set to ${JSON.stringify(v)}, the newest record has ${JSON.stringify(want)}`);
    }
  } else {
    for (const k of input.tagKeys as string[]) {
      if (k === OWNER_TAG_KEY || k in tags) out.push(`tag ${k} removed, the newest record declares it`);
    }
  }
  return out;
}

/** One text per value, whatever the order of sets and of keys, and with empty meaning absent. */
function normalize(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return 'none';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    const items = value.map((v) => {
      if (field !== 'Applications' || typeof v !== 'object') return canonical(v);
      const app = v as { Namespace: string; ApplicationPermissions?: string[]; Type?: string };
      return canonical({ Namespace: app.Namespace, ApplicationPermissions: [...(app.ApplicationPermissions ?? [])].sort(), Type: app.Type ?? 'THIRD_PARTY_APPLICATION' });
    });
    return `[${items.sort().join(',')}]`;
  }
  if (typeof value === 'object' && Object.keys(value as object).length === 0) return 'none';
  return canonical(value);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
