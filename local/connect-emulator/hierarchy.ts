import { randomUUID } from 'crypto';
import { epochSeconds, OperationHandler } from './context';
import { ConnectError, invalidParameter } from './errors';
import { paginate } from './pagination';
import { checkTagCount, GROUP_QUOTA, GroupRecord, InstanceRecord, Store, Tags } from './state';

/** The HierarchyStructure / HierarchyPath member names, by depth - 1. */
export const LEVEL_KEYS = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;

/** Group names: at most 100 characters ([M] CreateUserHierarchyGroupRequest.Name). */
const GROUP_NAME_MAX = 100;
/** Level names: at most 50 characters ([M] HierarchyLevelUpdate.Name). */
const LEVEL_NAME_MAX = 50;

/**
 * Define level `depth` (1..5) with a name, keeping its id when it exists. Level ids are the level numbers
 * `1`..`5` and ARNs end with `/agent-group-level/<n>`, as AWS shows them (the AWS CLI reference's
 * describe-user-hierarchy-group example has `"LevelId": "1"`; its describe-user-hierarchy-structure example and the
 * CloudFormation schema's `HierarchyLevelArn` pattern end the ARN with `/agent-group-level/<n>`).
 */
export function defineLevel(store: Store, instance: InstanceRecord, depth: number, name: string, now: number): void {
  const existing = instance.levels[depth - 1];
  if (existing) {
    if (existing.name !== name) {
      existing.name = name;
      existing.lastModifiedTime = now;
      existing.lastModifiedRegion = store.region;
    }
    return;
  }
  const id = String(depth);
  instance.levels[depth - 1] = { id, arn: store.arnFor(instance, 'agent-group-level', id), name, lastModifiedTime: now, lastModifiedRegion: store.region };
}

/**
 * Create a hierarchy group under `parentId` (or at level one). With `autoLevel` (seeding) a missing
 * level is defined on the way and the group quota is not applied; over the API both are errors.
 */
export function createGroup(store: Store, instance: InstanceRecord,
  spec: { name: string; parentId?: string; tags?: Tags }, now: number, autoLevel: boolean): GroupRecord {
  if (spec.name.length === 0 || spec.name.length > GROUP_NAME_MAX) {
    throw invalidParameter(`Name '${spec.name}' must have 1 to ${GROUP_NAME_MAX} characters`);
  }
  const parent = spec.parentId ? store.group(instance, spec.parentId) : undefined;
  const depth = parent ? parent.depth + 1 : 1;
  if (depth > 5) {
    throw invalidParameter(`ParentGroupId ${parent!.id} is at level five; a hierarchy has at most five levels`);
  }
  if (!instance.levels[depth - 1]) {
    if (!autoLevel) {
      throw invalidParameter(`hierarchy level ${depth} (${LEVEL_KEYS[depth - 1]}) is not defined in instance ${instance.id}; define it with UpdateUserHierarchyStructure first`);
    }
    for (let d = 1; d <= depth; d++) {
      if (!instance.levels[d - 1]) {
        defineLevel(store, instance, d, `Level ${d}`, now);
      }
    }
  }
  for (const g of instance.groups.values()) {
    if (g.parentId === parent?.id && g.name === spec.name) {
      throw new ConnectError('DuplicateResourceException', `a hierarchy group named '${spec.name}' already exists under ${parent ? `group ${parent.id}` : 'level one'} (id ${g.id})`);
    }
  }
  if (!autoLevel && instance.groups.size >= GROUP_QUOTA) {
    throw new ConnectError('LimitExceededException', `instance ${instance.id} already has ${GROUP_QUOTA} hierarchy groups, the quota (L-D68AAAE4)`);
  }
  if (spec.tags) {
    checkTagCount(spec.tags, `hierarchy group '${spec.name}'`);
  }
  const id = randomUUID();
  const arn = store.arnFor(instance, 'agent-group', id);
  const group: GroupRecord = {
    seq: store.nextSeq(),
    id,
    arn,
    name: spec.name,
    parentId: parent?.id,
    depth,
    tags: { ...spec.tags },
    lastModifiedTime: now,
    lastModifiedRegion: store.region,
  };
  instance.groups.set(id, group);
  store.registerArn(arn, instance, 'group', id);
  return group;
}

/** Is `group` the group `ancestorId` or one of its descendants? */
export function isWithin(instance: InstanceRecord, group: GroupRecord | undefined, ancestorId: string): boolean {
  let current = group;
  while (current) {
    if (current.id === ancestorId) {
      return true;
    }
    current = current.parentId ? instance.groups.get(current.parentId) : undefined;
  }
  return false;
}

function summary(g: GroupRecord): Record<string, unknown> {
  return { Id: g.id, Arn: g.arn, Name: g.name, LastModifiedTime: epochSeconds(g.lastModifiedTime), LastModifiedRegion: g.lastModifiedRegion };
}

