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
import { applyPlan, createProfile } from './apply';
import type { ConnectApi, SecurityProfileIdentity } from './connect-api';
import { HandlerError, classifyError, securityProfileError } from './errors';
import { LeaseTable, LeaseTimeoutError } from './lease';
import { HandlerLogger, eventSummary } from './logger';
import { observeProfile } from './observe';
import { isOwnMark, isSameStackMark, markedLogicalId, ownerMark, stackNameOf } from './owner';
import { plan } from './plan';
import { DesiredSecurityProfile, InvalidPropertyError, ResourceSettings, parseProperties, parseRemovalPolicy } from './properties';
import { findUsersWithSecurityProfile } from './search-users';
import { DesiredStateStore, stateKey } from './state-table';
import { SecurityProfileArnParts, parseInstanceArn, parseSecurityProfileArn } from '../src/private/arns';
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
  readonly desired: DesiredSecurityProfile;
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
    return { desired: { ...profile, ownerMark: owner }, settings, owner, stackName: stackNameOf(event.StackId), ...ids };
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
  let identity: SecurityProfileIdentity;
  if (!current) {
    deps.logger.info('physical id is not a security profile ARN: creating', { physicalResourceId: event.PhysicalResourceId });
    identity = await createOrAdopt(event, parsed, deps, 'create');
  } else if (current.instanceId !== desired.instanceId) {
    deps.logger.info('instance changed: replacing security profile', {
      securityProfileName: desired.securityProfileName, from: current.instanceId, to: desired.instanceId,
    });
    identity = await createOrAdopt(event, parsed, deps, 'replace');
  } else {
    identity = await withProfileLease(deps, current, 'update', desired.securityProfileName,
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
  event: CloudFormationCustomResourceUpdateEvent, parsed: Parsed, kept: SecurityProfileIdentity, deps: HandleEventDeps,
): Promise<void> {
  const store = deps.stateStore;
  const old = (event.OldResourceProperties ?? {}) as Record<string, unknown>;
  const name = old[PROP.securityProfileName];
  const instanceId = parseInstanceArn(old[PROP.instanceArn])?.instanceId;
  if (!store || typeof name !== 'string' || !instanceId) return;
  if (instanceId === parsed.desired.instanceId && name === parsed.desired.securityProfileName) return;
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
    throw securityProfileError('update', parsed.desired.securityProfileName, parsed.desired.instanceId, err);
  }
}

/**
 * Run `work` holding the lease of a profile (when drift reconciliation is on). A deploy waits for a
 * check under way, bounded; a lease left by a crashed writer expires and is taken over. The lease is
 * kept alive while `work` runs, and `work` gets a gateway whose every write attempt checks it.
 */
async function withProfileLease<T>(
  deps: HandleEventDeps, ref: { instanceId: string; securityProfileId: string }, action: string, name: string,
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
  event: CloudFormationCustomResourceEvent, parsed: Parsed, current: SecurityProfileArnParts, deps: HandleEventDeps,
): Promise<SecurityProfileIdentity> {
  const { desired } = parsed;
  try {
    const observed = await observeProfile(deps.connect, current, observeOptions(desired));
    const p = plan(desired, observed);
    switch (p.kind) {
      case 'create': {
        deps.logger.warn('security profile not found (deleted out of band, or not visible yet): recreating', {
          securityProfileName: desired.securityProfileName, instanceId: desired.instanceId, securityProfileArn: current.securityProfileArn,
        });
        const recreated = await createOrAdopt(event, parsed, deps, 'recreate');
        // No later event may name the gone ARN (a rollback Update targets the recreated one), so its
        // record goes now, or every sweep would report the gone profile missing.
        if (recreated.securityProfileArn !== current.securityProfileArn) await deps.stateStore?.delete(current.securityProfileArn);
        return recreated;
      }
      case 'replace':
        deps.logger.info('replacing security profile', { securityProfileName: desired.securityProfileName, reason: p.reason });
        return await createOrAdopt(event, parsed, deps, 'replace');
      case 'update': {
        const identity = { securityProfileId: current.securityProfileId, securityProfileArn: current.securityProfileArn };
        // Recorded under the lease even when Connect already matches: after the lease, a check must
        // find this desired state, not the previous one it would put back.
        await record(event, parsed, identity, deps);
        if (p.drift.length === 0) {
          deps.logger.info('security profile is up to date', { securityProfileName: desired.securityProfileName, instanceId: desired.instanceId });
          return identity;
        }
        const target = { ...identity, instanceId: desired.instanceId, securityProfileName: desired.securityProfileName };
        await applyPlan(deps.connect, target, p, deps.logger);
        return identity;
      }
    }
  } catch (err) {
    if (err instanceof HandlerError) throw err;
    throw securityProfileError('update', desired.securityProfileName, desired.instanceId, err);
  }
}

