/**
 * Bad input at deploy time: properties as they reach the handler from CloudFormation (hand-written
 * templates, older or broken constructs, escape hatches), and Connect's own rejections surfacing
 * through the handler. Each case runs the real `handleEvent` with the real `ConnectApi` against the emulator
 * and asserts that the message names the field and the fix (or keeps Connect's message), and that
 * nothing was left half-done: no profile created, the live profile unchanged.
 */
import { ConnectClient, CreateSecurityProfileCommand } from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { handleEvent } from '../../lambda/on-event';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';

import { readLiveProfile } from '../../local/live-profile';
import { cfnEvent, depsFor, fastApi } from '../handler/helpers';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/BadInput/0f0e0d0c-0000-4000-8000-000000000001';
const LOGICAL_ID = 'AgentsProfile1234ABCD';

let emulator: ConnectEmulator;
let reader: ConnectClient;
let instance: { instanceId: string; instanceArn: string };
let otherInstance: { instanceId: string; instanceArn: string };
let groupOfOtherInstance: string;
let nameSeq = 0;

beforeAll(async () => {
  emulator = await startConnectEmulator();
  reader = connectClientFor(emulator, { maxAttempts: 1 });
  instance = emulator.createInstance({ alias: 'bad-input' });
  otherInstance = emulator.createInstance({ alias: 'bad-input-other' });
  groupOfOtherInstance = emulator.seedHierarchyGroup(otherInstance.instanceId, 'Other-BPO').id;
});

afterAll(async () => {
  reader?.destroy();
  await emulator?.stop();
});

function deps() {
  return depsFor(emulator, { connect: fastApi(emulator, { maxAttempts: 2 }), consistencyWaitMs: 50 });
}

function event(requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown>, physicalResourceId?: string, old?: Record<string, unknown>) {
  return cfnEvent(requestType, properties, { physicalResourceId, oldProperties: old, stackId: STACK_ID, logicalId: LOGICAL_ID });
}

function valid(name: string): Record<string, unknown> {
  return { ContractVersion: '1', InstanceArn: instance.instanceArn, SecurityProfileName: name, Permissions: ['BasicAgentAccess'] };
}