const createUserHierarchyGroup: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const group = createGroup(ctx.store, instance, { name: input.Name, parentId: input.ParentGroupId, tags: input.Tags }, ctx.now, false);
  return { HierarchyGroupId: group.id, HierarchyGroupArn: group.arn };
};

/** A group in the `HierarchyGroup` shape (DescribeUserHierarchyGroup, SearchUserHierarchyGroups). */
export function hierarchyGroupView(store: Store, instance: InstanceRecord, group: GroupRecord): Record<string, unknown> {
  const path: Record<string, unknown> = {};
  store.pathOf(instance, group).forEach((g, i) => { path[LEVEL_KEYS[i]] = summary(g); });
  return {
    Id: group.id,
    Arn: group.arn,
    Name: group.name,
    LevelId: instance.levels[group.depth - 1]?.id,
    HierarchyPath: path,
    Tags: group.tags,
    LastModifiedTime: epochSeconds(group.lastModifiedTime),
    LastModifiedRegion: group.lastModifiedRegion,
  };
}

const describeUserHierarchyGroup: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const group = ctx.store.group(instance, input.HierarchyGroupId);
  return { HierarchyGroup: hierarchyGroupView(ctx.store, instance, group) };
};

const listUserHierarchyGroups: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const { page, nextToken } = paginate([...instance.groups.values()], g => g.seq, {
    maxResults: input.MaxResults, nextToken: input.NextToken, scope: `ListUserHierarchyGroups/${instance.id}`,
  });
  return { UserHierarchyGroupSummaryList: page.map(summary), NextToken: nextToken };
};

const deleteUserHierarchyGroup: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const group = ctx.store.group(instance, input.HierarchyGroupId);
  const child = [...instance.groups.values()].find(g => g.parentId === group.id);
  const member = [...instance.users.values()].find(u => u.hierarchyGroupId === group.id);
  if (child || member) {
    throw new ConnectError('ResourceInUseException',
      `hierarchy group ${group.id} ('${group.name}') ${child ? `has child group ${child.id}` : `has user ${member!.id}`}; `
      + 'delete its child groups and move its users to another group first',
      { ResourceType: 'HIERARCHY_GROUP', ResourceId: group.arn });
  }
  instance.groups.delete(group.id);
  ctx.store.unregisterArn(group.arn);
  return undefined;
};

const describeUserHierarchyStructure: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const structure: Record<string, unknown> = {};
  instance.levels.forEach((level, i) => {
    if (level) {
      structure[LEVEL_KEYS[i]] = {
        Id: level.id,
        Arn: level.arn,
        Name: level.name,
        LastModifiedTime: epochSeconds(level.lastModifiedTime),
        LastModifiedRegion: level.lastModifiedRegion,
      };
    }
  });
  return { HierarchyStructure: structure };
};

const updateUserHierarchyStructure: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const wanted = LEVEL_KEYS.map(k => input.HierarchyStructure[k]?.Name as string | undefined);
  let last = 0;
  wanted.forEach((name, i) => {
    if (name !== undefined) {
      if (i > last) {
        throw invalidParameter(`HierarchyStructure.${LEVEL_KEYS[i]} is set but ${LEVEL_KEYS[i - 1]} is not; levels must be defined from LevelOne down without gaps`);
      }
      if (name.length === 0 || name.length > LEVEL_NAME_MAX) {
        throw invalidParameter(`HierarchyStructure.${LEVEL_KEYS[i]}.Name '${name}' must have 1 to ${LEVEL_NAME_MAX} characters`);
      }
      last = i + 1;
    }
  });
  for (let d = last + 1; d <= 5; d++) {
    const level = instance.levels[d - 1];
    if (level && [...instance.groups.values()].some(g => g.depth === d)) {
      throw new ConnectError('ResourceInUseException',
        `hierarchy level ${d} (${LEVEL_KEYS[d - 1]}) still has groups; delete the groups at that level before removing it`,
        { ResourceType: 'HIERARCHY_LEVEL', ResourceId: level.arn });
    }
  }
  for (let d = 1; d <= 5; d++) {
    const name = wanted[d - 1];
    if (name !== undefined) {
      defineLevel(ctx.store, instance, d, name, ctx.now);
    } else {
      instance.levels[d - 1] = undefined;
    }
  }
  return undefined;
};

/** Handlers of the user hierarchy operations. */
export const hierarchyHandlers: Record<string, OperationHandler> = {
  CreateUserHierarchyGroup: createUserHierarchyGroup,
  DescribeUserHierarchyGroup: describeUserHierarchyGroup,
  ListUserHierarchyGroups: listUserHierarchyGroups,
  DeleteUserHierarchyGroup: deleteUserHierarchyGroup,
  DescribeUserHierarchyStructure: describeUserHierarchyStructure,
  UpdateUserHierarchyStructure: updateUserHierarchyStructure,
};
