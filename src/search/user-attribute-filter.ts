import { HierarchyGroupMatchType } from './enums';
import type { IUserHierarchyGroup } from '../hierarchy';
import {
  exactlyOneField, hierarchyGroupCondition, HierarchyGroupConditionJson, isObject, MAX_HIERARCHY_GROUP_CONDITIONS,
  MAX_TAG_CONDITIONS, nonEmptyArray, show, tagCondition, TagConditionJson,
} from './rules';

/** One AND of tag conditions and at most one hierarchy group condition (`AttributeAndCondition`). */
interface AndNode {
  readonly tags: TagConditionJson[];
  readonly group?: HierarchyGroupConditionJson;
}

type FilterNode =
  | { readonly kind: 'tag'; readonly tag: TagConditionJson }
  | { readonly kind: 'group'; readonly group: HierarchyGroupConditionJson }
  | { readonly kind: 'and'; readonly and: AndNode }
  | { readonly kind: 'or'; readonly ors: AndNode[] };

const FIELDS = ['OrConditions', 'AndCondition', 'TagCondition', 'HierarchyGroupCondition'] as const;

/**
 * A condition on user tags and hierarchy groups: the `UserAttributeFilter` of a SearchUsers `SearchFilter`.
 *
 * Build one from leaves (`tag`, `hierarchyGroup`, `hierarchyGroupId`) combined with `allOf` (AND) and
 * `anyOf` (OR). The API takes an OR of ANDs, where each AND holds any number of tag conditions and at
 * most one hierarchy group condition; `anyOf` flattens nested ORs and `allOf` flattens nested ANDs to
 * reach that shape, and refuses what cannot be expressed in it (an OR inside an AND, two hierarchy
 * groups in one AND).
 *
 * Every rule of the API is checked when the filter is built, with a message that says what to change:
 * one field set, at most 25 tag conditions and 20 hierarchy group conditions in the whole filter.
 *
 * @example
 * // users of the "EMEA" group or any group below it who carry the tag team=billing
 * UserAttributeFilter.allOf(
 *   UserAttributeFilter.hierarchyGroup(emea, HierarchyGroupMatchType.WITH_CHILD_GROUPS),
 *   UserAttributeFilter.tag('team', 'billing'),
 * );
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_ControlPlaneUserAttributeFilter.html
 */
export class UserAttributeFilter {
  /** The most tag conditions one user-attribute filter may hold (25). */
  public static readonly MAX_TAG_CONDITIONS = MAX_TAG_CONDITIONS;

  /** The most hierarchy group conditions one user-attribute filter may hold (20). */
  public static readonly MAX_HIERARCHY_GROUP_CONDITIONS = MAX_HIERARCHY_GROUP_CONDITIONS;

  /**
   * Users that carry the tag `key` with the value `value`.
   *
   * @param key the tag key, 1..128 characters
   * @param value the tag value, up to 256 characters (may be empty)
   */
  public static tag(key: string, value: string): UserAttributeFilter {
    return new UserAttributeFilter({ kind: 'tag', tag: tagCondition('`UserAttributeFilter.tag`', key, value) });
  }

  /**
   * Users in a hierarchy group (`EXACT`), or in it and the groups below it (`WITH_CHILD_GROUPS`).
   *
   * @param group the hierarchy group, for example a `UserHierarchyGroup` or an imported one
   * @param matchType whether to include the groups below `group`
   */
  public static hierarchyGroup(group: IUserHierarchyGroup, matchType: HierarchyGroupMatchType): UserAttributeFilter {
    return UserAttributeFilter.hierarchyGroupId(group.userHierarchyGroupId, matchType);
  }

  /**
   * Like `hierarchyGroup`, for a group known only by its id.
   *
   * @param groupId the id of the hierarchy group (not its ARN)
   * @param matchType whether to include the groups below the group
   */
  public static hierarchyGroupId(groupId: string, matchType: HierarchyGroupMatchType): UserAttributeFilter {
    const group = hierarchyGroupCondition('`UserAttributeFilter.hierarchyGroup`', groupId, matchType);
    return new UserAttributeFilter({ kind: 'group', group });
  }