async function failureOf(e: CloudFormationCustomResourceEvent): Promise<string> {
  try {
    await handleEvent(e, deps());
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the handler to fail, but it succeeded');
}

interface DeployCase {
  readonly name: string;
  /** Changes to a valid property set; `undefined` removes the key. */
  readonly props: (base: Record<string, unknown>) => Record<string, unknown>;
  /** The field (property path) the message must name, with the value received where there is one. */
  readonly field: RegExp;
  /** What to do. */
  readonly fix: RegExp;
}

const withProp = (key: string, value: unknown) => (base: Record<string, unknown>) => ({ ...base, [key]: value });
const without = (key: string) => (base: Record<string, unknown>) => {
  const copy = { ...base };
  delete copy[key];
  return copy;
};

/** Properties the handler itself rejects, before any call to Connect. */
export const PROPERTY_CASES: DeployCase[] = [
  { name: 'a string where a list is expected (Permissions)', props: withProp('Permissions', 'BasicAgentAccess'), field: /Permissions: received "BasicAgentAccess"/, fix: /expected a list/ },
  { name: 'an object in a list of strings (Permissions)', props: withProp('Permissions', [{ name: 'BasicAgentAccess' }]), field: /Permissions\[0\]/, fix: /expected a string/ },
  { name: 'an empty permission name', props: withProp('Permissions', ['']), field: /Permissions\[0\]: received ""/, fix: /expected 1\.\.128 characters/ },
  { name: 'an empty SecurityProfileName', props: withProp('SecurityProfileName', ''), field: /SecurityProfileName: received ""/, fix: /this property is required/ },
  { name: 'no SecurityProfileName', props: without('SecurityProfileName'), field: /SecurityProfileName: received nothing/, fix: /this property is required/ },
  { name: 'a SecurityProfileName with "/"', props: withProp('SecurityProfileName', 'BPO/A'), field: /SecurityProfileName: received "BPO\/A"/, fix: /letters, digits, space, "_", "@" and "-"/ },
  { name: 'a SecurityProfileName of 128 characters', props: withProp('SecurityProfileName', 'n'.repeat(128)), field: /SecurityProfileName/, fix: /1\.\.127 characters/ },
  { name: 'an instance id where the ARN is expected', props: withProp('InstanceArn', 'aaaabbbb-cccc-dddd-eeee-ffff00001111'), field: /InstanceArn: received "aaaabbbb/, fix: /expected an instance ARN like arn:aws:connect/ },
  { name: 'no InstanceArn', props: without('InstanceArn'), field: /InstanceArn: received nothing/, fix: /this property is required/ },
  { name: 'a Description over 250 characters', props: withProp('Description', 'd'.repeat(251)), field: /Description: received "ddd/, fix: /at most 250 characters/ },
  { name: 'an unknown RemovalPolicy', props: withProp('RemovalPolicy', 'Destroy'), field: /RemovalPolicy: received "Destroy"/, fix: /allowed: Delete, Retain/ },
  { name: 'an unknown DriftMode', props: withProp('DriftMode', 'ON'), field: /DriftMode: received "ON"/, fix: /allowed: REMEDIATE, DETECT_ONLY, DISABLED/ },
  { name: 'AdoptExisting "yes"', props: withProp('AdoptExisting', 'yes'), field: /AdoptExisting: received "yes"/, fix: /expected "true" or "false"/ },
  { name: 'a ContractVersion from a newer construct', props: withProp('ContractVersion', '99'), field: /ContractVersion: received "99"/, fix: /deploy the handler that came with the construct/ },
  { name: 'an unknown HierarchyRestrictedResources entry', props: withProp('HierarchyRestrictedResources', ['Queue']), field: /HierarchyRestrictedResources\[0\]: received "Queue"/, fix: /allowed: User/ },
  { name: 'a string for HierarchyRestrictedResources', props: withProp('HierarchyRestrictedResources', 'User'), field: /HierarchyRestrictedResources: received "User"/, fix: /expected a list/ },
  { name: 'a hierarchy group ARN where its id is expected', props: withProp('AllowedAccessControlHierarchyGroupId', 'arn:aws:connect:us-east-1:123456789012:instance/aaaabbbb-cccc-dddd-eeee-ffff00001111/agent-group/1'), field: /AllowedAccessControlHierarchyGroupId: received "arn:/, fix: /expected a hierarchy group id, not an ARN/ },
  { name: 'Tags as a list of strings', props: withProp('Tags', ['team']), field: /Tags\[0\]: received "team"/, fix: /expected an object/ },
  { name: 'a tag key with the reserved aws: prefix', props: withProp('Tags', { 'aws:team': 'x' }), field: /Tags\.aws:team/, fix: /must not start with "aws:"/ },
  { name: 'the owner tag key in Tags', props: withProp('Tags', { 'cdk-connect-security-profiles:owner': 'x' }), field: /Tags\.cdk-connect-security-profiles:owner/, fix: /reserved for the owner mark; remove it/ },
  { name: '5 AllowedAccessControlTags', props: withProp('AllowedAccessControlTags', { a: '1', b: '2', c: '3', d: '4', e: '5' }), field: /AllowedAccessControlTags: received "5 entries"/, fix: /expected at most 4/ },
  { name: 'Applications as an object', props: withProp('Applications', { Namespace: 'crm' }), field: /Applications: received \{"Namespace":"crm"\}/, fix: /expected a list/ },
  { name: 'an application without a Namespace', props: withProp('Applications', [{ ApplicationPermissions: ['ACCESS'] }]), field: /Applications\[0\]\.Namespace: received nothing/, fix: /expected a string/ },
  { name: 'an unknown application Type', props: withProp('Applications', [{ Namespace: 'crm', ApplicationPermissions: ['ACCESS'], Type: 'SAAS' }]), field: /Applications\[0\]\.Type: received "SAAS"/, fix: /allowed: MCP, THIRD_PARTY_APPLICATION/ },
  { name: 'an application without permissions', props: withProp('Applications', [{ Namespace: 'crm', ApplicationPermissions: [] }]), field: /Applications\[0\]\.ApplicationPermissions/, fix: /expected 1\.\.50 permissions/ },
  { name: 'an unknown flow module Type', props: withProp('AllowedFlowModules', [{ Type: 'LAMBDA', FlowModuleId: 'm-1' }]), field: /AllowedFlowModules\[0\]\.Type: received "LAMBDA"/, fix: /allowed: MCP/ },
  { name: 'an unknown AI agent Type', props: withProp('AllowedAIAgents', [{ Arn: 'arn:aws:wisdom:us-east-1:123456789012:ai-agent/x', Type: 'FIRST_PARTY' }]), field: /AllowedAIAgents\[0\]\.Type: received "FIRST_PARTY"/, fix: /allowed: THIRD_PARTY/ },
  {
    name: 'an unknown granular AccessType',
    props: withProp('GranularAccessControlConfiguration', {
      DataTableAccessControlConfiguration: { PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'DENY', AttributeName: 'queue', Values: ['a'] }] } },
    }),
    field: /PrimaryAttributeValues\[0\]\.AccessType: received "DENY"/,
    fix: /allowed: ALLOW/,
  },
];

describe('deploy-time properties the handler rejects', () => {
  test.each(PROPERTY_CASES.map((c) => [c.name, c] as const))('Create with %s fails naming the field and the fix, and creates nothing', async (_name, c) => {
    const name = `Bad-${++nameSeq}`;
    const before = emulator.listSecurityProfilesIn(instance.instanceId).length;

    const message = await failureOf(event('Create', c.props(valid(name))));

    expect(message).toMatch(/^create security profile "[^"]*" in instance /);
    expect(message).toMatch(c.field);
    expect(message).toMatch(c.fix);
    expect(message).toMatch(/Fix the property in the template and deploy again/);
    expect(emulator.listSecurityProfilesIn(instance.instanceId)).toHaveLength(before);
  });

  test('an Update with a bad property fails before any write: the live profile is unchanged', async () => {
    // GIVEN a deployed profile
    const props = { ...valid('Bad-Update'), Description: 'deployed', Tags: { team: 'cx' } };
    const created = await handleEvent(event('Create', props), deps());
    const profileId = created.Data!.SecurityProfileId;
    const liveBefore = await readLiveProfile(reader, instance.instanceId, profileId);
    emulator.clearRequestLog();

    // WHEN an update changes the description and breaks Permissions (a string for a list)
    const message = await failureOf(event('Update', { ...props, Description: 'changed', Permissions: 'Users.View' }, created.PhysicalResourceId, props));

    // THEN it names the field, and no write reached Connect
    expect(message).toMatch(/^update security profile "Bad-Update" in instance .*Permissions: received "Users.View"; expected a list/);
    expect(emulator.requestLog.filter((r) => !/^(Describe|List)/.test(r.operation))).toEqual([]);
    expect(await readLiveProfile(reader, instance.instanceId, profileId)).toEqual(liveBefore);
  });

  test('a Delete whose properties no longer validate still deletes (old templates must not block a delete)', async () => {
    const props = valid('Bad-Delete');
    const created = await handleEvent(event('Create', props), deps());

    await handleEvent(event('Delete', { ...props, Permissions: 'not-a-list', RemovalPolicy: 'delete' }, created.PhysicalResourceId), deps());

    expect(emulator.listSecurityProfilesIn(instance.instanceId).some((p) => p.name === 'Bad-Delete')).toBe(false);
  });
});

describe("Connect's own rejections surface through the handler with Connect's message kept", () => {
  test('a hierarchy group id from another instance', async () => {
    const message = await failureOf(event('Create', {
      ...valid('Cross-Instance-Group'), HierarchyRestrictedResources: ['User'], AllowedAccessControlHierarchyGroupId: groupOfOtherInstance,
    }));

    expect(message).toMatch(new RegExp(`^create security profile "Cross-Instance-Group" in instance ${instance.instanceId}: CreateSecurityProfile failed: ResourceNotFoundException`));
    expect(message).toMatch(/AllowedAccessControlHierarchyGroupId: .*create the group first or pass an existing group id/);
    expect(emulator.listSecurityProfilesIn(instance.instanceId).some((p) => p.name === 'Cross-Instance-Group')).toBe(false);
  });

  test('an instance that does not exist (an id from another account or a deleted instance)', async () => {
    const missing = 'arn:aws:connect:us-east-1:123456789012:instance/00000000-dead-4000-8000-000000000000';
    const message = await failureOf(event('Create', { ...valid('Missing-Instance'), InstanceArn: missing }));

    expect(message).toMatch(/^create security profile "Missing-Instance" in instance 00000000-dead-4000-8000-000000000000: CreateSecurityProfile failed: ResourceNotFoundException/);
    expect(message).toMatch(/was not found; pass the id or ARN of an existing Connect instance/);
  });

  test('a third-party application with a permission other than ACCESS', async () => {
    const message = await failureOf(event('Create', {
      ...valid('Third-Party-App'), Applications: [{ Namespace: 'crm', ApplicationPermissions: ['ACCESS', 'WRITE'], Type: 'THIRD_PARTY_APPLICATION' }],
    }));

    expect(message).toMatch(/CreateSecurityProfile failed: InvalidParameterException: Applications: third-party application 'crm' has permissions \["WRITE"\]; only ACCESS is supported/);
    expect(emulator.listSecurityProfilesIn(instance.instanceId).some((p) => p.name === 'Third-Party-App')).toBe(false);
  });

  test('an update to a hierarchy group of another instance leaves the live profile as it was', async () => {
    const props = { ...valid('Update-Cross-Group'), HierarchyRestrictedResources: ['User'] };
    const created = await handleEvent(event('Create', props), deps());
    const before = await readLiveProfile(reader, instance.instanceId, created.Data!.SecurityProfileId);

    const message = await failureOf(event('Update', { ...props, AllowedAccessControlHierarchyGroupId: groupOfOtherInstance }, created.PhysicalResourceId, props));

    expect(message).toMatch(/^update security profile "Update-Cross-Group" in instance .*UpdateSecurityProfile failed: ResourceNotFoundException: AllowedAccessControlHierarchyGroupId/);
    expect(await readLiveProfile(reader, instance.instanceId, created.Data!.SecurityProfileId)).toEqual(before);
  });

  test('a same-named profile someone else owns: refused, named, with how to adopt or import it', async () => {
    const theirs = await reader.send(new CreateSecurityProfileCommand({ InstanceId: instance.instanceId, SecurityProfileName: 'Someone-Elses', Permissions: ['Users.View'] }));

    const message = await failureOf(event('Create', valid('Someone-Elses')));

    expect(message).toMatch(/^create security profile "Someone-Elses" in instance .*already exists/);
    expect(message).toContain(theirs.SecurityProfileArn!);
    expect(message).toMatch(/adoptExisting: true/);
    expect(message).toMatch(/SecurityProfile.fromSecurityProfileArn/);
    const live = await readLiveProfile(reader, instance.instanceId, theirs.SecurityProfileId!);
    expect(live.Permissions).toEqual(['Users.View']);
  });

  test('a delete of a profile still assigned to users names them and says what to do', async () => {
    const props = valid('In-Use');
    const created = await handleEvent(event('Create', props), deps());
    emulator.seedUser(instance.instanceId, { username: 'agent.alice', securityProfileIds: [created.Data!.SecurityProfileId] });
    emulator.seedUser(instance.instanceId, { username: 'agent.bob', securityProfileIds: [created.Data!.SecurityProfileId] });

    const message = await failureOf(event('Delete', props, created.PhysicalResourceId));

    expect(message).toMatch(/^delete security profile "In-Use" in instance .*still assigned to 2 user\(s\): agent\.(alice|bob), agent\.(alice|bob)/);
    expect(message).toMatch(/Assign those users other security profiles/);
    expect(emulator.listSecurityProfilesIn(instance.instanceId).some((p) => p.name === 'In-Use')).toBe(true);
  });
});

describe('a name another resource of the same stack holds', () => {
  // When the owner is another resource of the SAME stack (a swap of two profiles' names, or a rename onto a
  // sibling's name), advising `adoptExisting: true` would make two resources manage one profile, and
  // CloudFormation's cleanup Delete of the replaced ids would delete live profiles: the sibling is named instead.
  test('renaming onto a sibling\'s name names the sibling and does not advise adoptExisting', async () => {
    const sibling = { ...valid('Sibling-Owned'), Permissions: ['Users.View'] };
    const mine = valid('Mine-Before-Rename');
    const siblingEvent = { ...event('Create', sibling), LogicalResourceId: 'SiblingProfile' } as CloudFormationCustomResourceEvent;
    await handleEvent(siblingEvent, deps());
    const created = await handleEvent(event('Create', mine), deps());

    const message = await failureOf(event('Update', { ...mine, SecurityProfileName: 'Sibling-Owned' }, created.PhysicalResourceId, mine));

    expect(message).toMatch(/held by another resource of this stack \(SiblingProfile: arn:aws:connect:/);
    expect(message).toMatch(/deploy twice: first rename SiblingProfile's profile to a free name/);
    expect(message).not.toMatch(/adoptExisting/);
  });
});
