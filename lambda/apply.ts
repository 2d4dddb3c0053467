/**
 * The executor: issues only the calls a plan needs, and creates profiles.
 */
import { CreateSecurityProfileCommandInput, UpdateSecurityProfileCommandInput } from '@aws-sdk/client-connect';
import type { ConnectApi, SecurityProfileIdentity } from './connect-api';
import type { HandlerLogger } from './logger';
import type { UpdatePlan } from './plan';
import type { DesiredSecurityProfile } from './properties';
import { OWNER_TAG_KEY } from '../src/private/contract';

/** The profile a plan applies to. */
export interface ApplyTarget {
  /** The instance id. */
  readonly instanceId: string;
  /** The security profile id. */
  readonly securityProfileId: string;
  /** The security profile ARN (for tag calls). */
  readonly securityProfileArn: string;
  /** The name (for logs). */
  readonly securityProfileName: string;
}

/**
 * Send one UpdateSecurityProfile with the fields that differ, then UntagResource and TagResource for the
 * tags that differ. Sends nothing for a no-op plan.
 *
 * Untag before tag: Connect counts the tags of a resource after merging (at most 50), so renaming a key on
 * a profile at the limit must free the old key's slot before the new key takes one. Neither call touches
 * the owner tag unless the plan says so, and an interrupted pair leaves a state the next reconcile repairs.
 *
 * @returns the actions taken, e.g. `['UpdateSecurityProfile', 'TagResource']`
 */
export async function applyPlan(api: ConnectApi, target: ApplyTarget, plan: UpdatePlan, logger: HandlerLogger): Promise<string[]> {
  const actions: string[] = [];
  const where = { securityProfileName: target.securityProfileName, instanceId: target.instanceId, securityProfileId: target.securityProfileId };
  if (plan.update) {
    // the payload types carry enum values as plain strings; properties.ts validated them against the enums
    const fields = plan.update as Omit<UpdateSecurityProfileCommandInput, 'InstanceId' | 'SecurityProfileId'>;
    await api.updateSecurityProfile({ InstanceId: target.instanceId, SecurityProfileId: target.securityProfileId, ...fields });
    logger.info('updated security profile', { ...where, fields: Object.keys(plan.update).sort() });
    actions.push('UpdateSecurityProfile');
  }
  if (plan.tagKeysToRemove.length > 0) {
    await api.untagResource(target.securityProfileArn, [...plan.tagKeysToRemove]);
    logger.info('untagged security profile', { ...where, tagKeys: plan.tagKeysToRemove });
    actions.push('UntagResource');
  }
  const toSet = Object.keys(plan.tagsToSet);
  if (toSet.length > 0) {
    await api.tagResource(target.securityProfileArn, { ...plan.tagsToSet });
    logger.info('tagged security profile', { ...where, tagKeys: toSet.sort() });
    actions.push('TagResource');
  }
  return actions;
}

/**
 * The CreateSecurityProfile input for a desired state: every non-empty field, the tags plus the owner tag.
 */
export function createInput(desired: DesiredSecurityProfile): CreateSecurityProfileCommandInput {
  const tags: Record<string, string> = { ...desired.tags };
  if (desired.ownerMark !== undefined) tags[OWNER_TAG_KEY] = desired.ownerMark;
  const input: CreateSecurityProfileCommandInput = {
    InstanceId: desired.instanceId,
    SecurityProfileName: desired.securityProfileName,
  };
  if (desired.description) input.Description = desired.description;
  if (desired.permissions.length) input.Permissions = [...desired.permissions];
  if (Object.keys(tags).length) input.Tags = tags;
  if (Object.keys(desired.allowedAccessControlTags).length) input.AllowedAccessControlTags = { ...desired.allowedAccessControlTags };
  if (desired.tagRestrictedResources.length) input.TagRestrictedResources = [...desired.tagRestrictedResources];
  if (desired.applications.length) {
    input.Applications = desired.applications.map((a) => ({
      Namespace: a.Namespace,
      ApplicationPermissions: [...a.ApplicationPermissions],
      ...(a.Type ? { Type: a.Type as 'MCP' | 'THIRD_PARTY_APPLICATION' } : {}),
    }));
  }
  if (desired.hierarchyRestrictedResources.length) input.HierarchyRestrictedResources = [...desired.hierarchyRestrictedResources];
  if (desired.allowedAccessControlHierarchyGroupId) input.AllowedAccessControlHierarchyGroupId = desired.allowedAccessControlHierarchyGroupId;
  if (desired.granularAccessControlConfiguration) {
    input.GranularAccessControlConfiguration = desired.granularAccessControlConfiguration as CreateSecurityProfileCommandInput['GranularAccessControlConfiguration'];
  }
  if (desired.allowedFlowModules?.length) {
    input.AllowedFlowModules = desired.allowedFlowModules.map((m) => ({ Type: m.Type as 'MCP', FlowModuleId: m.FlowModuleId }));
  }
  if (desired.allowedAIAgents?.length) {
    input.AllowedAIAgents = desired.allowedAIAgents.map((a) => ({ Arn: a.Arn, Type: a.Type as 'THIRD_PARTY' }));
  }
  return input;
}

/**
 * CreateSecurityProfile with every field of the desired state.
 */
export async function createProfile(api: ConnectApi, desired: DesiredSecurityProfile, logger: HandlerLogger): Promise<SecurityProfileIdentity> {
  const identity = await api.createSecurityProfile(createInput(desired));
  logger.info('created security profile', {
    securityProfileName: desired.securityProfileName, instanceId: desired.instanceId, ...identity,
  });
  return identity;
}