  /**
   * Users that match every one of `conditions` (`AndCondition`).
   *
   * Takes tags, at most one hierarchy group, and other `allOf` filters (flattened). An `anyOf` cannot
   * sit inside an AND: the API takes an OR of ANDs, so write `anyOf(allOf(a, b), allOf(a, c))`.
   */
  public static allOf(...conditions: UserAttributeFilter[]): UserAttributeFilter {
    return new UserAttributeFilter({ kind: 'and', and: toAnd('`UserAttributeFilter.allOf`', conditions) });
  }

  /**
   * Users that match at least one of `conditions` (`OrConditions`).
   *
   * Takes tags, hierarchy groups, `allOf` filters (each becomes one AND of the OR) and other `anyOf`
   * filters (flattened).
   */
  public static anyOf(...conditions: UserAttributeFilter[]): UserAttributeFilter {
    const where = '`UserAttributeFilter.anyOf`';
    if (conditions.length === 0) {
      throw new Error(`${where} needs at least one condition, got none: pass the tag and hierarchy group conditions to combine`);
    }
    const ors: AndNode[] = [];
    for (const condition of conditions) {
      const node = nodeOf(where, condition);
      switch (node.kind) {
        case 'tag': ors.push({ tags: [node.tag] }); break;
        case 'group': ors.push({ tags: [], group: node.group }); break;
        case 'and': ors.push(node.and); break;
        case 'or': ors.push(...node.ors); break;
      }
    }
    return new UserAttributeFilter({ kind: 'or', ors });
  }

  /**
   * Parse a `ControlPlaneUserAttributeFilter` in the API's JSON (for example from a stored request),
   * applying every rule the builders apply.
   *
   * @param json the `UserAttributeFilter` member of a SearchUsers `SearchFilter`
   */
  public static fromJson(json: any): UserAttributeFilter {
    const what = 'UserAttributeFilter';
    const field = exactlyOneField(what, json, FIELDS);
    const value = json[field];
    switch (field) {
      case 'TagCondition':
        return UserAttributeFilter.tag(tagMember(`${what}.TagCondition`, value, 'TagKey'), tagMember(`${what}.TagCondition`, value, 'TagValue'));
      case 'HierarchyGroupCondition':
        return new UserAttributeFilter({ kind: 'group', group: groupFromJson(`${what}.HierarchyGroupCondition`, value) });
      case 'AndCondition':
        return new UserAttributeFilter({ kind: 'and', and: andFromJson(`${what}.AndCondition`, value) });
      default:
        return new UserAttributeFilter({
          kind: 'or',
          ors: nonEmptyArray(`${what}.OrConditions`, value).map((and, i) => andFromJson(`${what}.OrConditions[${i}]`, and)),
        });
    }
  }

  /** The number of tag conditions in this filter. */
  public readonly tagConditionCount: number;

  /** The number of hierarchy group conditions in this filter. */
  public readonly hierarchyGroupConditionCount: number;

  private readonly node: FilterNode;

  private constructor(node: FilterNode) {
    const ands = node.kind === 'or' ? node.ors : node.kind === 'and' ? [node.and] : [];
    this.tagConditionCount = node.kind === 'tag' ? 1 : ands.reduce((n, a) => n + a.tags.length, 0);
    this.hierarchyGroupConditionCount = node.kind === 'group' ? 1 : ands.filter(a => a.group !== undefined).length;
    if (this.tagConditionCount > MAX_TAG_CONDITIONS) {
      throw new Error(`a user attribute filter holds at most ${MAX_TAG_CONDITIONS} tag conditions, got ${this.tagConditionCount}: split the search into several requests`);
    }
    if (this.hierarchyGroupConditionCount > MAX_HIERARCHY_GROUP_CONDITIONS) {
      throw new Error(`a user attribute filter holds at most ${MAX_HIERARCHY_GROUP_CONDITIONS} hierarchy group conditions, got ${this.hierarchyGroupConditionCount}: split the search into several requests, or match a common parent group with WITH_CHILD_GROUPS`);
    }
    this.node = node;
  }

  /**
   * The filter as the API takes it: the value of `SearchFilter.UserAttributeFilter`
   * (`ControlPlaneUserAttributeFilter`), with exactly one member set.
   */
  public render(): any {
    switch (this.node.kind) {
      case 'tag': return { TagCondition: { ...this.node.tag } };
      case 'group': return { HierarchyGroupCondition: { ...this.node.group } };
      case 'and': return { AndCondition: renderAnd(this.node.and) };
      case 'or': return { OrConditions: this.node.ors.map(renderAnd) };
    }
  }

