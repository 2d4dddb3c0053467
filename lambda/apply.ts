/**
 * The executor: issues only the calls a plan needs, and creates profiles.
 */
import { CreateSecurityProfileCommandInput, UpdateSecurityProfileCommandInput } from '@aws-sdk/client-connect';
import type { ConnectApi } from './connect-api';
import type { HandlerLogger } from './logger';
import type { UpdatePlan } from './plan';
import type { SecurityProfileRef, SecurityProfileState } from './profile-state';

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
export async function applyPlan(
  api: ConnectApi, target: SecurityProfileRef, name: string, plan: UpdatePlan, logger: HandlerLogger,
): Promise<string[]> {
  const actions: string[] = [];
  const where = { securityProfileName: name, instanceId: target.instanceId, securityProfileId: target.securityProfileId };
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
 * The CreateSecurityProfile input for a desired state: every non-empty field (the tags with the owner tag).
 */
export function createInput(desired: SecurityProfileState): CreateSecurityProfileCommandInput {
  const input: CreateSecurityProfileCommandInput = {
    InstanceId: desired.InstanceId,
    SecurityProfileName: desired.SecurityProfileName,
  };
  if (desired.Description) input.Description = desired.Description;
  if (desired.Permissions.length) input.Permissions = [...desired.Permissions];
  if (Object.keys(desired.Tags).length) input.Tags = { ...desired.Tags };
  if (Object.keys(desired.AllowedAccessControlTags).length) input.AllowedAccessControlTags = { ...desired.AllowedAccessControlTags };
  if (desired.TagRestrictedResources.length) input.TagRestrictedResources = [...desired.TagRestrictedResources];
  if (desired.Applications.length) {
    input.Applications = desired.Applications.map((a) => ({
      Namespace: a.Namespace,
      ApplicationPermissions: [...a.ApplicationPermissions],
      ...(a.Type ? { Type: a.Type as 'MCP' | 'THIRD_PARTY_APPLICATION' } : {}),
    }));
  }
  if (desired.HierarchyRestrictedResources.length) input.HierarchyRestrictedResources = [...desired.HierarchyRestrictedResources];
  if (desired.AllowedAccessControlHierarchyGroupId) input.AllowedAccessControlHierarchyGroupId = desired.AllowedAccessControlHierarchyGroupId;
  if (desired.GranularAccessControlConfiguration) {
    input.GranularAccessControlConfiguration = desired.GranularAccessControlConfiguration as CreateSecurityProfileCommandInput['GranularAccessControlConfiguration'];
  }
  if (desired.AllowedFlowModules?.length) {
    input.AllowedFlowModules = desired.AllowedFlowModules.map((m) => ({ Type: m.Type as 'MCP', FlowModuleId: m.FlowModuleId }));
  }
  if (desired.AllowedAIAgents?.length) {
    input.AllowedAIAgents = desired.AllowedAIAgents.map((a) => ({ Arn: a.Arn, Type: a.Type as 'THIRD_PARTY' }));
  }
  return input;
}

/**
 * CreateSecurityProfile with every field of the desired state.
 */
export async function createProfile(api: ConnectApi, desired: SecurityProfileState, logger: HandlerLogger): Promise<SecurityProfileRef> {
  const created = await api.createSecurityProfile(createInput(desired));
  logger.info('created security profile', {
    securityProfileName: desired.SecurityProfileName, instanceId: desired.InstanceId, ...created,
  });
  return { instanceArn: desired.InstanceArn, instanceId: desired.InstanceId, ...created };
}
