import {
  ConnectClient, CreateSecurityProfileCommand, DeleteSecurityProfileCommand, DescribeSecurityProfileCommand,
  ListSecurityProfileAIAgentsCommand, ListSecurityProfileApplicationsCommand, ListSecurityProfileFlowModulesCommand,
  ListSecurityProfilePermissionsCommand, ListSecurityProfilesCommand, paginateListSecurityProfilePermissions,
  paginateListSecurityProfiles, UpdateSecurityProfileCommand,
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

test('a new instance has the default profiles Admin, Agent, CallCenterManager and QualityAnalyst', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  expect(Object.keys(defaultSecurityProfileIds).sort()).toEqual(['Admin', 'Agent', 'CallCenterManager', 'QualityAnalyst']);
  const out = await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
  expect(out.SecurityProfileSummaryList?.map(s => s.Name).sort()).toEqual(['Admin', 'Agent', 'CallCenterManager', 'QualityAnalyst']);
  const admin = await client.send(new ListSecurityProfilePermissionsCommand({
    InstanceId: instanceId, SecurityProfileId: defaultSecurityProfileIds.Admin, MaxResults: 1000,
  }));
  expect(admin.Permissions).toEqual(expect.arrayContaining(['BasicAgentAccess', 'SecurityProfiles.Edit']));
});

test('create then describe returns every stored member in the SecurityProfile shape (no permissions)', async () => {
  const { instanceId, instanceArn } = emulator.createInstance();
  const group = emulator.seedHierarchyGroup(instanceId, 'Sales');
  const created = await client.send(new CreateSecurityProfileCommand({
    InstanceId: instanceId,
    SecurityProfileName: 'Team Lead',
    Description: 'leads',
    Permissions: ['BasicAgentAccess', 'Users.View'],
    Tags: { team: 'a' },
    AllowedAccessControlTags: { dept: 'sales' },
    TagRestrictedResources: ['User'],
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: group.id,
  }));
  expect(created.SecurityProfileArn).toBe(`${instanceArn}/security-profile/${created.SecurityProfileId}`);
  const { SecurityProfile: p } = await client.send(new DescribeSecurityProfileCommand({
    InstanceId: instanceId, SecurityProfileId: created.SecurityProfileId,
  }));
  expect(p).toMatchObject({
    Id: created.SecurityProfileId,
    Arn: created.SecurityProfileArn,
    OrganizationResourceId: instanceId,
    SecurityProfileName: 'Team Lead',
    Description: 'leads',
    Tags: { team: 'a' },
    AllowedAccessControlTags: { dept: 'sales' },
    TagRestrictedResources: ['User'],
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: group.id,
    LastModifiedRegion: 'us-east-1',
  });
  expect(p).not.toHaveProperty('Permissions');
});

test('update: omitted members stay, present members replace, [] {} "" clear', async () => {
  const { instanceId } = emulator.createInstance();
  const group = emulator.seedHierarchyGroup(instanceId, 'G');
  const { SecurityProfileId } = await client.send(new CreateSecurityProfileCommand({
    InstanceId: instanceId,
    SecurityProfileName: 'upd',
    Description: 'd1',
    Permissions: ['A', 'B'],
    AllowedAccessControlTags: { k: 'v' },
    TagRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: group.id,
  }));
  const before = await client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId }));
  await new Promise(r => setTimeout(r, 5));
  await client.send(new UpdateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId, Permissions: ['C'] }));
  const mid = await client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId }));
  expect(mid.SecurityProfile).toMatchObject({ Description: 'd1', AllowedAccessControlTags: { k: 'v' }, TagRestrictedResources: ['User'], AllowedAccessControlHierarchyGroupId: group.id });
  expect(mid.SecurityProfile!.LastModifiedTime!.getTime()).toBeGreaterThan(before.SecurityProfile!.LastModifiedTime!.getTime());
  const perms = await client.send(new ListSecurityProfilePermissionsCommand({ InstanceId: instanceId, SecurityProfileId }));
  expect(perms.Permissions).toEqual(['C']);
  await client.send(new UpdateSecurityProfileCommand({
    InstanceId: instanceId, SecurityProfileId, Description: '', Permissions: [], AllowedAccessControlTags: {}, TagRestrictedResources: [], AllowedAccessControlHierarchyGroupId: '',
  }));
  const after = await client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId }));
  expect(after.SecurityProfile?.Description).toBeUndefined();
  expect(after.SecurityProfile?.AllowedAccessControlTags).toEqual({});
  expect(after.SecurityProfile?.TagRestrictedResources).toEqual([]);
  expect(after.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBeUndefined();
  expect((await client.send(new ListSecurityProfilePermissionsCommand({ InstanceId: instanceId, SecurityProfileId }))).Permissions).toEqual([]);
});