/**
 * Create the profile; on "duplicate name" adopt the existing one when it carries our owner mark (a
 * retried Create whose first response was lost) or adoption is explicit, and reconcile it.
 */
async function createOrAdopt(
  event: CloudFormationCustomResourceEvent, parsed: Parsed, deps: HandleEventDeps, why: 'create' | 'replace' | 'recreate',
): Promise<SecurityProfileIdentity> {
  const { desired, settings } = parsed;
  const name = desired.securityProfileName;
  try {
    return await createProfile(deps.connect, desired, deps.logger);
  } catch (err) {
    if (classifyError(err) !== 'duplicate') throw securityProfileError('create', name, desired.instanceId, err);
  }

  try {
    const summary = await findVisible(deps, desired.instanceId, name);
    if (!summary?.Id || !summary.Arn) {
      throw securityProfileError('create', name, desired.instanceId,
        'Connect reports that a profile with this name exists, but it does not appear in ListSecurityProfiles yet. Retry the deployment in a minute');
    }
    const observed = await observeProfile(deps.connect, { instanceId: desired.instanceId, securityProfileId: summary.Id }, {
      ...observeOptions(desired), waitForVisibilityMs: deps.consistencyWaitMs ?? 30_000, now: deps.now, sleep: deps.sleep,
    });
    if (!observed) {
      throw securityProfileError('create', name, desired.instanceId,
        `a profile with this name (${summary.Arn}) exists but cannot be read yet. Retry the deployment in a minute`);
    }
    const owner = observed.tags[OWNER_TAG_KEY];
    const ours = owner !== undefined && isOwnMark(owner, parsed.stackId, parsed.logicalResourceId);
    if (owner !== undefined && !ours && isSameStackMark(owner, parsed.stackId)) {
      // Another resource of this same stack owns the name (a rename onto a sibling's name, or two
      // profiles swapping names). Adopting it would leave two resources managing one profile, and the
      // cleanup Delete of the replaced resource would then delete a live profile: refuse, even with
      // adoptExisting.
      const sibling = markedLogicalId(owner);
      throw securityProfileError('create', name, desired.instanceId,
        `the name is held by another resource of this stack (${sibling}: ${summary.Arn}), and two resources cannot manage one profile. `
        + `To move the name, deploy twice: first rename ${sibling}'s profile to a free name, then give this resource the name`);
    }
    if (owner !== undefined && !ours && managedByAnotherStack(owner)) {
      // A live owner mark of another stack: that stack still manages the profile (a stack that releases
      // a profile removes the mark). Two stacks would flip it on every sweep, and the other stack's
      // removal would delete it under this one: refuse, even with adoptExisting.
      const otherStack = owner.slice(0, owner.indexOf('/'));
      throw securityProfileError('create', name, desired.instanceId,
        `a security profile with this name already exists (${summary.Arn}) and stack "${otherStack}" manages it `
        + `(its ${OWNER_TAG_KEY} tag is "${owner}"). To hand it over, set removalPolicy RETAIN on it in "${otherStack}" and `
        + 'remove it from that stack (the removal releases it), then deploy this stack with adoptExisting: true. '
        + `If "${otherStack}" no longer exists, remove the ${OWNER_TAG_KEY} tag from the profile first`);
    }
    if (!ours && !settings.adoptExisting) {
      const whose = owner === undefined ? 'it has no owner tag' : `its ${OWNER_TAG_KEY} tag is "${owner}"`;
      throw securityProfileError('create', name, desired.instanceId,
        `a security profile with this name already exists (${summary.Arn}) and this resource does not own it (${whose}). `
        + 'To manage it from this stack, set adoptExisting: true on the SecurityProfile (property AdoptExisting "true"); '
        + 'to use it without managing it, import it with SecurityProfile.fromSecurityProfileArn; '
        + 'otherwise choose another securityProfileName or delete the existing profile');
    }
    deps.logger.info(ours ? 'adopting security profile that carries our owner mark' : 'adopting existing security profile (adoptExisting)', {
      securityProfileName: name, instanceId: desired.instanceId, securityProfileArn: summary.Arn, reason: why,
    });
    const p = plan(desired, observed);
    if (p.kind !== 'update') {
      throw securityProfileError('create', name, desired.instanceId, `the existing profile ${summary.Arn} cannot be adopted: ${p.reason}`);
    }
    const identity = { securityProfileId: summary.Id, securityProfileArn: summary.Arn };
    // A profile already recorded (a retried Create) may be under a check: take its lease for the write.
    await withProfileLease(deps, { instanceId: desired.instanceId, securityProfileId: summary.Id }, 'create', name, async (leased) => {
      await record(event, parsed, identity, leased);
      await applyPlan(leased.connect, { ...identity, instanceId: desired.instanceId, securityProfileName: name }, p, deps.logger);
    });
    return identity;
  } catch (err) {
    if (err instanceof HandlerError) throw err;
    throw securityProfileError('create', name, desired.instanceId, err);
  }
}

