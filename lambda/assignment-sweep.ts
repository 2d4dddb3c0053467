/**
 * The sweep of assignments: between deploys, check that the holders of each assignment's profile are the ones
 * declared (users moved into or out of the selection, profiles given or taken in the admin website), report it,
 * and in remediate mode repair it with the deploy's own planner and executor.
 *
 * It runs after the profile sweep in the same invocation, single-flight through its own lease, the least recently
 * checked assignments first (so a budget that runs out never starves the same ones). Each check holds the
 * profile's lease (the one the deploy and the profile checks take), renews it before writing and fences every
 * write with it; the record must be this stack's. Rule refusals are reported and those users skipped; a plan
 * with more changes than `maxChangesPerRun` writes nothing and publishes `AssignmentChangesHeld`. Never throws
 * for one assignment: each failure is that assignment's outcome.
 */
import type { AssignmentMetrics } from './assignment-metrics';
import { ManagedProfileMissingError } from './assignment-observe';
import { countChanges, HolderChangeCounts } from './assignment-plan';
import { applyAssignment, logRefusals, planAssignment, valveMessage } from './assignment-run';
import {
  AssignmentResult, AssignmentStatus, AssignmentStore, isMalformedAssignment, MalformedAssignment, StoredAssignment,
} from './assignment-store';
import type { ConnectApi } from './connect-api';
import { describeError } from './errors';
import { LeaseHandle, LeaseLostError, LeaseTable } from './lease';
import type { HandlerLogger } from './logger';
import type { ReconcilerMetrics } from './metrics';
import { stackNameOf } from './owner';
import { stateKey } from './state-table';

/** What the assignment sweep works with. */
export interface AssignmentSweepDeps {
  readonly assignments: AssignmentStore;
  readonly leases: LeaseTable;
  readonly api: ConnectApi;
  readonly metrics: AssignmentMetrics;
  readonly logger: HandlerLogger;
  /** Records of any other stack are never acted on. @default - any stack (tests) */
  readonly stackName?: string;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
  /**
   * The profile sweep's metrics: a failed check counts in `Errors`, an assignment of another stack in `Conflicts`.
   *
   * @default - not counted there
   */
  readonly reconcilerMetrics?: ReconcilerMetrics;
}

/** The outcome of one assignment's check. */
export interface AssignmentOutcome extends HolderChangeCounts {
  readonly key: string;
  readonly securityProfileId: string;
  readonly status: AssignmentStatus;
  /** Changes found needed (rule refusals included). */
  readonly changes: number;
  readonly error?: string;
}

/** What one assignment sweep did. */
export interface AssignmentSweepReport {
  readonly outcomes: AssignmentOutcome[];
  /** Assignments left for the next sweep (the budget ran out). */
  readonly left: number;
  /** Set when another invocation holds the assignment sweep. */
  readonly skipped?: string;
}

/** The lease that makes assignment sweeps single-flight. */
export const ASSIGNMENT_SWEEP_LEASE_KEY = 'assignment-sweep';

/** The lease purpose of an assignment check. */
export const HOLDERS_CHECK_PURPOSE = 'holders check';

/** Check every assignment of the table, least recently checked first, within a time budget. */
export async function runAssignmentSweep(deps: AssignmentSweepDeps, options: { readonly budgetMs: number }): Promise<AssignmentSweepReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const taken = await deps.leases.tryAcquire(ASSIGNMENT_SWEEP_LEASE_KEY, 'assignment sweep', options.budgetMs + 60_000);
  if (!taken.acquired) {
    return { outcomes: [], left: 0, skipped: `another assignment sweep holds the lease until ${new Date(taken.heldBy.expiresAt).toISOString()}` };
  }
  try {
    const entries = await deps.assignments.scanAll();
    entries.sort((a, b) => checkedAt(a) - checkedAt(b) || (a.key < b.key ? -1 : 1));
    const outcomes: AssignmentOutcome[] = [];
    let slowest = 0;
    for (const entry of entries) {
      // always one check, so a tiny budget still makes progress
      if (outcomes.length > 0 && now() + slowest > started + options.budgetMs) break;
      const t0 = now();
      outcomes.push(await checkAssignment(deps, entry));
      slowest = Math.max(slowest, now() - t0);
    }
    if (entries.length > 0) {
      deps.logger.info('assignment sweep done', {
        checked: outcomes.length, left: entries.length - outcomes.length, ...countStatuses(outcomes),
      });
    }
    return { outcomes, left: entries.length - outcomes.length };
  } finally {
    deps.metrics.flush();
    if (counted.has(deps)) deps.reconcilerMetrics?.flush();
    await deps.leases.release(taken.lease);
  }
}

