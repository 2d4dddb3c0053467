import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { FIELD_DIMENSION, METRIC, METRIC_NAMESPACE, PROFILE_DIMENSION } from './private/metric-names';
import { defaultWindow, DEPRECATED_DRIFT_OPTIONS } from './private/settings';

/**
 * What the reconciler does when a managed security profile differs from its declared state.
 */
export enum DriftMode {
  /** Repair the drift: send the same update a deploy would send. */
  REMEDIATE = 'REMEDIATE',
  /** Report the drift (metrics, log, status) and change nothing. */
  DETECT_ONLY = 'DETECT_ONLY',
  /** Do not check this profile between deploys. */
  DISABLED = 'DISABLED',
}

/**
 * Options of `DriftReconciliation.remediate()` and `DriftReconciliation.detectOnly()`.
 *
 * Both options are stack-wide and have moved to `SecurityProfileSettings`; they are kept so that
 * existing apps synthesize unchanged, with a deprecation warning.
 */
export interface DriftReconciliationOptions {
  /**
   * How often the sweep checks every managed profile of the stack.
   *
   * With several profiles, the stack's one schedule runs at the most frequent of theirs. Ignored when
   * the stack's `SecurityProfileSettings` sets `driftSchedule` (a different value there is an error).
   *
   * @default Duration.hours(1)
   * @deprecated set `driftSchedule` (and `driftFlexibleWindow`) of the stack's `SecurityProfileSettings`
   */
  readonly schedule?: Duration;

  /**
   * Also reconcile a profile within about a minute of a change made outside CloudFormation, from
   * CloudTrail events. One profile that asks turns the change-event rule on for the whole stack.
   *
   * @default false
   * @deprecated set `changeEvents` of the stack's `SecurityProfileSettings`
   */
  readonly onChangeEvents?: boolean;
}

/**
 * Whether and how the live security profile is kept in line with its declared state between deploys.
 *
 * CloudFormation calls the handler only when the template changes. With drift reconciliation on, the
 * handler records each profile's desired state in a DynamoDB table, and a reconciler (one per stack)
 * compares the live profile with it on a schedule, and optionally on change events. The mode is per
 * profile; the schedule and change events are the stack's (`SecurityProfileSettings`).
 */
export class DriftReconciliation {
  /**
   * Repair drift: the reconciler sends the update a deploy would send.
   *
   * @param options deprecated: the schedule and change events are set in `SecurityProfileSettings`
   */
  public static remediate(options: DriftReconciliationOptions = {}): DriftReconciliation {
    return new DriftReconciliation(DriftMode.REMEDIATE, options);
  }

  /**
   * Report drift (metrics, a log line per drifted field, the status in the table) and change nothing.
   *
   * @param options deprecated: the schedule and change events are set in `SecurityProfileSettings`
   */
  public static detectOnly(options: DriftReconciliationOptions = {}): DriftReconciliation {
    return new DriftReconciliation(DriftMode.DETECT_ONLY, options);
  }

  /**
   * No checks between deploys. Deploys still reconcile against the live profile.
   */
  public static disabled(): DriftReconciliation {
    return new DriftReconciliation(DriftMode.DISABLED, {});
  }

  /** The mode. */
  public readonly mode: DriftMode;

  /**
   * How often the sweep runs, as this profile asked with the deprecated `schedule` option.
   *
   * @default - undefined when disabled; else the `schedule` option, one hour when left out
   * @deprecated the stack's schedule is `driftSchedule` of `SecurityProfileSettings`
   */
  public readonly schedule?: Duration;

  /**
   * The flexible window that goes with `schedule`: a quarter of the interval, between 1 and 15 minutes.
   *
   * @default - undefined when disabled
   * @deprecated the stack's window is `driftFlexibleWindow` of `SecurityProfileSettings`
   */
  public readonly flexibleWindow?: Duration;

  /**
   * Whether this profile asked for change events with the deprecated `onChangeEvents` option.
   *
   * @deprecated the stack's change events are `changeEvents` of `SecurityProfileSettings`
   */
  public readonly onChangeEvents: boolean;

  private constructor(mode: DriftMode, options: DriftReconciliationOptions) {
    this.mode = mode;
    this.onChangeEvents = mode !== DriftMode.DISABLED && (options.onChangeEvents ?? false);
    if (mode !== DriftMode.DISABLED) {
      const schedule = options.schedule ?? Duration.hours(1);
      validateSchedule(schedule);
      this.schedule = schedule;
      this.flexibleWindow = schedule.isUnresolved() ? Duration.minutes(15) : defaultWindow(schedule);
      if (options.schedule !== undefined || options.onChangeEvents !== undefined) {
        DEPRECATED_DRIFT_OPTIONS.set(this, { schedule: options.schedule, onChangeEvents: options.onChangeEvents });
      }
    }
  }
}

/**
 * A metric the reconciler publishes.
 */
export enum DriftMetricName {
  /** Profiles whose live state was compared with the declared state. */
  PROFILES_CHECKED = 'ProfilesChecked',
  /** Profiles that differed from their declared state (also by field, with the `Field` dimension). */
  DRIFT_DETECTED = 'DriftDetected',
  /** Profiles whose drift was repaired. */
  DRIFT_REMEDIATED = 'DriftRemediated',
  /** Managed profiles that no longer exist in Connect (deleted outside CloudFormation). */
  PROFILES_MISSING = 'ProfilesMissing',
  /** Checks that failed, records that do not parse, and hierarchy groups that no longer exist. */
  ERRORS = 'Errors',
  /**
   * Profiles left unwritten because their live owner tag or their record's stack is not this
   * resource's (someone else manages them, or the owner tag was edited).
   */
  CONFLICTS = 'Conflicts',
  /** Connect calls that were throttled (and retried). */
  THROTTLES = 'Throttles',
}