test('applications, flow modules and AI agents are listed by their own operations', async () => {
  const { instanceId } = emulator.createInstance();
  const { SecurityProfileId } = await client.send(new CreateSecurityProfileCommand({
    InstanceId: instanceId,
    SecurityProfileName: 'apps',
    Applications: [{ Namespace: 'mcp-ns', ApplicationPermissions: ['tool-1', 'tool-2'], Type: 'MCP' }],
    AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
    AllowedAIAgents: [{ Arn: 'arn:aws:wisdom:us-east-1:123456789012:ai-agent/x', Type: 'THIRD_PARTY' }],
  }));
  const apps = await client.send(new ListSecurityProfileApplicationsCommand({ InstanceId: instanceId, SecurityProfileId }));
  expect(apps.Applications).toEqual([{ Namespace: 'mcp-ns', ApplicationPermissions: ['tool-1', 'tool-2'], Type: 'MCP' }]);
  const modules = await client.send(new ListSecurityProfileFlowModulesCommand({ InstanceId: instanceId, SecurityProfileId }));
  expect(modules.AllowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: 'fm-1' }]);
  const agents = await client.send(new ListSecurityProfileAIAgentsCommand({ InstanceId: instanceId, SecurityProfileId }));
  expect(agents.AllowedAIAgents).toEqual([{ Arn: 'arn:aws:wisdom:us-east-1:123456789012:ai-agent/x', Type: 'THIRD_PARTY' }]);
  expect(agents.LastModifiedTime).toBeInstanceOf(Date);
});

test.each([
  ['HierarchyRestrictedResources other than User', { HierarchyRestrictedResources: ['Queue'] }, 'InvalidParameterException', /only acceptable resource name is 'User'/],
  ['a third-party application permission other than ACCESS', { Applications: [{ Namespace: 'app', ApplicationPermissions: ['ACCESS', 'WRITE'], Type: 'THIRD_PARTY_APPLICATION' }] }, 'InvalidParameterException', /only ACCESS/],
  ['an unknown AllowedAccessControlHierarchyGroupId', { AllowedAccessControlHierarchyGroupId: 'no-such-group' }, 'ResourceNotFoundException', /no-such-group/],
  ['Tags: {} (TagMap min 1)', { Tags: {} }, 'InvalidParameterException', /Tags/],
])('create rejects %s', async (_t, patch, name, message) => {
  const { instanceId } = emulator.createInstance();
  const e = await failure(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'x', ...patch } as any)));
  expect(e.name).toBe(name);
  expect(e.message).toMatch(message);
});

test('update applies the same semantic rules', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  const e = await failure(client.send(new UpdateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: defaultSecurityProfileIds.Agent, HierarchyRestrictedResources: ['Contact'] })));
  expect(e.name).toBe('InvalidParameterException');
});

test('a duplicate name is DuplicateResourceException (409)', async () => {
  const { instanceId } = emulator.createInstance();
  const e = await failure(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'Admin' })));
  expect(e.name).toBe('DuplicateResourceException');
  expect(e.$metadata.httpStatusCode).toBe(409);
});

test('the 101st profile is LimitExceededException (429)', async () => {
  const { instanceId } = emulator.createInstance();
  for (let i = 0; i < 96; i++) {
    await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: `p${i}` }));
  }
  const e = await failure(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'one-too-many' })));
  expect(e.name).toBe('LimitExceededException');
  expect(e.$metadata.httpStatusCode).toBe(429);
  const all: string[] = [];
  for await (const page of paginateListSecurityProfiles({ client, pageSize: 7 }, { InstanceId: instanceId })) {
    all.push(...page.SecurityProfileSummaryList!.map(s => s.Name!));
  }
  expect(all).toHaveLength(100);
  expect(new Set(all).size).toBe(100);
});

test('an instance with a raised quota takes profiles up to it, then LimitExceededException', async () => {
  const { instanceId } = emulator.createInstance({ securityProfileQuota: 106 });
  for (let i = 0; i < 102; i++) {
    await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: `p${i}` }));
  }
  const e = await failure(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'one-too-many' })));
  expect(e.name).toBe('LimitExceededException');
  expect(e.message).toContain('is 106');
});

test('permissions paginate with opaque tokens; a token from another request is rejected', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  const names = Array.from({ length: 25 }, (_, i) => `Perm.${i}`);
  const { SecurityProfileId } = await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'many', Permissions: names }));
  const seen: string[] = [];
  for await (const page of paginateListSecurityProfilePermissions({ client, pageSize: 10 }, { InstanceId: instanceId, SecurityProfileId })) {
    seen.push(...page.Permissions!);
  }
  expect(seen).toEqual(names);
  const first = await client.send(new ListSecurityProfilePermissionsCommand({ InstanceId: instanceId, SecurityProfileId, MaxResults: 10 }));
  const e = await failure(client.send(new ListSecurityProfilePermissionsCommand({
    InstanceId: instanceId, SecurityProfileId: defaultSecurityProfileIds.Admin, NextToken: first.NextToken,
  })));
  expect(e.name).toBe('InvalidParameterException');
  const garbage = await failure(client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, NextToken: 'not-a-token' })));
  expect(garbage.name).toBe('InvalidParameterException');
});

test('delete: a profile assigned to a user is ResourceInUseException; unassigned it deletes', async () => {
  const { instanceId } = emulator.createInstance();
  const { SecurityProfileId } = await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'held' }));
  emulator.seedUser(instanceId, { username: 'agent1', securityProfileIds: [SecurityProfileId!] });
  const e = await failure(client.send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId })));
  expect(e.name).toBe('ResourceInUseException');
  expect(e.$metadata.httpStatusCode).toBe(409);
  const { SecurityProfileId: free } = await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'free' }));
  await client.send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: free }));
  expect(emulator.listSecurityProfilesIn(instanceId).map(p => p.name)).not.toContain('free');
  const gone = await failure(client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: free })));
  expect(gone.name).toBe('ResourceNotFoundException');
});

test('an unknown instance is ResourceNotFoundException', async () => {
  const e = await failure(client.send(new ListSecurityProfilesCommand({ InstanceId: '00000000-0000-0000-0000-000000000000' })));
  expect(e.name).toBe('ResourceNotFoundException');
});
