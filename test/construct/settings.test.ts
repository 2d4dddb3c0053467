/**
 * `SecurityProfileSettings`: the stack-wide settings of the provider (rate limits, retries, log retention,
 * the sweep's schedule and window, change events, the access-scope report), declared once per stack,
 * before or after the profiles.
 */
import { App, Duration, Lazy, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { rateLimitsFromEnv } from '../../lambda/rate-limiter';
import {
  ConnectOperation, ConnectRateLimit, DriftReconciliation, Instance, SecurityProfile, SecurityProfileProps, SecurityProfileSettings,
  SecurityProfileSettingsProps,
} from '../../src';
import { CONNECT_API_QUOTAS, ENV } from '../../src/private/contract';
import { RECONCILER_ACTIONS } from '../../src/private/drift-resources';
import { HANDLER_ACTIONS } from '../../src/private/provider';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';

function stack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-2' } });
}

function profile(scope: Stack, id: string, props: Partial<SecurityProfileProps> = {}): SecurityProfile {
  return new SecurityProfile(scope, id, {
    instance: Instance.fromInstanceArn(scope, `${id}Instance`, INSTANCE_ARN),
    securityProfileName: id,
    ...props,
  });
}

const handler = { Handler: 'index.onEvent' };
const reconciler = { Handler: 'index.reconcile' };

/** The environment of the function with this handler entry. */
function environmentOf(template: Template, entry: string): Record<string, string> {
  const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: entry } });
  const [fn] = Object.values(functions);
  return (fn.Properties.Environment?.Variables ?? {}) as Record<string, string>;
}

const EVERYTHING: SecurityProfileSettingsProps = {
  rateLimits: [
    ConnectRateLimit.forOperation(ConnectOperation.CREATE_SECURITY_PROFILE, 1),
    ConnectRateLimit.forOperation(ConnectOperation.SEARCH_USERS, 0.5, { burst: 2 }),
    ConnectRateLimit.forOtherOperations(1.5, { burst: 3 }),
  ],
  maxRetryDelay: Duration.seconds(2),
  maxErrorAttempts: 4,
  logRetention: logs.RetentionDays.THREE_MONTHS,
  driftSchedule: Duration.minutes(30),
  changeEvents: true,
  accessScopeReport: false,
};

