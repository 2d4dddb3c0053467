import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DriftReconciliation, HierarchyAccessControl, Instance, SecurityProfile, SecurityProfileProps } from '../../src';
import { ENV, RESOURCE_TYPE } from '../../src/private/contract';
import { HANDLER_TABLE_ACTIONS, RECONCILER_READ_ACTIONS, RECONCILER_TABLE_ACTIONS, RECONCILER_WRITE_ACTIONS } from '../../src/private/drift-resources';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';
const OTHER_INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-2';

function stack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-2' } });
}

function profile(s: Stack, id: string, props: Partial<SecurityProfileProps> = {}, instanceArn = INSTANCE_ARN): SecurityProfile {
  return new SecurityProfile(s, id, {
    instance: Instance.fromInstanceArn(s, `${id}Instance`, instanceArn),
    securityProfileName: id,
    ...props,
  });
}

const reconciler = { Handler: 'index.reconcile' };
const tableArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('DriftDesiredState'), 'Arn'] };

describe('drift reconciliation', () => {
  test('is on by default: remediate, hourly, without change events', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents');

    // THEN
    const template = Template.fromStack(s);
    template.hasResourceProperties(RESOURCE_TYPE, { DriftMode: 'REMEDIATE' });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', reconciler, 1);
    template.hasResourceProperties('AWS::Lambda::Function', { ...reconciler, ReservedConcurrentExecutions: 1, Timeout: 900 });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    });
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.onEvent',
      Environment: { Variables: { [ENV.desiredStateTable]: { Ref: Match.stringLikeRegexp('DriftDesiredState') } } },
    });
  });

  test('renders each profile\'s mode; the stack shares one table, reconciler and schedule at the most frequent interval', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.detectOnly({ schedule: Duration.hours(6) }) });
    profile(s, 'Supervisors', { driftReconciliation: DriftReconciliation.remediate({ schedule: Duration.minutes(20) }) }, OTHER_INSTANCE_ARN);
    profile(s, 'Leads', { driftReconciliation: DriftReconciliation.disabled() });

    // THEN
    const template = Template.fromStack(s);
    template.hasResourceProperties(RESOURCE_TYPE, { SecurityProfileName: 'Agents', DriftMode: 'DETECT_ONLY' });
    template.hasResourceProperties(RESOURCE_TYPE, { SecurityProfileName: 'Supervisors', DriftMode: 'REMEDIATE' });
    template.hasResourceProperties(RESOURCE_TYPE, { SecurityProfileName: 'Leads', DriftMode: 'DISABLED' });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', reconciler, 1);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(20 minutes)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
    });
  });

  test('a stack whose profiles all have drift disabled gets no table, reconciler or schedule', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.disabled() });

    // THEN
    const template = Template.fromStack(s);
    template.hasResourceProperties(RESOURCE_TYPE, { DriftMode: 'DISABLED' });
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', reconciler, 0);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.onEvent',
      Environment: { Variables: Match.not(Match.objectLike({ [ENV.desiredStateTable]: Match.anyValue() })) },
    });
  });

  test('one profile with change events adds one CloudTrail rule for the stack', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ onChangeEvents: true }) });
    profile(s, 'Supervisors', { driftReconciliation: DriftReconciliation.detectOnly({ onChangeEvents: true }) });

    // THEN
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.connect'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          eventSource: ['connect.amazonaws.com'],
          eventName: ['UpdateSecurityProfile', 'TagResource', 'UntagResource', 'DeleteSecurityProfile'],
        },
      },
    });
  });

  test('IAM: the reconciler reads and repairs profiles of every instance the stack uses; the handler writes records', () => {
    // GIVEN
    const s = stack();

    // WHEN: drift turned on by the second profile, after the first instance was added
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.disabled() });
    profile(s, 'Supervisors', {}, OTHER_INSTANCE_ARN);

    // THEN
    const template = Template.fromStack(s);
    const resources = [
      INSTANCE_ARN, `${INSTANCE_ARN}/security-profile/*`, `${INSTANCE_ARN}/agent-group/*`,
      OTHER_INSTANCE_ARN, `${OTHER_INSTANCE_ARN}/security-profile/*`, `${OTHER_INSTANCE_ARN}/agent-group/*`,
    ];
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('DriftReconcilerRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: RECONCILER_TABLE_ACTIONS, Resource: tableArn },
          { Effect: 'Allow', Action: RECONCILER_READ_ACTIONS, Resource: resources },
          { Effect: 'Allow', Action: RECONCILER_WRITE_ACTIONS, Resource: resources },
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('HandlerRole') }],
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: HANDLER_TABLE_ACTIONS, Resource: tableArn }]) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('DriftScheduleRole') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('DriftReconciler[0-9A-F]'), 'Arn'] },
        }],
      },
    });
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding with every drift feature on', () => {
    // GIVEN
    const s = stack();
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ schedule: Duration.minutes(15), onChangeEvents: true }) });
    profile(s, 'Leads', { hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup() }, OTHER_INSTANCE_ARN);

    // WHEN
    const report = new AwsSolutionsChecks().validateScope(s);

    // THEN
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
