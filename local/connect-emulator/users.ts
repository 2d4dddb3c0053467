import { randomUUID } from 'crypto';
import { epochSeconds, OperationHandler } from './context';
import { ConnectError, invalidParameter, notFound } from './errors';
import { paginate } from './pagination';
import { checkTagCount, InstanceRecord, ProfileRecord, Store, Tags, USER_QUOTA, UserRecord } from './state';

/** AfterContactWorkTimeLimit range in seconds ([M] UserPhoneConfig.AfterContactWorkTimeLimit). */
const ACW_MAX_SECONDS = 2_000_000;
const EMAIL_SHAPED = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SAML_USERNAME = /^[a-zA-Z0-9_\-.@]+$/;

/** The user members the API sets (CreateUser input members, camel-cased for the store). */
export interface UserSpec {
  username: string;
  password?: string;
  identityInfo?: Record<string, unknown>;
  phoneConfig?: Record<string, unknown>;
  directoryUserId?: string;
  securityProfileIds: string[];
  routingProfileId: string;
  hierarchyGroupId?: string;
  tags?: Tags;
  autoAcceptConfigs?: unknown[];
  afterContactWorkConfigs?: unknown[];
  phoneNumberConfigs?: unknown[];
  persistentConnectionConfigs?: unknown[];
  voiceEnhancementConfigs?: unknown[];
}

/** The CreateUser rules written only in prose ([M] CreateUserRequest.*, UserIdentityInfo). */
function checkCreateUserRules(instance: InstanceRecord, spec: UserSpec): void {
  const type = instance.identityManagementType;
  const name = spec.username;
  if (name.includes('@') && !EMAIL_SHAPED.test(name)) {
    throw invalidParameter(`Username '${name}' contains '@' but is not an email address; '@' is allowed only in an email-shaped user name`);
  }
  if (type === 'SAML') {
    if (name.length > 64 || !SAML_USERNAME.test(name)) {
      throw invalidParameter(`Username '${name}' must have at most 64 characters from [a-zA-Z0-9_-.@] in an instance that uses SAML`);
    }
  } else if (name.length > 20) {
    throw invalidParameter(`Username '${name}' has ${name.length} characters; at most 20 are allowed in an instance that does not use SAML`);
  }
  if (type === 'CONNECT_MANAGED' && !spec.password) {
    throw invalidParameter('Password is required for an instance with CONNECT_MANAGED identity management; pass Password');
  }
  if (type !== 'CONNECT_MANAGED' && spec.password !== undefined) {
    throw invalidParameter(`Password must not be set for an instance with ${type} identity management; remove Password`);
  }
  if (type === 'SAML' && spec.directoryUserId !== undefined) {
    throw invalidParameter('DirectoryUserId must not be set for an instance that uses SAML; remove DirectoryUserId');
  }
  if (type === 'SAML' && spec.identityInfo?.Email !== undefined) {
    throw invalidParameter('IdentityInfo.Email must not be set for an instance that uses SAML; remove it');
  }
  if (type === 'CONNECT_MANAGED' || type === 'SAML') {
    const first = spec.identityInfo?.FirstName as string | undefined;
    const last = spec.identityInfo?.LastName as string | undefined;
    if (!first || !last) {
      throw invalidParameter(`IdentityInfo.FirstName and IdentityInfo.LastName are required for ${type} identity management (received ${JSON.stringify({ FirstName: first, LastName: last })})`);
    }
    if (type === 'CONNECT_MANAGED' && last.length > 256) {
      throw invalidParameter(`IdentityInfo.LastName has ${last.length} characters; at most 256 are allowed with CONNECT_MANAGED identity management`);
    }
  }
  checkPhoneConflicts(spec);
}