/**
 * Options of `DriftMetrics.metricDriftDetected()`.
 */
export interface DriftDetectedMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Only drift in this field: the Connect member name, e.g. `Permissions`,
   * `HierarchyRestrictedResources`, `AllowedAccessControlHierarchyGroupId` or `Tags`.
   *
   * @default - drift in any field (profiles that drifted)
   */
  readonly field?: string;
}

/**
 * Options of `DriftMetrics.createAlarm()`.
 */
export interface DriftAlarmOptions {
  /**
   * The metric to alarm on.
   *
   * @default DriftMetricName.DRIFT_DETECTED
   */
  readonly metric?: DriftMetricName;

  /**
   * The alarm fires when the sum over one period is at least this.
   *
   * @default 1
   */
  readonly threshold?: number;

  /**
   * The period of the sum. Use at least the sweep schedule, or a quiet sweep looks like no data.
   *
   * @default Duration.hours(1)
   */
  readonly period?: Duration;

  /**
   * How many periods to evaluate.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;

  /**
   * The alarm name.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;

  /**
   * The alarm description.
   *
   * @default - a description naming the metric and the stack
   */
  readonly alarmDescription?: string;
}

/**
 * The CloudWatch metrics of one stack's drift reconciler, and an alarm helper.
 *
 * The reconciler publishes in the `CdkConnectSecurityProfiles` namespace with the dimension `service`
 * set to the stack name (`DriftDetected` also with `Field`, `UsersInScope` with `SecurityProfile`).
 *
 * @example
 * const metrics = DriftMetrics.of(this);
 * metrics.createAlarm(this, 'DriftAlarm'); // fires when any profile drifted in the last hour
 */
export class DriftMetrics {
  /**
   * The metrics of the reconciler of the stack that contains `scope`.
   */
  public static of(scope: IConstruct): DriftMetrics {
    return new DriftMetrics(Stack.of(scope).stackName);
  }

  /** The namespace the metrics are published in. */
  public readonly namespace: string = METRIC_NAMESPACE;

  /** The value of the `service` dimension (the stack name). */
  public readonly serviceName: string;

  private constructor(serviceName: string) {
    this.serviceName = serviceName;
  }

  /** Any reconciler metric by name, summed over 1 hour by default. */
  public metric(metricName: DriftMetricName, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(metricName, {}, options);
  }

  /** Profiles checked. */
  public metricProfilesChecked(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(DriftMetricName.PROFILES_CHECKED, {}, options);
  }

  /** Profiles that drifted, in any field or (with `field`) in one field. */
  public metricDriftDetected(options: DriftDetectedMetricOptions = {}): cloudwatch.Metric {
    const { field, ...rest } = options;
    return this.build(DriftMetricName.DRIFT_DETECTED, field === undefined ? {} : { [FIELD_DIMENSION]: field }, rest);
  }

  /** Profiles repaired. */
  public metricDriftRemediated(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(DriftMetricName.DRIFT_REMEDIATED, {}, options);
  }

  /** Managed profiles found missing. */
  public metricProfilesMissing(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(DriftMetricName.PROFILES_MISSING, {}, options);
  }

  /** Failed checks. */
  public metricErrors(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(DriftMetricName.ERRORS, {}, options);
  }

  /** Profiles left unwritten because someone else owns them. */
  public metricConflicts(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(DriftMetricName.CONFLICTS, {}, options);
  }

  /** Throttled Connect calls. */
  public metricThrottles(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(DriftMetricName.THROTTLES, {}, options);
  }

  /**
   * Users a hierarchy-restricted profile lets its holders manage (the latest value by default).
   *
   * @param securityProfileName the profile's name
   */
  public metricUsersInScope(securityProfileName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.build(METRIC.usersInScope, { [PROFILE_DIMENSION]: securityProfileName }, { statistic: 'Maximum', ...options });
  }

  /**
   * An alarm on a reconciler metric: by default it fires when any profile drifted within an hour.
   * Missing data (no sweep in the period) does not fire it.
   */
  public createAlarm(scope: Construct, id: string, options: DriftAlarmOptions = {}): cloudwatch.Alarm {
    const metricName = options.metric ?? DriftMetricName.DRIFT_DETECTED;
    const threshold = options.threshold ?? 1;
    const evaluationPeriods = options.evaluationPeriods ?? 1;
    if (!Token.isUnresolved(threshold) && !(threshold > 0)) {
      throw new Error(`\`threshold\` must be greater than 0, got ${threshold}; use 1 to alarm on any occurrence`);
    }
    if (!Token.isUnresolved(evaluationPeriods) && !(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1)) {
      throw new Error(`\`evaluationPeriods\` must be a whole number of at least 1, got ${evaluationPeriods}`);
    }
    return new cloudwatch.Alarm(scope, id, {
      metric: this.metric(metricName, { period: options.period ?? Duration.hours(1) }),
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmName: options.alarmName,
      alarmDescription: options.alarmDescription
        ?? `Amazon Connect security profile drift reconciler: ${metricName} of stack ${this.serviceName}`,
    });
  }

  private build(metricName: string, extra: { [name: string]: string }, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      statistic: 'Sum',
      period: Duration.hours(1),
      ...options,
      dimensionsMap: { service: this.serviceName, ...extra, ...options.dimensionsMap },
    });
  }
}

function validateSchedule(schedule: Duration): void {
  if (schedule.isUnresolved()) return;
  const minutes = schedule.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`\`schedule\` must be a whole number of minutes, at least 1 minute, got ${schedule.toHumanString()}; `
      + 'for example Duration.minutes(30) or Duration.hours(1)');
  }
}
