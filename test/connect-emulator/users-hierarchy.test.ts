import {
  ConnectClient, CreateInstanceCommand, CreateUserCommand, CreateUserHierarchyGroupCommand, DeleteUserCommand,
  DeleteUserHierarchyGroupCommand, DescribeInstanceCommand, DescribeUserCommand, DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand, ListUserHierarchyGroupsCommand, ListUsersCommand, paginateListUsers,
  UpdateUserHierarchyCommand, UpdateUserHierarchyStructureCommand, UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { failure } from './test-support';
import { ConnectEmulator } from '../../local/connect-emulator';
import { startEmulatorAndClient } from '../support/emulator-client';

let emulator: ConnectEmulator;
let client: ConnectClient;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, client, stop } = await startEmulatorAndClient());
});
afterAll(() => stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('CreateInstance over HTTP makes an ACTIVE instance with id and ARN formats', async () => {
  const out = await client.send(new CreateInstanceCommand({ IdentityManagementType: 'SAML', InstanceAlias: 'demo-1', InboundCallsEnabled: true, OutboundCallsEnabled: false }));
  expect(out.Id).toMatch(UUID);
  expect(out.Arn).toBe(`arn:aws:connect:us-east-1:123456789012:instance/${out.Id}`);
  const { Instance } = await client.send(new DescribeInstanceCommand({ InstanceId: out.Arn }));
  expect(Instance).toMatchObject({ Id: out.Id, IdentityManagementType: 'SAML', InstanceAlias: 'demo-1', InstanceStatus: 'ACTIVE', OutboundCallsEnabled: false });
});

test('hierarchy: levels must exist before groups; groups carry paths; structure renames keep ids', async () => {
  const { instanceId } = emulator.createInstance();
  const early = await failure(client.send(new CreateUserHierarchyGroupCommand({ InstanceId: instanceId, Name: 'Org' })));
  expect(early.name).toBe('InvalidParameterException');
  expect(early.message).toMatch(/UpdateUserHierarchyStructure/);
  const gap = await failure(client.send(new UpdateUserHierarchyStructureCommand({ InstanceId: instanceId, HierarchyStructure: { LevelTwo: { Name: 'Team' } } })));
  expect(gap.name).toBe('InvalidParameterException');
  await client.send(new UpdateUserHierarchyStructureCommand({ InstanceId: instanceId, HierarchyStructure: { LevelOne: { Name: 'Region' }, LevelTwo: { Name: 'Team' } } }));
  const s1 = await client.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
  expect(s1.HierarchyStructure?.LevelOne?.Name).toBe('Region');
  const root = await client.send(new CreateUserHierarchyGroupCommand({ InstanceId: instanceId, Name: 'EMEA', Tags: { k: 'v' } }));
  const child = await client.send(new CreateUserHierarchyGroupCommand({ InstanceId: instanceId, Name: 'Paris', ParentGroupId: root.HierarchyGroupId }));
  expect(child.HierarchyGroupArn).toMatch(/\/agent-group\/[0-9a-f-]{36}$/);
  const tooDeep = await failure(client.send(new CreateUserHierarchyGroupCommand({ InstanceId: instanceId, Name: 'Desk', ParentGroupId: child.HierarchyGroupId })));
  expect(tooDeep.name).toBe('InvalidParameterException');
  const dup = await failure(client.send(new CreateUserHierarchyGroupCommand({ InstanceId: instanceId, Name: 'Paris', ParentGroupId: root.HierarchyGroupId })));
  expect(dup.name).toBe('DuplicateResourceException');
  const { HierarchyGroup } = await client.send(new DescribeUserHierarchyGroupCommand({
    InstanceId: instanceId, HierarchyGroupId: child.HierarchyGroupId,
  }));
  expect(HierarchyGroup).toMatchObject({ Name: 'Paris', LevelId: s1.HierarchyStructure?.LevelTwo?.Id });
  expect(HierarchyGroup?.HierarchyPath?.LevelOne?.Id).toBe(root.HierarchyGroupId);
  expect(HierarchyGroup?.HierarchyPath?.LevelTwo?.Id).toBe(child.HierarchyGroupId);
  await client.send(new UpdateUserHierarchyStructureCommand({ InstanceId: instanceId, HierarchyStructure: { LevelOne: { Name: 'Zone' }, LevelTwo: { Name: 'Team' } } }));
  const s2 = await client.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
  expect(s2.HierarchyStructure?.LevelOne).toMatchObject({ Id: s1.HierarchyStructure?.LevelOne?.Id, Name: 'Zone' });
  const removeInUse = await failure(client.send(new UpdateUserHierarchyStructureCommand({
    InstanceId: instanceId, HierarchyStructure: { LevelOne: { Name: 'Zone' } },
  })));
  expect(removeInUse.name).toBe('ResourceInUseException');
  expect(removeInUse.ResourceType).toBe('HIERARCHY_LEVEL');
  const list = await client.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId }));
  expect(list.UserHierarchyGroupSummaryList?.map(g => g.Name)).toEqual(['EMEA', 'Paris']);
});

