import { OperationHandler } from './context';
import { ConnectError, invalidParameter } from './errors';
import { hierarchyGroupView, isWithin } from './hierarchy';
import { paginate } from './pagination';
import { visible } from './security-profiles';
import { GroupRecord, InstanceRecord, Store, Tags, UserRecord } from './state';

type Predicate<T> = (item: T) => boolean;

/** "Contains" queries need 2..25 characters ([M] UserSearchCriteria, SecurityProfileSearchCriteria). */
const CONTAINS_MIN = 2;
const CONTAINS_MAX = 25;
/** Condition counts of a UserAttributeFilter ([M] ControlPlaneUserAttributeFilter). */
const MAX_TAG_CONDITIONS = 25;
const MAX_HIERARCHY_CONDITIONS = 20;

/** Compile one StringCondition over the values a field yields for an item. */
function stringCondition<T>(condition: any, fields: Record<string, (item: T) => Array<string | undefined>>, where: string): Predicate<T> {
  const { FieldName, Value, ComparisonType } = condition ?? {};
  if (typeof FieldName !== 'string' || typeof Value !== 'string' || typeof ComparisonType !== 'string') {
    throw invalidParameter(`${where}.StringCondition needs FieldName, Value and ComparisonType (received ${JSON.stringify(condition)})`);
  }
  const get = fields[FieldName.toLowerCase()];
  if (!get) {
    throw invalidParameter(`${where}.StringCondition.FieldName '${FieldName}' is not supported; use one of ${Object.keys(fields).join(', ')}`);
  }
  if (ComparisonType === 'CONTAINS' && (Value.length < CONTAINS_MIN || Value.length > CONTAINS_MAX)) {
    throw invalidParameter(`${where}.StringCondition.Value '${Value}' has ${Value.length} characters; a CONTAINS query needs ${CONTAINS_MIN} to ${CONTAINS_MAX}`);
  }
  const lower = Value.toLowerCase();
  const test: (v: string) => boolean = ComparisonType === 'EXACT' ? v => v === Value
    : ComparisonType === 'STARTS_WITH' ? v => v.toLowerCase().startsWith(lower)
      : v => v.toLowerCase().includes(lower);
  return item => get(item).some(v => v !== undefined && test(v));
}

/** Compile a TagCondition over an item's tags: the key must be present with the value (when given). */
function tagCondition<T>(condition: any, tagsOf: (item: T) => Tags, where: string): Predicate<T> {
  const { TagKey, TagValue } = condition ?? {};
  if (typeof TagKey !== 'string') {
    throw invalidParameter(`${where}.TagKey is required (received ${JSON.stringify(condition)})`);
  }
  return item => {
    const tags = tagsOf(item);
    return Object.prototype.hasOwnProperty.call(tags, TagKey) && (TagValue === undefined || tags[TagKey] === TagValue);
  };
}

function all<T>(predicates: Array<Predicate<T>>): Predicate<T> {
  return item => predicates.every(p => p(item));
}

function any<T>(predicates: Array<Predicate<T>>): Predicate<T> {
  return item => predicates.some(p => p(item));
}

/** ControlPlaneTagFilter: OrConditions (an OR of AND lists), AndConditions, TagCondition; present fields combine with AND. */
function tagFilter<T>(filter: any, tagsOf: (item: T) => Tags, where: string): Predicate<T> {
  const parts: Array<Predicate<T>> = [];
  if (filter.OrConditions !== undefined) {
    parts.push(any((filter.OrConditions as any[][]).map((and, i) =>
      all(and.map((c, j) => tagCondition(c, tagsOf, `${where}.OrConditions.${i + 1}.${j + 1}`))))));
  }
  if (filter.AndConditions !== undefined) {
    parts.push(all((filter.AndConditions as any[]).map((c, i) => tagCondition(c, tagsOf, `${where}.AndConditions.${i + 1}`))));
  }
  if (filter.TagCondition !== undefined) {
    parts.push(tagCondition(filter.TagCondition, tagsOf, `${where}.TagCondition`));
  }
  return all(parts);
}

/** HierarchyGroupCondition: EXACT (the user's own group) or WITH_CHILD_GROUPS (the group or any descendant). */
function hierarchyCondition(store: Store, instance: InstanceRecord, condition: any, where: string): Predicate<UserRecord> {
  const { Value, HierarchyGroupMatchType } = condition ?? {};
  if (typeof Value !== 'string') {
    throw invalidParameter(`${where}.Value is required: the id of a hierarchy group (received ${JSON.stringify(condition)})`);
  }
  let groupId: string | undefined;
  try {
    groupId = store.group(instance, Value).id;
  } catch {
    return () => false;
  }
  if (HierarchyGroupMatchType === 'WITH_CHILD_GROUPS') {
    return u => u.hierarchyGroupId !== undefined && isWithin(instance, instance.groups.get(u.hierarchyGroupId), groupId!);
  }
  return u => u.hierarchyGroupId === groupId;
}

