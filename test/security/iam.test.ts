/**
 * Least privilege, read from the synthesized templates: Connect actions only on the instance ARNs the
 * stack uses and their `security-profile/*` and `agent-group/*` children, never `*`; nothing broader
 * than the feature needs; and, run against the emulator, every call the handler really makes is
 * allowed by that policy (a policy too narrow fails in production exactly like one too broad is a risk).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ConnectApi } from '../../lambda/connect-api';
import { handleEvent } from '../../lambda/on-event';
import { TokenBucket } from '../../lambda/rate-limiter';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import {
  HierarchyAccessControl,
  Instance,
  Permission,
  SecurityProfile,
  TagAccessControl,
  TagRestrictedResource,
  UserHierarchyGroup,
} from '../../src';
import { RESOURCE_TYPE } from '../../src/private/contract';
import { TestLogger } from '../support/logger';
import { instanceScoped } from '../support/templates';


const ARN_A = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-aaaa-4000-8000-000000000001';
const ARN_B = 'arn:aws:connect:us-east-1:123456789012:instance/22222222-bbbb-4000-8000-000000000002';

/** One IAM statement of the template, with its actions and resources as JSON text when not literal. */
interface Statement {
  readonly policy: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
}

function statements(stack: Stack): Statement[] {
  const out: Statement[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(text);
  for (const [id, r] of Object.entries<any>(Template.fromStack(stack).toJSON().Resources)) {
    const docs: unknown[] = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') docs.push(r.Properties.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') for (const p of r.Properties.Policies ?? []) docs.push(p.PolicyDocument);
    for (const doc of docs as Array<{ Statement: any[] }>) {
      for (const s of doc.Statement) {
        out.push({ policy: id, effect: s.Effect, actions: list(s.Action), resources: list(s.Resource) });
      }
    }
  }
  return out;
}

function managedPolicies(stack: Stack): string[] {
  return Object.values<any>(Template.fromStack(stack).toJSON().Resources)
    .filter((r) => r.Type === 'AWS::IAM::Role')
    .flatMap((r) => (r.Properties.ManagedPolicyArns ?? []).map((a: unknown) => JSON.stringify(a)));
}

/** The Connect actions the library may need at all (handler, plus SearchUsers for in-use messages and scope reports). */
const CONNECT_ACTIONS_NEEDED = new Set([
  'connect:CreateSecurityProfile', 'connect:DescribeSecurityProfile', 'connect:UpdateSecurityProfile', 'connect:DeleteSecurityProfile',
  'connect:ListSecurityProfiles', 'connect:ListSecurityProfilePermissions', 'connect:ListSecurityProfileApplications',
  'connect:ListSecurityProfileFlowModules', 'connect:ListSecurityProfileAIAgents', 'connect:TagResource', 'connect:UntagResource',
  'connect:SearchUsers',
  // the reconciler only: is a missing profile's instance gone, does the access-control group still exist
  'connect:DescribeInstance', 'connect:DescribeUserHierarchyGroup',
]);

/** Non-Connect actions the provider may hold, and why. */
const OTHER_ACTIONS_ALLOWED = new Map<string, string>([
  ['logs:CreateLogStream', 'the handler writes its own log group'],
  ['logs:PutLogEvents', 'the handler writes its own log group'],
  ['lambda:InvokeFunction', 'the Provider framework invokes the handler'],
  ['lambda:GetFunction', 'the Provider framework waits for the handler to be active'],
  // drift reconciliation (on by default): the desired-state table of the stack only
  ['dynamodb:UpdateItem', 'the handler writes desired-state records; the reconciler writes check results'],
  ['dynamodb:DeleteItem', 'the handler removes the record of a deleted profile'],
  ['dynamodb:GetItem', 'the reconciler reads a record (change events) and the sweep cursor'],
  ['dynamodb:Scan', 'the reconciler walks the records in a sweep'],
  ['dynamodb:PutItem', 'the reconciler saves the sweep cursor'],
]);

