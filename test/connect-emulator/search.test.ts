import {
  ConnectClient, CreateSecurityProfileCommand, DescribeUserCommand, paginateSearchUsers, SearchSecurityProfilesCommand,
  SearchUsersCommand, SearchUsersCommandInput,
} from '@aws-sdk/client-connect';
import { failure } from './test-support';
import { ConnectEmulator } from '../../local/connect-emulator';
import { startEmulatorAndClient } from '../support/emulator-client';

// SearchUsers and SearchSecurityProfiles, case by case, against a small seeded organisation:
//   EMEA > Paris > Desk, AMER
//   alice (Agent, Paris, team=red site=paris, ACW 30 s), bob (Agent+CallCenterManager, EMEA, team=blue),
//   carol (Admin, Desk, team=red), dave (Agent, AMER), erin (Agent, no group, team=red site=nyc)

let emulator: ConnectEmulator;
let client: ConnectClient;
let stop: () => Promise<void>;
let instanceId: string;
let profiles: Record<string, string>;
const groups: Record<string, string> = {};
const users: Record<string, string> = {};

beforeAll(async () => {
  ({ emulator, client, stop } = await startEmulatorAndClient());
  const instance = emulator.createInstance();
  instanceId = instance.instanceId;
  profiles = instance.defaultSecurityProfileIds;
  groups.EMEA = emulator.seedHierarchyGroup(instanceId, 'EMEA').id;
  groups.Paris = emulator.seedHierarchyGroup(instanceId, 'Paris', groups.EMEA).id;
  groups.Desk = emulator.seedHierarchyGroup(instanceId, 'Desk', groups.Paris).id;
  groups.AMER = emulator.seedHierarchyGroup(instanceId, 'AMER').id;
  users.alice = emulator.seedUser(instanceId, {
    username: 'alice',
    firstName: 'Alice',
    lastName: 'Martin',
    securityProfileIds: [profiles.Agent],
    hierarchyGroupId: groups.Paris,
    tags: { team: 'red', site: 'paris' },
    afterContactWorkTimeLimitSeconds: 30,
  }).id;
  users.bob = emulator.seedUser(instanceId, {
    username: 'bob', securityProfileIds: [profiles.Agent, profiles.CallCenterManager], hierarchyGroupId: groups.EMEA, tags: { team: 'blue' },
  }).id;
  users.carol = emulator.seedUser(instanceId, { username: 'carol', securityProfileIds: [profiles.Admin], hierarchyGroupId: groups.Desk, tags: { team: 'red' } }).id;
  users.dave = emulator.seedUser(instanceId, { username: 'dave', firstName: 'Dave', securityProfileIds: [profiles.Agent], hierarchyGroupId: groups.AMER }).id;
  users.erin = emulator.seedUser(instanceId, { username: 'erin', securityProfileIds: [profiles.Agent], tags: { team: 'red', site: 'nyc' } }).id;
});
afterAll(() => stop());

async function names(input: Omit<SearchUsersCommandInput, 'InstanceId'>): Promise<string[]> {
  const out = await client.send(new SearchUsersCommand({ InstanceId: instanceId, MaxResults: 500, ...input }));
  return out.Users!.map(u => u.Username!).sort();
}

const str = (FieldName: string, ComparisonType: 'EXACT' | 'STARTS_WITH' | 'CONTAINS', Value: string) => ({ StringCondition: { FieldName, ComparisonType, Value } });

