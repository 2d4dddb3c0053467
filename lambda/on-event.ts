/**
 * Route one CloudFormation event (through the CDK Provider framework's onEvent contract): return the
 * physical id and `Data`, throw to fail.
 *
 * - Create: create the profile with every field, marked with our owner tag. A same-named profile is
 *   adopted only when it carries our mark (a retried Create) or `AdoptExisting` is `"true"`.
 * - Update: read the live profile, plan, record the new desired state, apply. A changed instance or
 *   name, or a profile deleted out of band, creates a new profile and returns its new physical id.
 *   `OldResourceProperties` never shapes the plan; it only tells a rollback Update where the failed
 *   replacement it undoes may have left a record (`forgetFailedReplacement`).
 * - Delete: honour `RemovalPolicy` (Retain releases the profile: the owner tag goes); not found is
 *   success; in use names the users still assigned.
 *
 * With drift reconciliation on, every event on an existing profile holds the profile's lease
 * (lease.ts) from its first read to its last write, kept alive while the event runs, so a check never
 * writes the profile in between; every write attempt is fenced by the lease; and the new desired state
 * is recorded under the lease before Connect is written (also when Connect already matches it): a
 * check that runs after the deploy's lease (even one that expired) reads the new state, never the old.
 */
import type {
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { decideAdoption } from './adoption';
import { applyPlan, createProfile } from './apply';
import type { ConnectApi } from './connect-api';
import { HandlerError, classifyError, securityProfileError } from './errors';
import { LeaseTable, LeaseTimeoutError } from './lease';
import { HandlerLogger, eventSummary } from './logger';
import { listsManagedBy, observeProfile } from './observe';
import { isOwnMark, ownerMark, stackNameOf } from './owner';
import { plan } from './plan';
import { SecurityProfileRef, SecurityProfileState, withOwnerMark } from './profile-state';
import { InvalidPropertyError, ResourceSettings, parseProperties, parseRemovalPolicy } from './properties';
import { findUsersWithSecurityProfile } from './search-users';
import { DesiredStateStore, stateKey } from './state-table';
import { untilVisible } from './visibility';
import { parseInstanceArn, parseSecurityProfileArn } from '../src/private/arns';
import { OWNER_TAG_KEY, PROP, SecurityProfileResourceData } from '../src/private/contract';

/** What `handleEvent` needs. */
export interface HandleEventDeps {
  /** The Connect gateway. */
  readonly connect: ConnectApi;
  /** The logger. */
  readonly logger: HandlerLogger;
  /** The clock (epoch ms). @default Date.now */
  readonly now?: () => number;
  /** How to wait while a new profile becomes visible. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Desired-state storage for drift reconciliation; nothing is recorded when absent. */
  readonly stateStore?: DesiredStateStore;
  /**
   * The writers' leases (in the desired-state table). Present whenever `stateStore` is: without a
   * table there is no reconciler to exclude.
   */
  readonly leases?: LeaseTable;
  /**
   * How long a profile Connect reports as existing (or just created) may stay invisible to reads.
   *
   * @default 30000
   */
  readonly consistencyWaitMs?: number;
}

/** What the Provider framework expects back. */
export interface OnEventResponse {
  /** The security profile ARN. */
  readonly PhysicalResourceId: string;
  /** The attributes (absent on Delete). */
  readonly Data?: SecurityProfileResourceData;
}

/** How many assigned users a "delete in use" error names. */
export const IN_USE_USERS_SHOWN = 10;

/**
 * Handle one CloudFormation custom resource event.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, deps: HandleEventDeps): Promise<OnEventResponse> {
  deps.logger.info('event received', eventSummary(event));
  switch (event.RequestType) {
    case 'Create':
      return onCreate(event, deps);
    case 'Update':
      return onUpdate(event, deps);
    case 'Delete':
      return onDelete(event, deps);
    default:
      throw new HandlerError(`unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}; expected Create, Update or Delete`);
  }
}

interface Parsed {
  /** The desired state, its tags with the owner mark. */
  readonly desired: SecurityProfileState;
  readonly settings: ResourceSettings;
  readonly owner: string;
  /** The stack's name: the owner marks of this stack's other resources start with `<stackName>/`. */
  readonly stackName: string;
  /** The event's StackId and LogicalResourceId, to recognise this resource's marks (lambda/owner.ts). */
  readonly stackId: string;
  readonly logicalResourceId: string;
}

