/**
 * CloudFormation events of `Custom::ConnectSecurityProfileAssignment`: the holders of a security profile.
 *
 * - Create/Update: under the profile's lease, observe the selected users and the profile's holders, plan, and
 *   check the rules before any write: a user who would hold a third profile that enforces granular access
 *   control fails the deploy (naming the users), and so does a plan with more changes than `MaxChangesPerRun`
 *   (naming the count and the property to raise). Then record the intent, apply, and record the outcome. A user
 *   who left the selection but has no other profile keeps this one (logged; `UsersSkipped`).
 * - Delete: take the profile back from every holder the assignment gave it (never a user's last profile) and
 *   from the AI agents it associated, then drop the record. Delete only undoes the assignment's own changes,
 *   each of which a run allowed, so the safety valve does not apply to it.
 *
 * The record lives in the stack's desired-state table (the construct makes sure the stack has one): it is what
 * tells Delete, and a user leaving the selection, which holders the assignment answers for.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { applyHolderPlan } from './assignment-apply';
import { DesiredAssignment, parseAssignmentProperties } from './assignment-desired';
import { findHolders, ManagedProfileMissingError, RestrictionLookup } from './assignment-observe';
import { countChanges, describeRefusal, HolderChanges, HolderPlan, planRelease } from './assignment-plan';
import { applyAssignment, logRefusals, planAssignment, valveMessage } from './assignment-run';
import { AssignmentStore, assignmentKey, StoredAssignment } from './assignment-store';
import type { ConnectApi } from './connect-api';
import { HandlerError, describeError } from './errors';
import { LeaseHandle, LeaseTable, LeaseTimeoutError } from './lease';
import { HandlerLogger, eventSummary } from './logger';
import { InvalidPropertyError } from './properties';
import { stateKey } from './state-table';
import { ASSIGNMENT_ATTR, ASSIGNMENT_KEY_PREFIX, ASSIGNMENT_PROP } from '../src/private/assignment-contract';

/** What the assignment handler needs. */
export interface AssignmentDeps {
  readonly connect: ConnectApi;
  readonly logger: HandlerLogger;
  /** The assignment records (the stack's desired-state table). */
  readonly assignments?: AssignmentStore;
  /** The writers' leases (same table). */
  readonly leases?: LeaseTable;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
}

/** What the Provider framework gets back. */
export interface AssignmentResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The physical id of an assignment: its record key without the leading `#`. */
export function assignmentPhysicalId(key: string): string {
  return key.slice(1);
}

/** Handle one CloudFormation event of an assignment. */
export async function onAssignmentEvent(event: CloudFormationCustomResourceEvent, deps: AssignmentDeps): Promise<AssignmentResponse> {
  deps.logger.info('event received', eventSummary(event));
  const { assignments, leases } = deps;
  if (!assignments || !leases) {
    throw new HandlerError('assign security profile: the handler has no desired-state table (DESIRED_STATE_TABLE is not set); '
      + 'a SecurityProfileAssignment gives the stack one: deploy the stack with this version of the library');
  }
  // Delete reads the record, not the event's properties: the record is what the assignment did
  if (event.RequestType === 'Delete') return onDelete(event.PhysicalResourceId, { ...deps, assignments, leases });
  const desired = parse(event.ResourceProperties);
  const key = assignmentKey(desired.instanceId, desired.securityProfileId, event.LogicalResourceId);
  const outcome = await withLease(leases, desired, 'deploy', async (lease): Promise<{ plan: HolderPlan; done?: HolderChanges }> => {
    const connect = deps.connect.withWriteGuard(() => lease.ensureHeld());
    const existing = await readRecord(assignments, key, desired);
    const recorded = { added: existing?.added ?? [], addedAgents: existing?.addedAgents ?? [] };
    const save = (added: readonly string[], addedAgents: readonly string[]) => assignments.put({
      key, stackId: event.StackId, logicalResourceId: event.LogicalResourceId, desired, added, addedAgents, updatedAt: (deps.now ?? Date.now)(),
    });
    let planned;
    try {
      planned = await planAssignment(connect, desired, recorded);
    } catch (error) {
      if (error instanceof ManagedProfileMissingError) throw fail(desired, `${error.message}; assign an existing profile`);
      throw fail(desired, describeError(error));
    }
    const { plan, observed } = planned;
    const where = whereOf(desired);
    if (observed.missingUsernames.length > 0) {
      deps.logger.warn('usernames that match no user in the instance', { ...where, usernames: observed.missingUsernames });
    }
    const restricted = plan.refused.filter((r) => r.reason !== 'last-profile');
    if (restricted.length > 0) {
      throw fail(desired, `${restricted.length} user(s) cannot be given the profile: ${restricted.slice(0, 5).map(describeRefusal).join('; ')}`
        + `${restricted.length > 5 ? `; and ${restricted.length - 5} more` : ''}. Nothing was written. `
        + 'Take one of their restricted profiles away, or leave those users out of the selection');
    }
    if (plan.changeCount > desired.maxChangesPerRun) throw fail(desired, valveMessage(plan, desired));
    logRefusals(deps.logger, plan.refused, where);
    // the record is written on every deploy (the declaration changes even when no holder does)
    if (plan.changeCount === 0) {
      await save(plan.added, plan.addedAgents);
      return { plan };
    }
    try {
      const done = await applyAssignment(connect, desired, planned, {
        logger: deps.logger, beforeWrite: () => lease.beforeWrite(), saveHolders: save,
      });
      return { plan, done };
    } catch (error) {
      throw fail(desired, describeError(error));
    }
  });
  const done: HolderChanges | undefined = outcome.done;
  const refusedNow = done?.refused ?? [];
  logRefusals(deps.logger, refusedNow, whereOf(desired));
  const addedNow = done?.added ?? outcome.plan.added;
  deps.logger.info('holders reconciled', {
    ...whereOf(desired),
    ...countChanges(done),
    holdersAdded: addedNow.length,
  });
  return {
    PhysicalResourceId: assignmentPhysicalId(key),
    Data: {
      [ASSIGNMENT_ATTR.usersAssigned]: String(addedNow.length),
      [ASSIGNMENT_ATTR.usersSkipped]: String(outcome.plan.refused.length + refusedNow.length),
    },
  };
}