test.each([
  ['no criteria: everyone', {}, ['alice', 'bob', 'carol', 'dave', 'erin']],
  ['Username EXACT', { SearchCriteria: str('Username', 'EXACT', 'alice') }, ['alice']],
  ['EXACT is case-sensitive', { SearchCriteria: str('Username', 'EXACT', 'Alice') }, []],
  ['STARTS_WITH ignores case', { SearchCriteria: str('Username', 'STARTS_WITH', 'AL') }, ['alice']],
  ['LastName CONTAINS', { SearchCriteria: str('LastName', 'CONTAINS', 'rti') }, ['alice']],
  ['FirstName STARTS_WITH', { SearchCriteria: str('FirstName', 'STARTS_WITH', 'da') }, ['dave']],
  ['SecurityProfileId EXACT matches any held profile', { SearchCriteria: str('SecurityProfileId', 'EXACT', 'CCM') }, ['bob']],
  ['RoutingProfileId EXACT', { SearchCriteria: str('RoutingProfileId', 'EXACT', '00000000-0000-4000-8000-000000000001') }, ['alice', 'bob', 'carol', 'dave', 'erin']],
  ['resourceId EXACT', { SearchCriteria: str('resourceId', 'EXACT', 'ALICE') }, ['alice']],
  ['HierarchyGroupCondition EXACT', { SearchCriteria: { HierarchyGroupCondition: { Value: 'EMEA', HierarchyGroupMatchType: 'EXACT' } } }, ['bob']],
  ['HierarchyGroupCondition WITH_CHILD_GROUPS', { SearchCriteria: { HierarchyGroupCondition: { Value: 'EMEA', HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } } }, ['alice', 'bob', 'carol']],
  ['nested OR of AND', {
    SearchCriteria: {
      OrConditions: [str('Username', 'EXACT', 'dave'), {
        AndConditions: [str('SecurityProfileId', 'EXACT', 'AGENT'), { HierarchyGroupCondition: { Value: 'EMEA', HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } }],
      }],
    },
  }, ['alice', 'bob', 'dave']],
  ['ListCondition (no proficiencies in the emulator)', { SearchCriteria: { ListCondition: { TargetListType: 'PROFICIENCIES', Conditions: [] } } }, []],
  ['TagFilter OR of AND', { SearchFilter: { TagFilter: { OrConditions: [[{ TagKey: 'team', TagValue: 'red' }, { TagKey: 'site', TagValue: 'paris' }], [{ TagKey: 'team', TagValue: 'blue' }]] } } }, ['alice', 'bob']],
  ['TagFilter AndConditions', { SearchFilter: { TagFilter: { AndConditions: [{ TagKey: 'team', TagValue: 'red' }] } } }, ['alice', 'carol', 'erin']],
  ['TagFilter TagCondition', { SearchFilter: { TagFilter: { TagCondition: { TagKey: 'site', TagValue: 'nyc' } } } }, ['erin']],
  ['UserAttributeFilter TagCondition', { SearchFilter: { UserAttributeFilter: { TagCondition: { TagKey: 'team', TagValue: 'red' } } } }, ['alice', 'carol', 'erin']],
  ['UserAttributeFilter HierarchyGroupCondition EXACT', { SearchFilter: { UserAttributeFilter: { HierarchyGroupCondition: { Value: 'Paris', HierarchyGroupMatchType: 'EXACT' } } } }, ['alice']],
  ['UserAttributeFilter HierarchyGroupCondition WITH_CHILD_GROUPS', { SearchFilter: { UserAttributeFilter: { HierarchyGroupCondition: { Value: 'Paris', HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } } } }, ['alice', 'carol']],
  ['UserAttributeFilter AndCondition (tags AND hierarchy)', {
    SearchFilter: { UserAttributeFilter: { AndCondition: { TagConditions: [{ TagKey: 'team', TagValue: 'red' }], HierarchyGroupCondition: { Value: 'EMEA', HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } } } },
  }, ['alice', 'carol']],
  ['UserAttributeFilter OrConditions', {
    SearchFilter: { UserAttributeFilter: { OrConditions: [{ TagConditions: [{ TagKey: 'site', TagValue: 'nyc' }] }, { HierarchyGroupCondition: { Value: 'AMER', HierarchyGroupMatchType: 'EXACT' } }] } },
  }, ['dave', 'erin']],
  ['filter AND criteria', { SearchFilter: { TagFilter: { TagCondition: { TagKey: 'team', TagValue: 'red' } } }, SearchCriteria: str('Username', 'STARTS_WITH', 'c') }, ['carol']],
  ['an unknown group matches nobody', { SearchCriteria: { HierarchyGroupCondition: { Value: 'no-such-group', HierarchyGroupMatchType: 'EXACT' } } }, []],
])('SearchUsers: %s', async (_title, input, expected) => {
  // placeholders stand for ids known only after seeding
  const text = JSON.stringify(input).replace(/"(EMEA|Paris|Desk|AMER)"/g, (_m, g) => JSON.stringify(groups[g]))
    .replace('"CCM"', JSON.stringify(profiles.CallCenterManager)).replace('"AGENT"', JSON.stringify(profiles.Agent))
    .replace('"ALICE"', JSON.stringify(users.alice));
  expect(await names(JSON.parse(text))).toEqual(expected);
});