/** ControlPlaneUserAttributeFilter: exactly one of its four fields. */
function userAttributeFilter(store: Store, instance: InstanceRecord, filter: any): Predicate<UserRecord> {
  const where = 'SearchFilter.UserAttributeFilter';
  const set = ['OrConditions', 'AndCondition', 'TagCondition', 'HierarchyGroupCondition'].filter(k => filter[k] !== undefined);
  if (set.length !== 1) {
    throw invalidParameter(`${where} must set exactly one of OrConditions, AndCondition, TagCondition, HierarchyGroupCondition (received ${set.length ? set.join(', ') : 'none'})`);
  }
  const ands: any[] = filter.OrConditions ?? (filter.AndCondition ? [filter.AndCondition] : []);
  const tagCount = ands.reduce((n, a) => n + (a.TagConditions?.length ?? 0), filter.TagCondition ? 1 : 0);
  const hierarchyCount = ands.reduce((n, a) => n + (a.HierarchyGroupCondition ? 1 : 0), filter.HierarchyGroupCondition ? 1 : 0);
  if (tagCount > MAX_TAG_CONDITIONS) {
    throw invalidParameter(`${where} has ${tagCount} tag conditions; at most ${MAX_TAG_CONDITIONS} are allowed`);
  }
  if (hierarchyCount > MAX_HIERARCHY_CONDITIONS) {
    throw invalidParameter(`${where} has ${hierarchyCount} hierarchy group conditions; at most ${MAX_HIERARCHY_CONDITIONS} are allowed`);
  }
  const andCondition = (a: any, at: string): Predicate<UserRecord> => all([
    ...(a.TagConditions ?? []).map((c: any, j: number) => tagCondition<UserRecord>(c, u => u.tags, `${at}.TagConditions.${j + 1}`)),
    ...(a.HierarchyGroupCondition ? [hierarchyCondition(store, instance, a.HierarchyGroupCondition, `${at}.HierarchyGroupCondition`)] : []),
  ]);
  if (filter.OrConditions) {
    return any((filter.OrConditions as any[]).map((a, i) => andCondition(a, `${where}.OrConditions.${i + 1}`)));
  }
  if (filter.AndCondition) {
    return andCondition(filter.AndCondition, `${where}.AndCondition`);
  }
  if (filter.TagCondition) {
    return tagCondition<UserRecord>(filter.TagCondition, u => u.tags, `${where}.TagCondition`);
  }
  return hierarchyCondition(store, instance, filter.HierarchyGroupCondition, `${where}.HierarchyGroupCondition`);
}

const USER_FIELDS: Record<string, (u: UserRecord) => Array<string | undefined>> = {
  username: u => [u.username],
  firstname: u => [u.identityInfo.FirstName as string | undefined],
  lastname: u => [u.identityInfo.LastName as string | undefined],
  routingprofileid: u => [u.routingProfileId],
  securityprofileid: u => u.securityProfileIds,
  resourceid: u => [u.id, u.arn],
};

/** UserSearchCriteria: the present fields combine with AND; Or/AndConditions nest. */
function userCriteria(store: Store, instance: InstanceRecord, criteria: any, where: string): Predicate<UserRecord> {
  const parts: Array<Predicate<UserRecord>> = [];
  if (criteria.OrConditions !== undefined) {
    parts.push(any((criteria.OrConditions as any[]).map((c, i) => userCriteria(store, instance, c, `${where}.OrConditions.${i + 1}`))));
  }
  if (criteria.AndConditions !== undefined) {
    parts.push(all((criteria.AndConditions as any[]).map((c, i) => userCriteria(store, instance, c, `${where}.AndConditions.${i + 1}`))));
  }
  if (criteria.StringCondition !== undefined) {
    parts.push(stringCondition(criteria.StringCondition, USER_FIELDS, where));
  }
  if (criteria.ListCondition !== undefined) {
    // users in the emulator have no routing proficiencies, so a proficiency list condition matches nobody
    parts.push(() => false);
  }
  if (criteria.HierarchyGroupCondition !== undefined) {
    parts.push(hierarchyCondition(store, instance, criteria.HierarchyGroupCondition, `${where}.HierarchyGroupCondition`));
  }
  return all(parts);
}