function checkPhoneConflicts(spec: UserSpec): void {
  const pc = spec.phoneConfig ?? {};
  const conflicts: Array<[string, boolean, string, unknown[] | undefined]> = [
    ['AutoAccept', pc.AutoAccept !== undefined, 'AutoAcceptConfigs', spec.autoAcceptConfigs],
    ['AfterContactWorkTimeLimit', pc.AfterContactWorkTimeLimit !== undefined, 'AfterContactWorkConfigs', spec.afterContactWorkConfigs],
    ['PhoneType', pc.PhoneType !== undefined || pc.DeskPhoneNumber !== undefined, 'PhoneNumberConfigs', spec.phoneNumberConfigs],
    ['PersistentConnection', pc.PersistentConnection !== undefined, 'PersistentConnectionConfigs', spec.persistentConnectionConfigs],
  ];
  for (const [field, set, list, value] of conflicts) {
    if (set && value !== undefined) {
      throw invalidParameter(`PhoneConfig.${field} conflicts with ${list}; set one of them`);
    }
  }
  const acw = pc.AfterContactWorkTimeLimit;
  if (typeof acw === 'number' && acw > ACW_MAX_SECONDS) {
    throw invalidParameter(`PhoneConfig.AfterContactWorkTimeLimit ${acw} is over ${ACW_MAX_SECONDS} seconds`);
  }
}

function checkProfileIds(store: Store, instance: InstanceRecord, ids: string[]): string[] {
  return ids.map(id => {
    try {
      return store.profile(instance, id).id;
    } catch {
      throw notFound(`SecurityProfileIds: security profile ${id} was not found in instance ${instance.id}`);
    }
  });
}

/** At most this many profiles that restrict access on one user (admin guide, hierarchy-based access control, "Configuration limitations"). */
export const RESTRICTED_PROFILES_PER_USER = 2;

/** Does the profile enforce granular access control (access control tags or a hierarchy restriction)? */
export function restrictsAccess(profile: ProfileRecord): boolean {
  return Object.keys(profile.allowedAccessControlTags).length > 0 || profile.hierarchyRestrictedResources.length > 0;
}

/**
 * "Users can be assigned a maximum of two security profiles that enforce granular access control": the guide
 * states the limit, not the API's answer, so the emulator takes the strictest reading and refuses a third.
 */
function checkRestrictedCount(instance: InstanceRecord, ids: string[], who: string): void {
  const restricted = ids.map(id => instance.profiles.get(id)!).filter(p => p && restrictsAccess(p));
  if (restricted.length > RESTRICTED_PROFILES_PER_USER) {
    throw invalidParameter(`SecurityProfileIds: ${who} would hold ${restricted.length} security profiles that enforce granular access control `
      + `(${restricted.map(p => `'${p.name}'`).join(', ')}); a user can hold at most ${RESTRICTED_PROFILES_PER_USER}`);
  }
}

/** Create a user. `strict` applies the API's rules; seeding skips the identity rules and the user quota. */
export function createUser(store: Store, instance: InstanceRecord, spec: UserSpec, now: number, strict: boolean): UserRecord {
  if (strict) {
    checkCreateUserRules(instance, spec);
  }
  const existing = instance.userIdsByName.get(spec.username);
  if (existing) {
    throw new ConnectError('DuplicateResourceException', `a user named '${spec.username}' already exists in instance ${instance.id} (id ${existing})`);
  }
  // seeding stands for existing state (possibly under a raised quota), so only the API applies the quota
  if (strict && instance.users.size >= USER_QUOTA) {
    throw new ConnectError('LimitExceededException', `instance ${instance.id} already has ${USER_QUOTA} users, the quota (L-9A46857E)`);
  }
  const profileIds = checkProfileIds(store, instance, spec.securityProfileIds);
  if (strict) {
    checkRestrictedCount(instance, [...new Set(profileIds)], `user '${spec.username}'`);
  }
  const groupId = spec.hierarchyGroupId ? store.group(instance, spec.hierarchyGroupId).id : undefined;
  if (spec.tags) {
    checkTagCount(spec.tags, `user '${spec.username}'`);
  }
  const id = randomUUID();
  const arn = store.arnFor(instance, 'agent', id);
  const identityInfo = { ...spec.identityInfo };
  const user: UserRecord = {
    seq: store.nextSeq(),
    id,
    arn,
    username: spec.username,
    identityInfo,
    phoneConfig: spec.phoneConfig ? { ...spec.phoneConfig } : {},
    directoryUserId: spec.directoryUserId ?? (instance.identityManagementType === 'EXISTING_DIRECTORY' ? undefined : randomUUID()),
    securityProfileIds: [...new Set(profileIds)],
    routingProfileId: spec.routingProfileId,
    hierarchyGroupId: groupId,
    tags: { ...spec.tags },
    autoAcceptConfigs: spec.autoAcceptConfigs,
    afterContactWorkConfigs: spec.afterContactWorkConfigs,
    phoneNumberConfigs: spec.phoneNumberConfigs,
    persistentConnectionConfigs: spec.persistentConnectionConfigs,
    voiceEnhancementConfigs: spec.voiceEnhancementConfigs,
    lastModifiedTime: now,
    lastModifiedRegion: store.region,
  };
  instance.users.set(id, user);
  instance.userIdsByName.set(user.username, id);
  store.registerArn(arn, instance, 'user', id);
  return user;
}

