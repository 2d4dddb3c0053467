import { Plan, UpdatePlan, isNoop, plan } from '../../lambda/plan';
import type { SecurityProfileState } from '../../lambda/profile-state';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const INSTANCE = '11111111-2222-3333-4444-555555555555';
const OWNER = 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/guid/Profile';

const INSTANCE_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}`;

/** The desired state, its tags with the owner mark (as the handler and a stored record give it to `plan`). */
const desired: SecurityProfileState = {
  InstanceId: INSTANCE,
  InstanceArn: INSTANCE_ARN,
  SecurityProfileName: 'BPO-A-Supervisor',
  Description: 'Supervisors',
  Permissions: ['BasicAgentAccess', 'Users.View'],
  Tags: { team: 'a', [OWNER_TAG_KEY]: OWNER },
  AllowedAccessControlTags: { Department: 'A' },
  TagRestrictedResources: ['Queue', 'User'],
  Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }],
  HierarchyRestrictedResources: ['User'],
  AllowedAccessControlHierarchyGroupId: 'g-1',
  GranularAccessControlConfiguration: {
    DataTableAccessControlConfiguration: {
      PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu', 'us'] }] },
    },
  },
  AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
  AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/1' }],
};

/** The live profile identical to `desired` (order shuffled where Connect may shuffle it). */
const same: SecurityProfileState = {
  InstanceId: INSTANCE,
  InstanceArn: INSTANCE_ARN,
  SecurityProfileName: 'BPO-A-Supervisor',
  Description: 'Supervisors',
  Tags: { 'team': 'a', [OWNER_TAG_KEY]: OWNER, 'aws:cloudformation:stack-name': 's' },
  AllowedAccessControlTags: { Department: 'A' },
  TagRestrictedResources: ['User', 'Queue'],
  HierarchyRestrictedResources: ['User'],
  AllowedAccessControlHierarchyGroupId: 'g-1',
  GranularAccessControlConfiguration: {
    DataTableAccessControlConfiguration: {
      PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['us', 'eu'] }] },
    },
  },
  Permissions: ['Users.View', 'BasicAgentAccess'],
  Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['READ', 'ACCESS'], Type: 'THIRD_PARTY_APPLICATION' }],
  AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
  AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/1' }],
};

function asUpdate(p: Plan): UpdatePlan {
  if (p.kind !== 'update') throw new Error(`expected an update plan, got ${p.kind}`);
  return p;
}

describe('plan', () => {
  test('identical: nothing to do', () => {
    const p = asUpdate(plan(desired, same));
    expect(isNoop(p)).toBe(true);
    expect(p).toEqual({ kind: 'update', tagsToSet: {}, tagKeysToRemove: [], drift: [] });
  });

  test('absent: create', () => {
    expect(plan(desired, undefined)).toEqual({ kind: 'create', reason: 'the security profile does not exist' });
  });

  test.each<[string, Partial<SecurityProfileState>, RegExp]>([
    ['name', { SecurityProfileName: 'BPO-B-Supervisor' }, /name changed from "BPO-A-Supervisor" to "BPO-B-Supervisor"/],
  ])('replace on %s change', (_, change, reason) => {
    const p = plan({ ...desired, ...change }, same);
    expect(p.kind).toBe('replace');
    expect(p.kind === 'replace' && p.reason).toMatch(reason);
  });

  // drift in each field: the live profile differs in one field; the update carries exactly that field
  test.each<[string, Partial<SecurityProfileState>, Record<string, unknown>]>([
    ['description', { Description: 'changed' }, { Description: 'Supervisors' }],
    ['permission removed out of band', { Permissions: ['Users.View'] }, { Permissions: ['BasicAgentAccess', 'Users.View'] }],
    ['permission added out of band', { Permissions: ['BasicAgentAccess', 'Users.View', 'Users.Edit'] }, { Permissions: ['BasicAgentAccess', 'Users.View'] }],
    ['access control tags', { AllowedAccessControlTags: { Department: 'B' } }, { AllowedAccessControlTags: { Department: 'A' } }],
    ['tag restricted resources', { TagRestrictedResources: ['User'] }, { TagRestrictedResources: ['Queue', 'User'] }],
    ['application permissions', { Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS'], Type: 'THIRD_PARTY_APPLICATION' }] },
      { Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }] }],
    ['application type', { Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'MCP' }] },
      { Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }] }],
    ['hierarchy restricted resources', { HierarchyRestrictedResources: [] }, { HierarchyRestrictedResources: ['User'] }],
    ['hierarchy group id changed', { AllowedAccessControlHierarchyGroupId: 'g-2' }, { AllowedAccessControlHierarchyGroupId: 'g-1' }],
    ['hierarchy group id removed', { AllowedAccessControlHierarchyGroupId: undefined }, { AllowedAccessControlHierarchyGroupId: 'g-1' }],
    ['granular values', {
      GranularAccessControlConfiguration: {
        DataTableAccessControlConfiguration: {
          PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu'] }] },
        },
      },
    },
    { GranularAccessControlConfiguration: desired.GranularAccessControlConfiguration }],
    ['granular removed', { GranularAccessControlConfiguration: undefined }, { GranularAccessControlConfiguration: desired.GranularAccessControlConfiguration }],
    ['flow modules', { AllowedFlowModules: [] }, { AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }] }],
    ['AI agents', { AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/2' }] }, { AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/1' }] }],
  ])('drift in %s: one UpdateSecurityProfile with that field only', (_, live, update) => {
    const p = asUpdate(plan(desired, { ...same, ...live }));
    expect(p.update).toEqual(update);
    expect(p.drift).toEqual(Object.keys(update));
    expect(p.tagsToSet).toEqual({});
    expect(p.tagKeysToRemove).toEqual([]);
  });

  // clearing: the declared value is the whole truth, an undeclared field is empty
  test.each<[string, Partial<SecurityProfileState>, Record<string, unknown>]>([
    ['description', { Description: '' }, { Description: '' }],
    ['permissions', { Permissions: [] }, { Permissions: [] }],
    ['access control tags', { AllowedAccessControlTags: {} }, { AllowedAccessControlTags: {} }],
    ['tag restricted resources', { TagRestrictedResources: [] }, { TagRestrictedResources: [] }],
    ['applications', { Applications: [] }, { Applications: [] }],
    ['hierarchy restricted resources', { HierarchyRestrictedResources: [] }, { HierarchyRestrictedResources: [] }],
    ['hierarchy group id', { AllowedAccessControlHierarchyGroupId: undefined }, { AllowedAccessControlHierarchyGroupId: '' }],
    ['granular', { GranularAccessControlConfiguration: undefined }, { GranularAccessControlConfiguration: {} }],
    ['flow modules (managed, empty)', { AllowedFlowModules: [] }, { AllowedFlowModules: [] }],
    ['AI agents (managed, empty)', { AllowedAIAgents: [] }, { AllowedAIAgents: [] }],
  ])('clear %s', (_, change, update) => {
    expect(asUpdate(plan({ ...desired, ...change }, same)).update).toEqual(update);
  });

  test.each<[string, Partial<SecurityProfileState>]>([
    ['permissions', { Permissions: ['BasicAgentAccess', 'Users.View'].reverse() }],
    ['duplicate permissions across pages', { Permissions: ['Users.View', 'BasicAgentAccess', 'Users.View'] }],
    ['tag restricted resources', { TagRestrictedResources: ['Queue', 'User'] }],
    ['applications', { Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }] }],
    ['flow modules', { AllowedFlowModules: [{ FlowModuleId: 'fm-1', Type: 'MCP' }] }],
    ['tag order', { Tags: { 'aws:cloudformation:stack-name': 's', [OWNER_TAG_KEY]: OWNER, 'team': 'a' } }],
  ])('order-only difference in %s: nothing to do', (_, live) => {
    expect(isNoop(plan(desired, { ...same, ...live }))).toBe(true);
  });

  test('an application without a type equals the default type', () => {
    const d = { ...desired, Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'] }] };
    expect(isNoop(plan(d, same))).toBe(true);
  });

  test('unmanaged flow modules and AI agents are never compared', () => {
    const d = { ...desired, AllowedFlowModules: undefined, AllowedAIAgents: undefined };
    expect(isNoop(plan(d, { ...same, AllowedFlowModules: undefined, AllowedAIAgents: undefined }))).toBe(true);
    expect(isNoop(plan(d, { ...same, AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'x' }] }))).toBe(true);
  });

  test.each<[string, Partial<SecurityProfileState>, Partial<SecurityProfileState>, Record<string, string>, string[]]>([
    ['tag added', { Tags: { team: 'a', cost: '42', [OWNER_TAG_KEY]: OWNER } }, {}, { cost: '42' }, []],
    ['tag value changed', { Tags: { team: 'b', [OWNER_TAG_KEY]: OWNER } }, {}, { team: 'b' }, []],
    ['tag removed', { Tags: { [OWNER_TAG_KEY]: OWNER } }, {}, {}, ['team']],
    ['tag added out of band is removed', {}, { Tags: { ...same.Tags, extra: 'x' } }, {}, ['extra']],
    ['aws: tags are never removed', { Tags: { [OWNER_TAG_KEY]: OWNER } }, { Tags: { [OWNER_TAG_KEY]: OWNER, 'aws:x': '1' } }, {}, []],
    ['owner tag restored when missing', {}, { Tags: { team: 'a' } }, { [OWNER_TAG_KEY]: OWNER }, []],
    ['owner tag never removed without a mark', { Tags: { team: 'a' } }, {}, {}, []],
  ])('%s', (_, change, live, tagsToSet, tagKeysToRemove) => {
    const p = asUpdate(plan({ ...desired, ...change }, { ...same, ...live }));
    expect(p.update).toBeUndefined();
    expect(p.tagsToSet).toEqual(tagsToSet);
    expect(p.tagKeysToRemove).toEqual(tagKeysToRemove);
    expect(p.drift).toEqual(Object.keys(tagsToSet).length + tagKeysToRemove.length > 0 ? ['Tags'] : []);
  });

  test('several fields drift at once: one update with all of them, and tag calls', () => {
    const p = asUpdate(plan(desired, { ...same, Description: 'x', Permissions: [], Tags: { [OWNER_TAG_KEY]: OWNER, old: '1' } }));
    expect(p.update).toEqual({ Description: 'Supervisors', Permissions: ['BasicAgentAccess', 'Users.View'] });
    expect(p.tagsToSet).toEqual({ team: 'a' });
    expect(p.tagKeysToRemove).toEqual(['old']);
    expect(p.drift).toEqual(['Description', 'Permissions', 'Tags']);
  });

  test('rollback (old and new swapped) plans the way back like any update', () => {
    const before = { ...desired, Permissions: ['BasicAgentAccess'] };
    // the live profile has the new state; the rollback's desired state is the old one
    const p = asUpdate(plan(before, same));
    expect(p.update).toEqual({ Permissions: ['BasicAgentAccess'] });
  });
});
