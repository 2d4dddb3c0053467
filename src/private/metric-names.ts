/**
 * The reconciler's CloudWatch metric names, namespace and dimensions: the reconciler writes them
 * (lambda/metrics.ts, lambda/assignment-metrics.ts) and the construct's `metric*` methods read them
 * (src/drift.ts, src/assignment.ts). The public `DriftMetricName` enum repeats the counted names because a
 * jsii enum takes literals only; test/drift/drift-api.test.ts keeps it in step with `METRIC`.
 *
 * Constants only: the handler bundle imports this module, so it must not import aws-cdk-lib.
 */

/** The CloudWatch namespace of every reconciler metric. */
export const METRIC_NAMESPACE = 'CdkConnectSecurityProfiles';

/** The `service` dimension when `POWERTOOLS_SERVICE_NAME` is not set. */
export const DEFAULT_SERVICE_NAME = 'cdk-connect-security-profiles';

/** Metric names. */
export const METRIC = {
  /** Profiles whose live state was compared with the desired state. */
  profilesChecked: 'ProfilesChecked',
  /** Profiles that differed; also per field, with the `Field` dimension. */
  driftDetected: 'DriftDetected',
  /** Profiles whose drift was repaired (remediate mode). */
  driftRemediated: 'DriftRemediated',
  /** Managed profiles that no longer exist in Connect. */
  profilesMissing: 'ProfilesMissing',
  /** Checks that failed. */
  errors: 'Errors',
  /** Profiles not written because their live owner tag or their record's stack is not this resource's. */
  conflicts: 'Conflicts',
  /** Connect calls answered with a throttling error (each retried by the gateway). */
  throttles: 'Throttles',
  /** Users a hierarchy-restricted profile lets its holders manage (with the `SecurityProfile` dimension). */
  usersInScope: 'UsersInScope',
} as const;

/** The dimension of the per-field `DriftDetected` metric. */
export const FIELD_DIMENSION = 'Field';

/** The dimension of the `UsersInScope` metric (the security profile name). */
export const PROFILE_DIMENSION = 'SecurityProfile';
