/**
 * Drift reconciliation between deploys: the scheduled sweep and the change-event path.
 *
 * Both read the desired state the deploy-time handler recorded (lambda/state-store.ts), observe the
 * live profile through the same rate-limited `ConnectApi`, decide with the same pure `plan()` and, in
 * remediate mode, send the same calls with the same `applyPlan()`. Detect-only mode plans and reports
 * and never calls `applyPlan()`. A profile deleted out of band is reported missing (metric and log),
 * never recreated here: the next deploy that updates it recreates it.
 *
 * The sweep keeps a time budget and a cursor in the table: an invocation stops starting checks when
 * the slowest check so far would overrun the budget, saves the key of the last profile it finished,
 * and the next invocation resumes after it. A sweep in progress is always resumed before a new one
 * starts, so a sweep checks every profile exactly once (an invocation killed mid-way, which the budget
 * is there to prevent, repeats at most the checks since the last save).
 */
import { computeAccessScope } from './access-scope';
import { applyPlan } from './apply';
import type { ConnectApi } from './connect-api';
import type { DesiredSecurityProfile } from './desired';
import { describeError } from './errors';
import type { HandlerLogger } from './logger';
import type { ReconcilerMetrics } from './metrics';
import { observeProfile, ObservedSecurityProfile } from './observe';
import { plan } from './plan';
import type { AccessScopeRecord, DriftStatus, DriftStatusRecord, DynamoDbStateStore, StoredRecord, SweepState } from './state-store';
import { stateKey } from './state-store';
import { DriftModeValue, OWNER_TAG_KEY } from '../src/private/contract';

/** What the reconciler works with. */
export interface ReconcilerDeps {
  /** The desired-state table. */
  readonly store: DynamoDbStateStore;
  /** The gateway to Connect. */
  readonly api: ConnectApi;
  /** Where counts go. */
  readonly metrics: ReconcilerMetrics;
  /** Structured logs. */
  readonly logger: HandlerLogger;
  /**
   * Report the users in scope of hierarchy-restricted profiles (`UsersInScope`, entered and left users)
   * with `computeAccessScope`. Each report costs SearchUsers calls.
   *
   * @default true
   */
  readonly reportAccessScope?: boolean;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
}

/** The outcome of one profile's check. */
export interface ProfileOutcome {
  /** The table key. */
  readonly key: string;
  readonly securityProfileArn: string;
  readonly status: DriftStatus;
  /** The Connect member names that differed, sorted. */
  readonly driftFields: string[];
  /** The calls sent to repair it (remediate mode). */
  readonly actions: string[];
  readonly error?: string;
}

/** Options of `runSweep`. */
export interface SweepOptions {
  /** Stop starting checks when the slowest check so far would end past this many ms from the start. */
  readonly budgetMs: number;
  /**
   * Records read from the table per scan page.
   *
   * @default 25
   */
  readonly pageSize?: number;
}

/** The sweep saves its cursor after this many profiles (and whenever it pauses or completes). */
export const CURSOR_SAVE_EVERY = 10;

/** What one sweep invocation did. */
export interface SweepReport {
  /** The sweep this invocation worked on. */
  readonly sweepId: string;
  /** True when the sweep reached the last profile; false when it stopped for the budget. */
  readonly complete: boolean;
  /** Profiles checked by this invocation, in order. */
  readonly outcomes: ProfileOutcome[];
  /** Profiles checked by the whole sweep so far. */
  readonly sweepChecked: number;
}

/**
 * Run (or resume) a sweep over every managed profile, within a time budget.
 */
export async function runSweep(deps: ReconcilerDeps, options: SweepOptions): Promise<SweepReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const deadline = started + options.budgetMs;
  const pageSize = options.pageSize ?? 25;

  const saved = await deps.store.getSweepState();
  let state: SweepState = saved.inProgress ? saved : {
    sweepId: new Date(started).toISOString(),
    startedAt: new Date(started).toISOString(),
    checked: 0,
    inProgress: true,
    ...(saved.lastCompletedAt !== undefined ? { lastCompletedAt: saved.lastCompletedAt } : {}),
  };
  deps.logger.info(saved.inProgress ? 'sweep resumed' : 'sweep started', {
    sweepId: state.sweepId, checkedSoFar: state.checked, budgetMs: options.budgetMs,
  });

  // A new sweep is saved at once: an invocation that ends abruptly resumes it rather than starting another.
  if (!saved.inProgress) await deps.store.putSweepState(state);

  const outcomes: ProfileOutcome[] = [];
  let cursor = state.cursor;
  let slowestMs = 0;
  let sinceSaved = 0;
  try {
    for (;;) {
      const page = await deps.store.scan(cursor, pageSize);
      for (const record of page.records) {
        // Always finish one profile per invocation, so a tiny budget still makes progress.
        if (outcomes.length > 0 && now() + slowestMs > deadline) {
          state = { ...state, cursor };
          await deps.store.putSweepState(state);
          deps.logger.info('sweep paused for the time budget', {
            sweepId: state.sweepId, checkedNow: outcomes.length, checkedSoFar: state.checked, slowestCheckMs: slowestMs,
          });
          return { sweepId: state.sweepId, complete: false, outcomes, sweepChecked: state.checked };
        }
        if (isChecked(record.driftMode)) {
          const t0 = now();
          outcomes.push(await checkAndRecord(deps, record, state.sweepId));
          slowestMs = Math.max(slowestMs, now() - t0);
          state = { ...state, checked: state.checked + 1 };
        }
        cursor = record.key;
        state = { ...state, cursor };
        // Saved every few profiles (and when pausing): a crash repeats at most the last few checks.
        if (++sinceSaved >= CURSOR_SAVE_EVERY) {
          await deps.store.putSweepState(state);
          sinceSaved = 0;
        }
      }
      if (page.nextAfter === undefined) break;
      cursor = page.nextAfter;
    }
  } finally {
    deps.metrics.flush();
  }

  const completedAt = new Date(now()).toISOString();
  const { cursor: _done, ...rest } = state;
  await deps.store.putSweepState({ ...rest, inProgress: false, lastCompletedAt: completedAt });
  deps.logger.info('sweep complete', {
    sweepId: state.sweepId, checked: state.checked, checkedNow: outcomes.length, ...summarize(outcomes),
  });
  return { sweepId: state.sweepId, complete: true, outcomes, sweepChecked: state.checked };
}

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

