import { App, CfnElement, CfnParameter, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ownerMark } from '../../lambda/owner';
import { DriftReconciliation, HierarchyAccessControl, Instance, SecurityProfile, SecurityProfileProps } from '../../src';
import { ENV, OWNER_TAG_KEY, RESOURCE_TYPE } from '../../src/private/contract';
import { HANDLER_TABLE_ACTIONS, RECONCILER_WRITE_ACTIONS } from '../../src/private/drift-resources';
import { DESIRED_STATE_TABLE_ARN, reconcilerStatements } from '../support/templates';

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
const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');

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
    // single-flight comes from leases in the table: an account at the default concurrency quota can deploy it
    template.hasResourceProperties('AWS::Lambda::Function', { ...reconciler, ReservedConcurrentExecutions: Match.absent(), Timeout: 900 });
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
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('DriftReconcilerRole') }],
      PolicyDocument: { Statement: Match.arrayWith(reconcilerStatements([INSTANCE_ARN, OTHER_INSTANCE_ARN], ['Stack'])) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('HandlerRole') }],
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: HANDLER_TABLE_ACTIONS, Resource: DESIRED_STATE_TABLE_ARN }]) },
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

describe('the reconciler writes only to profiles whose owner tag names this stack', () => {
  /** The owner-tag patterns of the reconciler's repair statement, resolved as the template renders them. */
  function ownerPatterns(s: Stack): unknown[] {
    const policy = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'))
      .find((p) => JSON.stringify(p.Properties.Roles).includes('DriftReconcilerRole'));
    const statement = policy!.Properties.PolicyDocument.Statement
      .find((st: { Condition?: unknown }) => st.Condition !== undefined);
    expect(statement.Action).toEqual(RECONCILER_WRITE_ACTIONS);
    return statement.Condition.StringLike[`aws:ResourceTag/${OWNER_TAG_KEY}`];
  }

  test('a top-level stack: its name', () => {
    const s = stack();
    profile(s, 'Agents');
    expect(ownerPatterns(s)).toEqual(['Stack/*']);
  });

  test('a top-level stack named like a nested one: its name, and the scope the handler derives from it', () => {
    const s = new Stack(new App(), 'Contact-Center-KII6J4RJ34EG', { env: { account: '111122223333', region: 'eu-west-2' } });
    profile(s, 'Agents');
    expect(ownerPatterns(s)).toEqual(['Contact-Center-KII6J4RJ34EG/*', 'Contact-Center/*']);
  });

  test('a nested stack: its name, and the parent name and logical id without the random suffix, old suffixes too', () => {
    // GIVEN
    const root = stack();
    const nested = new NestedStack(root, 'Profiles');

    // WHEN
    profile(nested, 'Agents');

    // THEN
    const logicalId = root.getLogicalId(nested.nestedStackResource as CfnElement);
    expect(ownerPatterns(nested)).toEqual([
      { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '/*']] },
      `Stack-${logicalId}/*`,
      `Stack-${logicalId}-*/*`,
    ]);
  });

  test('the patterns match the marks the handler writes, old and new, and no other stack\'s', () => {
    // GIVEN a nested stack as CloudFormation names it, the patterns as IAM sees them at deploy time
    const root = stack();
    const nested = new NestedStack(root, 'Profiles');
    profile(nested, 'Agents');
    const logicalId = root.getLogicalId(nested.nestedStackResource as CfnElement);
    const nestedName = `Stack-${logicalId}-1G2D70WWWAQHW`;
    const patterns = ownerPatterns(nested).map((p) => (typeof p === 'string' ? p : `${nestedName}/*`));
    const stackId = (name: string) => `arn:aws:cloudformation:eu-west-2:111122223333:stack/${name}/uuid`;
    const allowed = (mark: string) => patterns.some((p) => new RegExp(`^${p.split('*').map(escape).join('.*')}$`).test(mark));

    // THEN
    expect(allowed(ownerMark(stackId(nestedName), 'AgentsResource'))).toBe(true);
    expect(allowed(`${nestedName}/AgentsResource`)).toBe(true);
    expect(allowed(`Stack-${logicalId}-P82SEBEDKPYG/AgentsResource`)).toBe(true);
    expect(allowed('Stack/AgentsResource')).toBe(false);
    expect(allowed('OtherStack/AgentsResource')).toBe(false);
    expect(allowed('')).toBe(false);
  });

  test('a nested stack in a nested stack: the parent passes its own name in a parameter', () => {
    // GIVEN
    const root = stack();
    const middle = new NestedStack(root, 'Middle');
    const leaf = new NestedStack(middle, 'Leaf');

    // WHEN
    profile(leaf, 'Agents');

    // THEN
    const logicalId = middle.getLogicalId(leaf.nestedStackResource as CfnElement);
    const parameter = 'CdkConnectSecurityProfilesParentStackName';
    expect(ownerPatterns(leaf)).toEqual([
      { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '/*']] },
      { 'Fn::Join': ['', [{ Ref: parameter }, `-${logicalId}/*`]] },
      { 'Fn::Join': ['', [{ Ref: parameter }, `-${logicalId}-*/*`]] },
    ]);
    Template.fromStack(middle).hasResource('AWS::CloudFormation::Stack', {
      Properties: { Parameters: Match.objectLike({ [parameter]: { Ref: 'AWS::StackName' } }) },
    });
  });

  test('a detect-only stack has no repair statement at all', () => {
    const s = stack();
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.detectOnly() });
    const policy = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'))
      .find((p) => JSON.stringify(p.Properties.Roles).includes('DriftReconcilerRole'));
    const actions = policy!.Properties.PolicyDocument.Statement.flatMap((st: { Action: unknown }) => [].concat(st.Action as never));
    expect(actions).not.toContain('connect:UpdateSecurityProfile');
    expect(actions).not.toContain('connect:TagResource');
  });
});

