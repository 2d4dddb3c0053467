/**
 * The executor of a holder plan: only the calls the plan needs, through the rate-limited gateway.
 *
 * SearchUsers is eventually consistent and a console user may edit a user at any moment, so each user's
 * profiles are read again (DescribeUser) right before the write, the change is rebuilt from that fresh set
 * (the managed profile added or removed, nothing else), and the rules are checked again on it. `beforeWrite`
 * runs before every write (the caller renews its lease there, and a lost lease stops the writes).
 */
import type { RestrictionLookup } from './assignment-observe';
import type { HolderChanges, HolderPlan, RefusedUser, UserChange } from './assignment-plan';
import type { ConnectApi } from './connect-api';
import { ConnectApiError, classifyError } from './errors';
import type { HandlerLogger } from './logger';
import { MAX_PROFILES_PER_USER, MAX_RESTRICTED_PROFILES_PER_USER } from '../src/private/assignment-contract';

/** Where the plan applies. */
export interface HolderTarget {
  readonly instanceId: string;
  readonly securityProfileId: string;
  readonly profileRestricted: boolean;
}

/** What `applyHolderPlan` needs beyond the target and the plan. */
export interface ApplyHolderOptions {
  readonly logger: HandlerLogger;
  readonly restrictions: RestrictionLookup;
  /** Called before every write. @default nothing */
  readonly beforeWrite?: () => Promise<void>;
}

/** Apply the plan; returns the changes made and the holders the assignment answers for afterwards. */
export async function applyHolderPlan(api: ConnectApi, target: HolderTarget, plan: HolderPlan, options: ApplyHolderOptions): Promise<HolderChanges> {
  const { instanceId, securityProfileId: profile } = target;
  const beforeWrite = options.beforeWrite ?? (async () => undefined);
  const added = new Set(plan.added);
  const assigned: UserChange[] = [];
  const unassigned: UserChange[] = [];
  const refused: RefusedUser[] = [];

  for (const change of plan.add) {
    const now = await currentProfiles(api, instanceId, change.userId);
    if (now === undefined) {
      options.logger.info('user no longer exists: not assigned', { userId: change.userId, username: change.username });
      added.delete(change.userId);
      continue;
    }
    if (now.includes(profile)) continue;
    const refusal = await refuseAdding(target, options.restrictions, change, now);
    if (refusal) {
      refused.push(refusal);
      added.delete(change.userId);
      continue;
    }
    const to = [...now, profile];
    await beforeWrite();
    await api.updateUserSecurityProfiles(instanceId, change.userId, to);
    assigned.push({ ...change, from: now, to });
    options.logger.info('security profile assigned', { userId: change.userId, username: change.username, securityProfileId: profile });
  }

  for (const change of plan.remove) {
    const now = await currentProfiles(api, instanceId, change.userId);
    if (now === undefined || !now.includes(profile)) {
      added.delete(change.userId);
      continue;
    }
    const to = now.filter((id) => id !== profile);
    if (to.length === 0) {
      refused.push({ userId: change.userId, username: change.username, reason: 'last-profile' });
      added.add(change.userId);
      continue;
    }
    await beforeWrite();
    await api.updateUserSecurityProfiles(instanceId, change.userId, to);
    added.delete(change.userId);
    unassigned.push({ ...change, from: now, to });
    options.logger.info('security profile unassigned', { userId: change.userId, username: change.username, securityProfileId: profile });
  }

  for (const arn of plan.associate) {
    await beforeWrite();
    try {
      await api.associateAIAgentSecurityProfiles(instanceId, arn, [profile]);
    } catch (error) {
      // associated meanwhile: the state the plan wanted
      if (!(error instanceof ConnectApiError && error.errorName === 'ResourceConflictException')) throw error;
    }
    options.logger.info('security profile associated with AI agent', { aiAgentArn: arn, securityProfileId: profile });
  }
  for (const arn of plan.disassociate) {
    await beforeWrite();
    try {
      await api.disassociateAIAgentSecurityProfiles(instanceId, arn, [profile]);
    } catch (error) {
      if (classifyError(error) !== 'not-found') throw error;
    }
    options.logger.info('security profile disassociated from AI agent', { aiAgentArn: arn, securityProfileId: profile });
  }

  return {
    add: assigned,
    remove: unassigned,
    refused,
    associate: [...plan.associate],
    disassociate: [...plan.disassociate],
    added: [...added].sort(),
    addedAgents: [...plan.addedAgents],
  };
}

/** The user's profiles now; undefined when the user no longer exists. */
async function currentProfiles(api: ConnectApi, instanceId: string, userId: string): Promise<string[] | undefined> {
  try {
    return [...((await api.describeUser(instanceId, userId)).SecurityProfileIds ?? [])];
  } catch (error) {
    if (classifyError(error) === 'not-found') return undefined;
    throw error;
  }
}

async function refuseAdding(
  target: HolderTarget, restrictions: RestrictionLookup, change: UserChange, now: string[],
): Promise<RefusedUser | undefined> {
  if (now.length >= MAX_PROFILES_PER_USER) return { userId: change.userId, username: change.username, reason: 'profile-limit' };
  if (!target.profileRestricted) return undefined;
  const restricted = [...await restrictions.restrictedAmong(now)];
  if (restricted.length + 1 > MAX_RESTRICTED_PROFILES_PER_USER) {
    return { userId: change.userId, username: change.username, reason: 'restricted', restrictedProfileIds: restricted.sort() };
  }
  return undefined;
}
