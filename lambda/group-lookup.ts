/**
 * The hierarchy group lookup (`Custom::ConnectUserHierarchyGroupLookup`): find a group an instance already
 * has, by its path of names from level one down, or by its name, and return its id and ARN.
 *
 * Read only, through the gateway (SearchUserHierarchyGroups). Create and Update look the group up (an
 * Update whose path now names another group returns that group's ARN as the new physical id; the old
 * one's Delete is a no-op); Delete does nothing: the group is not the stack's.
 *
 * A path is found with one search for its last name, the candidates kept when their `HierarchyPath`
 * names are the path. When none is, the path is walked from the top, one search per level, to name the
 * first level that does not match and list what is there instead.
 */
import type { HierarchyGroup, HierarchyGroupSummary, UserHierarchyGroupSearchCriteria } from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { ConnectApi } from './connect-api';
import { HandlerError } from './errors';
import { HandlerLogger, eventSummary } from './logger';
import { InvalidPropertyError } from './properties';
import { INSTANCE_ARN_FORMAT, parseInstanceArn } from '../src/private/arns';
import {
  CONTRACT_VERSION,
  GROUP_LOOKUP_ATTR,
  GROUP_LOOKUP_PROP,
  GroupLookupAttributes,
  HIERARCHY_GROUP_NAME_MAX,
  MAX_HIERARCHY_LEVELS,
  lengthInCodePoints,
} from '../src/private/contract';

/** What the lookup needs. */
export interface GroupLookupDeps {
  /** The Connect gateway. */
  readonly connect: ConnectApi;
  /** The logger. */
  readonly logger: HandlerLogger;
}

/** What the Provider framework gets back. */
export interface GroupLookupResponse {
  /** The group's ARN (on Delete: the physical id received). */
  readonly PhysicalResourceId: string;
  /** The group's id, ARN and level (absent on Delete). */
  readonly Data?: GroupLookupAttributes;
}

/** What to look up, validated. */
export type GroupLookupRequest =
  | { readonly kind: 'path'; readonly instanceId: string; readonly groupPath: string[] }
  | { readonly kind: 'name'; readonly instanceId: string; readonly groupName: string };

/** How many names of what was found instead a failure message lists. */
export const NAMES_SHOWN = 5;

/** The `HierarchyPath` members, level one first. */
const LEVEL_KEYS = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;

/**
 * Handle one CloudFormation event of a lookup resource.
 */
export async function onGroupLookupEvent(event: CloudFormationCustomResourceEvent, deps: GroupLookupDeps): Promise<GroupLookupResponse> {
  deps.logger.info('event received', eventSummary(event));
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  let request: GroupLookupRequest;
  try {
    request = parseGroupLookup(event.ResourceProperties);
  } catch (err) {
    if (err instanceof InvalidPropertyError) {
      throw new HandlerError(`look up hierarchy group: ${err.message}. Fix the property in the template and deploy again`);
    }
    throw err;
  }
  const group = request.kind === 'path'
    ? await findGroupByPath(deps.connect, request.instanceId, request.groupPath)
    : await findGroupByName(deps.connect, request.instanceId, request.groupName);
  const path = pathOf(group);
  deps.logger.info('hierarchy group found', { groupPath: path, userHierarchyGroupArn: group.Arn });
  return {
    PhysicalResourceId: group.Arn!,
    Data: {
      [GROUP_LOOKUP_ATTR.userHierarchyGroupId]: group.Id!,
      [GROUP_LOOKUP_ATTR.userHierarchyGroupArn]: group.Arn!,
      [GROUP_LOOKUP_ATTR.level]: String(path.length),
    } as GroupLookupAttributes,
  };
}

/**
 * Parse and validate the properties of a lookup: the instance ARN, and exactly one of a path (one to five
 * names, level one first) or a name, each name 1 to 100 characters.
 *
 * @throws InvalidPropertyError naming the property, what was received and what is allowed
 */