describe('the change-event rule is scoped to the stack\'s instances', () => {
  test('instance ids and ARNs in InstanceId, the profile ARN prefix in resourceArn, in either casing', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ onChangeEvents: true }) });
    profile(s, 'Supervisors', {}, OTHER_INSTANCE_ARN);

    // THEN
    const ids = ['inst-1', INSTANCE_ARN, 'inst-2', OTHER_INSTANCE_ARN];
    const prefixes = [{ prefix: `${INSTANCE_ARN}/security-profile/` }, { prefix: `${OTHER_INSTANCE_ARN}/security-profile/` }];
    Template.fromStack(s).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        detail: {
          eventSource: ['connect.amazonaws.com'],
          eventName: ['UpdateSecurityProfile', 'TagResource', 'UntagResource', 'DeleteSecurityProfile'],
          $or: [
            { requestParameters: { InstanceId: ids } },
            { requestParameters: { instanceId: ids } },
            { requestParameters: { resourceArn: prefixes } },
            { requestParameters: { ResourceArn: prefixes } },
          ],
        },
      },
    });
  });

  test('an instance ARN token: the id is split from it at deploy time', () => {
    const s = stack();
    const arn = new CfnParameter(s, 'InstanceArn').valueAsString;
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ onChangeEvents: true }) }, arn);
    const rule = Object.values(Template.fromStack(s).findResources('AWS::Events::Rule'))[0];
    expect(rule.Properties.EventPattern.detail.$or[0]).toEqual({
      requestParameters: { InstanceId: [{ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'InstanceArn' }] }] }, { Ref: 'InstanceArn' }] },
    });
    expect(rule.Properties.EventPattern.detail.$or[2]).toEqual({
      requestParameters: { resourceArn: [{ prefix: { 'Fn::Join': ['', [{ Ref: 'InstanceArn' }, '/security-profile/']] } }] },
    });
  });
});