function parseEvent(event: CloudFormationCustomResourceEvent, action: string): Parsed {
  try {
    const { profile, settings } = parseProperties(event.ResourceProperties);
    const owner = ownerMark(event.StackId, event.LogicalResourceId);
    const ids = { stackId: event.StackId, logicalResourceId: event.LogicalResourceId };
    return { desired: withOwnerMark(profile, owner), settings, owner, stackName: stackNameOf(event.StackId), ...ids };
  } catch (err) {
    if (err instanceof InvalidPropertyError) {
      const props = (event.ResourceProperties ?? {}) as Record<string, unknown>;
      const name = typeof props[PROP.securityProfileName] === 'string' ? props[PROP.securityProfileName] as string : '(unknown)';
      const arn = typeof props[PROP.instanceArn] === 'string' ? props[PROP.instanceArn] as string : '(unknown)';
      const instance = parseInstanceArn(arn)?.instanceId ?? arn;
      throw securityProfileError(action, name, instance, `${err.message}. Fix the property in the template and deploy again`);
    }
    throw err;
  }
}

async function onCreate(event: CloudFormationCustomResourceEvent, deps: HandleEventDeps): Promise<OnEventResponse> {
  const parsed = parseEvent(event, 'create');
  const identity = await createOrAdopt(event, parsed, deps, 'create');
  await record(event, parsed, identity, deps);
  return response(parsed.desired, identity);
}

async function onUpdate(event: CloudFormationCustomResourceUpdateEvent, deps: HandleEventDeps): Promise<OnEventResponse> {
  const parsed = parseEvent(event, 'update');
  const { desired } = parsed;
  const current = parseSecurityProfileArn(event.PhysicalResourceId);
  let identity: SecurityProfileRef;
  if (!current) {
    deps.logger.info('physical id is not a security profile ARN: creating', { physicalResourceId: event.PhysicalResourceId });
    identity = await createOrAdopt(event, parsed, deps, 'create');
  } else if (current.instanceId !== desired.InstanceId) {
    deps.logger.info('instance changed: replacing security profile', {
      securityProfileName: desired.SecurityProfileName, from: current.instanceId, to: desired.InstanceId,
    });
    identity = await createOrAdopt(event, parsed, deps, 'replace');
  } else {
    identity = await withProfileLease(deps, current, 'update', desired.SecurityProfileName,
      (leased) => reconcileExisting(event, parsed, current, leased));
  }
  await record(event, parsed, identity, deps);
  await forgetFailedReplacement(event, parsed, identity, deps);
  return response(desired, identity);
}

/**
 * Remove the record a failed replacement left. When an Update's `OldResourceProperties` name another
 * instance or name, the profile there is either the one CloudFormation holds (an ordinary replacement:
 * its record stays until its Delete) or, in a rollback Update, one the failed Update it undoes created
 * or adopted and recorded: CloudFormation never learned that profile's id, so no Delete will ever name
 * it, and every sweep would keep checking a profile the stack does not own. The profile itself stays
 * (the next deployment that declares it adopts it); only a record of a profile that is neither the
 * event's physical id nor the one this Update keeps, and that carries this resource's own mark (or none
 * yet), goes, under that profile's lease.
 */
