/**
 * One profile's drift check, the unit of work of the sweep and of the change-event path.
 *
 * Under the profile's lease (lease.ts), so no deploy writes the profile meanwhile and the desired state
 * read is the newest: re-read the record, check that the record is this stack's and that the live
 * owner tag is the record's mark, observe, plan, and in remediate mode renew the lease and apply, each
 * write attempt sent only while the lease has its write margin left (no renewal after that: a deploy
 * waiting for the profile waits at most two lease durations). The
 * access-scope report (reads only) runs after the lease is given back. Never throws: every failure is
 * an outcome of that profile, counted and logged, so one profile never stops a sweep.
 */
import { computeAccessScope } from './access-scope';
import type { AccessScopeRecord } from './access-scope';
import { applyPlan } from './apply';
import type { ConnectApi } from './connect-api';
import { declaredValue, liveValue, where } from './drift-log';
import { describeError, classifyError } from './errors';
import { LeaseHandle, LeaseLostError, LeaseTable } from './lease';
import type { HandlerLogger } from './logger';
import type { ReconcilerMetrics } from './metrics';
import { listsManagedBy, observeProfile } from './observe';
import { stackNameOf } from './owner';
import { plan } from './plan';
import type { DynamoDbStateStore, MalformedRecord } from './state-table';
import { RecordFormatError } from './state-table';
import { refOf } from './stored-record';
import type { DriftStatus, DriftStatusRecord, StoredRecord } from './stored-record';
import { OWNER_TAG_KEY } from '../src/private/contract';

/** What the reconciler works with. */
export interface ReconcilerDeps {
  /** The desired-state table. */
  readonly store: DynamoDbStateStore;
  /** The writers' leases (in the same table). */
  readonly leases: LeaseTable;
  /** The gateway to Connect. */
  readonly api: ConnectApi;
  /** Where counts go. */
  readonly metrics: ReconcilerMetrics;
  /** Structured logs. */
  readonly logger: HandlerLogger;
  /**
   * The name of this reconciler's stack: records of any other stack are never acted on.
   *
   * @default - records of any stack (only for tests of a table without a stack)
   */
  readonly stackName?: string;
  /**
   * Report the users in scope of hierarchy-restricted profiles (`UsersInScope`, entered and left users)
   * with `computeAccessScope`. Each report costs SearchUsers calls.
   *
   * @default true
   */
  readonly reportAccessScope?: boolean;
  /**
   * How long after a deploy wrote a record a profile that cannot be read is taken for one that is not
   * visible yet (`PENDING`) rather than deleted (`MISSING`).
   *
   * @default 120000
   */
  readonly consistencyWindowMs?: number;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
  /**
   * Whether each access-control hierarchy group exists, keyed `<instanceId>/<groupId>`, shared by the
   * checks of one sweep: many profiles restrict to a few groups, and DescribeUserHierarchyGroup has a
   * quota of its own, so a sweep asks once per group rather than once per profile. A group deleted
   * during the sweep is reported by the next one.
   *
   * @default - every check asks Connect
   */
  readonly groupChecks?: Map<string, Promise<boolean>>;
}

/** The default of `ReconcilerDeps.consistencyWindowMs`. */
export const DEFAULT_CONSISTENCY_WINDOW_MS = 120_000;

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
  /** Why, for `ERROR`, `CONFLICT`, `SUPERSEDED` and the missing statuses. */
  readonly error?: string;
}

/** The lease purpose of reconciler checks. */
export const CHECK_LEASE_PURPOSE = 'drift check';

/**
 * Check one profile (a scanned record, or one that does not parse), repair it in remediate mode, and
 * record the result.
 */
