import { HierarchyGroupMatchType, StringComparisonType, UserSearchField } from './enums';
import type { IUserHierarchyGroup } from '../hierarchy';
import {
  exactlyOneField, hierarchyGroupCondition, HierarchyGroupConditionJson, isObject, isUnresolvedToken,
  MAX_CONTAINS_LENGTH, MIN_CONTAINS_LENGTH, nonEmptyArray, requireEnum, requireNonEmpty, show,
} from './rules';

interface StringConditionJson {
  readonly FieldName: string;
  readonly Value: string;
  readonly ComparisonType: string;
}

type CriteriaNode =
  | { readonly kind: 'string'; readonly condition: StringConditionJson }
  | { readonly kind: 'group'; readonly group: HierarchyGroupConditionJson }
  | { readonly kind: 'and'; readonly items: CriteriaNode[] }
  | { readonly kind: 'or'; readonly items: CriteriaNode[] };

const FIELDS = ['OrConditions', 'AndConditions', 'StringCondition', 'ListCondition', 'HierarchyGroupCondition'] as const;

/**
 * The `SearchCriteria` of a SearchUsers request (`UserSearchCriteria`).
 *
 * Build one from string conditions on the supported user fields and hierarchy group conditions,
 * combined with `allOf` (AND) and `anyOf` (OR), nested to any depth. Rules checked when built: a
 * `CONTAINS` value is 2 to 25 characters, values are not empty, AND and OR hold at least one condition.
 *
 * Proficiency conditions (`ListCondition`) are not modelled.
 *
 * @example
 * UserSearchCriteria.allOf(
 *   UserSearchCriteria.stringCondition(UserSearchField.USERNAME, StringComparisonType.STARTS_WITH, 'agent-'),
 *   UserSearchCriteria.hierarchyGroupId('0c1f...', HierarchyGroupMatchType.WITH_CHILD_GROUPS),
 * );
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_UserSearchCriteria.html
 */
export class UserSearchCriteria {
  /** The shortest value a `CONTAINS` condition takes (2). */
  public static readonly MIN_CONTAINS_LENGTH = MIN_CONTAINS_LENGTH;

  /** The longest value a `CONTAINS` condition takes (25). */
  public static readonly MAX_CONTAINS_LENGTH = MAX_CONTAINS_LENGTH;

  /**
   * Users whose `field` compares with `value` as `comparisonType` says (`StringCondition`).
   *
   * @param field the user field to test
   * @param comparisonType `EXACT`, `STARTS_WITH` or `CONTAINS` (2..25 characters)
   * @param value the value to compare with; not empty
   */
  public static stringCondition(field: UserSearchField, comparisonType: StringComparisonType, value: string): UserSearchCriteria {
    return new UserSearchCriteria({ kind: 'string', condition: stringCondition('`UserSearchCriteria.stringCondition`', field, comparisonType, value) });
  }

  /**
   * Users in a hierarchy group (`EXACT`), or in it and the groups below it (`WITH_CHILD_GROUPS`).
   *
   * @param group the hierarchy group, for example a `UserHierarchyGroup` or an imported one
   * @param matchType whether to include the groups below `group`
   */
  public static hierarchyGroup(group: IUserHierarchyGroup, matchType: HierarchyGroupMatchType): UserSearchCriteria {
    return UserSearchCriteria.hierarchyGroupId(group.userHierarchyGroupId, matchType);
  }

  /**
   * Like `hierarchyGroup`, for a group known only by its id.
   *
   * @param groupId the id of the hierarchy group (not its ARN)
   * @param matchType whether to include the groups below the group
   */
  public static hierarchyGroupId(groupId: string, matchType: HierarchyGroupMatchType): UserSearchCriteria {
    const group = hierarchyGroupCondition('`UserSearchCriteria.hierarchyGroup`', groupId, matchType);
    return new UserSearchCriteria({ kind: 'group', group });
  }

  /** Users that match every one of `criteria` (`AndConditions`). */
  public static allOf(...criteria: UserSearchCriteria[]): UserSearchCriteria {
    return new UserSearchCriteria({ kind: 'and', items: itemsOf('`UserSearchCriteria.allOf`', criteria) });
  }