test('DeleteUserHierarchyGroup with children or users is ResourceInUseException', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  const parent = emulator.seedHierarchyGroup(instanceId, 'P');
  const leaf = emulator.seedHierarchyGroup(instanceId, 'L', parent.id);
  const user = emulator.seedUser(instanceId, { username: 'u1', securityProfileIds: [defaultSecurityProfileIds.Agent], hierarchyGroupId: leaf.id });
  const e1 = await failure(client.send(new DeleteUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: parent.id })));
  expect(e1).toMatchObject({ name: 'ResourceInUseException', ResourceType: 'HIERARCHY_GROUP', ResourceId: parent.arn });
  const e2 = await failure(client.send(new DeleteUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: leaf.id })));
  expect(e2.name).toBe('ResourceInUseException');
  await client.send(new UpdateUserHierarchyCommand({ InstanceId: instanceId, UserId: user.id }));
  expect((await client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: user.id }))).User?.HierarchyGroupId).toBeUndefined();
  await client.send(new DeleteUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: leaf.id }));
  await client.send(new DeleteUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: parent.id }));
});

const PASSWORD = 'Sup3rSecret';
function userInput(instanceId: string, profileId: string, extra: Record<string, unknown> = {}): any {
  return {
    InstanceId: instanceId,
    Username: 'jdoe',
    Password: PASSWORD,
    SecurityProfileIds: [profileId],
    RoutingProfileId: 'rp-1',
    IdentityInfo: { FirstName: 'Jane', LastName: 'Doe' },
    PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 30 },
    ...extra,
  };
}

test('CreateUser, DescribeUser (seconds), UpdateUserSecurityProfiles replaces the set, DeleteUser', async () => {
  const { instanceId, instanceArn, defaultSecurityProfileIds } = emulator.createInstance();
  const group = emulator.seedHierarchyGroup(instanceId, 'Team');
  const created = await client.send(new CreateUserCommand(userInput(instanceId, defaultSecurityProfileIds.Agent, { HierarchyGroupId: group.id, Tags: { dept: 'x' } })));
  expect(created.UserArn).toBe(`${instanceArn}/agent/${created.UserId}`);
  const { User } = await client.send(new DescribeUserCommand({ InstanceId: instanceArn, UserId: created.UserArn }));
  expect(User).toMatchObject({
    Username: 'jdoe',
    SecurityProfileIds: [defaultSecurityProfileIds.Agent],
    RoutingProfileId: 'rp-1',
    HierarchyGroupId: group.id,
    Tags: { dept: 'x' },
    PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 30 },
    IdentityInfo: { FirstName: 'Jane', LastName: 'Doe' },
  });
  await client.send(new UpdateUserSecurityProfilesCommand({
    InstanceId: instanceId, UserId: created.UserId, SecurityProfileIds: [defaultSecurityProfileIds.Admin, defaultSecurityProfileIds.QualityAnalyst],
  }));
  const after = await client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: created.UserId }));
  expect(after.User?.SecurityProfileIds).toEqual([defaultSecurityProfileIds.Admin, defaultSecurityProfileIds.QualityAnalyst]);
  const badProfile = await failure(client.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instanceId, UserId: created.UserId, SecurityProfileIds: ['nope'] })));
  expect(badProfile.name).toBe('ResourceNotFoundException');
  await client.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: created.UserId }));
  expect((await failure(client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: created.UserId })))).name).toBe('ResourceNotFoundException');
});

