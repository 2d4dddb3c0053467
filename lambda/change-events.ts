/**
 * The change-event path of drift reconciliation: an EventBridge "AWS API Call via CloudTrail" event
 * for a Connect call reconciles the one profile it is about, with the same check as the sweep.
 */
import { checkAndRecord, isChecked, ProfileOutcome, ReconcilerDeps } from './check-profile';
import { RecordFormatError, stateKey } from './state-table';
import type { StoredRecord } from './stored-record';
import { parseInstanceArn, parseSecurityProfileArn, roleIdentityOfArn } from '../src/private/arns';
import { CHANGE_EVENT_NAMES } from '../src/private/change-event-names';

/** An EventBridge event ("AWS API Call via CloudTrail") for a Connect call. */
export interface ConnectChangeEvent {
  readonly 'detail-type'?: string;
  readonly 'source'?: string;
  readonly 'account'?: string;
  readonly 'region'?: string;
  readonly 'detail'?: {
    readonly eventSource?: string;
    readonly eventName?: string;
    readonly errorCode?: string;
    readonly userIdentity?: CloudTrailUserIdentity;
    readonly requestParameters?: Record<string, unknown> | null;
  };
}

/** The `userIdentity` of a CloudTrail record (the members used here). */
export interface CloudTrailUserIdentity {
  readonly type?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly sessionContext?: { readonly sessionIssuer?: { readonly type?: string; readonly arn?: string; readonly userName?: string } };
}

/** Why a change event was not acted on. */
export type IgnoredReason =
  | 'not-a-security-profile-change'
  | 'failed-call'
  | 'own-role'
  | 'not-managed'
  | 'disabled';

/** What the change-event path did. */
export type ChangeEventResult =
  | { readonly handled: true; readonly outcome: ProfileOutcome }
  | { readonly handled: false; readonly reason: IgnoredReason };

/** Whether an event is a CloudTrail change event (as opposed to a scheduled sweep). */
export function isChangeEvent(event: unknown): event is ConnectChangeEvent {
  return typeof event === 'object' && event !== null
    && (event as ConnectChangeEvent)['detail-type'] === 'AWS API Call via CloudTrail';
}

/**
 * The security profile a change event is about: from `InstanceId` and `SecurityProfileId`
 * (UpdateSecurityProfile, DeleteSecurityProfile) or from the resource ARN (TagResource, UntagResource).
 * Keys are matched without regard to case; an instance ARN is reduced to its id.
 */
export function profileOfChangeEvent(event: ConnectChangeEvent): { instanceId: string; securityProfileId: string } | undefined {
  const params = event.detail?.requestParameters ?? {};
  const get = (name: string): string | undefined => {
    const found = Object.entries(params).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return typeof found?.[1] === 'string' ? found[1] : undefined;
  };
  const resourceArn = get('resourceArn');
  if (resourceArn !== undefined) {
    const arn = parseSecurityProfileArn(resourceArn);
    return arn ? { instanceId: arn.instanceId, securityProfileId: arn.securityProfileId } : undefined;
  }
  const instance = get('InstanceId');
  const profile = get('SecurityProfileId');
  if (instance === undefined || profile === undefined) return undefined;
  return { instanceId: parseInstanceArn(instance)?.instanceId ?? instance, securityProfileId: profile };
}

/**
 * Whether the caller of a CloudTrail event is one of our own roles (the handler's or the reconciler's).
 *
 * Matches the session issuer's role ARN exactly, or the role name and account of an assumed-role ARN
 * (`arn:<partition>:sts::<account>:assumed-role/<name>/<session>`, which drops the role's path).
 */
export function isOwnCaller(identity: CloudTrailUserIdentity | undefined, ownRoleArns: readonly string[]): boolean {
  if (!identity || ownRoleArns.length === 0) return false;
  const issuer = identity.sessionContext?.sessionIssuer?.arn;
  if (issuer !== undefined && ownRoleArns.includes(issuer)) return true;
  const caller = roleIdentityOfArn(identity.arn);
  if (!caller) return false;
  return ownRoleArns.some((roleArn) => {
    const role = roleIdentityOfArn(roleArn);
    return role !== undefined && role.account === caller.account && role.roleName === caller.roleName;
  });
}

/**
 * Reconcile the one profile a change event is about.
 *
 * Ignores failed calls, calls made by our own roles (so a repair never triggers another check), and
 * profiles this stack does not manage or does not check.
 */
export async function reconcileChangeEvent(
  deps: ReconcilerDeps,
  event: ConnectChangeEvent,
  ownRoleArns: readonly string[],
): Promise<ChangeEventResult> {
  const detail = event.detail ?? {};
  const eventName = detail.eventName ?? '';
  const ignore = (reason: IgnoredReason): ChangeEventResult => {
    deps.logger.debug('change event ignored', { eventName, reason });
    return { handled: false, reason };
  };
  if (!(CHANGE_EVENT_NAMES as readonly string[]).includes(eventName)) return ignore('not-a-security-profile-change');
  if (detail.errorCode) return ignore('failed-call');
  if (isOwnCaller(detail.userIdentity, ownRoleArns)) return ignore('own-role');
  const ref = profileOfChangeEvent(event);
  if (!ref) return ignore('not-a-security-profile-change');
  const key = stateKey(ref.instanceId, ref.securityProfileId);
  let record: StoredRecord | undefined;
  try {
    record = await deps.store.get(key);
  } catch (error) {
    if (!(error instanceof RecordFormatError)) throw error;
    try {
      return { handled: true, outcome: await checkAndRecord(deps, { key, error }, 'event') };
    } finally {
      deps.metrics.flush();
    }
  }
  if (!record) return ignore('not-managed');
  if (!isChecked(record)) return ignore('disabled');
  deps.logger.info('change event', {
    eventName,
    caller: detail.userIdentity?.sessionContext?.sessionIssuer?.arn ?? detail.userIdentity?.arn,
    securityProfileArn: record.securityProfileArn,
  });
  try {
    return { handled: true, outcome: await checkAndRecord(deps, record, 'event') };
  } finally {
    deps.metrics.flush();
  }
}
