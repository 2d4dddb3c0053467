import * as Connect from '@aws-sdk/client-connect';
import { loadModel } from '../../local/connect-emulator/model';
import { compilePattern } from '../../local/connect-emulator/validator';
import { startEmulatorAndClient } from '../support/emulator-client';

// The generic validator, checked operation by operation through the real SDK over HTTP: for each member
// of each input shape, a mutation derived from the model (missing required, over max, under min, bad
// pattern, bad enum) must come back as the modeled 400 naming the member. Validation runs before any
// resource lookup, so the baselines need no real resources.

const INSTANCE = '11111111-2222-4333-8444-555555555555';
const ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}/security-profile/sp-1`;
const AI_AGENT = 'arn:aws:wisdom:us-east-1:123456789012:ai-agent/11111111-2222-4333-8444-555555555555/66666666-7777-4888-8999-000000000000';
const BASELINES: Record<string, Record<string, unknown>> = {
  CreateInstance: { IdentityManagementType: 'CONNECT_MANAGED', InboundCallsEnabled: true, OutboundCallsEnabled: true },
  CreateSecurityProfile: { InstanceId: INSTANCE, SecurityProfileName: 'p' },
  CreateUser: { InstanceId: INSTANCE, Username: 'u', SecurityProfileIds: ['sp'], RoutingProfileId: 'rp' },
  CreateUserHierarchyGroup: { InstanceId: INSTANCE, Name: 'g' },
  DeleteSecurityProfile: { InstanceId: INSTANCE, SecurityProfileId: 'sp' },
  DeleteUser: { InstanceId: INSTANCE, UserId: 'u' },
  DeleteUserHierarchyGroup: { InstanceId: INSTANCE, HierarchyGroupId: 'g' },
  DescribeInstance: { InstanceId: INSTANCE },
  DescribeSecurityProfile: { InstanceId: INSTANCE, SecurityProfileId: 'sp' },
  DescribeUser: { InstanceId: INSTANCE, UserId: 'u' },
  DescribeUserHierarchyGroup: { InstanceId: INSTANCE, HierarchyGroupId: 'g' },
  DescribeUserHierarchyStructure: { InstanceId: INSTANCE },
  AssociateSecurityProfiles: { InstanceId: INSTANCE, SecurityProfiles: [{ Id: 'sp' }], EntityType: 'AI_AGENT', EntityArn: AI_AGENT },
  DisassociateSecurityProfiles: { InstanceId: INSTANCE, SecurityProfiles: [{ Id: 'sp' }], EntityType: 'AI_AGENT', EntityArn: AI_AGENT },
  ListEntitySecurityProfiles: { InstanceId: INSTANCE, EntityType: 'AI_AGENT', EntityArn: AI_AGENT, MaxResults: 10 },
  ListInstances: { MaxResults: 5 },
  SearchUserHierarchyGroups: { InstanceId: INSTANCE, MaxResults: 10, SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'ab', ComparisonType: 'EXACT' } } },
  ListSecurityProfileAIAgents: { InstanceId: INSTANCE, SecurityProfileId: 'sp', MaxResults: 10 },
  ListSecurityProfileApplications: { InstanceId: INSTANCE, SecurityProfileId: 'sp', MaxResults: 10 },
  ListSecurityProfileFlowModules: { InstanceId: INSTANCE, SecurityProfileId: 'sp', MaxResults: 10 },
  ListSecurityProfilePermissions: { InstanceId: INSTANCE, SecurityProfileId: 'sp', MaxResults: 10 },
  ListSecurityProfiles: { InstanceId: INSTANCE, MaxResults: 10 },
  ListTagsForResource: { resourceArn: ARN },
  ListUserHierarchyGroups: { InstanceId: INSTANCE, MaxResults: 10 },
  ListUsers: { InstanceId: INSTANCE, MaxResults: 10 },
  SearchSecurityProfiles: { InstanceId: INSTANCE, MaxResults: 10, SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'ab', ComparisonType: 'CONTAINS' } } },
  SearchUsers: { InstanceId: INSTANCE, MaxResults: 10, SearchCriteria: { StringCondition: { FieldName: 'Username', Value: 'ab', ComparisonType: 'CONTAINS' } } },
  TagResource: { resourceArn: ARN, tags: { a: 'b' } },
  UntagResource: { resourceArn: ARN, tagKeys: ['a'] },
  UpdateSecurityProfile: {
    InstanceId: INSTANCE,
    SecurityProfileId: 'sp',
    Description: 'd',
    Permissions: ['BasicAgentAccess'],
    AllowedAccessControlTags: { k: 'v' },
    TagRestrictedResources: ['User'],
    HierarchyRestrictedResources: ['User'],
    Applications: [{ Namespace: 'ns', ApplicationPermissions: ['ACCESS'], Type: 'THIRD_PARTY_APPLICATION' }],
    AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm' }],
    AllowedAIAgents: [{ Arn: 'arn:aws:x', Type: 'THIRD_PARTY' }],
  },
  UpdateUserHierarchy: { InstanceId: INSTANCE, UserId: 'u', HierarchyGroupId: 'g' },
  UpdateUserHierarchyStructure: { InstanceId: INSTANCE, HierarchyStructure: { LevelOne: { Name: 'L1' } } },
  UpdateUserSecurityProfiles: { InstanceId: INSTANCE, UserId: 'u', SecurityProfileIds: ['sp'] },
};

const model = loadModel();
const PATTERN_CANDIDATES = ['aws:x', '!', '#', 'a b/c', '\u0001', 'd-0123456789', 'xx', 'X'];

/** A value valid for a shape (enough for list members and map entries). */
function sample(shapeName: string): unknown {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'string': return shape.enum ? shape.enum[0] : 'x'.repeat(Math.max(shape.min ?? 1, 1));
    case 'integer': case 'long': return Math.max(shape.min ?? 1, 1);
    case 'boolean': return true;
    case 'list': return [sample(shape.member!.shape)];
    case 'map': return { k: sample(shape.value!.shape) };
    case 'structure': return Object.fromEntries((shape.required ?? []).map(r => [r, sample(shape.members![r].shape)]));
    default: return undefined;
  }
}

interface Case { readonly title: string; readonly value: unknown; readonly expect: RegExp }

/** The mutations of one member the model makes invalid. */
function mutations(memberShape: string, label: boolean): Case[] {
  const s = model.shapes[memberShape];
  const cases: Case[] = [];
  if (s.type === 'string') {
    if (s.max !== undefined) {
      cases.push({ title: `over max ${s.max}`, value: 'x'.repeat(s.max + 1), expect: /length less than or equal to/ });
    }
    if ((s.min ?? 0) >= 1 && !label) {
      cases.push({ title: `under min ${s.min}`, value: '', expect: /length greater than or equal to/ });
    }
    if (s.pattern) {
      const regex = compilePattern(s.pattern);
      const bad = PATTERN_CANDIDATES.find(c => !regex.test(c) && c.length >= (s.min ?? 0) && c.length <= (s.max ?? Infinity));
      if (bad !== undefined) {
        cases.push({ title: `bad pattern '${bad}'`, value: bad, expect: /regular expression pattern/ });
      }
    }
    if (s.enum) {
      cases.push({ title: 'bad enum', value: 'NOT_A_MODELED_VALUE', expect: /enum value set/ });
    }
  } else if (s.type === 'integer' || s.type === 'long') {
    if (s.max !== undefined) {
      cases.push({ title: `over max ${s.max}`, value: s.max + 1, expect: /value less than or equal to/ });
    }
    if (s.min !== undefined) {
      cases.push({ title: `under min ${s.min}`, value: s.min - 1, expect: /value greater than or equal to/ });
    }
  } else if (s.type === 'list') {
    const member = sample(s.member!.shape);
    if (s.max !== undefined) {
      cases.push({ title: `over max ${s.max} items`, value: Array.from({ length: s.max + 1 }, () => member), expect: /length less than or equal to/ });
    }
    if ((s.min ?? 0) >= 1) {
      cases.push({ title: `under min ${s.min} items`, value: [], expect: /length greater than or equal to/ });
    }
  } else if (s.type === 'map') {
    const value = sample(s.value!.shape);
    if (s.max !== undefined) {
      cases.push({ title: `over max ${s.max} entries`, value: Object.fromEntries(Array.from({ length: s.max + 1 }, (_, i) => [`k${i}`, value])), expect: /length less than or equal to/ });
    }
    if ((s.min ?? 0) >= 1) {
      cases.push({ title: `under min ${s.min} entries`, value: {}, expect: /length greater than or equal to/ });
    }
  }
  return cases;
}

const table: Array<[string, string, string, unknown, RegExp]> = [];
for (const operation of Object.keys(BASELINES)) {
  const op = model.operations[operation];
  const input = model.shapes[op.input!.shape];
  for (const [member, ref] of Object.entries(input.members!)) {
    const label = ref.location === 'uri';
    if ((input.required ?? []).includes(member) && !label) {
      table.push([operation, member, 'missing required', undefined, /must not be null/]);
    }
    for (const c of mutations(ref.shape, label)) {
      // an empty repeated query parameter cannot be sent: it arrives as an absent (required) member
      const emptyQueryList = ref.location === 'querystring' && Array.isArray(c.value) && c.value.length === 0;
      table.push([operation, member, c.title, c.value, emptyQueryList ? /must not be null/ : c.expect]);
    }
  }
}

let client: Connect.ConnectClient;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ client, stop } = await startEmulatorAndClient());
});
afterAll(() => stop());

function command(operation: string, input: Record<string, unknown>): any {
  const Ctor = (Connect as any)[`${operation}Command`];
  return new Ctor(input);
}

test('every modeled operation has a baseline', () => {
  expect(Object.keys(BASELINES).sort()).toEqual(Object.keys(model.operations).sort());
  expect(table.length).toBeGreaterThan(80);
});

test.each(Object.keys(BASELINES))('%s: the valid baseline passes validation', async (operation) => {
  const error = await client.send(command(operation, BASELINES[operation])).then(() => undefined, (e: Error) => e);
  if (error) {
    expect(error.name).not.toMatch(/InvalidParameterException|InvalidRequestException/);
  }
});

test.each(table)('%s.%s %s gives InvalidParameterException naming the member', async (operation, member, _title, value, expected) => {
  const input = { ...BASELINES[operation], [member]: value };
  if (value === undefined) {
    delete input[member];
  }
  const error: any = await client.send(command(operation, input)).then(() => undefined, (e: Error) => e);
  expect(error?.name).toBe('InvalidParameterException');
  expect(error.$metadata.httpStatusCode).toBe(400);
  expect(error.message).toContain(`'${member}`);
  expect(error.message).toMatch(expected);
});

