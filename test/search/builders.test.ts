import { App, Lazy, Stack } from 'aws-cdk-lib';
import { CfnInstance } from 'aws-cdk-lib/aws-connect';
import { modelEnum, shapeProblems } from './model-shape';
import {
  HierarchyGroupMatchType, Instance, StringComparisonType, TagFilter, UserAttributeFilter, UserHierarchyGroup,
  UserSearchCriteria, UserSearchField, UserSearchFilter,
} from '../../src';

const GROUP_A = '11111111-1111-4111-8111-111111111111';
const GROUP_B = '22222222-2222-4222-8222-222222222222';
const { EXACT, WITH_CHILD_GROUPS } = HierarchyGroupMatchType;
const tag = UserAttributeFilter.tag;
const group = UserAttributeFilter.hierarchyGroupId;

/** The rendered `SearchFilter`, after checking it against the model's UserSearchFilter shape. */
function searchFilterJson(filter: UserSearchFilter): unknown {
  const json = filter.render();
  expect(shapeProblems('UserSearchFilter', json)).toEqual([]);
  expect(UserSearchFilter.fromJson(json).render()).toEqual(json);
  return json;
}

/** The rendered `SearchCriteria`, after checking it against the model's UserSearchCriteria shape. */
function criteriaJson(criteria: UserSearchCriteria): unknown {
  const json = criteria.render();
  expect(shapeProblems('UserSearchCriteria', json)).toEqual([]);
  expect(UserSearchCriteria.fromJson(json).render()).toEqual(json);
  return json;
}

/** Exactly one member set, as the model's doc requires of ControlPlaneUserAttributeFilter. */
function oneMember(json: any): string {
  const keys = Object.keys(json);
  expect(keys).toHaveLength(1);
  return keys[0];
}

describe('enums match the model', () => {
  test('HierarchyGroupMatchType', () => {
    expect(Object.values(HierarchyGroupMatchType).sort()).toEqual(modelEnum('HierarchyGroupMatchType').sort());
  });
  test('StringComparisonType', () => {
    expect(Object.values(StringComparisonType).sort()).toEqual(modelEnum('StringComparisonType').sort());
  });
  test('UserSearchField lists the six documented fields', () => {
    expect(Object.values(UserSearchField).sort()).toEqual(['FirstName', 'LastName', 'RoutingProfileId', 'SecurityProfileId', 'Username', 'resourceId'].sort());
  });
});