export function parseGroupLookup(properties: unknown): GroupLookupRequest {
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new InvalidPropertyError('ResourceProperties', properties, 'expected an object of properties');
  }
  // unknown keys (the Provider framework's ServiceToken, keys of newer templates) are ignored
  const p = properties as Record<string, unknown>;
  const version = p[GROUP_LOOKUP_PROP.contractVersion] ?? '1';
  if (typeof version !== 'string' || !/^\d+$/.test(version) || Number(version) > Number(CONTRACT_VERSION)) {
    throw new InvalidPropertyError(GROUP_LOOKUP_PROP.contractVersion, version,
      `this handler understands versions 1..${CONTRACT_VERSION}; deploy the handler that came with the construct`);
  }
  const arn = p[GROUP_LOOKUP_PROP.instanceArn];
  const instance = parseInstanceArn(arn);
  if (!instance) {
    throw new InvalidPropertyError(GROUP_LOOKUP_PROP.instanceArn, arn, `expected an instance ARN (${INSTANCE_ARN_FORMAT})`);
  }
  const instanceId = instance.instanceId;
  const path = p[GROUP_LOOKUP_PROP.groupPath];
  const name = p[GROUP_LOOKUP_PROP.groupName];
  if ((path === undefined) === (name === undefined)) {
    throw new InvalidPropertyError(`${GROUP_LOOKUP_PROP.groupPath}/${GROUP_LOOKUP_PROP.groupName}`, path ?? name,
      'expected exactly one of the two');
  }
  if (name !== undefined) {
    checkName(name, GROUP_LOOKUP_PROP.groupName);
    return { kind: 'name', instanceId, groupName: name as string };
  }
  if (!Array.isArray(path) || path.length < 1 || path.length > MAX_HIERARCHY_LEVELS) {
    throw new InvalidPropertyError(GROUP_LOOKUP_PROP.groupPath, path,
      `expected a list of 1 to ${MAX_HIERARCHY_LEVELS} group names, level one first (a Connect hierarchy has at most five levels)`);
  }
  path.forEach((n, i) => checkName(n, `${GROUP_LOOKUP_PROP.groupPath}[${i}]`));
  return { kind: 'path', instanceId, groupPath: path as string[] };
}

function checkName(value: unknown, property: string): void {
  const length = typeof value === 'string' ? lengthInCodePoints(value) : -1;
  if (length < 1 || length > HIERARCHY_GROUP_NAME_MAX) {
    throw new InvalidPropertyError(property, value, `expected a hierarchy group name of 1 to ${HIERARCHY_GROUP_NAME_MAX} characters`);
  }
}

/**
 * The names from level one down to the group itself, read from its `HierarchyPath` (which Connect ends
 * with the group; the group's own name is added should it not). The level-zero group has none.
 */
export function pathOf(group: HierarchyGroup): string[] {
  const levels: HierarchyGroupSummary[] = [];
  for (const key of LEVEL_KEYS) {
    const level = group.HierarchyPath?.[key];
    if (!level) break;
    levels.push(level);
  }
  if (levels.length === 0 && group.LevelId === '0') return [];
  const names = levels.map((l) => l.Name ?? '');
  if (levels.length === 0 || levels[levels.length - 1].Id !== group.Id) names.push(group.Name ?? '');
  return names;
}

/** The groups whose path of names is exactly `path` (names compare exactly, case included). */
export function groupsAtPath(groups: readonly HierarchyGroup[], path: readonly string[]): HierarchyGroup[] {
  return groups.filter((g) => {
    const names = pathOf(g);
    return names.length === path.length && names.every((n, i) => n === path[i]);
  });
}

/**
 * Find the one group at `path`.
 *
 * @throws HandlerError naming the first level that has no group of that name (and the names found there),
 * or the level where more than one group has it
 */
export async function findGroupByPath(connect: ConnectApi, instanceId: string, path: readonly string[]): Promise<HierarchyGroup> {
  const leaf = path[path.length - 1];
  const { groups } = await connect.searchUserHierarchyGroups(instanceId, nameIs(leaf));
  const found = groupsAtPath(groups, path);
  if (found.length === 1) return found[0];
  return walkPath(connect, instanceId, path);
}