export async function checkAndRecord(deps: ReconcilerDeps, scanned: StoredRecord | MalformedRecord, checkedBy: string): Promise<ProfileOutcome> {
  const now = deps.now ?? Date.now;
  let outcome: ProfileOutcome;
  let record: StoredRecord | undefined;
  if ('error' in scanned && scanned.error instanceof RecordFormatError) {
    outcome = malformed(deps, scanned.key, scanned.error);
  } else {
    const attempt = await deps.leases.tryAcquire(scanned.key, CHECK_LEASE_PURPOSE);
    if (!attempt.acquired) {
      deps.logger.info('profile skipped: another writer holds it', { key: scanned.key, heldBy: attempt.heldBy.purpose });
      // Nothing is stored: the holder (a deploy, or a change event) decides and the next check reports.
      return { key: scanned.key, securityProfileArn: (scanned as StoredRecord).securityProfileArn, status: 'SUPERSEDED', driftFields: [], actions: [], error: `held by a ${attempt.heldBy.purpose}` };
    }
    const lease = new LeaseHandle(deps.leases, attempt.lease);
    try {
      ({ outcome, record } = await checkUnderLease(deps, scanned as StoredRecord, lease));
    } finally {
      await deps.leases.release(lease.current);
    }
  }
  const accessScope = record && reportsScope(outcome.status) && deps.reportAccessScope !== false
    ? await reportAccessScope(deps, record) : undefined;
  const result: DriftStatusRecord = {
    status: outcome.status,
    driftFields: outcome.driftFields,
    checkedAt: new Date(now()).toISOString(),
    checkedBy,
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
  };
  if (outcome.status === 'SUPERSEDED') return outcome;
  const written = await deps.store.putResult(outcome.key, result, accessScope);
  if (!written) deps.logger.info('record removed during the check; result not stored', { key: outcome.key });
  return outcome;
}

function reportsScope(status: DriftStatus): boolean {
  return status === 'IN_SYNC' || status === 'DRIFTED' || status === 'REMEDIATED';
}

function malformed(deps: ReconcilerDeps, key: string, error: RecordFormatError): ProfileOutcome {
  deps.metrics.error();
  deps.logger.error('desired-state record does not parse; profile not checked', {
    key,
    attribute: error.attribute,
    error: error.message,
    action: 'deploy the stack again to rewrite the record, or delete the item if no resource of this stack manages the profile',
  });
  return { key, securityProfileArn: '', status: 'ERROR', driftFields: [], actions: [], error: error.message };
}