const createUserHandler: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const user = createUser(ctx.store, instance, {
    username: input.Username,
    password: input.Password,
    identityInfo: input.IdentityInfo,
    phoneConfig: input.PhoneConfig,
    directoryUserId: input.DirectoryUserId,
    securityProfileIds: input.SecurityProfileIds,
    routingProfileId: input.RoutingProfileId,
    hierarchyGroupId: input.HierarchyGroupId,
    tags: input.Tags,
    autoAcceptConfigs: input.AutoAcceptConfigs,
    afterContactWorkConfigs: input.AfterContactWorkConfigs,
    phoneNumberConfigs: input.PhoneNumberConfigs,
    persistentConnectionConfigs: input.PersistentConnectionConfigs,
    voiceEnhancementConfigs: input.VoiceEnhancementConfigs,
  }, ctx.now, true);
  return { UserId: user.id, UserArn: user.arn };
};

const describeUser: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const u = ctx.store.user(instance, input.UserId);
  return {
    User: {
      Id: u.id,
      Arn: u.arn,
      Username: u.username,
      IdentityInfo: u.identityInfo,
      PhoneConfig: u.phoneConfig,
      DirectoryUserId: u.directoryUserId,
      SecurityProfileIds: u.securityProfileIds,
      RoutingProfileId: u.routingProfileId,
      HierarchyGroupId: u.hierarchyGroupId,
      Tags: u.tags,
      AutoAcceptConfigs: u.autoAcceptConfigs,
      AfterContactWorkConfigs: u.afterContactWorkConfigs,
      PhoneNumberConfigs: u.phoneNumberConfigs,
      PersistentConnectionConfigs: u.persistentConnectionConfigs,
      VoiceEnhancementConfigs: u.voiceEnhancementConfigs,
      LastModifiedTime: epochSeconds(u.lastModifiedTime),
      LastModifiedRegion: u.lastModifiedRegion,
    },
  };
};

const deleteUser: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const user = ctx.store.user(instance, input.UserId);
  instance.users.delete(user.id);
  instance.userIdsByName.delete(user.username);
  ctx.store.unregisterArn(user.arn);
  return undefined;
};

const listUsers: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const { page, nextToken } = paginate([...instance.users.values()], u => u.seq, {
    maxResults: input.MaxResults, nextToken: input.NextToken, scope: `ListUsers/${instance.id}`,
  });
  return {
    UserSummaryList: page.map(u => ({
      Id: u.id, Arn: u.arn, Username: u.username, LastModifiedTime: epochSeconds(u.lastModifiedTime), LastModifiedRegion: u.lastModifiedRegion,
    })),
    NextToken: nextToken,
  };
};

const updateUserHierarchy: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const user = ctx.store.user(instance, input.UserId);
  const groupId = input.HierarchyGroupId;
  user.hierarchyGroupId = groupId ? ctx.store.group(instance, groupId).id : undefined;
  user.lastModifiedTime = ctx.now;
  user.lastModifiedRegion = ctx.region;
  return undefined;
};

const updateUserSecurityProfiles: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const user = ctx.store.user(instance, input.UserId);
  const ids = [...new Set(checkProfileIds(ctx.store, instance, input.SecurityProfileIds))];
  checkRestrictedCount(instance, ids, `user ${user.id} ('${user.username}')`);
  user.securityProfileIds = ids;
  user.lastModifiedTime = ctx.now;
  user.lastModifiedRegion = ctx.region;
  return undefined;
};

/** Handlers of the user operations. */
export const userHandlers: Record<string, OperationHandler> = {
  CreateUser: createUserHandler,
  DescribeUser: describeUser,
  DeleteUser: deleteUser,
  ListUsers: listUsers,
  UpdateUserHierarchy: updateUserHierarchy,
  UpdateUserSecurityProfiles: updateUserSecurityProfiles,
};