  /** Users that match at least one of `criteria` (`OrConditions`). */
  public static anyOf(...criteria: UserSearchCriteria[]): UserSearchCriteria {
    return new UserSearchCriteria({ kind: 'or', items: itemsOf('`UserSearchCriteria.anyOf`', criteria) });
  }

  /**
   * Parse a `UserSearchCriteria` in the API's JSON, applying every rule the builders apply.
   *
   * @param json the `SearchCriteria` member of a SearchUsers request
   */
  public static fromJson(json: any): UserSearchCriteria {
    return new UserSearchCriteria(nodeFromJson('SearchCriteria', json));
  }

  private readonly node: CriteriaNode;

  private constructor(node: CriteriaNode) {
    this.node = node;
  }

  /** The criteria as the API takes them: the value of the request's `SearchCriteria`. */
  public render(): any {
    return renderNode(this.node);
  }

  /** Same as `render()`. */
  public toJson(): any {
    return this.render();
  }

  /** @internal */
  public _node(): CriteriaNode {
    return this.node;
  }
}

function stringCondition(where: string, field: unknown, comparisonType: unknown, value: unknown): StringConditionJson {
  const fieldName = requireEnum(`${where}: the field`, field, UserSearchField);
  const type = requireEnum(`${where}: the comparison type`, comparisonType, StringComparisonType);
  const text = requireNonEmpty(`${where}: the value for ${fieldName}`, value, 'pass the text to compare the field with');
  if (type === StringComparisonType.CONTAINS && !isUnresolvedToken(text)
    && (text.length < MIN_CONTAINS_LENGTH || text.length > MAX_CONTAINS_LENGTH)) {
    throw new Error(`${where}: a CONTAINS value must be ${MIN_CONTAINS_LENGTH} to ${MAX_CONTAINS_LENGTH} characters long, got ${text.length} (${show(text)}) for ${fieldName}: use STARTS_WITH or EXACT, or change the value`);
  }
  return { FieldName: fieldName, Value: text, ComparisonType: type };
}

function itemsOf(where: string, criteria: UserSearchCriteria[]): CriteriaNode[] {
  if (criteria.length === 0) {
    throw new Error(`${where} needs at least one condition, got none: pass the criteria to combine`);
  }
  return criteria.map(c => {
    if (!(c instanceof UserSearchCriteria)) {
      throw new Error(`${where} takes UserSearchCriteria conditions, got ${show(c)}: build them with UserSearchCriteria.stringCondition, .hierarchyGroup, .allOf or .anyOf`);
    }
    return c._node();
  });
}

function renderNode(node: CriteriaNode): any {
  switch (node.kind) {
    case 'string': return { StringCondition: { ...node.condition } };
    case 'group': return { HierarchyGroupCondition: { ...node.group } };
    case 'and': return { AndConditions: node.items.map(renderNode) };
    case 'or': return { OrConditions: node.items.map(renderNode) };
  }
}

function nodeFromJson(what: string, json: unknown): CriteriaNode {
  const field = exactlyOneField(what, json, FIELDS);
  const value = (json as Record<string, unknown>)[field];
  switch (field) {
    case 'StringCondition':
      if (!isObject(value)) {
        throw new Error(`${what}.StringCondition must be an object with FieldName, Value and ComparisonType, got ${show(value)}`);
      }
      return { kind: 'string', condition: stringCondition(`${what}.StringCondition`, value.FieldName, value.ComparisonType, value.Value) };
    case 'HierarchyGroupCondition':
      if (!isObject(value)) {
        throw new Error(`${what}.HierarchyGroupCondition must be an object with Value and HierarchyGroupMatchType, got ${show(value)}`);
      }
      return { kind: 'group', group: hierarchyGroupCondition(`${what}.HierarchyGroupCondition`, value.Value, value.HierarchyGroupMatchType) };
    case 'ListCondition':
      throw new Error(`${what}.ListCondition (proficiency conditions) is not supported by UserSearchCriteria: search without it, or send the request yourself`);
    case 'AndConditions':
      return { kind: 'and', items: nonEmptyArray(`${what}.AndConditions`, value).map((c, i) => nodeFromJson(`${what}.AndConditions[${i}]`, c)) };
    default:
      return { kind: 'or', items: nonEmptyArray(`${what}.OrConditions`, value).map((c, i) => nodeFromJson(`${what}.OrConditions[${i}]`, c)) };
  }
}