describe('SecurityProfileSettings', () => {
  test('without settings every default applies', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents');

    // THEN
    const template = Template.fromStack(s);
    for (const entry of [handler.Handler, reconciler.Handler]) {
      const env = environmentOf(template, entry);
      expect(env).toMatchObject({ [ENV.rateLimitPerSecond]: '2', [ENV.rateLimitBurst]: '5', [ENV.maxAttempts]: '8' });
      expect(env[ENV.rateLimits]).toBeUndefined();
      expect(env[ENV.retryMaxDelayMs]).toBeUndefined();
      expect(env[ENV.accessScopeReport]).toBeUndefined();
      // the handler's defaults are Connect's quotas, per operation
      expect(rateLimitsFromEnv(env)).toEqual(CONNECT_API_QUOTAS);
    }
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 3);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    });
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  test('renders every setting for the handler, the reconciler, the log groups, the schedule and the rule', () => {
    // GIVEN
    const s = stack();

    // WHEN
    new SecurityProfileSettings(s, 'Settings', EVERYTHING);
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.detectOnly() });

    // THEN
    const template = Template.fromStack(s);
    for (const entry of [handler.Handler, reconciler.Handler]) {
      const env = environmentOf(template, entry);
      expect(env).toMatchObject({
        [ENV.rateLimitPerSecond]: '1.5',
        [ENV.rateLimitBurst]: '3',
        [ENV.maxAttempts]: '4',
        [ENV.retryMaxDelayMs]: '2000',
      });
      // what the handler's limiter makes of it: one bucket per operation, the rest at Connect's quotas
      expect(rateLimitsFromEnv(env)).toEqual({
        ...CONNECT_API_QUOTAS,
        default: { ratePerSecond: 1.5, burst: 3 },
        CreateSecurityProfile: { ratePerSecond: 1, burst: 5 },
        SearchUsers: { ratePerSecond: 0.5, burst: 2 },
      });
    }
    expect(environmentOf(template, reconciler.Handler)[ENV.accessScopeReport]).toBe('false');
    expect(environmentOf(template, handler.Handler)[ENV.accessScopeReport]).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 90 }, 3);
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      // a quarter of the schedule
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 7 },
    });
    template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('declared after the profiles, the settings give the same template', () => {
    // GIVEN
    const before = stack();
    new SecurityProfileSettings(before, 'Settings', EVERYTHING);
    profile(before, 'Agents');
    profile(before, 'Supervisors', { driftReconciliation: DriftReconciliation.detectOnly() });

    // WHEN
    const after = stack();
    profile(after, 'Agents');
    profile(after, 'Supervisors', { driftReconciliation: DriftReconciliation.detectOnly() });
    new SecurityProfileSettings(after, 'Settings', EVERYTHING);

    // THEN
    expect(Template.fromStack(after).toJSON()).toEqual(Template.fromStack(before).toJSON());
  });

  test('settings add no resources: with drift off everywhere there is no table, reconciler, schedule or rule', () => {
    // GIVEN
    const s = stack();

    // WHEN
    new SecurityProfileSettings(s, 'Settings', { changeEvents: true, driftSchedule: Duration.minutes(5) });
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.disabled() });

    // THEN
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', reconciler, 0);
  });

  test('the profile renders no setting: each profile keeps only its drift mode', () => {
    // GIVEN
    const s = stack();

    // WHEN
    new SecurityProfileSettings(s, 'Settings', EVERYTHING);
    profile(s, 'Agents');

    // THEN
    const [resource] = Object.values(Template.fromStack(s).findResources('Custom::ConnectSecurityProfile'));
    expect(Object.keys(resource.Properties).sort()).toEqual(
      ['ContractVersion', 'DriftMode', 'InstanceArn', 'RemovalPolicy', 'SecurityProfileName', 'ServiceToken'],
    );
  });

  test.each([
    [Duration.minutes(0), { Mode: 'OFF', MaximumWindowInMinutes: Match.absent() }],
    [Duration.minutes(1440), { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 1440 }],
    [Duration.hours(1), { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 60 }],
  ])('driftFlexibleWindow %s renders %j', (window, rendered) => {
    // GIVEN
    const s = stack();

    // WHEN
    new SecurityProfileSettings(s, 'Settings', { driftFlexibleWindow: window });
    profile(s, 'Agents');

    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: rendered });
  });

  test('a daily schedule keeps a 15-minute window; the shortest, one minute, a one-minute window', () => {
    for (const [schedule, expression, window] of [[Duration.days(1), 'rate(1 day)', 15], [Duration.minutes(1), 'rate(1 minute)', 1]] as const) {
      const s = stack();
      new SecurityProfileSettings(s, 'Settings', { driftSchedule: schedule });
      profile(s, 'Agents');
      Template.fromStack(s).hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: expression,
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: window },
      });
    }
  });

  test('logRetention INFINITE keeps the logs forever (no RetentionInDays)', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents');
    new SecurityProfileSettings(s, 'Settings', { logRetention: logs.RetentionDays.INFINITE });

    // THEN
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: Match.absent() }, 3);
  });

  test('the rate-limit entries render sorted, whatever their order', () => {
    const render = (limits: ConnectRateLimit[]) => {
      const s = stack();
      new SecurityProfileSettings(s, 'Settings', { rateLimits: limits });
      profile(s, 'Agents');
      return environmentOf(Template.fromStack(s), handler.Handler)[ENV.rateLimits];
    };
    const a = ConnectRateLimit.forOperation(ConnectOperation.UPDATE_SECURITY_PROFILE, 1);
    const b = ConnectRateLimit.forOperation(ConnectOperation.DESCRIBE_SECURITY_PROFILE, 1);
    expect(render([a, b])).toBe(render([b, a]));
    expect(render([a, b])).toBe('{"DescribeSecurityProfile":{"ratePerSecond":1,"burst":5},"UpdateSecurityProfile":{"ratePerSecond":1,"burst":5}}');
  });

  test('an operation\'s burst defaults to its quota\'s burst', () => {
    expect(ConnectRateLimit.forOperation(ConnectOperation.DESCRIBE_USER_HIERARCHY_GROUP, 20).burst).toBe(10);
    expect(ConnectRateLimit.forOperation(ConnectOperation.CREATE_SECURITY_PROFILE, 1).burst).toBe(5);
    expect(ConnectRateLimit.forOtherOperations(1).burst).toBe(5);
    expect(ConnectRateLimit.forOtherOperations(1).operation).toBeUndefined();
  });

  test('ConnectOperation lists exactly the operations the handler and the reconciler call', () => {
    const called = new Set([...HANDLER_ACTIONS, ...RECONCILER_ACTIONS].map((a) => a.replace(/^connect:/, '')));
    expect(new Set(Object.values(ConnectOperation))).toEqual(called);
  });

  test('the settings of one stack do not reach another stack, nor a nested stack', () => {
    // GIVEN
    const app = new App();
    const configured = new Stack(app, 'Configured');
    const other = new Stack(app, 'Other');
    const nested = new NestedStack(configured, 'Nested');

    // WHEN
    new SecurityProfileSettings(configured, 'Settings', { logRetention: logs.RetentionDays.ONE_YEAR });
    for (const s of [configured, other, nested]) profile(s, 'Agents');

    // THEN
    Template.fromStack(configured).resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 365 }, 3);
    Template.fromStack(other).resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 3);
    Template.fromStack(nested).resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 3);
  });

  test('fails for a second SecurityProfileSettings in the same stack, naming both', () => {
    // GIVEN
    const s = stack();
    new SecurityProfileSettings(s, 'Settings', {});

    // THEN
    expect(() => new SecurityProfileSettings(s, 'More', {})).toThrow(
      /SecurityProfileSettings 'Stack\/More': stack 'Stack' already has its settings at 'Stack\/Settings'; a stack has one: merge the two/,
    );
  });

  test('may be declared anywhere in the stack', () => {
    // GIVEN
    const s = stack();
    const nestedScope = new SecurityProfileSettings(s, 'Holder', {});

    // THEN: a second one below the first is still the same stack's second one
    expect(() => new SecurityProfileSettings(nestedScope, 'Inner', {})).toThrow(/already has its settings at 'Stack\/Holder'/);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['a rate of 0', () => ConnectRateLimit.forOperation(ConnectOperation.CREATE_SECURITY_PROFILE, 0),
      /`requestsPerSecond` of the rate limit of CreateSecurityProfile must be a number greater than 0 known at synth, got 0: for example 2/],
    ['a negative rate', () => ConnectRateLimit.forOtherOperations(-1), /`requestsPerSecond` of the rate limit of the other operations must be a number greater than 0/],
    ['a rate token', () => ConnectRateLimit.forOtherOperations(Lazy.number({ produce: () => 2 })), /`requestsPerSecond` .* known at synth, got a token/],
    ['an infinite rate', () => ConnectRateLimit.forOtherOperations(Infinity), /`requestsPerSecond` .* got Infinity/],
    ['a burst token', () => ConnectRateLimit.forOtherOperations(1, { burst: Lazy.number({ produce: () => 3 }) }), /`burst` .* got a token/],
    ['a burst under 1', () => ConnectRateLimit.forOperation(ConnectOperation.SEARCH_USERS, 1, { burst: 0.5 }),
      /`burst` of the rate limit of SearchUsers must be a number of at least 1 known at synth, got 0.5: leave it out for the quota's burst/],
  ])('fails for %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('accepts the boundaries: a small rate, a burst of 1', () => {
    expect(ConnectRateLimit.forOperation(ConnectOperation.SEARCH_USERS, 0.1, { burst: 1 })).toMatchObject({ requestsPerSecond: 0.1, burst: 1 });
  });

  test.each<[string, SecurityProfileSettingsProps, RegExp]>([
    ['two limits for one operation', {
      rateLimits: [ConnectRateLimit.forOperation(ConnectOperation.TAG_RESOURCE, 1), ConnectRateLimit.forOperation(ConnectOperation.TAG_RESOURCE, 2)],
    }, /`rateLimits` has more than one entry for TagResource: keep one/],
    ['two limits for the other operations', { rateLimits: [ConnectRateLimit.forOtherOperations(1), ConnectRateLimit.forOtherOperations(2)] },
      /`rateLimits` has more than one entry for the other operations \(forOtherOperations\): keep one/],
    ['no retry delay', { maxRetryDelay: Duration.millis(0) }, /`maxRetryDelay` must be between 1 millisecond and 5 minutes, known at synth, got 0 millis: for example Duration.seconds\(5\)/],
    ['a retry delay over 5 minutes', { maxRetryDelay: Duration.minutes(6) }, /`maxRetryDelay` must be between 1 millisecond and 5 minutes, .*got 6 minutes/],
    ['a retry delay token', { maxRetryDelay: Duration.seconds(Lazy.number({ produce: () => 1 })) }, /`maxRetryDelay` .* got a token/],
    ['no attempts', { maxErrorAttempts: 0 }, /`maxErrorAttempts` must be a whole number from 1 to 100, known at synth, got 0: for example 8/],
    ['a fraction of an attempt', { maxErrorAttempts: 1.5 }, /`maxErrorAttempts` must be a whole number from 1 to 100, .*got 1.5/],
    ['too many attempts', { maxErrorAttempts: 101 }, /`maxErrorAttempts` .* got 101/],
    ['an attempts token', { maxErrorAttempts: Lazy.number({ produce: () => 3 }) }, /`maxErrorAttempts` .* got a token/],
    ['a schedule of seconds', { driftSchedule: Duration.seconds(30) },
      /`driftSchedule` must be a whole number of minutes, at least 1 minute, known at synth, got 30 seconds: for example Duration.minutes\(30\) or Duration.hours\(1\)/],
    ['a schedule with seconds', { driftSchedule: Duration.seconds(90) }, /`driftSchedule` .* got 1 minute 30 seconds/],
    ['a schedule token', { driftSchedule: Duration.minutes(Lazy.number({ produce: () => 5 })) }, /`driftSchedule` .* got a token/],
    ['a window over a day', { driftFlexibleWindow: Duration.minutes(1441) },
      /`driftFlexibleWindow` must be a whole number of minutes from 0 to 1440 \(EventBridge Scheduler's limit\), known at synth, got 1 day 1 minute: for example Duration.minutes\(15\), or Duration.minutes\(0\) to start each sweep on time/],
    ['a window with seconds', { driftFlexibleWindow: Duration.seconds(90) }, /`driftFlexibleWindow` .* got 1 minute 30 seconds/],
  ])('fails for %s', (_name, props, message) => {
    expect(() => new SecurityProfileSettings(stack(), 'Settings', props)).toThrow(message);
  });

  test('every error is reported at once, naming the construct', () => {
    expect(() => new SecurityProfileSettings(stack(), 'Settings', { maxErrorAttempts: 0, driftSchedule: Duration.seconds(1) }))
      .toThrow(/^SecurityProfileSettings 'Stack\/Settings': `maxErrorAttempts` .*; `driftSchedule` /);
  });

  test('accepts the boundaries of each setting', () => {
    for (const props of [
      { maxRetryDelay: Duration.millis(1), maxErrorAttempts: 1, driftSchedule: Duration.minutes(1), driftFlexibleWindow: Duration.minutes(0) },
      { maxRetryDelay: Duration.minutes(5), maxErrorAttempts: 100, driftSchedule: Duration.days(7), driftFlexibleWindow: Duration.minutes(1440) },
    ]) {
      expect(() => new SecurityProfileSettings(stack(), 'Settings', props)).not.toThrow();
    }
  });
});