/** A user as SearchUsers returns it: AfterContactWorkTimeLimit in milliseconds. */
function userSearchSummary(u: UserRecord): Record<string, unknown> {
  const phone = { ...u.phoneConfig };
  if (typeof phone.AfterContactWorkTimeLimit === 'number') {
    phone.AfterContactWorkTimeLimit = phone.AfterContactWorkTimeLimit * 1000;
  }
  const acw = u.afterContactWorkConfigs?.map((c: any) => ({
    ...c,
    AfterContactWorkConfig: c.AfterContactWorkConfig && {
      ...c.AfterContactWorkConfig,
      AfterContactWorkTimeLimit: typeof c.AfterContactWorkConfig.AfterContactWorkTimeLimit === 'number'
        ? c.AfterContactWorkConfig.AfterContactWorkTimeLimit * 1000 : undefined,
    },
  }));
  return {
    Arn: u.arn,
    DirectoryUserId: u.directoryUserId,
    HierarchyGroupId: u.hierarchyGroupId,
    Id: u.id,
    IdentityInfo: { FirstName: u.identityInfo.FirstName, LastName: u.identityInfo.LastName },
    PhoneConfig: phone,
    RoutingProfileId: u.routingProfileId,
    SecurityProfileIds: u.securityProfileIds,
    Tags: u.tags,
    Username: u.username,
    AutoAcceptConfigs: u.autoAcceptConfigs,
    AfterContactWorkConfigs: acw,
    PhoneNumberConfigs: u.phoneNumberConfigs,
    PersistentConnectionConfigs: u.persistentConnectionConfigs,
    VoiceEnhancementConfigs: u.voiceEnhancementConfigs,
  };
}

const searchUsers: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const filter = input.SearchFilter;
  if (filter?.TagFilter !== undefined && filter?.UserAttributeFilter !== undefined) {
    throw new ConnectError('AccessDeniedException',
      'SearchFilter can contain either TagFilter or UserAttributeFilter; a combination of both is not supported');
  }
  const parts: Array<Predicate<UserRecord>> = [];
  if (filter?.TagFilter) {
    parts.push(tagFilter<UserRecord>(filter.TagFilter, u => u.tags, 'SearchFilter.TagFilter'));
  }
  if (filter?.UserAttributeFilter) {
    parts.push(userAttributeFilter(ctx.store, instance, filter.UserAttributeFilter));
  }
  if (input.SearchCriteria) {
    parts.push(userCriteria(ctx.store, instance, input.SearchCriteria, 'SearchCriteria'));
  }
  const match = all(parts);
  const matches = [...instance.users.values()].filter(match);
  const { page, nextToken } = paginate(matches, u => u.seq, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
    scope: `SearchUsers/${instance.id}/${JSON.stringify(input.SearchCriteria ?? null)}/${JSON.stringify(filter ?? null)}`,
  });
  return { Users: page.map(userSearchSummary), NextToken: nextToken, ApproximateTotalCount: matches.length };
};

type ProfileItem = { seq: number; name: string; tags: Tags };
const PROFILE_FIELDS: Record<string, (p: ProfileItem) => Array<string | undefined>> = {
  name: p => [p.name],
};

/**
 * The SearchCriteria of SearchSecurityProfiles and SearchUserHierarchyGroups: nested Or/And conditions over
 * string conditions on `fields`.
 */
function stringCriteria<T>(criteria: any, fields: Record<string, (item: T) => Array<string | undefined>>, where: string): Predicate<T> {
  const parts: Array<Predicate<T>> = [];
  if (criteria.OrConditions !== undefined) {
    parts.push(any((criteria.OrConditions as any[]).map((c, i) => stringCriteria(c, fields, `${where}.OrConditions.${i + 1}`))));
  }
  if (criteria.AndConditions !== undefined) {
    parts.push(all((criteria.AndConditions as any[]).map((c, i) => stringCriteria(c, fields, `${where}.AndConditions.${i + 1}`))));
  }
  if (criteria.StringCondition !== undefined) {
    parts.push(stringCondition(criteria.StringCondition, fields, where));
  }
  return all(parts);
}

const searchSecurityProfiles: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const parts: Array<Predicate<ProfileItem>> = [];
  if (input.SearchFilter?.TagFilter) {
    parts.push(tagFilter<ProfileItem>(input.SearchFilter.TagFilter, p => p.tags, 'SearchFilter.TagFilter'));
  }
  if (input.SearchCriteria) {
    parts.push(stringCriteria(input.SearchCriteria, PROFILE_FIELDS, 'SearchCriteria'));
  }
  const match = all(parts);
  const matches = [...instance.profiles.values()].filter(p => visible(p, ctx) && match(p));
  const { page, nextToken } = paginate(matches, p => p.seq, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
    scope: `SearchSecurityProfiles/${instance.id}/${JSON.stringify(input.SearchCriteria ?? null)}/${JSON.stringify(input.SearchFilter ?? null)}`,
  });
  return {
    SecurityProfiles: page.map(p => ({
      Id: p.id, OrganizationResourceId: instance.id, Arn: p.arn, SecurityProfileName: p.name, Description: p.description, Tags: p.tags,
    })),
    NextToken: nextToken,
    ApproximateTotalCount: matches.length,
  };
};

