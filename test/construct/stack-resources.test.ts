/**
 * What a stack with security profiles holds: the resources the library adds, under logical ids that are a
 * contract (a changed id replaces the resource: a new handler is harmless, a new desired-state table loses the
 * drift records, a new profile resource deletes and recreates the profile), and what each of them renders that
 * users rely on. The fields of the profiles are tested in security-profile.test.ts, drift in drift.test.ts.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HierarchyAccessControl, Instance, Permission, SecurityProfile, UserHierarchyGroup } from '../../src';
import { HANDLER_ENTRY, RESOURCE_TYPE } from '../../src/private/contract';

/** A BPO: supervisors restricted to one client's group, and team leads. */
function bpoStack(): Template {
  const stack = new Stack(new App(), 'Bpo', { env: { account: '111122223333', region: 'eu-west-2' } });
  const instance = Instance.fromInstanceId(stack, 'Instance', 'aaaabbbb-cccc-dddd-eeee-ffff00001111');
  const clientA = new UserHierarchyGroup(stack, 'ClientA', { instance, userHierarchyGroupName: 'Client A' });
  new SecurityProfile(stack, 'ClientASupervisors', {
    instance,
    securityProfileName: 'Client A supervisors',
    permissions: [Permission.USERS_VIEW, Permission.ACCESS_METRICS, Permission.BASIC_AGENT_ACCESS],
    hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(clientA),
    tags: { client: 'a' },
  });
  new SecurityProfile(stack, 'TeamLeads', { instance, securityProfileName: 'Team leads' });
  return Template.fromStack(stack);
}

describe('a stack with two profiles', () => {
  const template = bpoStack();

  test('holds these resources under these logical ids, and no others', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    const types = Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Type]));
    expect(types).toEqual({
      // the app's own
      ClientAB66F372D: 'AWS::Connect::UserHierarchyGroup',
      ClientASupervisorsB60F7BCE: RESOURCE_TYPE,
      TeamLeadsD05FCC1A: RESOURCE_TYPE,
      // the handler and its Provider framework
      CdkConnectSecurityProfilesProviderHandlerEE827E43: 'AWS::Lambda::Function',
      CdkConnectSecurityProfilesProviderHandlerLogsB08EC37B: 'AWS::Logs::LogGroup',
      CdkConnectSecurityProfilesProviderHandlerRole6C2A35AB: 'AWS::IAM::Role',
      CdkConnectSecurityProfilesProviderHandlerRoleDefaultPolicy3B4F4FFA: 'AWS::IAM::Policy',
      CdkConnectSecurityProfilesProviderFrameworkLogs08FFF9A3: 'AWS::Logs::LogGroup',
      CdkConnectSecurityProfilesProviderFrameworkframeworkonEvent4B0DC8DF: 'AWS::Lambda::Function',
      CdkConnectSecurityProfilesProviderFrameworkframeworkonEventServiceRoleDB38498A: 'AWS::IAM::Role',
      CdkConnectSecurityProfilesProviderFrameworkframeworkonEventServiceRoleDefaultPolicy596D1A37: 'AWS::IAM::Policy',
      // drift reconciliation, on by default
      CdkConnectSecurityProfilesProviderDriftDesiredState5DE2D02C: 'AWS::DynamoDB::Table',
      CdkConnectSecurityProfilesProviderDriftReconciler1CD25341: 'AWS::Lambda::Function',
      CdkConnectSecurityProfilesProviderDriftReconcilerLogsDE94C615: 'AWS::Logs::LogGroup',
      CdkConnectSecurityProfilesProviderDriftReconcilerRole312E488B: 'AWS::IAM::Role',
      CdkConnectSecurityProfilesProviderDriftReconcilerRoleDefaultPolicy1DEA0533: 'AWS::IAM::Policy',
      CdkConnectSecurityProfilesProviderDriftSchedule43B96928: 'AWS::Scheduler::Schedule',
      CdkConnectSecurityProfilesProviderDriftScheduleRole7F3836D4: 'AWS::IAM::Role',
      CdkConnectSecurityProfilesProviderDriftScheduleRoleDefaultPolicy9F4181B6: 'AWS::IAM::Policy',
    });
  });

  test('both profiles are served by the one provider', () => {
    const profiles = Object.values(template.findResources(RESOURCE_TYPE));
    expect(profiles).toHaveLength(2);
    const tokens = profiles.map((p) => JSON.stringify(p.Properties.ServiceToken));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/CdkConnectSecurityProfilesProviderFrameworkframeworkonEvent/);
  });

  test('the handler and the reconciler: the bundled asset on Node.js 22, arm64, within their time limits', () => {
    const ours = { Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256, Code: { S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') } };
    template.hasResourceProperties('AWS::Lambda::Function', { ...ours, Handler: HANDLER_ENTRY.onEvent, Timeout: 600 });
    template.hasResourceProperties('AWS::Lambda::Function', { ...ours, Handler: HANDLER_ENTRY.reconcile, Timeout: 900 });
  });

  test('every log group keeps a month', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('the desired-state table: on demand, keyed by pk, encrypted, with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  test('the sweep runs hourly', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
  });
});