/** Check one assignment (a scanned record, or one that does not parse) and record the result. */
export async function checkAssignment(deps: AssignmentSweepDeps, scanned: StoredAssignment | MalformedAssignment): Promise<AssignmentOutcome> {
  const now = deps.now ?? Date.now;
  if (isMalformedAssignment(scanned)) {
    deps.logger.error('assignment record does not parse; not checked', {
      key: scanned.key,
      attribute: scanned.error.attribute,
      error: scanned.error.message,
      action: 'deploy the stack again to rewrite the record, or delete the item if no assignment of this stack uses it',
    });
    countError(deps);
    return outcome(scanned.key, '', 'ERROR', { error: scanned.error.message });
  }
  const desired = scanned.desired;
  if (desired.driftMode === 'DISABLED') return outcome(scanned.key, desired.securityProfileId, 'IN_SYNC', { error: 'not checked: drift reconciliation is off' });
  const attempt = await deps.leases.tryAcquire(stateKey(desired.instanceId, desired.securityProfileId), HOLDERS_CHECK_PURPOSE);
  if (!attempt.acquired) {
    deps.logger.info('assignment skipped: another writer holds the profile', { key: scanned.key, heldBy: attempt.heldBy.purpose });
    return outcome(scanned.key, desired.securityProfileId, 'SUPERSEDED', { error: `held by a ${attempt.heldBy.purpose}` });
  }
  const lease = new LeaseHandle(deps.leases, attempt.lease);
  let result: AssignmentOutcome;
  try {
    result = await checkUnderLease(deps, scanned, lease);
  } finally {
    await deps.leases.release(lease.current);
  }
  if (result.status !== 'SUPERSEDED') {
    const stored: AssignmentResult = {
      status: result.status, changes: result.changes, checkedAt: new Date(now()).toISOString(), ...(result.error ? { error: result.error } : {}),
    };
    await deps.assignments.putResult(result.key, stored);
  }
  return result;
}