/** A group as SearchUserHierarchyGroups sees it: a stored group, or the instance's level-zero group. */
interface GroupItem {
  seq: number;
  id: string;
  arn: string;
  name: string;
  parentId?: string;
  levelId: string;
  tags: Tags;
  view: () => Record<string, unknown>;
}

const GROUP_FIELDS: Record<string, (g: GroupItem) => Array<string | undefined>> = {
  name: g => [g.name],
  parentid: g => [g.parentId],
  levelid: g => [g.levelId],
  resourceid: g => [g.id, g.arn],
};


/** ControlPlaneAttributeFilter: exactly one of OrConditions (an OR of tag ANDs), AndCondition, TagCondition. */
function attributeFilter(filter: any): Predicate<GroupItem> {
  const where = 'SearchFilter.AttributeFilter';
  const set = ['OrConditions', 'AndCondition', 'TagCondition'].filter(k => filter[k] !== undefined);
  if (set.length !== 1) {
    throw invalidParameter(`${where} must set exactly one of OrConditions, AndCondition, TagCondition (received ${set.length ? set.join(', ') : 'none'})`);
  }
  const andCondition = (a: any, at: string): Predicate<GroupItem> =>
    all((a.TagConditions ?? []).map((c: any, j: number) => tagCondition<GroupItem>(c, g => g.tags, `${at}.TagConditions.${j + 1}`)));
  if (filter.OrConditions) {
    return any((filter.OrConditions as any[]).map((a, i) => andCondition(a, `${where}.OrConditions.${i + 1}`)));
  }
  if (filter.AndCondition) {
    return andCondition(filter.AndCondition, `${where}.AndCondition`);
  }
  return tagCondition<GroupItem>(filter.TagCondition, g => g.tags, `${where}.TagCondition`);
}

/** Every group SearchUserHierarchyGroups searches: the level-zero group first, then the stored groups in creation order. */
function searchableGroups(store: Store, instance: InstanceRecord): GroupItem[] {
  const root: GroupItem = {
    seq: 0,
    id: instance.rootGroupId,
    arn: store.arnFor(instance, 'agent-group', instance.rootGroupId),
    name: ROOT_GROUP_NAME,
    levelId: '0',
    tags: {},
    view: () => ({ Id: instance.rootGroupId, Arn: store.arnFor(instance, 'agent-group', instance.rootGroupId), Name: ROOT_GROUP_NAME, LevelId: '0', HierarchyPath: {}, Tags: {} }),
  };
  const groups = [...instance.groups.values()].map((g: GroupRecord): GroupItem => ({
    seq: g.seq,
    id: g.id,
    arn: g.arn,
    name: g.name,
    // level-one groups sit on the level-zero group
    parentId: g.parentId ?? instance.rootGroupId,
    levelId: String(g.depth),
    tags: g.tags,
    view: () => hierarchyGroupView(store, instance, g),
  }));
  return [root, ...groups];
}

/** The name of the level-zero group (not documented; an assumption). */
const ROOT_GROUP_NAME = 'root';

const searchUserHierarchyGroups: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const parts: Array<Predicate<GroupItem>> = [];
  if (input.SearchFilter?.AttributeFilter) {
    parts.push(attributeFilter(input.SearchFilter.AttributeFilter));
  }
  if (input.SearchCriteria) {
    parts.push(stringCriteria(input.SearchCriteria, GROUP_FIELDS, 'SearchCriteria'));
  }
  const match = all(parts);
  const matches = searchableGroups(ctx.store, instance).filter(match);
  const { page, nextToken } = paginate(matches, g => g.seq, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
    scope: `SearchUserHierarchyGroups/${instance.id}/${JSON.stringify(input.SearchCriteria ?? null)}/${JSON.stringify(input.SearchFilter ?? null)}`,
  });
  return { UserHierarchyGroups: page.map(g => g.view()), NextToken: nextToken, ApproximateTotalCount: matches.length };
};

/** Handlers of SearchUsers, SearchSecurityProfiles and SearchUserHierarchyGroups. */
export const searchHandlers: Record<string, OperationHandler> = {
  SearchUsers: searchUsers,
  SearchSecurityProfiles: searchSecurityProfiles,
  SearchUserHierarchyGroups: searchUserHierarchyGroups,
};
