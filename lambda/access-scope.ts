/**
 * Access scope: which users a hierarchy-restricted security profile reaches, and who entered or left
 * that set since the previous sweep.
 *
 * - A profile restricted to a given group (`AllowedAccessControlHierarchyGroupId`) reaches the users of
 *   that group and of every group below it: one SearchUsers user-attribute filter with
 *   `WITH_CHILD_GROUPS`.
 * - A profile restricted to each holder's own group (`HierarchyRestrictedResources` contains `User`, no
 *   group named) reaches, for every user assigned the profile, the users of that user's group and the
 *   groups below it. Holders without a group reach nobody (assumption: the admin guide does not say).
 * - When the profile also restricts users by tag (`TagRestrictedResources` contains `User` and
 *   `AllowedAccessControlTags` is set), a reached user must carry every one of those tags too: each
 *   group condition is ANDed with the tag conditions, as the two controls combine in Connect.
 *
 * The report also names the profile's holders (one SearchUsers query on `SecurityProfileId`): the scope says
 * whom the profile reaches, the holders who reaches them.
 *
 * The drift sweep calls `computeAccessScope` with the desired profile, a SearchUsers api and the record
 * it stored last time; it publishes `usersInScope` as the `UsersInScope` metric and stores the new
 * record. Planning (`planAccessScopeSearches`, `diffAccessScope`) is pure; only `computeAccessScope`
 * calls Connect.
 */
import { collectUsers, SearchUsersApi, searchUsers, usersWithSecurityProfile } from './search-users';
import { HierarchyGroupMatchType } from '../src/search/enums';
import { UserAttributeFilter } from '../src/search/user-attribute-filter';
import { UserSearchFilter } from '../src/search/user-search-filter';

/** The parts of a desired security profile that decide its access scope. */
export interface AccessScopeProfile {
  /** Connect instance id or ARN. */
  readonly instanceId: string;
  /** The profile's id in Connect. */
  readonly securityProfileId: string;
  /** `HierarchyRestrictedResources`; the profile is hierarchy-restricted for users when it contains `User`. */
  readonly hierarchyRestrictedResources?: readonly string[];
  /** `AllowedAccessControlHierarchyGroupId`: the group the profile is restricted to (else: each holder's own group). */
  readonly allowedAccessControlHierarchyGroupId?: string;
  /** `AllowedAccessControlTags`: tags a user must carry, when `tagRestrictedResources` contains `User`. */
  readonly allowedAccessControlTags?: Readonly<Record<string, string>>;
  /** `TagRestrictedResources`. */
  readonly tagRestrictedResources?: readonly string[];
}

/** How the profile's scope is decided. */
export type AccessScopeMode = 'GROUP' | 'OWN_GROUP';

/**
 * What the sweep stores between two runs. Small enough for a DynamoDB item up to `maxTrackedUsers`
 * users (5,000 UUIDs take about 200 KB); above that only the count is kept and no diff is possible.
 */
export interface AccessScopeRecord {
  readonly version: 1;
  readonly mode: AccessScopeMode;
  /** ISO-8601 time of the computation. */
  readonly computedAt: string;
  /** The hierarchy groups the scope was computed from (the named group, or the holders' groups), sorted. */
  readonly groupIds: string[];
  readonly usersInScope: number;
  /** Ids of the users in scope, sorted; absent when there were more than `maxTrackedUsers`. */
  readonly userIds?: string[];
}

/** The outcome of one computation. */
export interface AccessScopeReport {
  readonly securityProfileId: string;
  readonly mode: AccessScopeMode;
  /** The number of users the profile reaches: the `UsersInScope` metric. */
  readonly usersInScope: number;
  /** How many users hold the profile. */
  readonly holders?: number;
  /** The users that hold the profile (id and username), sorted by username: who has this access. */
  readonly holderNames: Array<{ id: string; username: string }>;
  /** True when `entered` and `left` compare with a previous record. */
  readonly comparedWithPrevious: boolean;
  /** Users that reached the scope since the previous record (id and username), sorted by id. */
  readonly entered: Array<{ id: string; username: string }>;
  /** Ids of users that left the scope since the previous record, sorted. */
  readonly left: string[];
  /** What to store for the next run. */
  readonly record: AccessScopeRecord;
  /** SearchUsers calls made. */
  readonly searchCalls: number;
}

/** Options of `computeAccessScope`. */
export interface AccessScopeOptions {
  /** The time written into the record. Default: now. */
  readonly now?: Date;
  /** Keep user ids in the record up to this many users. Default 5,000. */
  readonly maxTrackedUsers?: number;
}

/** The default of `AccessScopeOptions.maxTrackedUsers`. */
export const DEFAULT_MAX_TRACKED_USERS = 5000;

/** The hierarchy-restricted mode of a profile, or undefined when it does not restrict users by hierarchy. */
export function accessScopeMode(profile: AccessScopeProfile): AccessScopeMode | undefined {
  if (!(profile.hierarchyRestrictedResources ?? []).includes('User')) return undefined;
  return profile.allowedAccessControlHierarchyGroupId ? 'GROUP' : 'OWN_GROUP';
}