describe('UserAttributeFilter renders ControlPlaneUserAttributeFilter', () => {
  test.each<[string, () => UserAttributeFilter, unknown]>([
    ['a tag', () => tag('team', 'billing'), { TagCondition: { TagKey: 'team', TagValue: 'billing' } }],
    ['a tag with an empty value', () => tag('vip', ''), { TagCondition: { TagKey: 'vip', TagValue: '' } }],
    ['a group, EXACT', () => group(GROUP_A, EXACT), { HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'EXACT' } }],
    ['a group, WITH_CHILD_GROUPS', () => group(GROUP_A, WITH_CHILD_GROUPS), { HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } }],
    ['an AND of tags and a group', () => UserAttributeFilter.allOf(tag('team', 'billing'), group(GROUP_A, WITH_CHILD_GROUPS), tag('site', 'lyon')), {
      AndCondition: {
        TagConditions: [{ TagKey: 'team', TagValue: 'billing' }, { TagKey: 'site', TagValue: 'lyon' }],
        HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' },
      },
    }],
    ['an AND of one group only', () => UserAttributeFilter.allOf(group(GROUP_B, EXACT)), {
      AndCondition: { HierarchyGroupCondition: { Value: GROUP_B, HierarchyGroupMatchType: 'EXACT' } },
    }],
    ['nested ANDs, flattened', () => UserAttributeFilter.allOf(UserAttributeFilter.allOf(tag('a', '1'), tag('b', '2')), tag('c', '3')), {
      AndCondition: { TagConditions: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }] },
    }],
    ['an OR of a tag, a group and an AND', () => UserAttributeFilter.anyOf(
      tag('team', 'billing'),
      group(GROUP_A, EXACT),
      UserAttributeFilter.allOf(tag('site', 'lyon'), group(GROUP_B, WITH_CHILD_GROUPS)),
    ), {
      OrConditions: [
        { TagConditions: [{ TagKey: 'team', TagValue: 'billing' }] },
        { HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'EXACT' } },
        { TagConditions: [{ TagKey: 'site', TagValue: 'lyon' }], HierarchyGroupCondition: { Value: GROUP_B, HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } },
      ],
    }],
    ['nested ORs, flattened', () => UserAttributeFilter.anyOf(UserAttributeFilter.anyOf(tag('a', '1'), tag('b', '2')), tag('c', '3')), {
      OrConditions: [
        { TagConditions: [{ TagKey: 'a', TagValue: '1' }] },
        { TagConditions: [{ TagKey: 'b', TagValue: '2' }] },
        { TagConditions: [{ TagKey: 'c', TagValue: '3' }] },
      ],
    }],
  ])('%s', (_name, build, expected) => {
    const filter = build();
    expect(filter.render()).toEqual(expected);
    expect(filter.toJson()).toEqual(expected);
    oneMember(filter.render());
    expect(searchFilterJson(UserSearchFilter.userAttributes(filter))).toEqual({ UserAttributeFilter: expected });
  });

  test('counts its conditions', () => {
    const filter = UserAttributeFilter.anyOf(
      UserAttributeFilter.allOf(tag('a', '1'), tag('b', '2'), group(GROUP_A, EXACT)),
      group(GROUP_B, EXACT),
      tag('c', '3'),
    );
    expect(filter.tagConditionCount).toBe(3);
    expect(filter.hierarchyGroupConditionCount).toBe(2);
  });

  test('takes an IUserHierarchyGroup', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const arn = `arn:aws:connect:us-east-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/agent-group/${GROUP_A}`;
    const imported = UserHierarchyGroup.fromUserHierarchyGroupArn(stack, 'G', arn);
    expect(UserAttributeFilter.hierarchyGroup(imported, WITH_CHILD_GROUPS).render())
      .toEqual({ HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } });
    expect(UserSearchCriteria.hierarchyGroup(imported, EXACT).render())
      .toEqual({ HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'EXACT' } });
  });

  test('takes a group defined in the app (its id is a token resolved at deploy time)', () => {
    const stack = new Stack(new App(), 'S');
    const defined = new UserHierarchyGroup(stack, 'G', {
      instance: Instance.fromCfnInstance(new CfnInstance(stack, 'I', {
        identityManagementType: 'CONNECT_MANAGED',
        attributes: { inboundCalls: true, outboundCalls: true },
      })),
      userHierarchyGroupName: 'emea',
    });
    const json = UserAttributeFilter.hierarchyGroup(defined, EXACT).render();
    expect(stack.resolve(json.HierarchyGroupCondition.Value)).toEqual(stack.resolve(defined.userHierarchyGroupId));
  });
});

describe('TagFilter renders ControlPlaneTagFilter', () => {
  test.each<[string, () => TagFilter, unknown]>([
    ['a tag', () => TagFilter.tag('team', 'billing'), { TagCondition: { TagKey: 'team', TagValue: 'billing' } }],
    ['an AND', () => TagFilter.allOf(TagFilter.tag('a', '1'), TagFilter.allOf(TagFilter.tag('b', '2'))), {
      AndConditions: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }],
    }],
    ['an OR of ANDs', () => TagFilter.anyOf(TagFilter.tag('a', '1'), TagFilter.allOf(TagFilter.tag('b', '2'), TagFilter.tag('c', '3')), TagFilter.anyOf(TagFilter.tag('d', '4'))), {
      OrConditions: [[{ TagKey: 'a', TagValue: '1' }], [{ TagKey: 'b', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }], [{ TagKey: 'd', TagValue: '4' }]],
    }],
  ])('%s', (_name, build, expected) => {
    const filter = build();
    expect(filter.render()).toEqual(expected);
    expect(filter.toJson()).toEqual(expected);
    expect(searchFilterJson(UserSearchFilter.tags(filter))).toEqual({ TagFilter: expected });
    expect(searchFilterJson(new UserSearchFilter({ tagFilter: filter }))).toEqual({ TagFilter: expected });
  });
});