  /** Same as `render()`. */
  public toJson(): any {
    return this.render();
  }

  /** @internal */
  public _node(): FilterNode {
    return this.node;
  }
}

function nodeOf(where: string, condition: UserAttributeFilter): FilterNode {
  if (!(condition instanceof UserAttributeFilter)) {
    throw new Error(`${where} takes UserAttributeFilter conditions, got ${show(condition)}: build them with UserAttributeFilter.tag, .hierarchyGroup, .allOf or .anyOf`);
  }
  return condition._node();
}

function toAnd(where: string, conditions: UserAttributeFilter[]): AndNode {
  if (conditions.length === 0) {
    throw new Error(`${where} needs at least one condition, got none: pass the tag and hierarchy group conditions to combine`);
  }
  const tags: TagConditionJson[] = [];
  let group: HierarchyGroupConditionJson | undefined;
  const addGroup = (g: HierarchyGroupConditionJson) => {
    if (group !== undefined) {
      throw new Error(`${where}: an AND holds at most one hierarchy group condition, got ${show(group.Value)} and ${show(g.Value)}: a user is in one group only; use anyOf for "in either group", or one group with WITH_CHILD_GROUPS`);
    }
    group = g;
  };
  for (const condition of conditions) {
    const node = nodeOf(where, condition);
    switch (node.kind) {
      case 'tag': tags.push(node.tag); break;
      case 'group': addGroup(node.group); break;
      case 'and':
        tags.push(...node.and.tags);
        if (node.and.group !== undefined) addGroup(node.and.group);
        break;
      case 'or':
        throw new Error(`${where}: an anyOf cannot sit inside an allOf (the API takes an OR of ANDs): rewrite A AND (B OR C) as anyOf(allOf(A, B), allOf(A, C))`);
    }
  }
  return { tags, group };
}

function renderAnd(and: AndNode): any {
  return {
    ...(and.tags.length > 0 ? { TagConditions: and.tags.map(t => ({ ...t })) } : {}),
    ...(and.group !== undefined ? { HierarchyGroupCondition: { ...and.group } } : {}),
  };
}

function tagMember(what: string, json: unknown, member: 'TagKey' | 'TagValue'): string {
  if (!isObject(json)) {
    throw new Error(`${what} must be an object with TagKey and TagValue, got ${show(json)}`);
  }
  return json[member] as string;
}

function groupFromJson(what: string, json: unknown): HierarchyGroupConditionJson {
  if (!isObject(json)) {
    throw new Error(`${what} must be an object with Value and HierarchyGroupMatchType, got ${show(json)}`);
  }
  return hierarchyGroupCondition(what, json.Value, json.HierarchyGroupMatchType);
}

function andFromJson(what: string, json: unknown): AndNode {
  if (!isObject(json)) {
    throw new Error(`${what} must be an object with TagConditions and/or HierarchyGroupCondition, got ${show(json)}`);
  }
  const unknown = Object.keys(json).filter(k => k !== 'TagConditions' && k !== 'HierarchyGroupCondition');
  if (unknown.length > 0) {
    throw new Error(`${what} has unknown member(s) ${unknown.join(', ')}: allowed are TagConditions, HierarchyGroupCondition`);
  }
  const tags = json.TagConditions === undefined ? [] : (Array.isArray(json.TagConditions) ? json.TagConditions : nonEmptyArray(`${what}.TagConditions`, json.TagConditions))
    .map((t, i) => tagCondition(`${what}.TagConditions[${i}]`, tagMember(`${what}.TagConditions[${i}]`, t, 'TagKey'), tagMember(`${what}.TagConditions[${i}]`, t, 'TagValue')));
  const group = json.HierarchyGroupCondition === undefined ? undefined : groupFromJson(`${what}.HierarchyGroupCondition`, json.HierarchyGroupCondition);
  if (tags.length === 0 && group === undefined) {
    throw new Error(`${what} must hold at least one tag condition or a hierarchy group condition, got ${show(json)}`);
  }
  return { tags, group };
}
