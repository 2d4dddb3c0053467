import { InvalidPropertyError, MAX_USER_TAGS, parseDesiredRecord, parseProperties, parseRemovalPolicy } from '../../lambda/properties';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const base = { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', InstanceArn: ARN, SecurityProfileName: 'BPO-A-Supervisor' };

describe('parseProperties', () => {
  test('minimal properties: every field empty, instance id from the ARN, defaults for the settings', () => {
    const { profile, settings } = parseProperties(base);
    expect(profile).toEqual({
      InstanceId: '11111111-2222-3333-4444-555555555555',
      InstanceArn: ARN,
      SecurityProfileName: 'BPO-A-Supervisor',
      Description: '',
      Permissions: [],
      Tags: {},
      AllowedAccessControlTags: {},
      TagRestrictedResources: [],
      Applications: [],
      HierarchyRestrictedResources: [],
    });
    expect(settings).toEqual({ contractVersion: '1', removalPolicy: 'Delete', adoptExisting: false, driftMode: 'DISABLED' });
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
    });
    expect(profile.Permissions).toEqual(['BasicAgentAccess', 'Users.View']);
    expect(profile.TagRestrictedResources).toEqual(['Queue', 'User']);
    expect(profile.Applications).toEqual([
      { Namespace: 'a.example', ApplicationPermissions: ['tool1', 'tool2'], Type: 'MCP' },
      { Namespace: 'b.example', ApplicationPermissions: ['ACCESS'] },
    ]);
    expect(profile.AllowedAccessControlHierarchyGroupId).toBe('g-1');
    expect(profile.AllowedFlowModules).toEqual([{ Type: 'MCP', FlowModuleId: 'fm-1' }]);
    // an empty list present means "managed, and empty"
    expect(profile.AllowedAIAgents).toEqual([]);
    const granular = profile.GranularAccessControlConfiguration?.DataTableAccessControlConfiguration;
    expect(granular?.PrimaryAttributeAccessControlConfiguration?.PrimaryAttributeValues)
      .toEqual([{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu', 'us'] }]);
    expect(settings).toEqual({ contractVersion: '1', removalPolicy: 'Retain', adoptExisting: true, driftMode: 'REMEDIATE' });
  });

  test('flow modules and AI agents are unmanaged when absent', () => {
    const { profile } = parseProperties(base);
    expect(profile.AllowedFlowModules).toBeUndefined();
    expect(profile.AllowedAIAgents).toBeUndefined();
  });

  test('an empty granular configuration is none', () => {
    const { profile } = parseProperties({ ...base, GranularAccessControlConfiguration: {} });
    expect(profile.GranularAccessControlConfiguration).toBeUndefined();
  });

  test('tags in the CloudFormation list form are accepted', () => {
    const { profile } = parseProperties({ ...base, Tags: [{ Key: 'a', Value: '1' }] });
    expect(profile.Tags).toEqual({ a: '1' });
  });

  test(`${MAX_USER_TAGS} tags pass (one slot is the owner tag)`, () => {
    const tags = Object.fromEntries(Array.from({ length: MAX_USER_TAGS }, (_, i) => [`k${i}`, 'v']));
    expect(Object.keys(parseProperties({ ...base, Tags: tags }).profile.Tags)).toHaveLength(MAX_USER_TAGS);
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

describe('lengths in code points, as the model counts them', () => {
  // U+1F600 is one code point and two UTF-16 units
  const emoji = '\u{1F600}';

  test('a description of 250 emoji passes (500 UTF-16 units)', () => {
    expect(parseProperties({ ...base, Description: emoji.repeat(250) }).profile.Description).toHaveLength(500);
  });

  test('a description of 251 emoji fails', () => {
    expect(() => parseProperties({ ...base, Description: emoji.repeat(251) })).toThrow(/Description: .*at most 250 characters/);
  });

  test.each([
    ['tag value', { Tags: { team: emoji.repeat(256) } }, { Tags: { team: emoji.repeat(257) } }, /Tags\.team: .*at most 256 characters/],
    // U+20000, a CJK ideograph: a letter (tag keys allow letters) outside the BMP
    ['tag key', { Tags: { ['\u{20000}'.repeat(128)]: 'v' } }, { Tags: { ['\u{20000}'.repeat(129)]: 'v' } }, /keys must be 1..128 characters/],
    ['permission', { Permissions: [emoji.repeat(128)] }, { Permissions: [emoji.repeat(129)] }, /Permissions\[0\]: .*expected 1..128 characters/],
    ['access control tag value', { AllowedAccessControlTags: { a: emoji.repeat(256) } }, { AllowedAccessControlTags: { a: emoji.repeat(257) } }, /AllowedAccessControlTags\.a: /],
    ['application namespace', { Applications: [{ Namespace: emoji.repeat(128), ApplicationPermissions: ['ACCESS'] }] },
      { Applications: [{ Namespace: emoji.repeat(129), ApplicationPermissions: ['ACCESS'] }] }, /Applications\[0\]\.Namespace: .*1..128 characters/],
  ])('%s: the limit in code points passes, one more fails', (_, ok, tooLong, message) => {
    expect(() => parseProperties({ ...base, ...ok })).not.toThrow();
    expect(() => parseProperties({ ...base, ...tooLong })).toThrow(message);
  });
});

describe('drift mode and removal policy in any case', () => {
  test.each([
    ['remediate', 'REMEDIATE'],
    ['Detect_Only', 'DETECT_ONLY'],
    ['disabled', 'DISABLED'],
    ['REMEDIATE', 'REMEDIATE'],
  ])('DriftMode %s is %s', (value, expected) => {
    expect(parseProperties({ ...base, DriftMode: value }).settings.driftMode).toBe(expected);
  });

  test('an unknown drift mode fails naming the property and the allowed values', () => {
    expect(() => parseProperties({ ...base, DriftMode: 'detect-only' }))
      .toThrow('invalid property DriftMode: received "detect-only"; allowed: REMEDIATE, DETECT_ONLY, DISABLED (in any case)');
  });

  test('RemovalPolicy retain is Retain, as parseRemovalPolicy reads it on Delete', () => {
    expect(parseProperties({ ...base, RemovalPolicy: 'retain' }).settings.removalPolicy).toBe('Retain');
    expect(parseRemovalPolicy({ RemovalPolicy: 'retain' })).toBe('Retain');
  });
});

describe('parseDesiredRecord', () => {
  const full = {
    ...base,
    Description: 'Supervisors of BPO A',
    Permissions: ['Users.View', 'BasicAgentAccess'],
    Tags: { team: 'bpo-a' },
    AllowedAccessControlTags: { Department: 'A' },
    TagRestrictedResources: ['User'],
    Applications: [{ Namespace: 'a.example', ApplicationPermissions: ['tool1'], Type: 'MCP' }],
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: 'g-1',
    AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
    GranularAccessControlConfiguration: {
      DataTableAccessControlConfiguration: {
        PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu'] }] },
      },
    },
    AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:aws:bedrock:us-east-1:123456789012:agent/a' }],
  };
  /**
   * A version 1 record's desired state as the handler stored it: the parsed profile under camel-case names
   * (`permissions`) plus the owner mark, through JSON.
   */
  const stored = (properties: Record<string, unknown>, ownerMark = 'stack/Profile'): Record<string, unknown> => {
    const camel = Object.entries(parseProperties(properties).profile).map(([name, value]) => [name.charAt(0).toLowerCase() + name.slice(1), value]);
    return JSON.parse(JSON.stringify({ ...Object.fromEntries(camel), ownerMark }));
  };

  test.each([
    ['minimal', base],
    ['every field', full],
    ['flow modules and AI agents managed and empty', { ...base, AllowedFlowModules: [], AllowedAIAgents: [] }],
  ])('round trip of a %s record: what the handler stores parses back to the same desired state', (_, properties) => {
    const record = stored(properties);
    expect(parseDesiredRecord(record)).toEqual(parseProperties(properties).profile);
  });

  test('a record without an owner mark parses to the same state (the record\'s ownerMark attribute is the mark kept)', () => {
    const { ownerMark, ...record } = stored(base);
    expect(ownerMark).toBe('stack/Profile');
    expect(parseDesiredRecord(record)).toEqual(parseDesiredRecord(stored(base)));
  });

  test('sets are normalised as the handler normalises them', () => {
    const record = { ...stored(base), permissions: ['Users.View', 'BasicAgentAccess', 'Users.View'] };
    expect(parseDesiredRecord(record).Permissions).toEqual(['BasicAgentAccess', 'Users.View']);
  });

  test.each([
    ['not an object', () => '{"permissions":[]}', /invalid property desired: received .*expected a desired-state object/],
    ['null', () => null, /invalid property desired: received null; expected a desired-state object/],
    ['permissions a string', (r: any) => ({ ...r, permissions: 'BasicAgentAccess' }), /desired\.permissions: received "BasicAgentAccess"; expected a list/],
    ['permissions an empty string', (r: any) => ({ ...r, permissions: '' }), /desired\.permissions: received ""; expected a list/],
    ['permissions missing', (r: any) => ({ ...r, permissions: undefined }), /desired\.permissions: received nothing; this field is required/],
    ['a permission not a string', (r: any) => ({ ...r, permissions: [1] }), /desired\.permissions\[0\]: received 1; expected a string/],
    ['too many permissions', (r: any) => ({ ...r, permissions: Array.from({ length: 501 }, (_, i) => `p${i}`) }), /desired\.permissions: .*at most 500/],
    ['tags a list', (r: any) => ({ ...r, tags: [{ Key: 'a', Value: '1' }] }), /desired\.tags: .*expected an object/],
    ['a tag value a number', (r: any) => ({ ...r, tags: { a: 1 } }), /desired\.tags\.a: received 1; expected a string/],
    ['the owner tag in tags', (r: any) => ({ ...r, tags: { [OWNER_TAG_KEY]: 'x' } }), /desired\.tags\.cdk-connect-security-profiles:owner: .*reserved/],
    ['tag restricted resources a string', (r: any) => ({ ...r, tagRestrictedResources: 'User' }), /desired\.tagRestrictedResources: received "User"; expected a list/],
    ['applications an object', (r: any) => ({ ...r, applications: { Namespace: 'n' } }), /desired\.applications: .*expected a list/],
    ['application permissions a string', (r: any) => ({ ...r, applications: [{ Namespace: 'n', ApplicationPermissions: 'ACCESS' }] }),
      /desired\.applications\[0\]\.ApplicationPermissions: received "ACCESS"; expected a list/],
    ['hierarchy resource other than User', (r: any) => ({ ...r, hierarchyRestrictedResources: ['Queue'] }), /desired\.hierarchyRestrictedResources\[0\]: received "Queue"; allowed: User/],
    ['hierarchy group an ARN', (r: any) => ({ ...r, allowedAccessControlHierarchyGroupId: 'arn:aws:connect:x' }), /desired\.allowedAccessControlHierarchyGroupId: .*not an ARN/],
    ['hierarchy group empty', (r: any) => ({ ...r, allowedAccessControlHierarchyGroupId: '' }), /desired\.allowedAccessControlHierarchyGroupId: .*no field when there is none/],
    ['flow modules a string', (r: any) => ({ ...r, allowedFlowModules: 'fm-1' }), /desired\.allowedFlowModules: received "fm-1"; expected a list/],
    ['AI agents null', (r: any) => ({ ...r, allowedAIAgents: null }), /desired\.allowedAIAgents: received null; expected a list/],
    ['granular values a string', (r: any) => ({
      ...r, granularAccessControlConfiguration: { DataTableAccessControlConfiguration: { PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: 'x' } } },
    }), /desired\.granularAccessControlConfiguration\.DataTableAccessControlConfiguration\.PrimaryAttributeAccessControlConfiguration\.PrimaryAttributeValues: received "x"; expected a list/],
    ['description missing', (r: any) => ({ ...r, description: undefined }), /desired\.description: received nothing; this field is required/],
    ['description too long in code points', (r: any) => ({ ...r, description: '\u{1F600}'.repeat(251) }), /desired\.description: .*at most 250 characters/],
    ['name a number', (r: any) => ({ ...r, securityProfileName: 5 }), /desired\.securityProfileName: received 5; expected a string/],
    ['instance ARN not an ARN', (r: any) => ({ ...r, instanceArn: 'i-1' }), /desired\.instanceArn: received "i-1"; expected an instance ARN/],
    ['instance id of another instance', (r: any) => ({ ...r, instanceId: 'other' }), /desired\.instanceId: received "other"; expected "11111111-2222-3333-4444-555555555555"/],
    ['instance id missing', (r: any) => ({ ...r, instanceId: undefined }), /desired\.instanceId: received nothing; expected "11111111/],
    ['owner mark not a string', (r: any) => ({ ...r, ownerMark: ['a'] }), /desired\.ownerMark: received \["a"\]; expected a string of 1..256 characters/],
    ['owner mark empty', (r: any) => ({ ...r, ownerMark: '' }), /desired\.ownerMark: received ""; expected a string/],
    ['an unknown field', (r: any) => ({ ...r, permission: ['BasicAgentAccess'] }), /desired\.permission: .*not a field of a desired state/],
  ])('fails on %s', (_, change, message) => {
    const record = JSON.parse(JSON.stringify(change(stored(full)) ?? null));
    expect(() => parseDesiredRecord(record)).toThrow(message);
    expect(() => parseDesiredRecord(record)).toThrow(InvalidPropertyError);
  });

  test('the error names the field under the path the caller gives', () => {
    expect(() => parseDesiredRecord({ ...stored(base), permissions: 'x' }, 'record arn:aws:connect:p.desired'))
      .toThrow(/invalid property record arn:aws:connect:p\.desired\.permissions: /);
  });

  test('the property tolerances stay in parseProperties: a number as a string, "" as an empty list', () => {
    expect(parseProperties({ ...base, Permissions: '', SecurityProfileName: 5 }).profile).toMatchObject({ Permissions: [], SecurityProfileName: '5' });
  });
});