async function checkUnderLease(deps: AssignmentSweepDeps, scanned: StoredAssignment, lease: LeaseHandle): Promise<AssignmentOutcome> {
  const profileId = scanned.desired.securityProfileId;
  let record: StoredAssignment | undefined;
  try {
    // the scan may be old: under the lease, the record read now is the newest a deploy wrote
    record = await deps.assignments.get(scanned.key);
  } catch (error) {
    return failed(deps, scanned.key, profileId, error);
  }
  if (!record) return outcome(scanned.key, profileId, 'SUPERSEDED', { error: 'record removed by a deploy' });
  if (deps.stackName !== undefined && stackNameOf(record.stackId) !== deps.stackName) {
    const reason = `the record names stack "${stackNameOf(record.stackId)}", not this reconciler's stack "${deps.stackName}"`;
    deps.logger.error('ownership conflict: assignment not checked', { key: record.key, reason });
    deps.reconcilerMetrics?.conflict();
    counted.add(deps);
    return outcome(record.key, profileId, 'CONFLICT', { error: reason });
  }
  const desired = record.desired;
  const where = { key: record.key, instanceId: desired.instanceId, securityProfileId: profileId, mode: desired.driftMode };
  try {
    const planned = await planAssignment(deps.api, desired, record);
    const { plan } = planned;
    const changes = plan.changeCount + plan.refused.length;
    deps.metrics.assignmentDrift(profileId, changes);
    if (changes === 0) return outcome(record.key, profileId, 'IN_SYNC');
    for (const c of plan.add) deps.logger.warn('assignment drift: user should hold the profile', { ...where, userId: c.userId, username: c.username });
    for (const c of plan.remove) deps.logger.warn('assignment drift: user should no longer hold the profile', { ...where, userId: c.userId, username: c.username });
    for (const arn of plan.associate) deps.logger.warn('assignment drift: AI agent should hold the profile', { ...where, aiAgentArn: arn });
    for (const arn of plan.disassociate) deps.logger.warn('assignment drift: AI agent should no longer hold the profile', { ...where, aiAgentArn: arn });
    logRefusals(deps.logger, plan.refused, where);
    if (desired.driftMode !== 'REMEDIATE' || plan.changeCount === 0) return outcome(record.key, profileId, 'DRIFTED', { changes });
    if (plan.changeCount > desired.maxChangesPerRun) {
      deps.metrics.changesHeld(profileId, plan.changeCount);
      const error = valveMessage(plan, desired);
      deps.logger.error('assignment changes held by the safety valve', { ...where, changes: plan.changeCount, maxChangesPerRun: desired.maxChangesPerRun, error });
      return outcome(record.key, profileId, 'HELD', { changes, error });
    }
    await lease.beforeWrite();
    const key = record.key;
    const done = await applyAssignment(deps.api.withWriteGuard(() => lease.ensureHeld()), desired, planned, {
      logger: deps.logger,
      beforeWrite: () => lease.beforeWrite(),
      saveHolders: async (added, addedAgents) => {
        if (!(await deps.assignments.putHolders(key, added, addedAgents))) throw new Error('the record was removed during the repair');
      },
    });
    logRefusals(deps.logger, done.refused, where);
    deps.metrics.usersAssigned(profileId, done.add.length);
    deps.metrics.usersUnassigned(profileId, done.remove.length);
    return outcome(record.key, profileId, 'REMEDIATED', { changes, ...countChanges(done) });
  } catch (error) {
    if (error instanceof ManagedProfileMissingError) {
      deps.logger.warn('the profile of an assignment is missing', { ...where, action: 'deploy again, or remove the assignment' });
      return outcome(record.key, profileId, 'MISSING', { error: error.message });
    }
    if (error instanceof LeaseLostError) {
      deps.logger.warn('lease lost during the check; the rest is left to its holder', { ...where, error: error.message });
      return outcome(record.key, profileId, 'SUPERSEDED', { error: error.message });
    }
    return failed(deps, record.key, profileId, error);
  }
}

function failed(deps: AssignmentSweepDeps, key: string, profileId: string, error: unknown): AssignmentOutcome {
  const text = describeError(error);
  deps.logger.error('assignment check failed', { key, error: text });
  countError(deps);
  return outcome(key, profileId, 'ERROR', { error: text });
}

/** The deps whose reconciler metrics this sweep counted in (they need a flush of their own). */
const counted = new WeakSet<AssignmentSweepDeps>();

function countError(deps: AssignmentSweepDeps): void {
  deps.reconcilerMetrics?.error();
  counted.add(deps);
}

function outcome(key: string, securityProfileId: string, status: AssignmentStatus, extra: Partial<AssignmentOutcome> = {}): AssignmentOutcome {
  return { key, securityProfileId, status, changes: 0, ...countChanges(undefined), ...extra };
}

function checkedAt(entry: StoredAssignment | MalformedAssignment): number {
  if (isMalformedAssignment(entry) || !entry.lastResult) return 0;
  return Date.parse(entry.lastResult.checkedAt) || 0;
}

function countStatuses(outcomes: AssignmentOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}