function stackWith(build: (stack: Stack) => void): Stack {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  build(stack);
  return stack;
}

const FEATURES: Array<[string, (stack: Stack) => void, string[]]> = [
  ['one plain profile', (s) => {
    new SecurityProfile(s, 'P', { instance: Instance.fromInstanceArn(s, 'A', ARN_A), securityProfileName: 'Agents', permissions: [Permission.of('BasicAgentAccess')] });
  }, [ARN_A]],
  ['hierarchy restriction to a group, tag restriction, two instances', (s) => {
    const a = Instance.fromInstanceArn(s, 'A', ARN_A);
    const b = Instance.fromInstanceArn(s, 'B', ARN_B);
    new SecurityProfile(s, 'Supervisors', {
      instance: a,
      securityProfileName: 'Supervisors',
      hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(UserHierarchyGroup.fromUserHierarchyGroupId(s, 'G', a, 'g-1')),
    });
    new SecurityProfile(s, 'Agents', {
      instance: b,
      securityProfileName: 'Agents',
      tagAccessControl: TagAccessControl.restrictToTagged({ Department: 'Sales' }, [TagRestrictedResource.USER]),
      hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup(),
    });
  }, [ARN_A, ARN_B]],
];

describe('the synthesized IAM policies', () => {
  test.each(FEATURES)('%s: Connect actions only on the instances used and their children, never *', (_name, build, instances) => {
    const stack = stackWith(build);
    const all = statements(stack);
    const connect = all.filter((s) => s.actions.some((a) => a.startsWith('connect:') || a === '*'));
    expect(connect.length).toBeGreaterThan(0);
    const allowedResources = new Set(instanceScoped(instances, 'security-profile', 'agent-group'));
    for (const s of connect) {
      expect(s.effect).toBe('Allow');
      for (const action of s.actions) {
        expect({ action, needed: CONNECT_ACTIONS_NEEDED.has(action) }).toEqual({ action, needed: true });
      }
      for (const resource of s.resources) {
        expect({ resource, allowed: allowedResources.has(resource) }).toEqual({ resource, allowed: true });
      }
    }
    // every instance used is granted, no other
    const granted = new Set(connect.flatMap((s) => s.resources));
    for (const arn of instances) expect(granted.has(arn)).toBe(true);
  });

  test.each(FEATURES)('%s: nothing broader than the feature needs', (_name, build) => {
    const stack = stackWith(build);
    for (const s of statements(stack)) {
      for (const action of s.actions) {
        expect(action).not.toMatch(/\*/);
        if (!action.startsWith('connect:')) {
          expect({ action, allowed: OTHER_ACTIONS_ALLOWED.has(action) }).toEqual({ action, allowed: true });
        }
      }
      for (const resource of s.resources) expect(resource).not.toBe('*');
    }
    // the only managed policy is the one the Provider framework gives its own function (acknowledged for cdk-nag)
    expect(managedPolicies(stack).every((p) => p.includes('service-role/AWSLambdaBasicExecutionRole'))).toBe(true);
  });

  test('an instance referenced by id (tokens) is still scoped to that instance, never *', () => {
    const stack = stackWith((s) => {
      new SecurityProfile(s, 'P', { instance: Instance.fromInstanceId(s, 'I', '33333333-cccc-4000-8000-000000000003'), securityProfileName: 'Agents' });
    });
    const connect = statements(stack).filter((s) => s.actions.some((a) => a.startsWith('connect:')));
    for (const resource of connect.flatMap((s) => s.resources)) {
      expect(resource).toContain('instance/33333333-cccc-4000-8000-000000000003');
    }
  });
});

