/**
 * The jsii surface of drift reconciliation: `DriftReconciliation` factories and validation,
 * `DriftMetrics` metrics and alarm, and the metric names kept in step with the reconciler.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DriftMetricName, DriftMetrics, DriftMode, DriftReconciliation } from '../../src/drift';
import { FIELD_DIMENSION, METRIC, METRIC_NAMESPACE, PROFILE_DIMENSION } from '../../src/private/metric-names';

describe('DriftReconciliation', () => {
  it('remediate() defaults to an hourly sweep with a 15-minute flexible window and no change events', () => {
    const r = DriftReconciliation.remediate();
    expect(r.mode).toBe(DriftMode.REMEDIATE);
    expect(r.schedule?.toMinutes()).toBe(60);
    expect(r.flexibleWindow?.toMinutes()).toBe(15);
    expect(r.onChangeEvents).toBe(false);
  });

  it('detectOnly() takes a schedule and change events; the window is a quarter of the interval', () => {
    const r = DriftReconciliation.detectOnly({ schedule: Duration.minutes(10), onChangeEvents: true });
    expect(r.mode).toBe(DriftMode.DETECT_ONLY);
    expect(r.schedule?.toMinutes()).toBe(10);
    expect(r.flexibleWindow?.toMinutes()).toBe(2);
    expect(r.onChangeEvents).toBe(true);
  });

  it('disabled() has no schedule and no change events', () => {
    const r = DriftReconciliation.disabled();
    expect(r.mode).toBe(DriftMode.DISABLED);
    expect(r.schedule).toBeUndefined();
    expect(r.flexibleWindow).toBeUndefined();
    expect(r.onChangeEvents).toBe(false);
  });

  it('accepts the shortest schedule, one minute, with a one-minute window', () => {
    expect(DriftReconciliation.remediate({ schedule: Duration.minutes(1) }).flexibleWindow?.toMinutes()).toBe(1);
  });

  it('accepts a day-long schedule; the window stays at 15 minutes', () => {
    expect(DriftReconciliation.remediate({ schedule: Duration.days(1) }).flexibleWindow?.toMinutes()).toBe(15);
  });

  it.each([
    [Duration.seconds(30), /`schedule` must be a whole number of minutes, at least 1 minute, got 30 seconds/],
    [Duration.seconds(90), /`schedule` must be a whole number of minutes, at least 1 minute, got 1 minute 30 seconds/],
  ])('fails for a schedule of %s', (schedule, message) => {
    expect(() => DriftReconciliation.remediate({ schedule })).toThrow(message);
  });

  it('the mode values are the wire contract values', () => {
    expect(Object.values(DriftMode).sort()).toEqual(['DETECT_ONLY', 'DISABLED', 'REMEDIATE']);
  });
});

describe('DriftMetrics', () => {
  const stack = () => new Stack(new App(), 'BpoStack');

  it('builds each metric in the reconciler namespace with the stack as the service dimension', () => {
    const metrics = DriftMetrics.of(stack());
    const checked = metrics.metricProfilesChecked();
    expect(checked.namespace).toBe('CdkConnectSecurityProfiles');
    expect(checked.metricName).toBe('ProfilesChecked');
    expect(checked.dimensions).toEqual({ service: 'BpoStack' });
    expect(checked.statistic).toBe('Sum');
    expect(checked.period.toMinutes()).toBe(60);
    expect(metrics.metricDriftRemediated().metricName).toBe('DriftRemediated');
    expect(metrics.metricProfilesMissing().metricName).toBe('ProfilesMissing');
    expect(metrics.metricErrors().metricName).toBe('Errors');
    expect(metrics.metricThrottles().metricName).toBe('Throttles');
  });

  it('DriftDetected is per field when asked, and UsersInScope per profile', () => {
    const metrics = DriftMetrics.of(stack());
    expect(metrics.metricDriftDetected().dimensions).toEqual({ service: 'BpoStack' });
    expect(metrics.metricDriftDetected({ field: 'HierarchyRestrictedResources', period: Duration.minutes(5) })).toMatchObject({
      dimensions: { service: 'BpoStack', Field: 'HierarchyRestrictedResources' },
      metricName: 'DriftDetected',
    });
    const scope = metrics.metricUsersInScope('BPO-A-Supervisor');
    expect(scope.dimensions).toEqual({ service: 'BpoStack', SecurityProfile: 'BPO-A-Supervisor' });
    expect(scope.statistic).toBe('Maximum');
  });

  it('createAlarm() alarms on any drift within an hour; missing data is not a breach', () => {
    const s = stack();
    DriftMetrics.of(s).createAlarm(s, 'DriftAlarm');
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkConnectSecurityProfiles',
      MetricName: 'DriftDetected',
      Dimensions: [{ Name: 'service', Value: 'BpoStack' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('DriftDetected of stack BpoStack'),
    });
  });

  it('createAlarm() on another metric with its own threshold and period', () => {
    const s = stack();
    DriftMetrics.of(s).createAlarm(s, 'MissingAlarm', {
      metric: DriftMetricName.PROFILES_MISSING, threshold: 2, period: Duration.hours(6), evaluationPeriods: 2, alarmName: 'profiles-missing',
    });
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ProfilesMissing', Threshold: 2, Period: 21600, EvaluationPeriods: 2, AlarmName: 'profiles-missing',
    });
  });

  it.each([
    [{ threshold: 0 }, /`threshold` must be greater than 0, got 0/],
    [{ evaluationPeriods: 1.5 }, /`evaluationPeriods` must be a whole number of at least 1, got 1.5/],
  ])('createAlarm() fails for %j', (options, message) => {
    const s = stack();
    expect(() => DriftMetrics.of(s).createAlarm(s, 'Alarm', options)).toThrow(message);
  });
});

describe('names shared with the reconciler (src/private/metric-names.ts)', () => {
  it('the namespace and dimension names match', () => {
    expect(DriftMetrics.of(new Stack()).namespace).toBe(METRIC_NAMESPACE);
    expect(FIELD_DIMENSION).toBe('Field');
    expect(PROFILE_DIMENSION).toBe('SecurityProfile');
  });

  it('every counted metric the reconciler writes has a DriftMetricName, and the other way round', () => {
    const counted = Object.values(METRIC).filter((name) => name !== METRIC.usersInScope).sort();
    expect(Object.values(DriftMetricName).sort()).toEqual(counted);
    expect(DriftMetrics.of(new Stack()).metricUsersInScope('p').metricName).toBe(METRIC.usersInScope);
  });
});
