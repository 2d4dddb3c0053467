import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AssignmentMetricName, DriftReconciliation, HierarchyGroupMatchType, Instance, Permission, SecurityProfile, SecurityProfileAssignment,
  StringComparisonType, UserAttributeFilter, UserHierarchyGroup, UserSearchCriteria, UserSearchField, UserSelection,
} from '../../src';
import {
  ASSIGNMENT_HANDLER_ACTIONS, ASSIGNMENT_METRIC, ASSIGNMENT_RECONCILER_READ_ACTIONS, ASSIGNMENT_RECONCILER_WRITE_ACTIONS, ASSIGNMENT_RESOURCE_TYPE,
} from '../../src/private/assignment-contract';
import { RESOURCE_TYPE } from '../../src/private/contract';
import { RECONCILER_ACTIONS } from '../../src/private/drift-resources';
import { GROUP_LOOKUP_ACTIONS, HANDLER_ACTIONS } from '../../src/private/provider';

const INSTANCE_ID = 'aaaabbbb-cccc-dddd-eeee-ffff00001111';
const AGENT = 'arn:aws:wisdom:eu-west-2:111122223333:ai-agent/11111111-2222-4333-8444-555555555555/00000000-0000-4000-8000-000000000001';

function setup() {
  const stack = new Stack(new App(), 'Holders', { env: { account: '111122223333', region: 'eu-west-2' } });
  const instance = Instance.fromInstanceId(stack, 'Instance', INSTANCE_ID);
  const bpoA = new UserHierarchyGroup(stack, 'BpoA', { instance, userHierarchyGroupName: 'BPO-A' });
  const profile = new SecurityProfile(stack, 'Supervisors', { instance, securityProfileName: 'Supervisors', permissions: [Permission.USERS_VIEW] });
  return { stack, instance, bpoA, profile };
}

/** The Connect actions granted to a role (by the logical id prefix of the role). */
function connectActions(stack: Stack, role: string): string[] {
  const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .find((p) => JSON.stringify(p.Properties.Roles).includes(role));
  return policy!.Properties.PolicyDocument.Statement
    .flatMap((st: { Action: string | string[] }) => [].concat(st.Action as never))
    .filter((a: string) => a.startsWith('connect:'))
    .filter((a: string, i: number, all: string[]) => all.indexOf(a) === i).sort();
}

