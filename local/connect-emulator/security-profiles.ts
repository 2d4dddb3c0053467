import { epochSeconds, HandlerContext, OperationHandler } from './context';
import { associatedEntity } from './entity-profiles';
import { ConnectError, invalidParameter, notFound } from './errors';
import { newProfile } from './instances';
import { paginate } from './pagination';
import { checkTagCount, InstanceRecord, ProfileRecord } from './state';

/** Is the profile visible to reads yet (the eventual-consistency knob)? */
export function visible(profile: ProfileRecord, ctx: HandlerContext): boolean {
  return ctx.consistencyDelayMs <= 0 || ctx.now >= profile.createdAt + ctx.consistencyDelayMs;
}

/** A profile for a read operation: not found while the consistency delay hides it. */
function readableProfile(ctx: HandlerContext, instance: InstanceRecord, id: string): ProfileRecord {
  const profile = ctx.store.profile(instance, id);
  if (!visible(profile, ctx)) {
    throw notFound(`security profile ${id} was not found in instance ${instance.id}`);
  }
  return profile;
}

/** The semantic rules of Create/UpdateSecurityProfile that the model does not express. */
function checkProfileRules(input: any, instance: InstanceRecord, ctx: HandlerContext): void {
  for (const name of input.HierarchyRestrictedResources ?? []) {
    if (name !== 'User') {
      throw invalidParameter(`HierarchyRestrictedResources contains '${name}'; the only acceptable resource name is 'User'`);
    }
  }
  const groupId = input.AllowedAccessControlHierarchyGroupId;
  if (typeof groupId === 'string' && groupId !== '') {
    ctx.store.group(instance, groupId, (m) => new ConnectError('ResourceNotFoundException',
      `AllowedAccessControlHierarchyGroupId: ${m}; create the group first or pass an existing group id`));
  }
  for (const app of input.Applications ?? []) {
    if (app.Type === 'THIRD_PARTY_APPLICATION') {
      const extra = (app.ApplicationPermissions ?? []).filter((p: string) => p !== 'ACCESS');
      if (extra.length > 0) {
        throw invalidParameter(`Applications: third-party application '${app.Namespace}' has permissions ${JSON.stringify(extra)}; only ACCESS is supported for THIRD_PARTY_APPLICATION`);
      }
    }
  }
}

/** Store the members present in `input` (an omitted member is unchanged; [] {} "" clear). */
function applyProfileMembers(profile: ProfileRecord, input: any): void {
  if (input.Description !== undefined) {
    profile.description = input.Description === '' ? undefined : input.Description;
  }
  if (input.Permissions !== undefined) {
    profile.permissions = [...new Set<string>(input.Permissions)];
  }
  if (input.AllowedAccessControlTags !== undefined) {
    profile.allowedAccessControlTags = { ...input.AllowedAccessControlTags };
  }
  if (input.TagRestrictedResources !== undefined) {
    profile.tagRestrictedResources = [...input.TagRestrictedResources];
  }
  if (input.Applications !== undefined) {
    profile.applications = structuredClone(input.Applications);
  }
  if (input.HierarchyRestrictedResources !== undefined) {
    profile.hierarchyRestrictedResources = [...input.HierarchyRestrictedResources];
  }
  if (input.AllowedAccessControlHierarchyGroupId !== undefined) {
    profile.allowedAccessControlHierarchyGroupId = input.AllowedAccessControlHierarchyGroupId === '' ? undefined : input.AllowedAccessControlHierarchyGroupId;
  }
  if (input.AllowedFlowModules !== undefined) {
    profile.allowedFlowModules = structuredClone(input.AllowedFlowModules);
  }
  if (input.AllowedAIAgents !== undefined) {
    profile.allowedAIAgents = structuredClone(input.AllowedAIAgents);
  }
  if (input.GranularAccessControlConfiguration !== undefined) {
    const g = input.GranularAccessControlConfiguration;
    profile.granularAccessControlConfiguration = g && Object.keys(g).length > 0 ? structuredClone(g) : undefined;
  }
}

const createSecurityProfile: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  checkProfileRules(input, instance, ctx);
  for (const p of instance.profiles.values()) {
    if (p.name === input.SecurityProfileName) {
      throw new ConnectError('DuplicateResourceException',
        `a security profile named '${p.name}' already exists in instance ${instance.id} (id ${p.id}); choose another name or update that profile`);
    }
  }
  if (instance.profiles.size >= instance.profileQuota) {
    throw new ConnectError('LimitExceededException',
      `instance ${instance.id} already has ${instance.profiles.size} security profiles, the quota (L-F325A715) is ${instance.profileQuota}; delete profiles or raise the quota`);
  }
  if (input.Tags) {
    checkTagCount(input.Tags, `security profile '${input.SecurityProfileName}'`);
  }
  const profile = newProfile(ctx.store, instance, input.SecurityProfileName, ctx.now);
  applyProfileMembers(profile, input);
  profile.tags = { ...input.Tags };
  instance.profiles.set(profile.id, profile);
  return { SecurityProfileId: profile.id, SecurityProfileArn: profile.arn };
};