async function forgetFailedReplacement(
  event: CloudFormationCustomResourceUpdateEvent, parsed: Parsed, kept: SecurityProfileRef, deps: HandleEventDeps,
): Promise<void> {
  const store = deps.stateStore;
  const old = (event.OldResourceProperties ?? {}) as Record<string, unknown>;
  const name = old[PROP.securityProfileName];
  const instanceId = parseInstanceArn(old[PROP.instanceArn])?.instanceId;
  if (!store || typeof name !== 'string' || !instanceId) return;
  if (instanceId === parsed.desired.InstanceId && name === parsed.desired.SecurityProfileName) return;
  try {
    const summary = await deps.connect.findSecurityProfileByName(instanceId, name);
    if (!summary?.Id || !summary.Arn || summary.Arn === kept.securityProfileArn || summary.Arn === event.PhysicalResourceId) return;
    const ref = { instanceId, securityProfileId: summary.Id };
    await withProfileLease(deps, ref, 'update', name, async (leased) => {
      let owner: string | undefined;
      try {
        owner = (await leased.connect.describeSecurityProfile(instanceId, summary.Id!)).Tags?.[OWNER_TAG_KEY];
      } catch (err) {
        if (classifyError(err) !== 'not-found') throw err;
      }
      // Gone, ours, or not tagged yet (an adoption that failed before its tag write): CloudFormation
      // holds none of them. A profile marked by anyone else keeps its record.
      if (owner !== undefined && !isOwnMark(owner, parsed.stackId, parsed.logicalResourceId)) return;
      await store.delete(summary.Arn!);
      deps.logger.info('removed the record of a profile a failed replacement left (CloudFormation does not hold it)', {
        securityProfileName: name, instanceId, securityProfileArn: summary.Arn,
      });
    });
  } catch (err) {
    if (err instanceof HandlerError) throw err;
    const kind = classifyError(err);
    if (kind === 'not-found' || kind === 'access-denied' || kind === 'invalid') {
      // The failed target cannot be read (its instance is gone, or the rollback already took the
      // handler's grant on it away): failing would leave the stack in UPDATE_ROLLBACK_FAILED for a
      // record the operator can remove.
      deps.logger.warn('could not look for a record a failed replacement left; if the table holds one for this name, remove it', {
        securityProfileName: name, instanceId, error: String(err),
      });
      return;
    }
    throw securityProfileError('update', parsed.desired.SecurityProfileName, parsed.desired.InstanceId, err);
  }
}

/**
 * Run `work` holding the lease of a profile (when drift reconciliation is on). A deploy waits for a
 * check under way, bounded; a lease left by a crashed writer expires and is taken over. The lease is
 * kept alive while `work` runs, and `work` gets a gateway whose every write attempt checks it.
 */
async function withProfileLease<T>(
  deps: HandleEventDeps, ref: Pick<SecurityProfileRef, 'instanceId' | 'securityProfileId'>, action: string, name: string,
  work: (leased: HandleEventDeps) => Promise<T>,
): Promise<T> {
  if (!deps.leases) return work(deps);
  try {
    return await deps.leases.withLease(stateKey(ref.instanceId, ref.securityProfileId), 'deploy',
      (lease) => work({ ...deps, connect: deps.connect.withWriteGuard(() => lease.ensureHeld()) }), undefined, { keepAlive: true });
  } catch (err) {
    if (err instanceof LeaseTimeoutError) throw securityProfileError(action, name, ref.instanceId, err.message);
    throw err;
  }
}

async function reconcileExisting(
  event: CloudFormationCustomResourceEvent, parsed: Parsed, current: SecurityProfileRef, deps: HandleEventDeps,
): Promise<SecurityProfileRef> {
  const { desired } = parsed;
  try {
    const observed = await observeProfile(deps.connect, current, listsManagedBy(desired));
    const p = plan(desired, observed);
    switch (p.kind) {
      case 'create': {
        deps.logger.warn('security profile not found (deleted out of band, or not visible yet): recreating', {
          securityProfileName: desired.SecurityProfileName, instanceId: desired.InstanceId, securityProfileArn: current.securityProfileArn,
        });
        const recreated = await createOrAdopt(event, parsed, deps, 'recreate');
        // No later event may name the gone ARN (a rollback Update targets the recreated one), so its
        // record goes now, or every sweep would report the gone profile missing.
        if (recreated.securityProfileArn !== current.securityProfileArn) await deps.stateStore?.delete(current.securityProfileArn);
        return recreated;
      }
      case 'replace':
        deps.logger.info('replacing security profile', { securityProfileName: desired.SecurityProfileName, reason: p.reason });
        return await createOrAdopt(event, parsed, deps, 'replace');
      case 'update': {
        // Recorded under the lease even when Connect already matches: after the lease, a check must
        // find this desired state, not the previous one it would put back.
        await record(event, parsed, current, deps);
        if (p.drift.length === 0) {
          deps.logger.info('security profile is up to date', { securityProfileName: desired.SecurityProfileName, instanceId: desired.InstanceId });
          return current;
        }
        await applyPlan(deps.connect, current, desired.SecurityProfileName, p, deps.logger);
        return current;
      }
    }
  } catch (err) {
    if (err instanceof HandlerError) throw err;
    throw securityProfileError('update', desired.SecurityProfileName, desired.InstanceId, err);
  }
}

/**
 * Create the profile; on "duplicate name" adopt the existing one when it carries our owner mark (a
 * retried Create whose first response was lost) or adoption is explicit, and reconcile it.
 */