async function checkUnderLease(
  deps: ReconcilerDeps, scanned: StoredRecord, lease: LeaseHandle,
): Promise<{ outcome: ProfileOutcome; record?: StoredRecord }> {
  const base = { key: scanned.key, securityProfileArn: scanned.securityProfileArn };
  let record: StoredRecord | undefined;
  try {
    // The scan is a page old: under the lease, the record read now is the newest a deploy wrote.
    record = await deps.store.get(scanned.key);
  } catch (error) {
    if (error instanceof RecordFormatError) return { outcome: malformed(deps, scanned.key, error) };
    return { outcome: failed(deps, base, scanned, error) };
  }
  if (!record) {
    deps.logger.info('record removed by a deploy before the check', { key: scanned.key });
    return { outcome: { ...base, status: 'SUPERSEDED', driftFields: [], actions: [], error: 'record removed' } };
  }
  if (!isChecked(record)) {
    return { outcome: { ...base, status: 'SUPERSEDED', driftFields: [], actions: [], error: 'drift reconciliation turned off' } };
  }

  const foreign = foreignRecord(deps, record);
  if (foreign) return { outcome: conflict(deps, record, foreign) };

  try {
    const desired = record.desired;
    const observed = await observeProfile(deps.api, refOf(record), listsManagedBy(desired));
    deps.metrics.profileChecked();
    if (!observed) return { outcome: await notFound(deps, record), record };

    const liveOwner = observed.Tags[OWNER_TAG_KEY];
    if (liveOwner !== record.ownerMark) {
      return {
        outcome: conflict(deps, record, liveOwner === undefined
          ? `the live profile has no ${OWNER_TAG_KEY} tag (removed outside CloudFormation, or the profile was released)`
          : `the live profile's ${OWNER_TAG_KEY} tag is "${liveOwner}", not this resource's "${record.ownerMark}"`),
        record,
      };
    }

    const groupId = desired.AllowedAccessControlHierarchyGroupId;
    if (groupId !== undefined && !(await groupExistsOnce(deps, record.instanceId, groupId))) {
      deps.metrics.error();
      const error = `the access-control hierarchy group ${groupId} no longer exists in instance ${record.instanceId}`;
      deps.logger.error('access-control hierarchy group is missing', {
        ...where(record),
        allowedAccessControlHierarchyGroupId: groupId,
        action: 'recreate the group or point the profile at an existing group, then deploy',
      });
      return { outcome: { ...base, status: 'GROUP_MISSING', driftFields: [], actions: [], error }, record };
    }

    const decided = plan(desired, observed);
    if (decided.kind !== 'update') {
      // Connect cannot rename a profile or move it between instances: a deploy has to replace it.
      throw new Error(`the live profile cannot be brought to the desired state in place: ${decided.reason}`);
    }
    if (decided.drift.length === 0) return { outcome: { ...base, status: 'IN_SYNC', driftFields: [], actions: [] }, record };

    const fields = [...decided.drift];
    deps.metrics.driftDetected(fields);
    for (const field of fields) {
      deps.logger.warn('security profile drift', {
        ...where(record), mode: record.driftMode, field, declared: declaredValue(field, desired), live: liveValue(field, observed),
      });
    }
    if (record.driftMode !== 'REMEDIATE') return { outcome: { ...base, status: 'DRIFTED', driftFields: fields, actions: [] }, record };

    await lease.beforeWrite();
    // Every attempt is fenced: a throttled write retried past the lease must not land after a deploy.
    const fenced = deps.api.withWriteGuard(() => lease.ensureHeld());
    const actions = await applyPlan(fenced, refOf(record), desired.SecurityProfileName, decided, deps.logger);
    deps.metrics.driftRemediated();
    return { outcome: { ...base, status: 'REMEDIATED', driftFields: fields, actions }, record };
  } catch (err) {
    if (err instanceof LeaseLostError) {
      deps.logger.warn('lease lost before the repair; nothing written', { ...where(record), error: err.message });
      return { outcome: { ...base, status: 'SUPERSEDED', driftFields: [], actions: [], error: err.message } };
    }
    return { outcome: failed(deps, base, record, err) };
  }
}

function failed(deps: ReconcilerDeps, base: { key: string; securityProfileArn: string }, record: StoredRecord, err: unknown): ProfileOutcome {
  deps.metrics.error();
  const error = describeError(err);
  deps.logger.error('drift check failed', { ...where(record), error });
  return { ...base, status: 'ERROR', driftFields: [], actions: [], error };
}

/** Why a record is not this stack's to act on; undefined when it is. */
function foreignRecord(deps: ReconcilerDeps, record: StoredRecord): string | undefined {
  if (deps.stackName === undefined) return undefined;
  const recordStack = stackNameOf(record.stackId);
  if (recordStack !== deps.stackName) {
    return `the record names stack "${recordStack}", not this reconciler's stack "${deps.stackName}"`;
  }
  if (!record.ownerMark.startsWith(`${deps.stackName}/`)) {
    return `the record's owner mark "${record.ownerMark}" is not a mark of stack "${deps.stackName}"`;
  }
  return undefined;
}

function conflict(deps: ReconcilerDeps, record: StoredRecord, reason: string): ProfileOutcome {
  deps.metrics.conflict();
  deps.logger.error('ownership conflict: profile not written', {
    ...where(record),
    recordOwner: record.ownerMark,
    recordStack: record.stackId,
    reason,
    action: 'find which stack or person manages the profile; to hand it over, retain and remove it there, then adopt it here with adoptExisting',
  });
  return { key: record.key, securityProfileArn: record.securityProfileArn, status: 'CONFLICT', driftFields: [], actions: [], error: reason };
}