describe('UserSearchCriteria renders UserSearchCriteria', () => {
  const fields = Object.values(UserSearchField);
  const comparisons = Object.values(StringComparisonType);
  test.each(fields.flatMap(f => comparisons.map(c => [f, c] as const)))('%s %s', (field, comparison) => {
    const criteria = UserSearchCriteria.stringCondition(field, comparison, 'ab');
    expect(criteriaJson(criteria)).toEqual({ StringCondition: { FieldName: field, Value: 'ab', ComparisonType: comparison } });
  });

  test('a hierarchy group condition', () => {
    expect(criteriaJson(UserSearchCriteria.hierarchyGroupId(GROUP_A, WITH_CHILD_GROUPS)))
      .toEqual({ HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } });
  });

  test('nested AND and OR keep their structure', () => {
    const criteria = UserSearchCriteria.anyOf(
      UserSearchCriteria.allOf(
        UserSearchCriteria.stringCondition(UserSearchField.USERNAME, StringComparisonType.STARTS_WITH, 'agent-'),
        UserSearchCriteria.anyOf(
          UserSearchCriteria.hierarchyGroupId(GROUP_A, EXACT),
          UserSearchCriteria.hierarchyGroupId(GROUP_B, WITH_CHILD_GROUPS),
        ),
      ),
      UserSearchCriteria.stringCondition(UserSearchField.LAST_NAME, StringComparisonType.CONTAINS, 'mart'),
    );
    expect(criteriaJson(criteria)).toEqual({
      OrConditions: [
        {
          AndConditions: [
            { StringCondition: { FieldName: 'Username', Value: 'agent-', ComparisonType: 'STARTS_WITH' } },
            {
              OrConditions: [
                { HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'EXACT' } },
                { HierarchyGroupCondition: { Value: GROUP_B, HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } },
              ],
            },
          ],
        },
        { StringCondition: { FieldName: 'LastName', Value: 'mart', ComparisonType: 'CONTAINS' } },
      ],
    });
  });
});

