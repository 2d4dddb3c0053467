import type { ObservedSecurityProfile } from '../../lambda/observe';
import { Plan, UpdatePlan, isNoop, plan } from '../../lambda/plan';
import { DesiredSecurityProfile } from '../../lambda/properties';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const INSTANCE = '11111111-2222-3333-4444-555555555555';
const ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}/security-profile/sp-1`;
const OWNER = 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/guid/Profile';

const desired: DesiredSecurityProfile = {
  instanceId: INSTANCE,
  instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}`,
  securityProfileName: 'BPO-A-Supervisor',
  description: 'Supervisors',
  permissions: ['BasicAgentAccess', 'Users.View'],
  tags: { team: 'a' },
  allowedAccessControlTags: { Department: 'A' },
  tagRestrictedResources: ['Queue', 'User'],
  applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }],
  hierarchyRestrictedResources: ['User'],
  allowedAccessControlHierarchyGroupId: 'g-1',
  granularAccessControlConfiguration: {
    DataTableAccessControlConfiguration: {
      PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu', 'us'] }] },
    },
  },
  allowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
  allowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/1' }],
  ownerMark: OWNER,
};

/** The live profile identical to `desired` (order shuffled where Connect may shuffle it). */
const same: ObservedSecurityProfile = {
  instanceId: INSTANCE,
  securityProfileId: 'sp-1',
  securityProfileArn: ARN,
  securityProfileName: 'BPO-A-Supervisor',
  description: 'Supervisors',
  tags: { 'team': 'a', [OWNER_TAG_KEY]: OWNER, 'aws:cloudformation:stack-name': 's' },
  allowedAccessControlTags: { Department: 'A' },
  tagRestrictedResources: ['User', 'Queue'],
  hierarchyRestrictedResources: ['User'],
  allowedAccessControlHierarchyGroupId: 'g-1',
  granularAccessControlConfiguration: {
    DataTableAccessControlConfiguration: {
      PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['us', 'eu'] }] },
    },
  },
  permissions: ['Users.View', 'BasicAgentAccess'],
  applications: [{ Namespace: 'app.example', ApplicationPermissions: ['READ', 'ACCESS'], Type: 'THIRD_PARTY_APPLICATION' }],
  allowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
  allowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/1' }],
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

  test.each<[string, Partial<DesiredSecurityProfile>, RegExp]>([
    ['name', { securityProfileName: 'BPO-B-Supervisor' }, /name changed from "BPO-A-Supervisor" to "BPO-B-Supervisor"/],
  ])('replace on %s change', (_, change, reason) => {
    const p = plan({ ...desired, ...change }, same);
    expect(p.kind).toBe('replace');
    expect(p.kind === 'replace' && p.reason).toMatch(reason);
  });

  // drift in each field: the live profile differs in one field; the update carries exactly that field
  test.each<[string, Partial<ObservedSecurityProfile>, Record<string, unknown>]>([
    ['description', { description: 'changed' }, { Description: 'Supervisors' }],
    ['permission removed out of band', { permissions: ['Users.View'] }, { Permissions: ['BasicAgentAccess', 'Users.View'] }],
    ['permission added out of band', { permissions: ['BasicAgentAccess', 'Users.View', 'Users.Edit'] }, { Permissions: ['BasicAgentAccess', 'Users.View'] }],
    ['access control tags', { allowedAccessControlTags: { Department: 'B' } }, { AllowedAccessControlTags: { Department: 'A' } }],
    ['tag restricted resources', { tagRestrictedResources: ['User'] }, { TagRestrictedResources: ['Queue', 'User'] }],
    ['application permissions', { applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS'], Type: 'THIRD_PARTY_APPLICATION' }] },
      { Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }] }],
    ['application type', { applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'MCP' }] },
      { Applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }] }],
    ['hierarchy restricted resources', { hierarchyRestrictedResources: [] }, { HierarchyRestrictedResources: ['User'] }],
    ['hierarchy group id changed', { allowedAccessControlHierarchyGroupId: 'g-2' }, { AllowedAccessControlHierarchyGroupId: 'g-1' }],
    ['hierarchy group id removed', { allowedAccessControlHierarchyGroupId: undefined }, { AllowedAccessControlHierarchyGroupId: 'g-1' }],
    ['granular values', {
      granularAccessControlConfiguration: {
        DataTableAccessControlConfiguration: {
          PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu'] }] },
        },
      },
    },
    { GranularAccessControlConfiguration: desired.granularAccessControlConfiguration }],
    ['granular removed', { granularAccessControlConfiguration: undefined }, { GranularAccessControlConfiguration: desired.granularAccessControlConfiguration }],
    ['flow modules', { allowedFlowModules: [] }, { AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }] }],
    ['AI agents', { allowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/2' }] }, { AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:agent/1' }] }],
  ])('drift in %s: one UpdateSecurityProfile with that field only', (_, live, update) => {
    const p = asUpdate(plan(desired, { ...same, ...live }));
    expect(p.update).toEqual(update);
    expect(p.drift).toEqual(Object.keys(update));
    expect(p.tagsToSet).toEqual({});
    expect(p.tagKeysToRemove).toEqual([]);
  });

  // clearing: the declared value is the whole truth, an undeclared field is empty
  test.each<[string, Partial<DesiredSecurityProfile>, Record<string, unknown>]>([
    ['description', { description: '' }, { Description: '' }],
    ['permissions', { permissions: [] }, { Permissions: [] }],
    ['access control tags', { allowedAccessControlTags: {} }, { AllowedAccessControlTags: {} }],
    ['tag restricted resources', { tagRestrictedResources: [] }, { TagRestrictedResources: [] }],
    ['applications', { applications: [] }, { Applications: [] }],
    ['hierarchy restricted resources', { hierarchyRestrictedResources: [] }, { HierarchyRestrictedResources: [] }],
    ['hierarchy group id', { allowedAccessControlHierarchyGroupId: undefined }, { AllowedAccessControlHierarchyGroupId: '' }],
    ['granular', { granularAccessControlConfiguration: undefined }, { GranularAccessControlConfiguration: {} }],
    ['flow modules (managed, empty)', { allowedFlowModules: [] }, { AllowedFlowModules: [] }],
    ['AI agents (managed, empty)', { allowedAIAgents: [] }, { AllowedAIAgents: [] }],
  ])('clear %s', (_, change, update) => {
    expect(asUpdate(plan({ ...desired, ...change }, same)).update).toEqual(update);
  });

  test.each<[string, Partial<ObservedSecurityProfile>]>([
    ['permissions', { permissions: ['BasicAgentAccess', 'Users.View'].reverse() }],
    ['duplicate permissions across pages', { permissions: ['Users.View', 'BasicAgentAccess', 'Users.View'] }],
    ['tag restricted resources', { tagRestrictedResources: ['Queue', 'User'] }],
    ['applications', { applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'], Type: 'THIRD_PARTY_APPLICATION' }] }],
    ['flow modules', { allowedFlowModules: [{ FlowModuleId: 'fm-1', Type: 'MCP' }] }],
    ['tag order', { tags: { 'aws:cloudformation:stack-name': 's', [OWNER_TAG_KEY]: OWNER, 'team': 'a' } }],
  ])('order-only difference in %s: nothing to do', (_, live) => {
    expect(isNoop(plan(desired, { ...same, ...live }))).toBe(true);
  });

  test('an application without a type equals the default type', () => {
    const d = { ...desired, applications: [{ Namespace: 'app.example', ApplicationPermissions: ['ACCESS', 'READ'] }] };
    expect(isNoop(plan(d, same))).toBe(true);
  });

  test('unmanaged flow modules and AI agents are never compared', () => {
    const d = { ...desired, allowedFlowModules: undefined, allowedAIAgents: undefined };
    expect(isNoop(plan(d, { ...same, allowedFlowModules: undefined, allowedAIAgents: undefined }))).toBe(true);
    expect(isNoop(plan(d, { ...same, allowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'x' }] }))).toBe(true);
  });

  test.each<[string, Partial<DesiredSecurityProfile>, Partial<ObservedSecurityProfile>, Record<string, string>, string[]]>([
    ['tag added', { tags: { team: 'a', cost: '42' } }, {}, { cost: '42' }, []],
    ['tag value changed', { tags: { team: 'b' } }, {}, { team: 'b' }, []],
    ['tag removed', { tags: {} }, {}, {}, ['team']],
    ['tag added out of band is removed', {}, { tags: { ...same.tags, extra: 'x' } }, {}, ['extra']],
    ['aws: tags are never removed', { tags: {} }, { tags: { [OWNER_TAG_KEY]: OWNER, 'aws:x': '1' } }, {}, []],
    ['owner tag restored when missing', {}, { tags: { team: 'a' } }, { [OWNER_TAG_KEY]: OWNER }, []],
    ['owner tag never removed without a mark', { ownerMark: undefined }, {}, {}, []],
  ])('%s', (_, change, live, tagsToSet, tagKeysToRemove) => {
    const p = asUpdate(plan({ ...desired, ...change }, { ...same, ...live }));
    expect(p.update).toBeUndefined();
    expect(p.tagsToSet).toEqual(tagsToSet);
    expect(p.tagKeysToRemove).toEqual(tagKeysToRemove);
    expect(p.drift).toEqual(Object.keys(tagsToSet).length + tagKeysToRemove.length > 0 ? ['Tags'] : []);
  });

  test('several fields drift at once: one update with all of them, and tag calls', () => {
    const p = asUpdate(plan(desired, { ...same, description: 'x', permissions: [], tags: { [OWNER_TAG_KEY]: OWNER, old: '1' } }));
    expect(p.update).toEqual({ Description: 'Supervisors', Permissions: ['BasicAgentAccess', 'Users.View'] });
    expect(p.tagsToSet).toEqual({ team: 'a' });
    expect(p.tagKeysToRemove).toEqual(['old']);
    expect(p.drift).toEqual(['Description', 'Permissions', 'Tags']);
  });

  test('rollback (old and new swapped) plans the way back like any update', () => {
    const before = { ...desired, permissions: ['BasicAgentAccess'] };
    // the live profile has the new state; the rollback's desired state is the old one
    const p = asUpdate(plan(before, same));
    expect(p.update).toEqual({ Permissions: ['BasicAgentAccess'] });
  });
});