describe('the deprecated per-profile schedule and change events', () => {
  test('without settings they keep deciding (the most frequent schedule wins), with a deprecation warning', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.detectOnly({ schedule: Duration.hours(6) }) });
    profile(s, 'Supervisors', { driftReconciliation: DriftReconciliation.remediate({ schedule: Duration.minutes(20), onChangeEvents: true }) });

    // THEN
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(20 minutes)', FlexibleTimeWindow: { MaximumWindowInMinutes: 5 } });
    template.resourceCountIs('AWS::Events::Rule', 1);
    const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('DriftReconciliationOptions#schedule is deprecated'));
    expect(warnings.map((w) => w.id).sort()).toEqual(['/Stack/Agents', '/Stack/Supervisors']);
    Annotations.fromStack(s).hasWarning('/Stack/Supervisors',
      Match.stringLikeRegexp('onChangeEvents is deprecated.*set `changeEvents` of the stack\'s SecurityProfileSettings'));
  });

  test('the stack\'s driftSchedule decides; the same value per profile is only a warning', () => {
    // GIVEN
    const s = stack();

    // WHEN
    new SecurityProfileSettings(s, 'Settings', { driftSchedule: Duration.minutes(20) });
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ schedule: Duration.minutes(20) }) });

    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(20 minutes)' });
  });

  test('fails at synth when a profile asks for another schedule than the stack\'s', () => {
    // GIVEN
    const s = stack();
    new SecurityProfileSettings(s, 'Settings', { driftSchedule: Duration.hours(2) });

    // WHEN
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ schedule: Duration.minutes(20) }) });

    // THEN
    expect(() => Template.fromStack(s)).toThrow(
      /the stack's SecurityProfileSettings 'Stack\/Settings' sets `driftSchedule` to 120 minute\(s\), but profiles ask for 20 minute\(s\) with the deprecated `schedule` option of `driftReconciliation`: remove `schedule` from their DriftReconciliation/,
    );
  });

  test('fails at synth when the stack turns change events off and a profile asks for them', () => {
    // GIVEN
    const s = stack();
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ onChangeEvents: true }) });

    // WHEN
    new SecurityProfileSettings(s, 'Settings', { changeEvents: false });

    // THEN
    expect(() => Template.fromStack(s)).toThrow(
      /sets `changeEvents` to false, but 1 profile\(s\) ask for change events with the deprecated `onChangeEvents` option of `driftReconciliation`: remove `onChangeEvents`/,
    );
  });

  test('the stack\'s changeEvents turns the rule on whatever the profiles say', () => {
    // GIVEN
    const s = stack();

    // WHEN
    profile(s, 'Agents', { driftReconciliation: DriftReconciliation.remediate({ onChangeEvents: false }) });
    new SecurityProfileSettings(s, 'Settings', { changeEvents: true });

    // THEN
    Template.fromStack(s).resourceCountIs('AWS::Events::Rule', 1);
  });
});