/** The Connect calls whose events the change-event path reconciles. */
export const CHANGE_EVENT_NAMES = ['UpdateSecurityProfile', 'TagResource', 'UntagResource', 'DeleteSecurityProfile'] as const;

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
    const m = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/([^/]+)\/security-profile\/([^/]+)$/.exec(resourceArn);
    return m ? { instanceId: m[1], securityProfileId: m[2] } : undefined;
  }
  const instance = get('InstanceId');
  const profile = get('SecurityProfileId');
  if (instance === undefined || profile === undefined) return undefined;
  const instanceArn = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/([^/]+)$/.exec(instance);
  return { instanceId: instanceArn ? instanceArn[1] : instance, securityProfileId: profile };
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
  const assumed = /^arn:[^:]+:sts::(\d+):assumed-role\/([^/]+)\//.exec(identity.arn ?? '');
  if (!assumed) return false;
  return ownRoleArns.some((roleArn) => {
    const role = /^arn:[^:]+:iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    return role !== null && role[1] === assumed[1] && role[2] === assumed[2];
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
  const record = await deps.store.get(stateKey(ref.instanceId, ref.securityProfileId));
  if (!record) return ignore('not-managed');
  if (!isChecked(record.driftMode)) return ignore('disabled');
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

/**
 * Check one profile against its desired state, repair it in remediate mode, and record the result.
 */
export async function checkAndRecord(deps: ReconcilerDeps, record: StoredRecord, checkedBy: string): Promise<ProfileOutcome> {
  const now = deps.now ?? Date.now;
  const outcome = await checkProfile(deps, record);
  const accessScope = outcome.status === 'MISSING' || outcome.status === 'ERROR' || deps.reportAccessScope === false
    ? undefined : await reportAccessScope(deps, record);
  const result: DriftStatusRecord = {
    status: outcome.status,
    driftFields: outcome.driftFields,
    checkedAt: new Date(now()).toISOString(),
    checkedBy,
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
  };
  const written = await deps.store.putResult(record.key, result, accessScope);
  if (!written) deps.logger.info('record removed during the check; result not stored', where(record));
  return outcome;
}

/**
 * Observe, plan and (in remediate mode) apply for one profile. Never throws: a failure is an `ERROR`
 * outcome, counted and logged.
 */
export async function checkProfile(deps: ReconcilerDeps, record: StoredRecord): Promise<ProfileOutcome> {
  const base = { key: record.key, securityProfileArn: record.securityProfileArn };
  const desired: DesiredSecurityProfile = { ...record.desired, ownerMark: record.desired.ownerMark ?? record.ownerMark };
  try {
    const observed = await observeProfile(deps.api, { instanceId: record.instanceId, securityProfileId: record.securityProfileId }, {
      flowModules: desired.allowedFlowModules !== undefined,
      aiAgents: desired.allowedAIAgents !== undefined,
    });
    deps.metrics.profileChecked();
    if (!observed) {
      deps.metrics.profileMissing();
      deps.logger.warn('managed security profile is missing', {
        ...where(record),
        action: 'not recreated between deploys; the next deploy that updates this resource recreates it',
      });
      return { ...base, status: 'MISSING', driftFields: [], actions: [] };
    }
    const decided = plan(desired, observed);
    if (decided.kind !== 'update') {
      // Connect cannot rename a profile or move it between instances: a deploy has to replace it.
      throw new Error(`the live profile cannot be brought to the desired state in place: ${decided.reason}`);
    }
    if (decided.drift.length === 0) return { ...base, status: 'IN_SYNC', driftFields: [], actions: [] };

    // A sweep reads records a page at a time: if a deploy rewrote this one since, the live profile may
    // already be the new desired state, and repairing it to the old one would undo the deploy.
    const current = await deps.store.get(record.key);
    if (!current || current.updatedAt !== record.updatedAt) {
      deps.logger.info('desired state changed during the check; the deploy under way decides', where(record));
      return { ...base, status: 'SUPERSEDED', driftFields: [], actions: [] };
    }

    const fields = [...decided.drift];
    deps.metrics.driftDetected(fields);
    for (const field of fields) {
      deps.logger.warn('security profile drift', {
        ...where(record), mode: record.driftMode, field, declared: declaredValue(field, desired), live: liveValue(field, observed),
      });
    }
    if (record.driftMode !== 'REMEDIATE') return { ...base, status: 'DRIFTED', driftFields: fields, actions: [] };

    const actions = await applyPlan(deps.api, {
      instanceId: record.instanceId,
      securityProfileId: record.securityProfileId,
      securityProfileArn: record.securityProfileArn,
      securityProfileName: desired.securityProfileName,
    }, decided, deps.logger);
    deps.metrics.driftRemediated();
    return { ...base, status: 'REMEDIATED', driftFields: fields, actions };
  } catch (err) {
    deps.metrics.error();
    const error = describeError(err);
    deps.logger.error('drift check failed', { ...where(record), error });
    return { ...base, status: 'ERROR', driftFields: [], actions: [], error };
  }
}

/** The most users named in one "access scope changed" log line (entered, and left). */
const MAX_USERS_LOGGED = 100;

/**
 * Compute the access scope of a hierarchy-restricted profile, publish `UsersInScope` and log who
 * entered or left it. Returns the record to store; undefined when the profile has no such scope or the
 * report failed (counted as an error, the drift result still stands).
 */
async function reportAccessScope(deps: ReconcilerDeps, record: StoredRecord): Promise<AccessScopeRecord | undefined> {
  const now = deps.now ?? Date.now;
  const d = record.desired;
  try {
    const report = await computeAccessScope(deps.api, {
      instanceId: record.instanceId,
      securityProfileId: record.securityProfileId,
      hierarchyRestrictedResources: d.hierarchyRestrictedResources,
      ...(d.allowedAccessControlHierarchyGroupId !== undefined
        ? { allowedAccessControlHierarchyGroupId: d.allowedAccessControlHierarchyGroupId } : {}),
      allowedAccessControlTags: d.allowedAccessControlTags,
      tagRestrictedResources: d.tagRestrictedResources,
      accessScopeReport: record.accessScopeReport,
    }, record.accessScope, { now: new Date(now()) });
    if (!report) return undefined;
    deps.metrics.usersInScope(d.securityProfileName, report.usersInScope);
    if (report.entered.length > 0 || report.left.length > 0) {
      deps.logger.info('access scope changed', {
        ...where(record),
        usersInScope: report.usersInScope,
        enteredCount: report.entered.length,
        leftCount: report.left.length,
        entered: report.entered.slice(0, MAX_USERS_LOGGED),
        left: report.left.slice(0, MAX_USERS_LOGGED),
      });
    }
    return report.record;
  } catch (err) {
    deps.metrics.error();
    deps.logger.error('access scope report failed', { ...where(record), error: describeError(err) });
    return undefined;
  }
}

function isChecked(mode: DriftModeValue): boolean {
  return mode === 'REMEDIATE' || mode === 'DETECT_ONLY';
}

function where(record: StoredRecord): Record<string, unknown> {
  return {
    securityProfileName: record.desired?.securityProfileName,
    instanceId: record.instanceId,
    securityProfileId: record.securityProfileId,
    securityProfileArn: record.securityProfileArn,
  };
}

/** The declared value of a drifted field, for the log line (tags include the owner mark). */
function declaredValue(field: string, desired: DesiredSecurityProfile): unknown {
  if (field === 'Tags') {
    return desired.ownerMark === undefined ? desired.tags : { ...desired.tags, [OWNER_TAG_KEY]: desired.ownerMark };
  }
  return (desired as unknown as Record<string, unknown>)[memberToKey(field)] ?? null;
}

/** The live value of a drifted field, for the log line (`aws:` tags left out, as the plan ignores them). */
function liveValue(field: string, observed: ObservedSecurityProfile): unknown {
  if (field === 'Tags') {
    return Object.fromEntries(Object.entries(observed.tags).filter(([k]) => !k.startsWith('aws:')));
  }
  return (observed as unknown as Record<string, unknown>)[memberToKey(field)] ?? null;
}

/** `HierarchyRestrictedResources` -> `hierarchyRestrictedResources`. */
function memberToKey(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

function summarize(outcomes: readonly ProfileOutcome[]): Record<DriftStatus, number> {
  const counts: Record<DriftStatus, number> = { IN_SYNC: 0, DRIFTED: 0, REMEDIATED: 0, MISSING: 0, ERROR: 0, SUPERSEDED: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}
