/**
 * The reconciler's CloudWatch metrics, in embedded metric format (Powertools for AWS Lambda Metrics).
 *
 * Counts are tallied in memory during an invocation and written by `flush()` as one EMF document
 * (plus one per drifted field and one per access-scope report, which carry an extra dimension), so a
 * sweep of a thousand profiles prints a handful of lines, not thousands. Powertools serializes (and
 * validates) each document; this module decides where the line goes, so tests can read it.
 *
 * Every metric carries the `service` dimension (the provider sets `POWERTOOLS_SERVICE_NAME` to the
 * stack name). The names, namespace and dimensions come from src/private/metric-names.ts, which the
 * construct's `DriftMetrics` reads too.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DEFAULT_SERVICE_NAME, FIELD_DIMENSION, METRIC, METRIC_NAMESPACE, PROFILE_DIMENSION } from '../src/private/metric-names';

/** What one invocation counted (also returned to callers and tests). */
export interface MetricTally {
  profilesChecked: number;
  driftDetected: number;
  driftRemediated: number;
  profilesMissing: number;
  errors: number;
  conflicts: number;
  throttles: number;
  /** Drifted profiles by field. */
  driftByField: Record<string, number>;
  /** Users in scope by profile name. */
  usersInScope: Record<string, number>;
}

/** Options of `ReconcilerMetrics`. */
export interface ReconcilerMetricsOptions {
  /** The `service` dimension. Default `POWERTOOLS_SERVICE_NAME`, else `cdk-connect-security-profiles`. */
  readonly serviceName?: string;
  /**
   * Where each EMF document (one JSON line) goes.
   *
   * @default a line on stdout, where the Lambda runtime sends it to CloudWatch Logs
   */
  readonly write?: (line: string) => void;
}

/** Tallies the reconciler's counts and writes them as EMF. */
export class ReconcilerMetrics {
  /** The counts so far (since construction). */
  public readonly tally: MetricTally = emptyTally();
  /** The `service` dimension. */
  public readonly serviceName: string;
  private readonly write: (line: string) => void;
  private pending: MetricTally = emptyTally();

  constructor(options: ReconcilerMetricsOptions = {}) {
    this.serviceName = options.serviceName ?? (process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME);
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** A profile was compared with its desired state. */
  public profileChecked(): void { this.count('profilesChecked', 1); }

  /** A profile differed in these fields. */
  public driftDetected(fields: readonly string[]): void {
    this.count('driftDetected', 1);
    for (const field of fields) {
      this.tally.driftByField[field] = (this.tally.driftByField[field] ?? 0) + 1;
      this.pending.driftByField[field] = (this.pending.driftByField[field] ?? 0) + 1;
    }
  }

  /** A profile's drift was repaired. */
  public driftRemediated(): void { this.count('driftRemediated', 1); }

  /** A managed profile no longer exists. */
  public profileMissing(): void { this.count('profilesMissing', 1); }

  /** A check failed. */
  public error(): void { this.count('errors', 1); }

  /** A profile was not written: someone else owns it. */
  public conflict(): void { this.count('conflicts', 1); }

  /** Connect throttled this many calls. */
  public throttled(calls: number): void { if (calls > 0) this.count('throttles', calls); }

  /** A hierarchy-restricted profile lets its holders manage this many users. */
  public usersInScope(securityProfileName: string, users: number): void {
    this.tally.usersInScope[securityProfileName] = users;
    this.pending.usersInScope[securityProfileName] = users;
  }

  /**
   * Write the counts since the last flush as EMF: one document with the seven counts (zeros included,
   * so an alarm sees a quiet sweep as data, not as missing data), one per drifted field and one per
   * access-scope report.
   */
  public flush(): void {
    const p = this.pending;
    this.pending = emptyTally();
    this.write(this.document({}, [
      [METRIC.profilesChecked, p.profilesChecked],
      [METRIC.driftDetected, p.driftDetected],
      [METRIC.driftRemediated, p.driftRemediated],
      [METRIC.profilesMissing, p.profilesMissing],
      [METRIC.errors, p.errors],
      [METRIC.conflicts, p.conflicts],
      [METRIC.throttles, p.throttles],
    ]));
    for (const [field, value] of Object.entries(p.driftByField).sort()) {
      this.write(this.document({ [FIELD_DIMENSION]: field }, [[METRIC.driftDetected, value]]));
    }
    for (const [profile, value] of Object.entries(p.usersInScope).sort()) {
      this.write(this.document({ [PROFILE_DIMENSION]: profile }, [[METRIC.usersInScope, value]]));
    }
  }

  /** One EMF document, serialized by Powertools (which validates names, units and dimensions). */
  private document(dimensions: Record<string, string>, values: Array<[string, number]>): string {
    const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: this.serviceName });
    for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
    for (const [name, value] of values) metrics.addMetric(name, MetricUnit.Count, value);
    const emf = metrics.serializeMetrics();
    metrics.clearMetrics();
    metrics.clearDimensions();
    return JSON.stringify(emf);
  }

  private count(name: 'profilesChecked' | 'driftDetected' | 'driftRemediated' | 'profilesMissing' | 'errors' | 'conflicts' | 'throttles', by: number): void {
    this.tally[name] += by;
    this.pending[name] += by;
  }
}

function emptyTally(): MetricTally {
  return {
    profilesChecked: 0,
    driftDetected: 0,
    driftRemediated: 0,
    profilesMissing: 0,
    errors: 0,
    conflicts: 0,
    throttles: 0,
    driftByField: {},
    usersInScope: {},
  };
}