/** The `SecurityProfile` output shape of a stored profile. */
export function describeProfile(profile: ProfileRecord, instance: InstanceRecord): Record<string, unknown> {
  return {
    Id: profile.id,
    OrganizationResourceId: instance.id,
    Arn: profile.arn,
    SecurityProfileName: profile.name,
    Description: profile.description,
    Tags: profile.tags,
    AllowedAccessControlTags: profile.allowedAccessControlTags,
    TagRestrictedResources: profile.tagRestrictedResources,
    LastModifiedTime: epochSeconds(profile.lastModifiedTime),
    LastModifiedRegion: profile.lastModifiedRegion,
    HierarchyRestrictedResources: profile.hierarchyRestrictedResources,
    AllowedAccessControlHierarchyGroupId: profile.allowedAccessControlHierarchyGroupId,
    GranularAccessControlConfiguration: profile.granularAccessControlConfiguration,
  };
}

const describeSecurityProfile: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const profile = readableProfile(ctx, instance, input.SecurityProfileId);
  return { SecurityProfile: describeProfile(profile, instance) };
};

const updateSecurityProfile: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const profile = ctx.store.profile(instance, input.SecurityProfileId);
  checkProfileRules(input, instance, ctx);
  applyProfileMembers(profile, input);
  profile.lastModifiedTime = ctx.now;
  profile.lastModifiedRegion = ctx.region;
  return undefined;
};

const deleteSecurityProfile: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const profile = ctx.store.profile(instance, input.SecurityProfileId);
  const holders = [...instance.users.values()].filter(u => u.securityProfileIds.includes(profile.id));
  if (holders.length > 0) {
    throw new ConnectError('ResourceInUseException',
      `security profile ${profile.id} ('${profile.name}') is assigned to ${holders.length} user(s), for example ${holders[0].arn}; `
      + 'remove it from those users (UpdateUserSecurityProfiles) and try again');
  }
  const agent = associatedEntity(instance, profile.id);
  if (agent) {
    throw new ConnectError('ResourceInUseException',
      `security profile ${profile.id} ('${profile.name}') is associated with the AI agent ${agent}; `
      + 'disassociate it (DisassociateSecurityProfiles) and try again');
  }
  instance.profiles.delete(profile.id);
  ctx.store.unregisterArn(profile.arn);
  return undefined;
};

const listSecurityProfiles: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const items = [...instance.profiles.values()].filter(p => visible(p, ctx));
  const { page, nextToken } = paginate(items, p => p.seq, {
    maxResults: input.MaxResults, nextToken: input.NextToken, scope: `ListSecurityProfiles/${instance.id}`,
  });
  return {
    SecurityProfileSummaryList: page.map(p => ({
      Id: p.id, Arn: p.arn, Name: p.name, LastModifiedTime: epochSeconds(p.lastModifiedTime), LastModifiedRegion: p.lastModifiedRegion,
    })),
    NextToken: nextToken,
  };
};

/** A List* operation over one list member of a profile (permissions, applications, flow modules, AI agents). */
function listProfileMember(operation: string, resultKey: string, pick: (p: ProfileRecord) => readonly unknown[]): OperationHandler {
  return (input, ctx) => {
    const instance = ctx.store.instance(input.InstanceId);
    const profile = readableProfile(ctx, instance, input.SecurityProfileId);
    const items = pick(profile).map((value, index) => ({ value, index }));
    const { page, nextToken } = paginate(items, i => i.index, {
      maxResults: input.MaxResults, nextToken: input.NextToken, scope: `${operation}/${profile.id}`,
    });
    return {
      [resultKey]: page.map(i => i.value),
      NextToken: nextToken,
      LastModifiedTime: epochSeconds(profile.lastModifiedTime),
      LastModifiedRegion: profile.lastModifiedRegion,
    };
  };
}

/** Handlers of the security profile operations (search is in search.ts). */
export const securityProfileHandlers: Record<string, OperationHandler> = {
  CreateSecurityProfile: createSecurityProfile,
  DescribeSecurityProfile: describeSecurityProfile,
  UpdateSecurityProfile: updateSecurityProfile,
  DeleteSecurityProfile: deleteSecurityProfile,
  ListSecurityProfiles: listSecurityProfiles,
  ListSecurityProfilePermissions: listProfileMember('ListSecurityProfilePermissions', 'Permissions', p => p.permissions),
  ListSecurityProfileApplications: listProfileMember('ListSecurityProfileApplications', 'Applications', p => p.applications),
  ListSecurityProfileFlowModules: listProfileMember('ListSecurityProfileFlowModules', 'AllowedFlowModules', p => p.allowedFlowModules),
  ListSecurityProfileAIAgents: listProfileMember('ListSecurityProfileAIAgents', 'AllowedAIAgents', p => p.allowedAIAgents),
};