describe('API rules are enforced when built', () => {
  test('a search filter refuses both a tag filter and a user-attribute filter', () => {
    expect(() => new UserSearchFilter({ tagFilter: TagFilter.tag('a', '1'), userAttributeFilter: tag('a', '1') }))
      .toThrow(/either `tagFilter` or `userAttributeFilter`, not both \(SearchUsers answers AccessDeniedException to both\)/);
    expect(() => UserSearchFilter.fromJson({ TagFilter: { TagCondition: { TagKey: 'a', TagValue: '1' } }, UserAttributeFilter: { TagCondition: { TagKey: 'a', TagValue: '1' } } }))
      .toThrow(/not both/);
  });

  test('a search filter refuses neither', () => {
    expect(() => new UserSearchFilter({})).toThrow(/needs `tagFilter` or `userAttributeFilter`, got neither/);
    expect(() => UserSearchFilter.fromJson({})).toThrow(/got neither/);
  });

  test('a user-attribute filter sets exactly one field', () => {
    expect(() => UserAttributeFilter.fromJson({
      TagCondition: { TagKey: 'a', TagValue: '1' },
      HierarchyGroupCondition: { Value: GROUP_A, HierarchyGroupMatchType: 'EXACT' },
    })).toThrow('UserAttributeFilter must set exactly one of OrConditions, AndCondition, TagCondition, HierarchyGroupCondition, got TagCondition and HierarchyGroupCondition');
    expect(() => UserAttributeFilter.fromJson({})).toThrow(/must set exactly one of .*, got none/);
    expect(() => UserAttributeFilter.fromJson({ Tag: {} })).toThrow('UserAttributeFilter has unknown member(s) Tag');
  });

  test('at most 25 tag conditions (25 pass)', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => tag(`k${i}`, 'v'));
    expect(UserAttributeFilter.allOf(...tags(25)).tagConditionCount).toBe(25);
    expect(() => UserAttributeFilter.allOf(...tags(26)))
      .toThrow('a user attribute filter holds at most 25 tag conditions, got 26: split the search into several requests');
    expect(() => UserAttributeFilter.anyOf(UserAttributeFilter.allOf(...tags(13)), UserAttributeFilter.allOf(...tags(13))))
      .toThrow(/at most 25 tag conditions, got 26/);
  });

  test('at most 20 hierarchy group conditions (20 pass)', () => {
    const groups = (n: number) => Array.from({ length: n }, (_, i) => group(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, EXACT));
    expect(UserAttributeFilter.anyOf(...groups(20)).hierarchyGroupConditionCount).toBe(20);
    expect(() => UserAttributeFilter.anyOf(...groups(21)))
      .toThrow(/holds at most 20 hierarchy group conditions, got 21: split the search into several requests, or match a common parent group with WITH_CHILD_GROUPS/);
  });

  test('an AND holds one hierarchy group', () => {
    expect(() => UserAttributeFilter.allOf(group(GROUP_A, EXACT), group(GROUP_B, EXACT)))
      .toThrow(`\`UserAttributeFilter.allOf\`: an AND holds at most one hierarchy group condition, got "${GROUP_A}" and "${GROUP_B}"`);
  });

  test('an OR cannot sit inside an AND', () => {
    expect(() => UserAttributeFilter.allOf(tag('a', '1'), UserAttributeFilter.anyOf(tag('b', '2'), tag('c', '3'))))
      .toThrow(/an anyOf cannot sit inside an allOf \(the API takes an OR of ANDs\): rewrite A AND \(B OR C\) as anyOf\(allOf\(A, B\), allOf\(A, C\)\)/);
    expect(() => TagFilter.allOf(TagFilter.anyOf(TagFilter.tag('b', '2')))).toThrow(/an anyOf cannot sit inside an allOf/);
  });

  test('AND and OR need at least one condition', () => {
    expect(() => UserAttributeFilter.allOf()).toThrow('`UserAttributeFilter.allOf` needs at least one condition, got none');
    expect(() => UserAttributeFilter.anyOf()).toThrow('`UserAttributeFilter.anyOf` needs at least one condition, got none');
    expect(() => TagFilter.allOf()).toThrow('`TagFilter.allOf` needs at least one condition');
    expect(() => TagFilter.anyOf()).toThrow('`TagFilter.anyOf` needs at least one condition');
    expect(() => UserSearchCriteria.allOf()).toThrow('`UserSearchCriteria.allOf` needs at least one condition');
    expect(() => UserSearchCriteria.anyOf()).toThrow('`UserSearchCriteria.anyOf` needs at least one condition');
    expect(() => UserAttributeFilter.fromJson({ OrConditions: [] })).toThrow('UserAttributeFilter.OrConditions must be a non-empty list, got []');
    expect(() => UserAttributeFilter.fromJson({ AndCondition: {} })).toThrow('UserAttributeFilter.AndCondition must hold at least one tag condition or a hierarchy group condition');
  });

  test('CONTAINS takes 2..25 characters (2 and 25 pass)', () => {
    const contains = (v: string) => UserSearchCriteria.stringCondition(UserSearchField.FIRST_NAME, StringComparisonType.CONTAINS, v);
    expect(contains('ab').render().StringCondition.Value).toBe('ab');
    expect(contains('x'.repeat(25)).render().StringCondition.Value).toHaveLength(25);
    expect(() => contains('a')).toThrow('`UserSearchCriteria.stringCondition`: a CONTAINS value must be 2 to 25 characters long, got 1 ("a") for FirstName: use STARTS_WITH or EXACT, or change the value');
    expect(() => contains('x'.repeat(26))).toThrow(/a CONTAINS value must be 2 to 25 characters long, got 26/);
    // The limit is on CONTAINS only.
    expect(UserSearchCriteria.stringCondition(UserSearchField.FIRST_NAME, StringComparisonType.STARTS_WITH, 'a').render().StringCondition.Value).toBe('a');
    expect(() => UserSearchCriteria.fromJson({ StringCondition: { FieldName: 'Username', Value: 'a', ComparisonType: 'CONTAINS' } }))
      .toThrow('SearchCriteria.StringCondition: a CONTAINS value must be 2 to 25 characters long, got 1');
  });

  test('a CONTAINS value that is a token is checked at deploy time, not here', () => {
    const stack = new Stack(new App(), 'S');
    const token = Lazy.string({ produce: () => 'a' });
    const json = UserSearchCriteria.stringCondition(UserSearchField.USERNAME, StringComparisonType.CONTAINS, token).render();
    expect(stack.resolve(json.StringCondition.Value)).toBe('a');
  });

  test('values, fields, match types and group ids are checked', () => {
    expect(() => UserSearchCriteria.stringCondition(UserSearchField.USERNAME, StringComparisonType.EXACT, ''))
      .toThrow('`UserSearchCriteria.stringCondition`: the value for Username must be a non-empty string, got ""');
    expect(() => UserSearchCriteria.stringCondition('Email' as UserSearchField, StringComparisonType.EXACT, 'a@b'))
      .toThrow('`UserSearchCriteria.stringCondition`: the field must be one of Username, FirstName, LastName, RoutingProfileId, SecurityProfileId, resourceId, got "Email"');
    expect(() => UserSearchCriteria.stringCondition(UserSearchField.USERNAME, 'ENDS_WITH' as StringComparisonType, 'ab'))
      .toThrow('the comparison type must be one of STARTS_WITH, CONTAINS, EXACT, got "ENDS_WITH"');
    expect(() => group(GROUP_A, 'CHILDREN' as HierarchyGroupMatchType))
      .toThrow('`UserAttributeFilter.hierarchyGroup`: the hierarchy group match type must be one of EXACT, WITH_CHILD_GROUPS, got "CHILDREN"');
    expect(() => group('', EXACT)).toThrow('`UserAttributeFilter.hierarchyGroup`: the hierarchy group id must be a non-empty string, got ""');
    expect(() => group(`arn:aws:connect:us-east-1:123456789012:instance/i/agent-group/${GROUP_A}`, EXACT))
      .toThrow(/the hierarchy group must be given by id, not ARN, .*pass the last part of the ARN \(after "agent-group\/"\)/);
    expect(() => UserSearchCriteria.hierarchyGroupId('', EXACT)).toThrow('`UserSearchCriteria.hierarchyGroup`: the hierarchy group id must be a non-empty string');
  });

  test('tag keys and values are checked', () => {
    expect(tag('k'.repeat(128), 'v'.repeat(256)).render().TagCondition.TagKey).toHaveLength(128);
    expect(() => tag('', 'v')).toThrow('`UserAttributeFilter.tag`: the tag key must be a non-empty string, got ""');
    expect(() => tag('k'.repeat(129), 'v')).toThrow(/the tag key must be at most 128 characters \(no tag can have a longer key\), got 129 characters/);
    expect(() => tag('k', 'v'.repeat(257))).toThrow(/the value of tag "k" must be at most 256 characters \(no tag can have a longer value\), got 257/);
    expect(() => tag('k', undefined as unknown as string)).toThrow('`UserAttributeFilter.tag`: the value of tag "k" must be a string (it may be empty), got undefined');
    expect(() => TagFilter.fromJson({ AndConditions: [{ TagKey: 'a' }] })).toThrow('TagFilter.AndConditions[0]: the value of tag "a" must be a string');
  });

  test('criteria set exactly one field; proficiency conditions are refused', () => {
    expect(() => UserSearchCriteria.fromJson({
      StringCondition: { FieldName: 'Username', Value: 'a', ComparisonType: 'EXACT' },
      AndConditions: [{ StringCondition: { FieldName: 'Username', Value: 'b', ComparisonType: 'EXACT' } }],
    })).toThrow('SearchCriteria must set exactly one of OrConditions, AndConditions, StringCondition, ListCondition, HierarchyGroupCondition, got AndConditions and StringCondition');
    expect(() => UserSearchCriteria.fromJson({ ListCondition: { TargetListType: 'PROFICIENCIES', Conditions: [] } }))
      .toThrow('SearchCriteria.ListCondition (proficiency conditions) is not supported by UserSearchCriteria');
    expect(() => UserSearchCriteria.fromJson({ OrConditions: [{ AndConditions: [] }] })).toThrow('SearchCriteria.OrConditions[0].AndConditions must be a non-empty list, got []');
  });

  test('builders refuse foreign objects', () => {
    expect(() => UserAttributeFilter.allOf({ render: () => ({}) } as unknown as UserAttributeFilter)).toThrow(/takes UserAttributeFilter conditions/);
    expect(() => UserSearchCriteria.anyOf({} as UserSearchCriteria)).toThrow(/takes UserSearchCriteria conditions/);
    expect(() => new UserSearchFilter({ userAttributeFilter: {} as UserAttributeFilter })).toThrow('`userAttributeFilter` must be a UserAttributeFilter, got {}');
  });
});

describe('the model check used above can fail', () => {
  test('it reports members, enums and list types the model does not allow', () => {
    expect(shapeProblems('UserSearchFilter', { UserAttributeFilter: { TagConditions: [] } }))
      .toEqual(['UserSearchFilter.UserAttributeFilter.TagConditions: not a member of ControlPlaneUserAttributeFilter']);
    expect(shapeProblems('HierarchyGroupCondition', { Value: 'g', HierarchyGroupMatchType: 'CHILDREN' }))
      .toEqual(['HierarchyGroupCondition.HierarchyGroupMatchType: CHILDREN not in EXACT|WITH_CHILD_GROUPS']);
    expect(shapeProblems('UserSearchCriteria', { OrConditions: {} })).toEqual(['UserSearchCriteria.OrConditions: expected a list']);
  });
});
