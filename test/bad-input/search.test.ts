/**
 * Bad input to the SearchUsers builders (src/search) and the paginator (lambda/search-users.ts): every
 * rule the API enforces is refused before any call, with a message naming the field and the fix.
 */
import { collectUsers, searchUserPages, SearchUsersApi } from '../../lambda/search-users';
import {
  HierarchyGroupMatchType,
  StringComparisonType,
  TagFilter,
  UserAttributeFilter,
  UserSearchCriteria,
  UserSearchField,
  UserSearchFilter,
} from '../../src/search';

interface SearchCase {
  readonly name: string;
  readonly build: () => unknown;
  readonly field: RegExp;
  readonly fix: RegExp;
}

const GROUP_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/aaaabbbb-cccc-dddd-eeee-ffff00001111/agent-group/12345678-aaaa-bbbb-cccc-000000000001';

export const SEARCH_CASES: SearchCase[] = [
  {
    name: 'a tag filter and a user-attribute filter together (the API answers AccessDeniedException)',
    build: () => new UserSearchFilter({ tagFilter: TagFilter.tag('team', 'a'), userAttributeFilter: UserAttributeFilter.tag('team', 'a') }),
    field: /`tagFilter` or `userAttributeFilter`, not both/,
    fix: /move the tag conditions into the user-attribute filter/,
  },
  {
    name: 'a search filter with neither filter',
    build: () => new UserSearchFilter({}),
    field: /`tagFilter` or `userAttributeFilter`, got neither/,
    fix: /leave the search filter out/,
  },
  {
    name: 'a CONTAINS value of 1 character',
    build: () => UserSearchCriteria.stringCondition(UserSearchField.USERNAME, StringComparisonType.CONTAINS, 'a'),
    field: /CONTAINS value must be 2 to 25 characters long, got 1 \("a"\) for Username/,
    fix: /use STARTS_WITH or EXACT, or change the value/,
  },
  {
    name: 'a CONTAINS value of 26 characters',
    build: () => UserSearchCriteria.stringCondition(UserSearchField.FIRST_NAME, StringComparisonType.CONTAINS, 'x'.repeat(26)),
    field: /got 26 .* for FirstName/,
    fix: /use STARTS_WITH or EXACT/,
  },
  {
    name: 'an empty string condition value',
    build: () => UserSearchCriteria.stringCondition(UserSearchField.LAST_NAME, StringComparisonType.EXACT, ''),
    field: /the value for LastName must be a non-empty string/,
    fix: /pass the text to compare the field with/,
  },
  {
    name: 'an unknown search field (from JSON)',
    build: () => UserSearchCriteria.fromJson({ StringCondition: { FieldName: 'Email', Value: 'a@b', ComparisonType: 'EXACT' } }),
    field: /field must be one of Username, FirstName, LastName, RoutingProfileId, SecurityProfileId, resourceId, got "Email"/,
    fix: /one of Username/,
  },
  {
    name: 'a hierarchy group ARN where the id is expected',
    build: () => UserAttributeFilter.hierarchyGroupId(GROUP_ARN, HierarchyGroupMatchType.WITH_CHILD_GROUPS),
    field: /hierarchy group must be given by id, not ARN/,
    fix: /pass the last part of the ARN \(after "agent-group\/"\)/,
  },
  {
    name: 'an unknown hierarchy group match type (from JSON)',
    build: () => UserAttributeFilter.fromJson({ HierarchyGroupCondition: { Value: 'g-1', HierarchyGroupMatchType: 'DESCENDANTS' } }),
    field: /match type must be one of EXACT, WITH_CHILD_GROUPS, got "DESCENDANTS"/,
    fix: /EXACT, WITH_CHILD_GROUPS/,
  },
  {
    name: 'two hierarchy groups in one AND (a user is in one group only)',
    build: () => UserAttributeFilter.allOf(
      UserAttributeFilter.hierarchyGroupId('g-1', HierarchyGroupMatchType.EXACT),
      UserAttributeFilter.hierarchyGroupId('g-2', HierarchyGroupMatchType.EXACT)),
    field: /an AND holds at most one hierarchy group condition/,
    fix: /use anyOf for "in either group"/,
  },
  {
    name: 'an OR inside an AND (the API takes an OR of ANDs)',
    build: () => UserAttributeFilter.allOf(UserAttributeFilter.tag('a', '1'), UserAttributeFilter.anyOf(UserAttributeFilter.tag('b', '2'), UserAttributeFilter.tag('c', '3'))),
    field: /an anyOf cannot sit inside an allOf/,
    fix: /rewrite A AND \(B OR C\) as anyOf\(allOf\(A, B\), allOf\(A, C\)\)/,
  },
  {
    name: 'more than 25 tag conditions in a user-attribute filter',
    build: () => UserAttributeFilter.anyOf(...Array.from({ length: 26 }, (_, i) => UserAttributeFilter.tag(`k${i}`, 'v'))),
    field: /at most 25 tag conditions, got 26/,
    fix: /split the search into several requests/,
  },
  {
    name: 'more than 20 hierarchy group conditions in a user-attribute filter',
    build: () => UserAttributeFilter.anyOf(...Array.from({ length: 21 }, (_, i) => UserAttributeFilter.hierarchyGroupId(`g-${i}`, HierarchyGroupMatchType.EXACT))),
    field: /at most 20 hierarchy group conditions, got 21/,
    fix: /split the search into several requests/,
  },
  {
    name: 'a user-attribute filter JSON that sets two fields',
    build: () => UserAttributeFilter.fromJson({ TagCondition: { TagKey: 'a', TagValue: '1' }, HierarchyGroupCondition: { Value: 'g', HierarchyGroupMatchType: 'EXACT' } }),
    field: /must set exactly one of .*TagCondition and HierarchyGroupCondition/,
    fix: /split the condition into an AND or an OR instead/,
  },
  {
    name: 'an empty tag key',
    build: () => TagFilter.tag('', 'v'),
    field: /`TagFilter.tag`: the tag key must be a non-empty string/,
    fix: /name the tag the users must carry/,
  },
  {
    name: 'an anyOf of nothing',
    build: () => TagFilter.anyOf(),
    field: /`TagFilter.anyOf` needs at least one condition, got none/,
    fix: /pass the tag conditions to combine/,
  },
];

describe('bad search filters are refused before any call', () => {
  test.each(SEARCH_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.build).toThrow(c.field);
    expect(c.build).toThrow(c.fix);
  });
});

describe('bad paginator input is refused before any call', () => {
  // a structural API that records calls: no server can produce "a call that must not happen"
  const calls: unknown[] = [];
  const api: SearchUsersApi = { searchUsers: async (input) => { calls.push(input); return { Users: [], $metadata: {} }; } };

  test.each([0, 501, 2.5])('pageSize %p names the field and the range', async (pageSize) => {
    await expect(searchUserPages(api, { instanceId: 'i-1', pageSize }).next()).rejects.toThrow(/pageSize must be an integer in 1\.\.500, got/);
    expect(calls).toEqual([]);
  });

  test('a negative limit names the field and the range', async () => {
    await expect(collectUsers(api, { instanceId: 'i-1' }, -1)).rejects.toThrow(/limit must be 0 or more, got -1/);
    expect(calls).toEqual([]);
  });
});