async function createOrAdopt(
  event: CloudFormationCustomResourceEvent, parsed: Parsed, deps: HandleEventDeps, why: 'create' | 'replace' | 'recreate',
): Promise<SecurityProfileRef> {
  const { desired, settings } = parsed;
  const name = desired.SecurityProfileName;
  try {
    return await createProfile(deps.connect, desired, deps.logger);
  } catch (err) {
    if (classifyError(err) !== 'duplicate') throw securityProfileError('create', name, desired.InstanceId, err);
  }

  try {
    const consistency = { waitMs: deps.consistencyWaitMs ?? 30_000, now: deps.now, sleep: deps.sleep };
    const summary = await untilVisible(() => deps.connect.findSecurityProfileByName(desired.InstanceId, name), consistency);
    if (!summary?.Id || !summary.Arn) {
      throw securityProfileError('create', name, desired.InstanceId,
        'Connect reports that a profile with this name exists, but it does not appear in ListSecurityProfiles yet. Retry the deployment in a minute');
    }
    const held: SecurityProfileRef = {
      instanceArn: desired.InstanceArn, instanceId: desired.InstanceId, securityProfileId: summary.Id, securityProfileArn: summary.Arn,
    };
    const observed = await observeProfile(deps.connect, held, {
      ...listsManagedBy(desired), waitForVisibilityMs: consistency.waitMs, now: deps.now, sleep: deps.sleep,
    });
    if (!observed) {
      throw securityProfileError('create', name, desired.InstanceId,
        `a profile with this name (${summary.Arn}) exists but cannot be read yet. Retry the deployment in a minute`);
    }
    const decision = decideAdoption({
      securityProfileArn: summary.Arn,
      owner: observed.Tags[OWNER_TAG_KEY],
      stackId: parsed.stackId,
      logicalResourceId: parsed.logicalResourceId,
      adoptExisting: settings.adoptExisting,
    });
    if (decision.kind === 'refuse') throw securityProfileError('create', name, desired.InstanceId, decision.reason);
    deps.logger.info(decision.ours ? 'adopting security profile that carries our owner mark' : 'adopting existing security profile (adoptExisting)', {
      securityProfileName: name, instanceId: desired.InstanceId, securityProfileArn: summary.Arn, reason: why,
    });
    const p = plan(desired, observed);
    if (p.kind !== 'update') {
      throw securityProfileError('create', name, desired.InstanceId, `the existing profile ${summary.Arn} cannot be adopted: ${p.reason}`);
    }
    // A profile already recorded (a retried Create) may be under a check: take its lease for the write.
    await withProfileLease(deps, held, 'create', name, async (leased) => {
      await record(event, parsed, held, leased);
      await applyPlan(leased.connect, held, name, p, deps.logger);
    });
    return held;
  } catch (err) {
    if (err instanceof HandlerError) throw err;
    throw securityProfileError('create', name, desired.InstanceId, err);
  }
}

async function onDelete(event: CloudFormationCustomResourceDeleteEvent, deps: HandleEventDeps): Promise<OnEventResponse> {
  const physicalResourceId = event.PhysicalResourceId ?? '';
  const ref = parseSecurityProfileArn(physicalResourceId);
  if (!ref) {
    deps.logger.info('physical id is not a security profile ARN: nothing to delete', { physicalResourceId });
    return { PhysicalResourceId: physicalResourceId };
  }
  const props = (event.ResourceProperties ?? {}) as Record<string, unknown>;
  const name = typeof props[PROP.securityProfileName] === 'string' ? props[PROP.securityProfileName] as string : ref.securityProfileId;
  const where = { securityProfileName: name, instanceId: ref.instanceId, securityProfileArn: ref.securityProfileArn };

  // The record goes first: a Lambda that dies after DeleteSecurityProfile must not leave the record of
  // a deleted profile (a failed cleanup-phase Delete is never sent again, and every sweep would report it
  // missing). A profile whose delete fails is left unmonitored until the Delete is retried.
  await withProfileLease(deps, ref, 'delete', name, async (leased) => {
    if (deps.stateStore) await deps.stateStore.delete(ref.securityProfileArn);
    if (parseRemovalPolicy(event.ResourceProperties) === 'Retain') {
      await release(leased, ref, ownerMark(event.StackId, event.LogicalResourceId), where);
    } else {
      try {
        await leased.connect.deleteSecurityProfile(ref.instanceId, ref.securityProfileId);
        deps.logger.info('deleted security profile', where);
      } catch (err) {
        const kind = classifyError(err);
        if (kind === 'not-found') {
          deps.logger.info('security profile already gone', where);
        } else if (kind === 'in-use') {
          throw securityProfileError('delete', name, ref.instanceId, await inUseReason(deps, ref.instanceId, ref.securityProfileId));
        } else {
          throw securityProfileError('delete', name, ref.instanceId, err);
        }
      }
    }
  });
  await deps.leases?.forget(stateKey(ref.instanceId, ref.securityProfileId));
  return { PhysicalResourceId: physicalResourceId };
}

