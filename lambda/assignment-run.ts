/**
 * One reconciliation of an assignment's holders, shared by the deploy-time handler and the sweep: observe,
 * plan, and (when the caller decides to) record the intent, apply and record the outcome.
 */
import { applyHolderPlan } from './assignment-apply';
import type { DesiredAssignment } from './assignment-desired';
import { ObservedHolders, observeHolders, RecordedHolders, RestrictionLookup } from './assignment-observe';
import { describeRefusal, HolderChanges, HolderPlan, planHolders } from './assignment-plan';
import type { ConnectApi } from './connect-api';
import type { HandlerLogger } from './logger';
import { ASSIGNMENT_PROP } from '../src/private/assignment-contract';

/** An observed assignment and its plan. */
export interface PlannedHolders {
  readonly observed: ObservedHolders;
  readonly plan: HolderPlan;
  readonly restrictions: RestrictionLookup;
}

/** Observe and plan (reads only). */
export async function planAssignment(api: ConnectApi, desired: DesiredAssignment, recorded: RecordedHolders): Promise<PlannedHolders> {
  const restrictions = new RestrictionLookup(api, desired.instanceId);
  const observed = await observeHolders(api, desired, recorded, restrictions);
  return { observed, plan: planHolders(observed), restrictions };
}

/** What `applyAssignment` needs beyond the plan. */
export interface ApplyAssignmentOptions {
  readonly logger: HandlerLogger;
  /** Before every write to Connect (renew the lease). */
  readonly beforeWrite: () => Promise<void>;
  /** Record the holders the assignment answers for. */
  readonly saveHolders: (added: readonly string[], addedAgents: readonly string[]) => Promise<void>;
}

/**
 * Apply a plan with its intent recorded first: the users and AI agents about to get the profile are recorded
 * before any write, so a writer that dies midway leaves a record that names every holder it gave the profile.
 */
export async function applyAssignment(
  api: ConnectApi, desired: DesiredAssignment, planned: PlannedHolders, options: ApplyAssignmentOptions,
): Promise<HolderChanges> {
  const { plan, observed } = planned;
  if (plan.changeCount > 0) {
    const intent = new Set([...observed.added, ...plan.added]);
    const intentAgents = new Set([...observed.addedAgents, ...plan.addedAgents]);
    await options.saveHolders([...intent], [...intentAgents]);
  }
  const outcome = await applyHolderPlan(api, {
    instanceId: desired.instanceId,
    securityProfileId: desired.securityProfileId,
    profileRestricted: observed.profileRestricted,
  }, plan, { logger: options.logger, restrictions: planned.restrictions, beforeWrite: options.beforeWrite });
  await options.saveHolders(outcome.added, outcome.addedAgents);
  return outcome;
}

/** The safety valve's message: the count, the limit and the prop to raise. */
export function valveMessage(plan: HolderPlan, desired: DesiredAssignment): string {
  return `the assignment needs ${plan.changeCount} changes (${plan.add.length} user(s) to add, ${plan.remove.length} to remove, `
    + `${plan.associate.length} AI agent(s) to associate, ${plan.disassociate.length} to disassociate), more than maxChangesPerRun `
    + `(${desired.maxChangesPerRun}); nothing was written. If the selection is right, raise \`maxChangesPerRun\` on the SecurityProfileAssignment `
    + `(property ${ASSIGNMENT_PROP.maxChangesPerRun}) to at least ${plan.changeCount}; otherwise narrow the selection`;
}

/** Log each refusal of a plan (or of its application) as a warning. */
export function logRefusals(logger: HandlerLogger, refusals: HolderPlan['refused'], where: Record<string, unknown>): void {
  for (const refusal of refusals) {
    logger.warn('holder change refused by a rule', { ...where, userId: refusal.userId, username: refusal.username, reason: refusal.reason, detail: describeRefusal(refusal) });
  }
}