describe('every Connect call the handler makes is allowed by the synthesized policy', () => {
  let emulator: ConnectEmulator;

  beforeAll(async () => {
    emulator = await startConnectEmulator();
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  /** `arn:...:instance/x/security-profile/*` matches `arn:...:instance/x/security-profile/id`. */
  function matches(pattern: string, arn: string): boolean {
    const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    return re.test(arn);
  }

  test('create with a hierarchy group, update, no-op update, delete in use, delete', async () => {
    // GIVEN a stack declaring profiles in an emulator instance, and its synthesized policy
    const { instanceArn, instanceId } = emulator.createInstance({ alias: 'iam' });
    const group = emulator.seedHierarchyGroup(instanceId, 'BPO-A');
    const stack = stackWith((s) => {
      const instance = Instance.fromInstanceArn(s, 'I', instanceArn);
      new SecurityProfile(s, 'P', {
        instance,
        securityProfileName: 'Supervisors',
        hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(UserHierarchyGroup.fromUserHierarchyGroupId(s, 'G', instance, group.id)),
      });
    });
    const connect = statements(stack).filter((s) => s.effect === 'Allow' && s.actions.some((a) => a.startsWith('connect:')));

    // WHEN the handler goes through a lifecycle
    const client = connectClientFor(emulator, { maxAttempts: 1 });
    const deps = {
      connect: new ConnectApi(client, { rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }) }),
      logger: new TestLogger(),
    };
    const props = {
      ContractVersion: '1',
      InstanceArn: instanceArn,
      SecurityProfileName: 'Supervisors',
      Permissions: ['Users.View'],
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: group.id,
      Tags: { team: 'a' },
    };
    const base = {
      ServiceToken: 'x',
      ResponseURL: 'https://example.invalid/r',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Iam/1',
      RequestId: 'r',
      LogicalResourceId: 'P',
      ResourceType: RESOURCE_TYPE,
    };
    const ev = (e: Record<string, unknown>) => ({ ...base, ...e }) as unknown as CloudFormationCustomResourceEvent;
    emulator.clearRequestLog();
    const created = await handleEvent(ev({ RequestType: 'Create', ResourceProperties: props }), deps);
    const updated = { ...props, Permissions: ['Users.Edit', 'Users.View'], Tags: { owner: 'b' } };
    await handleEvent(ev({ RequestType: 'Update', PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: updated, OldResourceProperties: props }), deps);
    await handleEvent(ev({ RequestType: 'Update', PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: { ...updated, AdoptExisting: 'false' }, OldResourceProperties: updated }), deps);
    emulator.seedUser(instanceId, { username: 'agent.iam', securityProfileIds: [created.Data!.SecurityProfileId] });
    await expect(handleEvent(ev({ RequestType: 'Delete', PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: updated }), deps)).rejects.toThrow(/agent\.iam/);
    client.destroy();

    // THEN every request is an action on a resource the policy allows
    const requests = emulator.requestLog.filter((r) => r.status !== 0);
    // the lifecycle did exercise every kind of call (so the check below covers them)
    const operations = new Set(requests.map((r) => r.operation));
    for (const op of ['CreateSecurityProfile', 'DescribeSecurityProfile', 'ListSecurityProfilePermissions', 'UpdateSecurityProfile',
      'TagResource', 'UntagResource', 'DeleteSecurityProfile', 'SearchUsers']) {
      expect({ op, called: operations.has(op) }).toEqual({ op, called: true });
    }
    const denied: string[] = [];
    for (const r of requests) {
      const input = r.input as Record<string, string>;
      const instance = input.InstanceId?.startsWith('arn:') ? input.InstanceId : `${instanceArn.slice(0, instanceArn.lastIndexOf('/') + 1)}${input.InstanceId}`;
      const targets = input.resourceArn ? [input.resourceArn]
        : input.SecurityProfileId ? [`${instance}/security-profile/${input.SecurityProfileId}`] : [instance];
      if (input.AllowedAccessControlHierarchyGroupId) targets.push(`${instance}/agent-group/${input.AllowedAccessControlHierarchyGroupId}`);
      const action = `connect:${r.operation}`;
      for (const target of targets) {
        const ok = connect.some((s) => s.actions.includes(action) && s.resources.some((p) => matches(p, target)));
        if (!ok) denied.push(`${action} on ${target}`);
      }
    }
    expect(denied).toEqual([]);
  });
});