/**
 * Leave a retained profile in Connect without our owner mark, so that no later resource (the same
 * stack deployed again, with the same logical id) adopts it silently, and another can adopt it with
 * adoptExisting. A mark that is not ours (someone took the profile over) is left alone.
 */
async function release(deps: HandleEventDeps, ref: SecurityProfileRef, mark: string, where: Record<string, unknown>): Promise<void> {
  let liveOwner: string | undefined;
  try {
    liveOwner = (await deps.connect.describeSecurityProfile(ref.instanceId, ref.securityProfileId)).Tags?.[OWNER_TAG_KEY];
  } catch (err) {
    if (classifyError(err) === 'not-found') {
      deps.logger.info('removal policy is Retain, and the security profile is already gone', where);
      return;
    }
    throw securityProfileError('delete', String(where.securityProfileName), ref.instanceId, err);
  }
  if (liveOwner === mark) {
    await deps.connect.untagResource(ref.securityProfileArn, [OWNER_TAG_KEY]);
    deps.logger.info('removal policy is Retain: left the security profile in Connect and released it (owner tag removed)', where);
  } else {
    deps.logger.info('removal policy is Retain: left the security profile in Connect (its owner tag is not this resource\'s)', { ...where, liveOwner });
  }
}

async function inUseReason(deps: HandleEventDeps, instanceId: string, securityProfileId: string): Promise<string> {
  const advice = 'Assign those users other security profiles (or delete them), then delete the stack or resource again; '
    + 'or set removalPolicy RETAIN to leave the profile in Connect';
  try {
    const { users, approximateTotal } = await findUsersWithSecurityProfile(deps.connect, instanceId, securityProfileId, IN_USE_USERS_SHOWN);
    if (users.length === 0) return `the profile is still in use (ResourceInUseException). ${advice}`;
    const total = Math.max(approximateTotal ?? users.length, users.length);
    const names = users.map((u) => u.username).join(', ');
    const more = total > users.length ? ` and about ${total - users.length} more` : '';
    return `the profile is still assigned to ${total} user(s): ${names}${more}. ${advice}`;
  } catch (err) {
    deps.logger.warn('could not list the users of the security profile', { error: String(err) });
    return `the profile is still in use (ResourceInUseException; listing its users failed: ${String(err)}). ${advice}`;
  }
}

/** The ARN each event's desired state was recorded for: an event records it once. */
const recorded = new WeakMap<Parsed, string>();

async function record(
  event: CloudFormationCustomResourceEvent, parsed: Parsed, identity: SecurityProfileRef, deps: HandleEventDeps,
): Promise<void> {
  const store = deps.stateStore;
  if (!store || recorded.get(parsed) === identity.securityProfileArn) return;
  recorded.set(parsed, identity.securityProfileArn);
  if (parsed.settings.driftMode === 'DISABLED') {
    await store.delete(identity.securityProfileArn);
    return;
  }
  await store.put({
    securityProfileArn: identity.securityProfileArn,
    securityProfileId: identity.securityProfileId,
    instanceId: parsed.desired.InstanceId,
    ownerMark: parsed.owner,
    stackId: event.StackId,
    logicalResourceId: event.LogicalResourceId,
    driftMode: parsed.settings.driftMode,
    desired: parsed.desired,
    updatedAt: (deps.now ?? Date.now)(),
  });
}

function response(desired: SecurityProfileState, identity: SecurityProfileRef): OnEventResponse {
  return {
    PhysicalResourceId: identity.securityProfileArn,
    Data: {
      SecurityProfileId: identity.securityProfileId,
      SecurityProfileArn: identity.securityProfileArn,
      SecurityProfileName: desired.SecurityProfileName,
      InstanceId: desired.InstanceId,
    },
  };
}