/** Walk `path` from level one, one search per level, and fail at the first level that does not match. */
async function walkPath(connect: ConnectApi, instanceId: string, path: readonly string[]): Promise<HierarchyGroup> {
  const fail = (reason: string) => new HandlerError(
    `look up hierarchy group ${JSON.stringify(path)} in instance ${instanceId}: ${reason}`);
  let parent: HierarchyGroup | undefined;
  for (let i = 0; i < path.length; i++) {
    const criteria = parent ? { AndConditions: [nameIs(path[i]), parentIs(parent.Id!)] } : nameIs(path[i]);
    const { groups } = await connect.searchUserHierarchyGroups(instanceId, criteria);
    const found = groupsAtPath(groups, path.slice(0, i + 1));
    const where = parent ? `under ${JSON.stringify(parent.Name)}` : 'at level one';
    if (found.length > 1) {
      throw fail(`level ${i + 1} is ambiguous: ${found.length} groups named ${JSON.stringify(path[i])} ${where} `
        + `(ids ${found.map((g) => g.Id).join(', ')}); rename all but one in Connect, or import the group by id with UserHierarchyGroup.fromUserHierarchyGroupId()`);
    }
    if (found.length === 0) {
      const others = await namesAt(connect, instanceId, parent);
      throw fail(`level ${i + 1} has no group named ${JSON.stringify(path[i])} ${where}; ${others}. `
        + 'Fix the name in the path (names compare exactly, case included), or create the group first');
    }
    parent = found[0];
  }
  return parent!;
}

/** "the groups there are ..." for the failure message: the children of `parent`, or the level-one groups. */
async function namesAt(connect: ConnectApi, instanceId: string, parent: HierarchyGroup | undefined): Promise<string> {
  // level-one groups have the level-zero group as their parent, whose id an app does not know: search by level
  const criteria = parent ? parentIs(parent.Id!) : levelIs('1');
  const { groups, total } = await connect.searchUserHierarchyGroups(instanceId, criteria, NAMES_SHOWN);
  const names = groups.map((g) => g.Name ?? '');
  const there = parent ? `the groups under ${JSON.stringify(parent.Name)}` : 'the level-one groups';
  if (names.length === 0) {
    return parent ? `${JSON.stringify(parent.Name)} has no child groups` : 'the instance has no level-one groups';
  }
  const count = Math.max(total ?? names.length, names.length);
  const more = count > names.length ? `, and ${count - names.length} more` : '';
  return `${there} are ${names.map((n) => JSON.stringify(n)).join(', ')}${more}`;
}

/**
 * Find the one group named `name`, at any level.
 *
 * @throws HandlerError when no group has the name (listing groups whose names start with it), or when
 * more than one has it (listing their paths, for `fromGroupPath`)
 */
export async function findGroupByName(connect: ConnectApi, instanceId: string, name: string): Promise<HierarchyGroup> {
  const fail = (reason: string) => new HandlerError(`look up hierarchy group named ${JSON.stringify(name)} in instance ${instanceId}: ${reason}`);
  const { groups } = await connect.searchUserHierarchyGroups(instanceId, nameIs(name));
  const found = groups.filter((g) => g.Name === name && pathOf(g).length > 0);
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const paths = found.slice(0, NAMES_SHOWN).map((g) => JSON.stringify(pathOf(g)));
    const more = found.length > NAMES_SHOWN ? `, and ${found.length - NAMES_SHOWN} more` : '';
    throw fail(`${found.length} groups have this name, at the paths ${paths.join(', ')}${more}; `
      + 'use UserHierarchyGroup.fromGroupPath() with the path of the one you mean');
  }
  const { groups: similar } = await connect.searchUserHierarchyGroups(instanceId,
    { StringCondition: { FieldName: 'name', ComparisonType: 'STARTS_WITH', Value: name } }, NAMES_SHOWN + 1);
  const like = similar.filter((g) => g.Name !== name && pathOf(g).length > 0).slice(0, NAMES_SHOWN).map((g) => JSON.stringify(pathOf(g)));
  throw fail(`no group has this name${like.length > 0 ? `; groups whose names start with it: ${like.join(', ')}` : ''}. `
    + 'Fix the name (names compare exactly, case included), or create the group first');
}

function nameIs(name: string): UserHierarchyGroupSearchCriteria {
  return { StringCondition: { FieldName: 'name', ComparisonType: 'EXACT', Value: name } };
}

function parentIs(groupId: string): UserHierarchyGroupSearchCriteria {
  return { StringCondition: { FieldName: 'parentId', ComparisonType: 'EXACT', Value: groupId } };
}

function levelIs(levelId: string): UserHierarchyGroupSearchCriteria {
  return { StringCondition: { FieldName: 'levelId', ComparisonType: 'EXACT', Value: levelId } };
}