/** ListSecurityProfiles until the named profile shows up or the consistency window passes. */
async function findVisible(deps: HandleEventDeps, instanceId: string, name: string) {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + (deps.consistencyWaitMs ?? 30_000);
  let delay = 100;
  for (;;) {
    const found = await deps.connect.findSecurityProfileByName(instanceId, name);
    if (found || now() >= deadline) return found;
    await sleep(Math.min(delay, Math.max(1, deadline - now())));
    delay = Math.min(delay * 2, 2000);
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
async function release(deps: HandleEventDeps, ref: SecurityProfileArnParts, mark: string, where: Record<string, unknown>): Promise<void> {
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
  event: CloudFormationCustomResourceEvent, parsed: Parsed, identity: SecurityProfileIdentity, deps: HandleEventDeps,
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
    instanceId: parsed.desired.instanceId,
    ownerMark: parsed.owner,
    stackId: event.StackId,
    logicalResourceId: event.LogicalResourceId,
    driftMode: parsed.settings.driftMode,
    desired: parsed.desired,
    updatedAt: (deps.now ?? Date.now)(),
  });
}

/** Whether an owner mark names another stack (`<stackName>/<logicalId>` of a stack that is not ours). */
function managedByAnotherStack(owner: string): boolean {
  return owner.includes('/');
}

function observeOptions(desired: DesiredSecurityProfile) {
  return { flowModules: desired.allowedFlowModules !== undefined, aiAgents: desired.allowedAIAgents !== undefined };
}

function response(desired: DesiredSecurityProfile, identity: SecurityProfileIdentity): OnEventResponse {
  return {
    PhysicalResourceId: identity.securityProfileArn,
    Data: {
      SecurityProfileId: identity.securityProfileId,
      SecurityProfileArn: identity.securityProfileArn,
      SecurityProfileName: desired.securityProfileName,
      InstanceId: desired.instanceId,
    },
  };
}