async function notFound(deps: ReconcilerDeps, record: StoredRecord): Promise<ProfileOutcome> {
  const now = deps.now ?? Date.now;
  const base = { key: record.key, securityProfileArn: record.securityProfileArn, driftFields: [], actions: [] };
  if (!(await instanceExists(deps.api, record.instanceId))) {
    deps.metrics.profileMissing();
    deps.logger.warn('instance of a managed security profile is missing', {
      ...where(record),
      action: `the instance ${record.instanceId} no longer exists: remove the profile from the stack (or point it at an existing instance)`,
    });
    return { ...base, status: 'INSTANCE_MISSING', error: `instance ${record.instanceId} not found` };
  }
  const window = deps.consistencyWindowMs ?? DEFAULT_CONSISTENCY_WINDOW_MS;
  if (now() - record.updatedAt < window) {
    deps.logger.info('managed security profile not visible yet (written moments ago)', { ...where(record), writtenAt: new Date(record.updatedAt).toISOString() });
    return { ...base, status: 'PENDING' };
  }
  deps.metrics.profileMissing();
  deps.logger.warn('managed security profile is missing', {
    ...where(record),
    action: 'not recreated between deploys; the next deploy that updates this resource recreates it',
  });
  return { ...base, status: 'MISSING' };
}

async function instanceExists(api: ConnectApi, instanceId: string): Promise<boolean> {
  try {
    await api.describeInstance(instanceId);
    return true;
  } catch (error) {
    if (classifyError(error) === 'not-found') return false;
    throw error;
  }
}

function groupExistsOnce(deps: ReconcilerDeps, instanceId: string, groupId: string): Promise<boolean> {
  const cache = deps.groupChecks;
  if (!cache) return groupExists(deps.api, instanceId, groupId);
  const key = `${instanceId}/${groupId}`;
  let known = cache.get(key);
  if (!known) {
    known = groupExists(deps.api, instanceId, groupId);
    // an answer is shared; a failure (throttled past the deadline, access denied) is not: the next check asks again
    known.catch(() => cache.delete(key));
    cache.set(key, known);
  }
  return known;
}

async function groupExists(api: ConnectApi, instanceId: string, groupId: string): Promise<boolean> {
  try {
    await api.describeUserHierarchyGroup(instanceId, groupId);
    return true;
  } catch (error) {
    if (classifyError(error) === 'not-found') return false;
    throw error;
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
      hierarchyRestrictedResources: d.HierarchyRestrictedResources,
      ...(d.AllowedAccessControlHierarchyGroupId !== undefined
        ? { allowedAccessControlHierarchyGroupId: d.AllowedAccessControlHierarchyGroupId } : {}),
      allowedAccessControlTags: d.AllowedAccessControlTags,
      tagRestrictedResources: d.TagRestrictedResources,
    }, record.accessScope, { now: new Date(now()) });
    if (!report) return undefined;
    deps.metrics.usersInScope(d.SecurityProfileName, report.usersInScope);
    if (report.entered.length > 0 || report.left.length > 0) {
      deps.logger.info('access scope changed', {
        ...where(record),
        usersInScope: report.usersInScope,
        enteredCount: report.entered.length,
        leftCount: report.left.length,
        entered: report.entered.slice(0, MAX_USERS_LOGGED),
        left: report.left.slice(0, MAX_USERS_LOGGED),
        // who has this access
        holders: report.holderNames.slice(0, MAX_USERS_LOGGED).map((h) => h.username),
        holderCount: report.holders,
      });
    }
    return report.record;
  } catch (err) {
    deps.metrics.error();
    deps.logger.error('access scope report failed', { ...where(record), error: describeError(err) });
    return undefined;
  }
}

/** Whether the sweep checks a record (drift reconciliation on). */
export function isChecked(record: Pick<StoredRecord, 'driftMode'>): boolean {
  return record.driftMode === 'REMEDIATE' || record.driftMode === 'DETECT_ONLY';
}

