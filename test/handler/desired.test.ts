import { InvalidPropertyError, MAX_USER_TAGS, parseProperties, parseRemovalPolicy } from '../../lambda/desired';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const base = { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', InstanceArn: ARN, SecurityProfileName: 'BPO-A-Supervisor' };

describe('parseProperties', () => {
  test('minimal properties: every field empty, instance id from the ARN, defaults for the settings', () => {
    const { profile, settings } = parseProperties(base);
    expect(profile).toEqual({
      instanceId: '11111111-2222-3333-4444-555555555555',
      instanceArn: ARN,
      securityProfileName: 'BPO-A-Supervisor',
      description: '',
      permissions: [],
      tags: {},
      allowedAccessControlTags: {},
      tagRestrictedResources: [],
      applications: [],
      hierarchyRestrictedResources: [],
    });
    expect(settings).toEqual({ contractVersion: '1', removalPolicy: 'Delete', adoptExisting: false, driftMode: 'DISABLED', accessScopeReport: true });
  });

  test('every field, as CloudFormation sends it (scalars as strings), normalised', () => {
    const { profile, settings } = parseProperties({
      ...base,
      ContractVersion: '1',
      Description: 'Supervisors of BPO A',
      Permissions: ['Users.View', 'BasicAgentAccess', 'Users.View'],
      Tags: { team: 'bpo-a' },
      AllowedAccessControlTags: { Department: 'A' },
      TagRestrictedResources: ['User', 'Queue'],
      Applications: [
        { Namespace: 'b.example', ApplicationPermissions: ['ACCESS'] },
        { Namespace: 'a.example', ApplicationPermissions: ['tool2', 'tool1'], Type: 'MCP' },
      ],
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: 'g-1',
      AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
      GranularAccessControlConfiguration: {
        DataTableAccessControlConfiguration: {
          PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu', 'us'] }] },
        },
      },
      AllowedAIAgents: [],
      RemovalPolicy: 'Retain',
      AdoptExisting: 'true',
      DriftMode: 'REMEDIATE',
      AccessScopeReport: 'false',
    });
    expect(profile.permissions).toEqual(['BasicAgentAccess', 'Users.View']);
    expect(profile.tagRestrictedResources).toEqual(['Queue', 'User']);
    expect(profile.applications).toEqual([
      { Namespace: 'a.example', ApplicationPermissions: ['tool1', 'tool2'], Type: 'MCP' },
      { Namespace: 'b.example', ApplicationPermissions: ['ACCESS'] },
    ]);
    expect(profile.allowedAccessControlHierarchyGroupId).toBe('g-1');
    expect(profile.allowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: 'fm-1' }]);
    // an empty list present means "managed, and empty"
    expect(profile.allowedAIAgents).toEqual([]);
    const granular = profile.granularAccessControlConfiguration?.DataTableAccessControlConfiguration;
    expect(granular?.PrimaryAttributeAccessControlConfiguration?.PrimaryAttributeValues)
      .toEqual([{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu', 'us'] }]);
    expect(settings).toEqual({ contractVersion: '1', removalPolicy: 'Retain', adoptExisting: true, driftMode: 'REMEDIATE', accessScopeReport: false });
  });

  test('flow modules and AI agents are unmanaged when absent', () => {
    const { profile } = parseProperties(base);
    expect(profile.allowedFlowModules).toBeUndefined();
    expect(profile.allowedAIAgents).toBeUndefined();
  });

  test('an empty granular configuration is none', () => {
    const { profile } = parseProperties({ ...base, GranularAccessControlConfiguration: {} });
    expect(profile.granularAccessControlConfiguration).toBeUndefined();
  });

  test('tags in the CloudFormation list form are accepted', () => {
    const { profile } = parseProperties({ ...base, Tags: [{ Key: 'a', Value: '1' }] });
    expect(profile.tags).toEqual({ a: '1' });
  });

  test(`${MAX_USER_TAGS} tags pass (one slot is the owner tag)`, () => {
    const tags = Object.fromEntries(Array.from({ length: MAX_USER_TAGS }, (_, i) => [`k${i}`, 'v']));
    expect(Object.keys(parseProperties({ ...base, Tags: tags }).profile.tags)).toHaveLength(MAX_USER_TAGS);
  });

  test.each([
    ['missing InstanceArn', { InstanceArn: undefined }, /invalid property InstanceArn: received nothing; this property is required/],
    ['InstanceArn not an ARN', { InstanceArn: 'abc' }, /InstanceArn: received "abc"; expected an instance ARN/],
    ['name with a dot', { SecurityProfileName: 'a.b' }, /SecurityProfileName: received "a.b"; expected 1..127 characters/],
    ['name too long', { SecurityProfileName: 'a'.repeat(128) }, /SecurityProfileName: .*expected 1..127 characters/],
    ['description too long', { Description: 'd'.repeat(251) }, /Description: .*at most 250 characters/],
    ['permissions not a list', { Permissions: 'Users.View' }, /Permissions: received "Users.View"; expected a list/],
    ['empty permission', { Permissions: [''] }, /Permissions\[0\]: received ""; expected 1..128 characters/],
    ['too many permissions', { Permissions: Array.from({ length: 501 }, (_, i) => `p${i}`) }, /Permissions: received "501 entries"; expected at most 500/],
    ['owner tag in Tags', { Tags: { [OWNER_TAG_KEY]: 'x' } }, /Tags\.cdk-connect-security-profiles:owner: .*reserved for the owner mark/],
    ['aws: tag', { Tags: { 'aws:x': '1' } }, /Tags\.aws:x: .*must not start with "aws:"/],
    ['too many tags', { Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }, /Tags: received "50 entries"; expected at most 49/],
    ['five access control tags', { AllowedAccessControlTags: { a: '1', b: '2', c: '3', d: '4', e: '5' } }, /AllowedAccessControlTags: .*at most 4/],
    ['hierarchy resource other than User', { HierarchyRestrictedResources: ['Queue'] }, /HierarchyRestrictedResources\[0\]: received "Queue"; allowed: User/],
    ['hierarchy group ARN', { AllowedAccessControlHierarchyGroupId: 'arn:aws:connect:us-east-1:123456789012:instance/i/agent-group/g' }, /not an ARN/],
    ['application type', { Applications: [{ Namespace: 'n', ApplicationPermissions: ['ACCESS'], Type: 'OTHER' }] }, /Applications\[0\]\.Type: received "OTHER"; allowed: MCP, THIRD_PARTY_APPLICATION/],
    ['application without permissions', { Applications: [{ Namespace: 'n', ApplicationPermissions: [] }] }, /Applications\[0\]\.ApplicationPermissions: .*1..50/],
    ['duplicate namespace', { Applications: [{ Namespace: 'n', ApplicationPermissions: ['A'] }, { Namespace: 'n', ApplicationPermissions: ['B'] }] }, /Applications\[1\]\.Namespace: .*once/],
    ['flow module type', { AllowedFlowModules: [{ Type: 'X', FlowModuleId: 'f' }] }, /AllowedFlowModules\[0\]\.Type: received "X"; allowed: MCP/],
    ['AI agent type', { AllowedAIAgents: [{ Type: 'X', Arn: 'a' }] }, /AllowedAIAgents\[0\]\.Type: received "X"; allowed: THIRD_PARTY/],
    ['granular access type', { GranularAccessControlConfiguration: { DataTableAccessControlConfiguration: { PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'DENY', AttributeName: 'a', Values: [] }] } } } }, /PrimaryAttributeValues\[0\]\.AccessType: received "DENY"; allowed: ALLOW/],
    ['removal policy', { RemovalPolicy: 'Snapshot' }, /RemovalPolicy: received "Snapshot"; allowed: Delete, Retain/],
    ['drift mode', { DriftMode: 'ON' }, /DriftMode: received "ON"; allowed: REMEDIATE, DETECT_ONLY, DISABLED/],
    ['adopt flag', { AdoptExisting: 'yes' }, /AdoptExisting: received "yes"; expected "true" or "false"/],
    ['newer contract', { ContractVersion: '99' }, /ContractVersion: received "99"; this handler understands versions 1..1/],
  ])('fails on %s', (_, override, message) => {
    expect(() => parseProperties({ ...base, ...override })).toThrow(message);
    expect(() => parseProperties({ ...base, ...override })).toThrow(InvalidPropertyError);
  });

  test('the boundary values pass', () => {
    expect(() => parseProperties({
      ...base,
      SecurityProfileName: 'a'.repeat(127),
      Description: 'd'.repeat(250),
      AllowedAccessControlTags: { a: '1', b: '2', c: '3', d: '4' },
      Permissions: Array.from({ length: 500 }, (_, i) => `p${i}`),
    })).not.toThrow();
  });
});

describe('parseRemovalPolicy', () => {
  test.each([
    [{ RemovalPolicy: 'Retain' }, 'Retain'],
    [{ RemovalPolicy: 'Delete' }, 'Delete'],
    [{}, 'Delete'],
    [{ RemovalPolicy: 'Retain', InstanceArn: 'broken' }, 'Retain'],
    [undefined, 'Delete'],
  ])('%j -> %s', (props, expected) => {
    expect(parseRemovalPolicy(props)).toBe(expected);
  });
});