test.each([
  ['CONTAINS with 1 character', { SearchCriteria: str('Username', 'CONTAINS', 'a') }, 'InvalidParameterException', /CONTAINS query needs 2 to 25/],
  ['CONTAINS with 26 characters', { SearchCriteria: str('Username', 'CONTAINS', 'a'.repeat(26)) }, 'InvalidParameterException', /26 characters/],
  ['an unsupported FieldName', { SearchCriteria: str('Email', 'EXACT', 'x') }, 'InvalidParameterException', /FieldName 'Email' is not supported/],
  ['TagFilter with UserAttributeFilter', {
    SearchFilter: { TagFilter: { TagCondition: { TagKey: 'a', TagValue: 'b' } }, UserAttributeFilter: { TagCondition: { TagKey: 'a', TagValue: 'b' } } },
  }, 'AccessDeniedException', /either TagFilter or UserAttributeFilter/],
  ['two fields of UserAttributeFilter', {
    SearchFilter: { UserAttributeFilter: { TagCondition: { TagKey: 'a', TagValue: 'b' }, HierarchyGroupCondition: { Value: 'g', HierarchyGroupMatchType: 'EXACT' } } },
  }, 'InvalidParameterException', /exactly one/],
  ['26 tag conditions in UserAttributeFilter', {
    SearchFilter: { UserAttributeFilter: { AndCondition: { TagConditions: Array.from({ length: 26 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' })) } } },
  }, 'InvalidParameterException', /26 tag conditions/],
  ['21 hierarchy conditions in UserAttributeFilter', {
    SearchFilter: { UserAttributeFilter: { OrConditions: Array.from({ length: 21 }, () => ({ HierarchyGroupCondition: { Value: 'g', HierarchyGroupMatchType: 'EXACT' } })) } },
  }, 'InvalidParameterException', /21 hierarchy group conditions/],
])('SearchUsers rejects %s', async (_title, input, name, message) => {
  const e = await failure(client.send(new SearchUsersCommand({ InstanceId: instanceId, ...(input as object) })));
  expect(e.name).toBe(name);
  expect(e.message).toMatch(message);
  if (name === 'AccessDeniedException') {
    expect(e.$metadata.httpStatusCode).toBe(403);
  }
});

test('SearchUsers reports AfterContactWorkTimeLimit in milliseconds, DescribeUser in seconds', async () => {
  const out = await client.send(new SearchUsersCommand({ InstanceId: instanceId, SearchCriteria: str('Username', 'EXACT', 'alice') }));
  expect(out.Users![0].PhoneConfig?.AfterContactWorkTimeLimit).toBe(30_000);
  expect(out.Users![0]).toMatchObject({ Id: users.alice, HierarchyGroupId: groups.Paris, IdentityInfo: { FirstName: 'Alice', LastName: 'Martin' }, Tags: { team: 'red', site: 'paris' } });
  const described = await client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: users.alice }));
  expect(described.User?.PhoneConfig?.AfterContactWorkTimeLimit).toBe(30);
});

test('SearchUsers paginates with opaque, stable tokens and ApproximateTotalCount on every page', async () => {
  const pages: Array<{ names: string[]; total?: number }> = [];
  for await (const page of paginateSearchUsers({ client, pageSize: 2 }, { InstanceId: instanceId })) {
    pages.push({ names: page.Users!.map(u => u.Username!), total: page.ApproximateTotalCount });
  }
  expect(pages.map(p => p.names)).toEqual([['alice', 'bob'], ['carol', 'dave'], ['erin']]);
  expect(pages.every(p => p.total === 5)).toBe(true);
  const first = await client.send(new SearchUsersCommand({ InstanceId: instanceId, MaxResults: 2 }));
  const again = await client.send(new SearchUsersCommand({ InstanceId: instanceId, MaxResults: 2 }));
  expect(again.NextToken).toBe(first.NextToken);
  expect(first.NextToken).not.toMatch(/alice|bob|carol/);
  const other = await failure(client.send(new SearchUsersCommand({ InstanceId: instanceId, MaxResults: 2, NextToken: first.NextToken, SearchCriteria: str('Username', 'EXACT', 'x') })));
  expect(other.name).toBe('InvalidParameterException');
});

test('SearchSecurityProfiles: name conditions, tag filter, summary shape, count', async () => {
  const { instanceId: id } = emulator.createInstance();
  await client.send(new CreateSecurityProfileCommand({ InstanceId: id, SecurityProfileName: 'Sales Lead', Description: 'd', Tags: { unit: 'sales' } }));
  await client.send(new CreateSecurityProfileCommand({ InstanceId: id, SecurityProfileName: 'Sales Agent', Tags: { unit: 'sales' } }));
  const byName = await client.send(new SearchSecurityProfilesCommand({ InstanceId: id, SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'sales', ComparisonType: 'CONTAINS' } } }));
  expect(byName.SecurityProfiles?.map(p => p.SecurityProfileName)).toEqual(['Sales Lead', 'Sales Agent']);
  expect(byName.ApproximateTotalCount).toBe(2);
  expect(byName.SecurityProfiles![0]).toEqual({
    Id: expect.any(String), OrganizationResourceId: id, Arn: expect.stringContaining('/security-profile/'), SecurityProfileName: 'Sales Lead', Description: 'd', Tags: { unit: 'sales' },
  });
  const or = await client.send(new SearchSecurityProfilesCommand({
    InstanceId: id,
    SearchCriteria: { OrConditions: [{ StringCondition: { FieldName: 'name', Value: 'Admin', ComparisonType: 'EXACT' } }, { StringCondition: { FieldName: 'name', Value: 'agent', ComparisonType: 'STARTS_WITH' } }] },
  }));
  expect(or.SecurityProfiles?.map(p => p.SecurityProfileName)).toEqual(['Admin', 'Agent']);
  const tagged = await client.send(new SearchSecurityProfilesCommand({
    InstanceId: id,
    SearchFilter: { TagFilter: { TagCondition: { TagKey: 'unit', TagValue: 'sales' } } },
    SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'Lead', ComparisonType: 'CONTAINS' } },
  }));
  expect(tagged.SecurityProfiles?.map(p => p.SecurityProfileName)).toEqual(['Sales Lead']);
  const bad = await failure(client.send(new SearchSecurityProfilesCommand({ InstanceId: id, SearchCriteria: { StringCondition: { FieldName: 'description', Value: 'x', ComparisonType: 'EXACT' } } })));
  expect(bad.name).toBe('InvalidParameterException');
});