describe('SecurityProfileAssignment', () => {
  test('assignTo renders the holders: the filter and criteria as SearchUsers takes them, the profile id, the valve and detect-only by default', () => {
    // GIVEN
    const { stack, bpoA, profile } = setup();

    // WHEN
    profile.assignTo('Holders', {
      users: UserSelection.matching(
        UserAttributeFilter.allOf(UserAttributeFilter.hierarchyGroup(bpoA, HierarchyGroupMatchType.WITH_CHILD_GROUPS), UserAttributeFilter.tag('role', 'supervisor')),
        UserSearchCriteria.stringCondition(UserSearchField.USERNAME, StringComparisonType.STARTS_WITH, 'sup-'),
      ),
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(ASSIGNMENT_RESOURCE_TYPE, 1);
    template.hasResourceProperties(ASSIGNMENT_RESOURCE_TYPE, {
      ContractVersion: '1',
      InstanceArn: Match.anyValue(),
      SecurityProfileId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Supervisors'), 'SecurityProfileId'] },
      UserAttributeFilter: {
        AndCondition: {
          TagConditions: [{ TagKey: 'role', TagValue: 'supervisor' }],
          HierarchyGroupCondition: { Value: Match.anyValue(), HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' },
        },
      },
      UserSearchCriteria: { StringCondition: { FieldName: 'Username', Value: 'sup-', ComparisonType: 'STARTS_WITH' } },
      Usernames: Match.absent(),
      AIAgentArns: Match.absent(),
      MaxChangesPerRun: '10',
      DriftMode: 'DETECT_ONLY',
    });
    // one provider serves both resource types
    template.resourceCountIs('AWS::Lambda::Function', Object.keys(template.findResources('AWS::Lambda::Function')).length);
    const tokens = new Set(Object.values<any>(template.toJSON().Resources)
      .filter((r) => r.Type === ASSIGNMENT_RESOURCE_TYPE || r.Type === RESOURCE_TYPE).map((r) => JSON.stringify(r.Properties.ServiceToken)));
    expect(tokens.size).toBe(1);
  });

  test('by username with AI agents, a raised valve and remediation', () => {
    const { stack, profile } = setup();
    new SecurityProfileAssignment(stack, 'Named', {
      securityProfile: profile,
      users: UserSelection.usernames(['ann', 'bob']),
      aiAgentArns: [AGENT],
      maxChangesPerRun: 50,
      driftReconciliation: DriftReconciliation.remediate(),
    });
    Template.fromStack(stack).hasResourceProperties(ASSIGNMENT_RESOURCE_TYPE, {
      Usernames: ['ann', 'bob'], AIAgentArns: [AGENT], MaxChangesPerRun: '50', DriftMode: 'REMEDIATE', UserAttributeFilter: Match.absent(),
    });
  });

  test('an imported profile can be assigned; the stack then has the desired-state table even with drift off', () => {
    const stack = new Stack(new App(), 'Imported', { env: { account: '111122223333', region: 'eu-west-2' } });
    const profile = SecurityProfile.fromSecurityProfileArn(stack, 'Agent',
      `arn:aws:connect:eu-west-2:111122223333:instance/${INSTANCE_ID}/security-profile/5a1b2c3d-0000-4000-8000-000000000000`);
    profile.assignTo('Holders', { users: UserSelection.usernames(['ann']), driftReconciliation: DriftReconciliation.disabled() });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ASSIGNMENT_RESOURCE_TYPE, { SecurityProfileId: '5a1b2c3d-0000-4000-8000-000000000000', DriftMode: 'DISABLED' });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    // the reconciler may read but not write holders: nothing of the stack remediates
    expect(connectActions(stack, 'ReconcilerRole')).toEqual(expect.arrayContaining(ASSIGNMENT_RECONCILER_READ_ACTIONS));
    for (const write of ASSIGNMENT_RECONCILER_WRITE_ACTIONS) expect(connectActions(stack, 'ReconcilerRole')).not.toContain(write);
  });

  test('IAM: the handler gets exactly the profile actions plus the assignment actions, on the instance, its users and its profiles', () => {
    const { stack, profile } = setup();
    profile.assignTo('Holders', { users: UserSelection.usernames(['ann']), driftReconciliation: DriftReconciliation.remediate() });
    expect(connectActions(stack, 'HandlerRole')).toEqual([...new Set([...HANDLER_ACTIONS, ...ASSIGNMENT_HANDLER_ACTIONS])].sort());
    expect(connectActions(stack, 'ReconcilerRole')).toEqual(
      [...new Set([...RECONCILER_ACTIONS, ...ASSIGNMENT_RECONCILER_READ_ACTIONS, ...ASSIGNMENT_RECONCILER_WRITE_ACTIONS])].sort());
    const statement = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>)
      .find((s) => JSON.stringify(s.Action).includes('connect:UpdateUserSecurityProfiles'))!;
    const resources = JSON.stringify(statement.Resource);
    expect(resources).toContain(`instance/${INSTANCE_ID}/agent/*`);
    expect(resources).toContain(`instance/${INSTANCE_ID}/security-profile/*`);
    expect(resources).not.toMatch(/"\*"/);
  });

  test('every assignment action the gateway sends is granted to the handler (the gateway and IAM stay in step)', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'lambda', 'connect-api.ts'), 'utf8');
    const used = new Set([...source.matchAll(/\b([A-Z][A-Za-z]+)Command\b/g)].map((m) => `connect:${m[1]}`));
    const known = new Set([...HANDLER_ACTIONS, ...RECONCILER_ACTIONS, ...GROUP_LOOKUP_ACTIONS, ...ASSIGNMENT_HANDLER_ACTIONS]);
    expect([...known].sort()).toEqual([...used].sort());
  });

  test('the metrics and the alarm name what the reconciler publishes, with the stack and profile dimensions', () => {
    const { stack, profile } = setup();
    const assignment = profile.assignTo('Holders', { users: UserSelection.usernames(['ann']) });
    expect(Object.values(AssignmentMetricName).sort()).toEqual(Object.values(ASSIGNMENT_METRIC).sort());
    const metric = assignment.metricAssignmentDrift();
    expect(metric.metricName).toBe('AssignmentDrift');
    expect(metric.namespace).toBe('CdkConnectSecurityProfiles');
    expect(stack.resolve(metric.dimensions)).toEqual({
      service: 'Holders', SecurityProfileId: { 'Fn::GetAtt': [stack.getLogicalId(profile.node.findChild('Resource').node.defaultChild as never), 'SecurityProfileId'] },
    });
    assignment.createAlarm(stack, 'Held');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AssignmentChangesHeld', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
  });

  test.each([
    ['neither users nor agents', {}, /set `users` \(UserSelection.matching or UserSelection.usernames\), `aiAgentArns`, or both/],
    ['an empty list of agents and no users', { aiAgentArns: [] }, /set `users`/],
    ['a valve of 0', { users: UserSelection.usernames(['a']), maxChangesPerRun: 0 }, /`maxChangesPerRun` must be a whole number of at least 1, got 0/],
    ['a valve of 2.5', { users: UserSelection.usernames(['a']), maxChangesPerRun: 2.5 }, /got 2\.5/],
    ['an agent ARN that is not one', { aiAgentArns: ['arn:aws:connect:eu-west-2:111122223333:instance/x'] }, /`aiAgentArns` has 'arn:aws:connect.*not an AI agent ARN/],
  ])('fails for %s', (_name, options, message) => {
    const { profile } = setup();
    expect(() => profile.assignTo('Holders', options)).toThrow(message);
  });

  test('the boundary: a valve of 1 and a single agent pass', () => {
    const { profile } = setup();
    expect(() => profile.assignTo('Holders', { aiAgentArns: [AGENT], maxChangesPerRun: 1 })).not.toThrow();
  });

  test('fails for an empty username list and an over-long username', () => {
    expect(() => UserSelection.usernames([])).toThrow(/needs at least one username/);
    expect(() => UserSelection.usernames(['x'.repeat(101)])).toThrow(/a username is 1 to 100 characters/);
  });

  test('cdk-nag: a stack with assignments has no unacknowledged finding', () => {
    const { stack, bpoA, profile } = setup();
    profile.assignTo('Holders', {
      users: UserSelection.matching(UserAttributeFilter.hierarchyGroup(bpoA, HierarchyGroupMatchType.EXACT)),
      aiAgentArns: [AGENT],
      driftReconciliation: DriftReconciliation.remediate(),
    });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => `${r.constructPath}`).join(', ')}`)).toEqual([]);
  });
});