/** The tag conditions a reached user must also meet (tag-based access control on users). */
export function requiredUserTags(profile: AccessScopeProfile): Array<[string, string]> {
  if (!(profile.tagRestrictedResources ?? []).includes('User')) return [];
  return Object.entries(profile.allowedAccessControlTags ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The user-attribute filters whose union is the scope of `groupIds` (each with `WITH_CHILD_GROUPS`,
 * each ANDed with `tags`), packed into as few requests as the API's limits allow: at most 20 hierarchy
 * group conditions and 25 tag conditions per filter.
 */
export function planAccessScopeSearches(groupIds: readonly string[], tags: ReadonlyArray<readonly [string, string]>): UserAttributeFilter[] {
  const groups = [...new Set(groupIds)].sort();
  if (groups.length === 0) return [];
  const perFilter = Math.max(1, Math.min(
    UserAttributeFilter.MAX_HIERARCHY_GROUP_CONDITIONS,
    tags.length === 0 ? Infinity : Math.floor(UserAttributeFilter.MAX_TAG_CONDITIONS / tags.length),
  ));
  const condition = (groupId: string) => {
    const group = UserAttributeFilter.hierarchyGroupId(groupId, HierarchyGroupMatchType.WITH_CHILD_GROUPS);
    return tags.length === 0 ? group : UserAttributeFilter.allOf(group, ...tags.map(([k, v]) => UserAttributeFilter.tag(k, v)));
  };
  const filters: UserAttributeFilter[] = [];
  for (let i = 0; i < groups.length; i += perFilter) {
    const batch = groups.slice(i, i + perFilter).map(condition);
    filters.push(batch.length === 1 ? batch[0] : UserAttributeFilter.anyOf(...batch));
  }
  return filters;
}

/** Who entered and who left, comparing sorted id lists. */
export function diffAccessScope(previousIds: readonly string[], currentIds: readonly string[]): { entered: string[]; left: string[] } {
  const before = new Set(previousIds);
  const now = new Set(currentIds);
  return {
    entered: [...now].filter(id => !before.has(id)).sort(),
    left: [...before].filter(id => !now.has(id)).sort(),
  };
}

/**
 * Work out which users a hierarchy-restricted profile reaches and what changed since `previous`.
 *
 * @returns undefined when the profile does not restrict users by hierarchy or opted out of the report
 */
export async function computeAccessScope(
  api: SearchUsersApi,
  profile: AccessScopeProfile,
  previous?: AccessScopeRecord,
  options: AccessScopeOptions = {},
): Promise<AccessScopeReport | undefined> {
  const mode = accessScopeMode(profile);
  if (mode === undefined) return undefined;
  let searchCalls = 0;
  const found = await collectUsers(api, {
    instanceId: profile.instanceId,
    searchCriteria: usersWithSecurityProfile(profile.securityProfileId),
  });
  searchCalls += found.calls;
  const holders = found.users.length;
  const holderNames = found.users.map(u => ({ id: u.id, username: u.username }))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  const groupIds = mode === 'GROUP'
    ? [profile.allowedAccessControlHierarchyGroupId!]
    : [...new Set(found.users.map(u => u.hierarchyGroupId).filter((g): g is string => !!g))].sort();

  const reached = new Map<string, string>();
  for (const filter of planAccessScopeSearches(groupIds, requiredUserTags(profile))) {
    const pages = searchUsers(countingApi(api, () => searchCalls++), {
      instanceId: profile.instanceId,
      searchFilter: UserSearchFilter.userAttributes(filter).render(),
    });
    for await (const user of pages) reached.set(user.id, user.username);
  }

  const currentIds = [...reached.keys()].sort();
  const maxTracked = options.maxTrackedUsers ?? DEFAULT_MAX_TRACKED_USERS;
  const record: AccessScopeRecord = {
    version: 1,
    mode,
    computedAt: (options.now ?? new Date()).toISOString(),
    groupIds,
    usersInScope: currentIds.length,
    ...(currentIds.length <= maxTracked ? { userIds: currentIds } : {}),
  };
  const comparable = previous?.userIds !== undefined && record.userIds !== undefined;
  const diff = comparable ? diffAccessScope(previous!.userIds!, currentIds) : { entered: [], left: [] };
  return {
    securityProfileId: profile.securityProfileId,
    mode,
    usersInScope: currentIds.length,
    holders,
    holderNames,
    comparedWithPrevious: comparable,
    entered: diff.entered.map(id => ({ id, username: reached.get(id)! })),
    left: diff.left,
    record,
    searchCalls,
  };
}

function countingApi(api: SearchUsersApi, onCall: () => void): SearchUsersApi {
  return {
    searchUsers: input => {
      onCall();
      return api.searchUsers(input);
    },
  };
}