async function onDelete(
  physicalResourceId: string, deps: AssignmentDeps & { assignments: AssignmentStore; leases: LeaseTable },
): Promise<AssignmentResponse> {
  const key = `#${physicalResourceId}`;
  if (!key.startsWith(ASSIGNMENT_KEY_PREFIX)) {
    deps.logger.info('physical id is not an assignment: nothing to delete', { physicalResourceId });
    return { PhysicalResourceId: physicalResourceId };
  }
  const record = await deps.assignments.get(key).catch((error) => {
    throw new HandlerError(`delete assignment ${physicalResourceId}: its record does not parse (${describeError(error)}); `
      + 'remove the managed profile from its holders by hand if needed, delete the table item, and delete again');
  });
  if (!record) {
    deps.logger.info('no record of the assignment: nothing to take back', { physicalResourceId });
    return { PhysicalResourceId: physicalResourceId };
  }
  const desired = record.desired;
  await withLease(deps.leases, desired, 'delete', async (lease) => {
    const connect = deps.connect.withWriteGuard(() => lease.ensureHeld());
    let holders;
    try {
      holders = await findHolders(connect, desired.instanceId, desired.securityProfileId);
    } catch (error) {
      throw fail(desired, describeError(error), 'delete the holders of');
    }
    const agentsHolding = new Set<string>();
    for (const arn of record.addedAgents) {
      if ((await connect.listAIAgentSecurityProfiles(desired.instanceId, arn)).includes(desired.securityProfileId)) agentsHolding.add(arn);
    }
    const plan = planRelease({
      securityProfileId: desired.securityProfileId, holders, added: record.added, addedAgents: record.addedAgents, agentsHolding,
    });
    logRefusals(deps.logger, plan.refused, whereOf(desired));
    try {
      // removals only: nothing to record as intent; the record goes once they are done
      const target = { instanceId: desired.instanceId, securityProfileId: desired.securityProfileId, profileRestricted: false };
      const done = await applyHolderPlan(connect, target,
        plan, { logger: deps.logger, restrictions: new RestrictionLookup(connect, desired.instanceId), beforeWrite: () => lease.beforeWrite() });
      logRefusals(deps.logger, done.refused, whereOf(desired));
      deps.logger.info('assignment deleted: holders taken back', {
        ...whereOf(desired), unassigned: done.remove.length, disassociated: done.disassociate.length, kept: done.added.length,
      });
    } catch (error) {
      throw fail(desired, describeError(error), 'delete the holders of');
    }
    await deps.assignments.delete(key);
  });
  return { PhysicalResourceId: physicalResourceId };
}

function parse(properties: unknown): DesiredAssignment {
  try {
    return parseAssignmentProperties(properties);
  } catch (error) {
    if (error instanceof InvalidPropertyError) {
      const p = (properties ?? {}) as Record<string, unknown>;
      throw new HandlerError(`assign security profile ${String(p[ASSIGNMENT_PROP.securityProfileId] ?? '(unknown)')}: ${error.message}. Fix the property in the template and deploy again`);
    }
    throw error;
  }
}

async function readRecord(store: AssignmentStore, key: string, desired: DesiredAssignment): Promise<StoredAssignment | undefined> {
  try {
    return await store.get(key);
  } catch (error) {
    throw fail(desired, `the assignment's record ${key} does not parse (${describeError(error)}); delete the item from the desired-state table and deploy again `
      + '(the holders the assignment gave the profile are then no longer known to it)');
  }
}

async function withLease<T>(
  leases: LeaseTable, desired: DesiredAssignment, purpose: string, work: (lease: LeaseHandle) => Promise<T>,
): Promise<T> {
  try {
    // kept alive while the work runs; every write attempt checks it (the gateway's write guard)
    return await leases.withLease(stateKey(desired.instanceId, desired.securityProfileId), purpose, work, undefined, { keepAlive: true });
  } catch (error) {
    if (error instanceof LeaseTimeoutError) throw fail(desired, error.message);
    throw error;
  }
}

function fail(desired: DesiredAssignment, reason: string, action = 'assign'): HandlerError {
  if (reason.startsWith(`${action} security profile`)) return new HandlerError(reason);
  return new HandlerError(`${action} security profile ${desired.securityProfileId} in instance ${desired.instanceId}: ${reason}`);
}

function whereOf(desired: DesiredAssignment): Record<string, unknown> {
  return { instanceId: desired.instanceId, securityProfileId: desired.securityProfileId };
}
