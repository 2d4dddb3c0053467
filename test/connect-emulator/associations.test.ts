import {
  AssociateSecurityProfilesCommand, ConnectClient, CreateInstanceCommand, CreateSecurityProfileCommand, CreateUserCommand,
  DeleteSecurityProfileCommand, DescribeUserHierarchyGroupCommand, DescribeUserHierarchyStructureCommand,
  DisassociateSecurityProfilesCommand, ListEntitySecurityProfilesCommand, ListInstancesCommand,
  paginateListEntitySecurityProfiles, paginateListInstances, paginateSearchUserHierarchyGroups, SearchUserHierarchyGroupsCommand,
  UpdateUserHierarchyStructureCommand, UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { failure } from './test-support';
import { ConnectEmulator } from '../../local/connect-emulator';
import { startEmulatorAndClient } from '../support/emulator-client';

// ListInstances, hierarchy levels as AWS shows them, SearchUserHierarchyGroups, the AI agent association
// operations and the two-restricted-profiles rule, all through the real SDK over HTTP.

let emulator: ConnectEmulator;
let client: ConnectClient;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, client, stop } = await startEmulatorAndClient({ region: 'eu-west-2', accountId: '111122223333' }));
});
afterAll(() => stop());

const agentArn = (n: number): string =>
  `arn:aws:wisdom:eu-west-2:111122223333:ai-agent/11111111-2222-4333-8444-555555555555/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('ListInstances', () => {
  test('lists every instance in creation order, 10 to a page, with the InstanceSummary members', async () => {
    const before = (await client.send(new ListInstancesCommand({ MaxResults: 10 }))).InstanceSummaryList ?? [];
    const made: string[] = [];
    for (let i = 0; i < 11 - before.length + 1; i++) {
      made.push((await client.send(new CreateInstanceCommand({
        IdentityManagementType: 'CONNECT_MANAGED', InstanceAlias: `list-${i}`, InboundCallsEnabled: true, OutboundCallsEnabled: false,
      }))).Id!);
    }
    const first = await client.send(new ListInstancesCommand({}));
    expect(first.InstanceSummaryList).toHaveLength(10);
    expect(first.NextToken).toBeDefined();
    const all = [];
    for await (const page of paginateListInstances({ client, pageSize: 4 }, {})) {
      all.push(...page.InstanceSummaryList ?? []);
    }
    expect(all.map(i => i.Id)).toEqual([...before.map(i => i.Id), ...made]);
    expect(all[all.length - 1]).toMatchObject({
      Id: made[made.length - 1],
      Arn: `arn:aws:connect:eu-west-2:111122223333:instance/${made[made.length - 1]}`,
      IdentityManagementType: 'CONNECT_MANAGED',
      InstanceStatus: 'ACTIVE',
      InboundCallsEnabled: true,
      OutboundCallsEnabled: false,
    });
    expect(all[all.length - 1].CreatedTime).toBeInstanceOf(Date);
    const over = await failure(client.send(new ListInstancesCommand({ MaxResults: 11 })));
    expect(over.name).toBe('InvalidParameterException');
  });
});

describe('hierarchy levels as AWS shows them', () => {
  test('level ids are 1..5 and ARNs end with /agent-group-level/<n>; a group reports its level id', async () => {
    const { instanceId, instanceArn } = emulator.createInstance();
    await client.send(new UpdateUserHierarchyStructureCommand({
      InstanceId: instanceId,
      HierarchyStructure: { LevelOne: { Name: 'Company' }, LevelTwo: { Name: 'BPO' }, LevelThree: { Name: 'Site' }, LevelFour: { Name: 'Team' }, LevelFive: { Name: 'Pod' } },
    }));
    const { HierarchyStructure: s } = await client.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
    const levels = [s?.LevelOne, s?.LevelTwo, s?.LevelThree, s?.LevelFour, s?.LevelFive];
    levels.forEach((level, i) => {
      expect(level?.Id).toBe(String(i + 1));
      expect(level?.Arn).toBe(`${instanceArn}/agent-group-level/${i + 1}`);
      // the CloudFormation schema's HierarchyLevelArn pattern
      expect(level?.Arn).toMatch(/^arn:aws[-a-z0-9]*:connect:[-a-z0-9]*:[0-9]{12}:instance\/[-a-zA-Z0-9]*\/agent-group-level\/[-a-zA-Z0-9]*$/);
    });
    const company = emulator.seedHierarchyGroup(instanceId, 'Company');
    const bpo = emulator.seedHierarchyGroup(instanceId, 'BPO-A', company.id);
    const { HierarchyGroup } = await client.send(new DescribeUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: bpo.id }));
    expect(HierarchyGroup?.LevelId).toBe('2');
    // removing and redefining a level gives it the same id back: the id is the level number
    await client.send(new UpdateUserHierarchyStructureCommand({
      InstanceId: instanceId, HierarchyStructure: { LevelOne: { Name: 'Company' }, LevelTwo: { Name: 'BPO' } },
    }));
    await client.send(new UpdateUserHierarchyStructureCommand({
      InstanceId: instanceId, HierarchyStructure: { LevelOne: { Name: 'Company' }, LevelTwo: { Name: 'BPO' }, LevelThree: { Name: 'Region' } },
    }));
    const again = await client.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
    expect(again.HierarchyStructure?.LevelThree).toMatchObject({ Id: '3', Name: 'Region', Arn: `${instanceArn}/agent-group-level/3` });
  });
});

describe('SearchUserHierarchyGroups', () => {
  let instanceId: string;
  let company: { id: string; arn: string };
  let bpoA: { id: string; arn: string };
  let teamUnderB: { id: string; arn: string };
  beforeAll(() => {
    instanceId = emulator.createInstance().instanceId;
    company = emulator.seedHierarchyGroup(instanceId, 'Company');
    bpoA = emulator.seedHierarchyGroup(instanceId, 'BPO-A', company.id, { client: 'a' });
    const bpoB = emulator.seedHierarchyGroup(instanceId, 'BPO-B', company.id, { client: 'b' });
    emulator.seedHierarchyGroup(instanceId, 'Team 1', bpoA.id);
    teamUnderB = emulator.seedHierarchyGroup(instanceId, 'Team 1', bpoB.id);
  });

  const search = (input: Record<string, unknown>) => client.send(new SearchUserHierarchyGroupsCommand({ InstanceId: instanceId, ...input }));

  test('without criteria it returns the level-zero group first, then every group with its path', async () => {
    const out = await search({});
    expect(out.ApproximateTotalCount).toBe(6);
    expect(out.UserHierarchyGroups?.[0]).toMatchObject({ LevelId: '0' });
    const team = out.UserHierarchyGroups?.find(g => g.Id === teamUnderB.id);
    expect(team).toMatchObject({ Name: 'Team 1', LevelId: '3', Arn: teamUnderB.arn });
    expect(team?.HierarchyPath?.LevelOne?.Name).toBe('Company');
    expect(team?.HierarchyPath?.LevelTwo?.Name).toBe('BPO-B');
    expect(team?.HierarchyPath?.LevelThree?.Id).toBe(teamUnderB.id);
  });

  test('name EXACT is case-sensitive and finds same-named groups under different parents', async () => {
    const exact = await search({ SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'Team 1', ComparisonType: 'EXACT' } } });
    expect(exact.UserHierarchyGroups?.map(g => g.HierarchyPath?.LevelTwo?.Name).sort()).toEqual(['BPO-A', 'BPO-B']);
    const wrongCase = await search({ SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'team 1', ComparisonType: 'EXACT' } } });
    expect(wrongCase.ApproximateTotalCount).toBe(0);
    const starts = await search({ SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'bpo', ComparisonType: 'STARTS_WITH' } } });
    expect(starts.UserHierarchyGroups?.map(g => g.Name)).toEqual(['BPO-A', 'BPO-B']);
  });

  test('parentId, levelId and resourceID conditions combine with AND; level-one groups sit on the level-zero group', async () => {
    const children = await search({
      SearchCriteria: {
        AndConditions: [
          { StringCondition: { FieldName: 'parentId', Value: bpoA.id, ComparisonType: 'EXACT' } },
          { StringCondition: { FieldName: 'levelId', Value: '3', ComparisonType: 'EXACT' } },
        ],
      },
    });
    expect(children.UserHierarchyGroups?.map(g => g.HierarchyPath?.LevelTwo?.Id)).toEqual([bpoA.id]);
    const root = (await search({ SearchCriteria: { StringCondition: { FieldName: 'levelId', Value: '0', ComparisonType: 'EXACT' } } })).UserHierarchyGroups![0];
    const top = await search({ SearchCriteria: { StringCondition: { FieldName: 'parentId', Value: root.Id!, ComparisonType: 'EXACT' } } });
    expect(top.UserHierarchyGroups?.map(g => g.Id)).toEqual([company.id]);
    const byArn = await search({ SearchCriteria: { StringCondition: { FieldName: 'resourceID', Value: bpoA.arn, ComparisonType: 'EXACT' } } });
    expect(byArn.UserHierarchyGroups?.map(g => g.Id)).toEqual([bpoA.id]);
  });

  test('the tag AttributeFilter takes exactly one of its fields; an unsupported field name or a short CONTAINS is refused', async () => {
    const tagged = await search({ SearchFilter: { AttributeFilter: { OrConditions: [{ TagConditions: [{ TagKey: 'client', TagValue: 'a' }] }, { TagConditions: [{ TagKey: 'client', TagValue: 'b' }] }] } } });
    expect(tagged.UserHierarchyGroups?.map(g => g.Name)).toEqual(['BPO-A', 'BPO-B']);
    const two = await failure(search({ SearchFilter: { AttributeFilter: { TagCondition: { TagKey: 'client' }, AndCondition: { TagConditions: [{ TagKey: 'client' }] } } } }));
    expect(two.name).toBe('InvalidParameterException');
    expect(two.message).toMatch(/exactly one of OrConditions, AndCondition, TagCondition/);
    const field = await failure(search({ SearchCriteria: { StringCondition: { FieldName: 'description', Value: 'x', ComparisonType: 'EXACT' } } }));
    expect(field.name).toBe('InvalidParameterException');
    const short = await failure(search({ SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'B', ComparisonType: 'CONTAINS' } } }));
    expect(short.name).toBe('InvalidParameterException');
    const max = await failure(search({ MaxResults: 101 }));
    expect(max.name).toBe('InvalidParameterException');
  });

  test('pages with stable tokens (the SDK paginator) and refuses a token replayed with other criteria', async () => {
    const names: string[] = [];
    for await (const page of paginateSearchUserHierarchyGroups({ client, pageSize: 2 }, { InstanceId: instanceId })) {
      names.push(...(page.UserHierarchyGroups ?? []).map(g => g.Name!));
    }
    expect(names.slice(1)).toEqual(['Company', 'BPO-A', 'BPO-B', 'Team 1', 'Team 1']);
    const first = await search({ MaxResults: 2 });
    const replay = await failure(search({ MaxResults: 2, NextToken: first.NextToken, SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'BPO-A', ComparisonType: 'EXACT' } } }));
    expect(replay.name).toBe('InvalidParameterException');
  });

  test('an unknown instance is ResourceNotFoundException', async () => {
    const e = await failure(client.send(new SearchUserHierarchyGroupsCommand({ InstanceId: '00000000-0000-4000-8000-00000000dead' })));
    expect(e.name).toBe('ResourceNotFoundException');
  });
});

describe('AI agent security profiles (Associate/Disassociate/ListEntitySecurityProfiles)', () => {
  let instanceId: string;
  let profiles: string[];
  beforeAll(async () => {
    instanceId = emulator.createInstance().instanceId;
    profiles = [];
    for (let i = 0; i < 11; i++) {
      profiles.push((await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: `ai-${i}` }))).SecurityProfileId!);
    }
  });
  const items = (ids: string[]) => ids.map(Id => ({ Id }));

  test('associate, list (paged), disassociate: the set round-trips and only the named profiles go', async () => {
    const arn = agentArn(1);
    await client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items(profiles.slice(0, 3)) }));
    const listed: string[] = [];
    for await (const page of paginateListEntitySecurityProfiles({ client, pageSize: 2 }, { InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn })) {
      listed.push(...(page.SecurityProfiles ?? []).map(p => p.Id!));
    }
    expect(listed).toEqual(profiles.slice(0, 3));
    await client.send(new DisassociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items([profiles[1]]) }));
    const after = await client.send(new ListEntitySecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn }));
    expect(after.SecurityProfiles).toEqual([{ Id: profiles[0] }, { Id: profiles[2] }]);
    const other = await client.send(new ListEntitySecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: agentArn(2) }));
    expect(other.SecurityProfiles).toEqual([]);
  });

  test('only AI_AGENT, only a Q in Connect AI agent ARN of the instance account and Region', async () => {
    const user = await failure(client.send(new AssociateSecurityProfilesCommand({
      InstanceId: instanceId, EntityType: 'USER', EntityArn: `arn:aws:connect:eu-west-2:111122223333:instance/${instanceId}/agent/x`, SecurityProfiles: items([profiles[0]]),
    })));
    expect(user.name).toBe('InvalidParameterException');
    expect(user.message).toMatch(/only supported type is AI_AGENT.*UpdateUserSecurityProfiles/);
    const notAgent = await failure(client.send(new ListEntitySecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: 'arn:aws:wisdom:eu-west-2:111122223333:assistant/x' })));
    expect(notAgent.name).toBe('InvalidParameterException');
    const region = await failure(client.send(new AssociateSecurityProfilesCommand({
      InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: agentArn(3).replace('eu-west-2', 'us-east-1'), SecurityProfiles: items([profiles[0]]),
    })));
    expect(region.name).toBe('InvalidParameterException');
    expect(region.message).toMatch(/account and Region/);
  });

  test('1..10 profiles per call; unknown, repeated, already associated and not associated profiles are refused', async () => {
    const arn = agentArn(4);
    const none = await failure(client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: [] })));
    expect(none.name).toBe('InvalidParameterException');
    const eleven = await failure(client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items(profiles) })));
    expect(eleven.name).toBe('InvalidParameterException');
    const unknown = await failure(client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items(['00000000-0000-4000-8000-000000000000']) })));
    expect(unknown.name).toBe('ResourceNotFoundException');
    const twice = await failure(client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items([profiles[0], profiles[0]]) })));
    expect(twice.name).toBe('InvalidParameterException');
    await client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items([profiles[0]]) }));
    const again = await failure(client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items([profiles[0]]) })));
    expect(again.name).toBe('ResourceConflictException');
    expect(again.$metadata.httpStatusCode).toBe(409);
    const missing = await failure(client.send(new DisassociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items([profiles[5]]) })));
    expect(missing.name).toBe('ResourceNotFoundException');
    // nothing of a refused call is applied
    const held = await client.send(new ListEntitySecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn }));
    expect(held.SecurityProfiles).toEqual([{ Id: profiles[0] }]);
  });

  test('at most 10 profiles on one AI agent in all; a profile associated with an AI agent cannot be deleted', async () => {
    const arn = agentArn(5);
    await client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items(profiles.slice(0, 10)) }));
    const over = await failure(client.send(new AssociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items([profiles[10]]) })));
    expect(over.name).toBe('InvalidParameterException');
    const inUse = await failure(client.send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profiles[9] })));
    expect(inUse.name).toBe('ResourceInUseException');
    expect(inUse.message).toContain(arn);
    await client.send(new DisassociateSecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn, SecurityProfiles: items([profiles[9]]) }));
    await client.send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profiles[9] }));
  });
});

describe('at most two profiles that enforce granular access control per user', () => {
  test('UpdateUserSecurityProfiles and CreateUser refuse a third restricted profile; unrestricted ones do not count', async () => {
    const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
    const group = emulator.seedHierarchyGroup(instanceId, 'Company');
    const make = async (name: string, extra: Record<string, unknown>) =>
      (await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: name, ...extra }))).SecurityProfileId!;
    const tagged = await make('Tagged', { AllowedAccessControlTags: { Site: 'Lisbon' }, TagRestrictedResources: ['User'] });
    const ownGroup = await make('OwnGroup', { HierarchyRestrictedResources: ['User'] });
    const company = await make('Company', { HierarchyRestrictedResources: ['User'], AllowedAccessControlHierarchyGroupId: group.id });
    const user = emulator.seedUser(instanceId, { username: 'sam', securityProfileIds: [defaultSecurityProfileIds.Agent] });
    await client.send(new UpdateUserSecurityProfilesCommand({
      InstanceId: instanceId, UserId: user.id, SecurityProfileIds: [defaultSecurityProfileIds.Agent, tagged, ownGroup],
    }));
    const third = await failure(client.send(new UpdateUserSecurityProfilesCommand({
      InstanceId: instanceId, UserId: user.id, SecurityProfileIds: [defaultSecurityProfileIds.Agent, tagged, ownGroup, company],
    })));
    expect(third.name).toBe('InvalidParameterException');
    expect(third.message).toMatch(/3 security profiles that enforce granular access control \('Tagged', 'OwnGroup', 'Company'\); a user can hold at most 2/);
    const created = await failure(client.send(new CreateUserCommand({
      InstanceId: instanceId,
      Username: 'kim',
      Password: 'Passw0rdX',
      IdentityInfo: { FirstName: 'K', LastName: 'M' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      RoutingProfileId: 'rp',
      SecurityProfileIds: [tagged, ownGroup, company],
    })));
    expect(created.name).toBe('InvalidParameterException');
  });
});