test.each([
  ['nested enum in a list', 'UpdateSecurityProfile', { Applications: [{ Namespace: 'n', ApplicationPermissions: ['ACCESS'], Type: 'OTHER' }] }, /Applications\.1\.member\.Type.*enum/],
  ['nested list min', 'UpdateSecurityProfile', { Applications: [{ Namespace: 'n', ApplicationPermissions: [], Type: 'MCP' }] }, /ApplicationPermissions.*greater than or equal to 1/],
  ['nested required', 'UpdateUserHierarchyStructure', { HierarchyStructure: { LevelOne: {} } }, /HierarchyStructure\.LevelOne\.Name.*must not be null/],
  ['tag key pattern (aws: prefix, unicode flag)', 'TagResource', { tags: { 'aws:reserved': 'v' } }, /tags\.key.*pattern/],
  ['unicode tag keys are accepted', 'TagResource', { tags: { 'Größe ü': 'v' } }, null],
  ['map value max', 'UpdateSecurityProfile', { AllowedAccessControlTags: { k: 'v'.repeat(257) } }, /AllowedAccessControlTags\.k.*less than or equal to 256/],
  ['recursive search criteria', 'SearchUsers', { SearchCriteria: { OrConditions: [{ AndConditions: [{ StringCondition: { FieldName: 'Username', Value: 'ab', ComparisonType: 'LIKE' } }] }] } }, /OrConditions\.1\.member\.AndConditions\.1\.member\.StringCondition\.ComparisonType.*enum/],
  ['password pattern with /…/ delimiters fixed', 'CreateUser', { Password: 'lowercaseonly1' }, /Password.*pattern/],
  ['phone number pattern double escape fixed', 'CreateUser', { IdentityInfo: { FirstName: 'a', LastName: 'b', Mobile: '12345' } }, /Mobile.*pattern/],
  ['a valid phone number passes', 'CreateUser', { Password: 'Passw0rdX', IdentityInfo: { FirstName: 'a', LastName: 'b', Mobile: '+14155550100' } }, null],
])('%s', async (_title, operation, patch, expected) => {
  const error: any = await client.send(command(operation, { ...BASELINES[operation], ...patch })).then(() => undefined, (e: Error) => e);
  if (expected === null) {
    expect(error?.name).not.toMatch(/InvalidParameterException|InvalidRequestException/);
  } else {
    expect(error?.name).toBe('InvalidParameterException');
    expect(error.message).toMatch(expected);
  }
});