test.each([
  ['a duplicate username', {}, 'DuplicateResourceException'],
  ['a 21-character username without SAML', { Username: 'u'.repeat(21) }, 'InvalidParameterException'],
  ['@ outside an email shape', { Username: 'testuser@example' }, 'InvalidParameterException'],
  ['no Password with CONNECT_MANAGED', { Username: 'nopw', Password: undefined }, 'InvalidParameterException'],
  ['no FirstName with CONNECT_MANAGED', { Username: 'nofirst', IdentityInfo: { LastName: 'x' } }, 'InvalidParameterException'],
  ['PhoneConfig.AutoAccept with AutoAcceptConfigs', { Username: 'conflict', PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: true }, AutoAcceptConfigs: [{ Channel: 'VOICE', AutoAccept: true }] }, 'InvalidParameterException'],
  ['an unknown hierarchy group', { Username: 'nogroup', HierarchyGroupId: 'missing' }, 'ResourceNotFoundException'],
  ['11 security profiles', { Username: 'many', SecurityProfileIds: Array.from({ length: 11 }, (_, i) => `sp${i}`) }, 'InvalidParameterException'],
])('CreateUser rejects %s', async (_t, patch, name) => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  await client.send(new CreateUserCommand(userInput(instanceId, defaultSecurityProfileIds.Agent)));
  const e = await failure(client.send(new CreateUserCommand(userInput(instanceId, defaultSecurityProfileIds.Agent, patch))));
  expect(e.name).toBe(name);
});

test('SAML instances take 64-character usernames and reject Password', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance({ identityManagementType: 'SAML' });
  await client.send(new CreateUserCommand(userInput(instanceId, defaultSecurityProfileIds.Agent, { Username: 'jane.doe@example.com', Password: undefined })));
  const e = await failure(client.send(new CreateUserCommand(userInput(instanceId, defaultSecurityProfileIds.Agent, { Username: 'other' }))));
  expect(e.message).toMatch(/Password must not be set/);
});

test('ListUsers paginates stably while users are added between pages', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  for (let i = 0; i < 12; i++) {
    emulator.seedUser(instanceId, { username: `user${i}`, securityProfileIds: [defaultSecurityProfileIds.Agent] });
  }
  const first = await client.send(new ListUsersCommand({ InstanceId: instanceId, MaxResults: 5 }));
  emulator.seedUser(instanceId, { username: 'late', securityProfileIds: [defaultSecurityProfileIds.Agent] });
  const names = first.UserSummaryList!.map(u => u.Username);
  for await (const page of paginateListUsers({ client, pageSize: 5, startingToken: first.NextToken }, { InstanceId: instanceId })) {
    names.push(...page.UserSummaryList!.map(u => u.Username));
  }
  expect(names).toEqual([...Array.from({ length: 12 }, (_, i) => `user${i}`), 'late']);
});

test('the 500-user quota applies to CreateUser; seeding stands for existing state and may go past it', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  for (let i = 0; i < 500; i++) {
    emulator.seedUser(instanceId, { username: `s${i}`, securityProfileIds: [defaultSecurityProfileIds.Agent] });
  }
  const e = await failure(client.send(new CreateUserCommand(userInput(instanceId, defaultSecurityProfileIds.Agent))));
  expect(e.name).toBe('LimitExceededException');
  expect(() => emulator.seedUser(instanceId, { username: 's500', securityProfileIds: [defaultSecurityProfileIds.Agent] })).not.toThrow();
  expect(() => emulator.seedUser(instanceId, { username: 's0', securityProfileIds: [defaultSecurityProfileIds.Agent] })).toThrow(/already exists/);
});
