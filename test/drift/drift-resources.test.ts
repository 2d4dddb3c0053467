/**
 * The provider's drift resources: table, reconciler, schedule, change-event rule and their IAM.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { TABLE_PARTITION_KEY } from '../../lambda/state-table';
import { DriftReconciliation } from '../../src/drift';
import { DESIRED_STATE_PARTITION_KEY, ENV } from '../../src/private/contract';
import {
  DriftResources,
  HANDLER_ASSET_PATH,
  HANDLER_TABLE_ACTIONS,
  rateExpression,
  RECONCILER_ACTIONS,
  RECONCILER_READ_ACTIONS,
} from '../../src/private/drift-resources';
import { reconcilerStatements } from '../support/templates';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/aaaabbbb-cccc-dddd-eeee-ffff00001111';

function setup(...reconciliations: DriftReconciliation[]): { stack: Stack; drift: DriftResources; template: () => Template } {
  const stack = new Stack(new App(), 'BpoStack', { env: { account: '111122223333', region: 'eu-west-2' } });
  const handlerRole = new iam.Role(stack, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const handler = new lambda.Function(stack, 'Handler', {
    code: lambda.Code.fromInline('exports.onEvent = async () => ({})'),
    handler: 'index.onEvent',
    runtime: lambda.Runtime.NODEJS_22_X,
    role: handlerRole,
  });
  const drift = new DriftResources(stack, 'Drift', { handler, handlerRole, assetPath: HANDLER_ASSET_PATH });
  for (const r of reconciliations) drift.register(r);
  drift.addInstance(INSTANCE_ARN);
  return { stack, drift, template: () => Template.fromStack(stack) };
}

describe('DriftResources', () => {
  const { template: t } = setup(
    DriftReconciliation.detectOnly({ schedule: Duration.hours(2) }),
    DriftReconciliation.remediate({ schedule: Duration.minutes(30), onChangeEvents: true }),
  );
  const template = t();
  const tableRef = { Ref: Match.stringLikeRegexp('^DriftDesiredState') };
  const tableArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftDesiredState'), 'Arn'] };
  const reconcilerArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftReconciler[0-9A-F]'), 'Arn'] };

  it('the table is on demand, with point-in-time recovery, encrypted, keyed by a string `pk`, deleted with the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
      DeletionPolicy: 'Delete',
    });
    expect(DESIRED_STATE_PARTITION_KEY).toBe(TABLE_PARTITION_KEY);
  });

  it('the reconciler is the bundle\'s reconcile entry, with its budget inside its timeout and no reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.reconcile',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 900,
      // single-flight comes from leases in the table, not from reserved concurrency
      ReservedConcurrentExecutions: Match.absent(),
      Environment: {
        Variables: {
          [ENV.desiredStateTable]: tableRef,
          [ENV.sweepBudgetMs]: '600000',
          [ENV.rateLimitPerSecond]: '2',
          [ENV.rateLimitBurst]: '5',
          [ENV.ignoredRoleArns]: {
            'Fn::Join': ['', [
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^HandlerRole'), 'Arn'] }, ',',
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftReconcilerRole'), 'Arn'] },
            ]],
          },
          POWERTOOLS_SERVICE_NAME: 'BpoStack',
        },
      },
    });
  });

  it('the handler learns the table name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.onEvent',
      Environment: { Variables: { [ENV.desiredStateTable]: tableRef } },
    });
  });

  it('the schedule runs at the most frequent schedule with its flexible window and starts a sweep', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 7 },
      State: 'ENABLED',
      Target: {
        Arn: reconcilerArn,
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DriftScheduleRole'), 'Arn'] },
        Input: JSON.stringify({ source: 'cdk-connect-security-profiles.sweep' }),
      },
    });
  });

  it('the change-event rule matches the CloudTrail events of the four calls and targets the reconciler', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.connect'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': { eventSource: ['connect.amazonaws.com'], eventName: ['UpdateSecurityProfile', 'TagResource', 'UntagResource', 'DeleteSecurityProfile'] },
      },
      Targets: [Match.objectLike({ Arn: reconcilerArn, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', FunctionName: reconcilerArn });
  });

  it('IAM: the reconciler may read, update and tag profiles and search users of the instance, never create or delete', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^DriftReconcilerRole') }],
      PolicyDocument: { Statement: Match.arrayWith(reconcilerStatements([INSTANCE_ARN], ['BpoStack'])) },
    });
    expect(RECONCILER_ACTIONS).not.toContain('connect:CreateSecurityProfile');
    expect(RECONCILER_ACTIONS).not.toContain('connect:DeleteSecurityProfile');
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } })
        .Properties.PolicyDocument.Statement);
    expect(statements.filter((s) => s.Resource === '*')).toEqual([]);
  });

  it('IAM: the handler may write and delete records, nothing else on the table', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^HandlerRole') }],
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: HANDLER_TABLE_ACTIONS, Resource: tableArn }]) },
    });
  });

  it('IAM: the schedule\'s role may only invoke the reconciler, and only Scheduler of this account may assume it', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^DriftScheduleRole') }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: reconcilerArn }] },
    });
  });
});

describe('DriftResources of a detect-only stack', () => {
  it('grants the reads, not the repair calls, until a profile remediates', () => {
    const reconcilerConnectActions = (template: Template) => Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('DriftReconcilerRole'))
      .flatMap((p) => (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) => s.Action))
      .filter((a, i, all) => a.startsWith('connect:') && all.indexOf(a) === i)
      .sort();
    const detect = setup(DriftReconciliation.detectOnly({ onChangeEvents: true }));
    expect(reconcilerConnectActions(detect.template())).toEqual([...RECONCILER_READ_ACTIONS].sort());
    // a remediating profile registered after the instances were added brings the repair calls
    const later = setup(DriftReconciliation.detectOnly());
    later.drift.register(DriftReconciliation.remediate());
    expect(reconcilerConnectActions(later.template())).toEqual([...RECONCILER_ACTIONS].sort());
  });
});

describe('DriftResources without change events', () => {
  it('has no rule, and an hourly schedule by default', () => {
    const { template } = setup(DriftReconciliation.remediate());
    template().resourceCountIs('AWS::Events::Rule', 0);
    template().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    });
  });

  it('ignores disabled profiles', () => {
    const { template } = setup(DriftReconciliation.disabled(), DriftReconciliation.detectOnly({ schedule: Duration.days(1) }));
    template().hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 day)' });
  });
});

describe('rateExpression', () => {
  it.each([
    [Duration.minutes(1), 'rate(1 minute)'],
    [Duration.minutes(45), 'rate(45 minutes)'],
    [Duration.minutes(90), 'rate(90 minutes)'],
    [Duration.hours(1), 'rate(1 hour)'],
    [Duration.hours(6), 'rate(6 hours)'],
    [Duration.days(2), 'rate(2 days)'],
  ])('%s is %s', (interval, expression) => {
    expect(rateExpression(interval)).toBe(expression);
  });
});
