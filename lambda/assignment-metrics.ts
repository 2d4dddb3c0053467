/**
 * The metrics of the assignment sweep, in embedded metric format (Powertools), beside the profile sweep's:
 * same namespace, same `service` dimension (the stack name). `flush()` writes one document with the stack's
 * totals (zeros included, so an alarm sees a quiet sweep as data) and one per assignment's profile with the
 * `SecurityProfileId` dimension, which the construct's `metric*` methods read.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ASSIGNMENT_METRIC, ASSIGNMENT_PROFILE_DIMENSION } from '../src/private/assignment-contract';
import { DEFAULT_SERVICE_NAME, METRIC_NAMESPACE } from '../src/private/metric-names';

/** The counts of one invocation. */
export interface AssignmentTally {
  usersAssigned: number;
  usersUnassigned: number;
  assignmentDrift: number;
  assignmentChangesHeld: number;
}

type Name = keyof AssignmentTally;

/** Tallies the assignment counts and writes them as EMF. */
export class AssignmentMetrics {
  /** Totals since construction. */
  public readonly tally: AssignmentTally = empty();
  /** Totals since construction, by profile id. */
  public readonly byProfile: Record<string, AssignmentTally> = {};
  public readonly serviceName: string;
  private readonly write: (line: string) => void;
  private pending = new Map<string, AssignmentTally>();

  constructor(options: { readonly serviceName?: string; readonly write?: (line: string) => void } = {}) {
    this.serviceName = options.serviceName ?? (process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME);
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** Users given the profile. */
  public usersAssigned(profileId: string, n: number): void { this.count(profileId, 'usersAssigned', n); }
  /** Users the profile was taken from. */
  public usersUnassigned(profileId: string, n: number): void { this.count(profileId, 'usersUnassigned', n); }
  /** Changes a check found needed. */
  public assignmentDrift(profileId: string, n: number): void { this.count(profileId, 'assignmentDrift', n); }
  /** Changes the safety valve held back. */
  public changesHeld(profileId: string, n: number): void { this.count(profileId, 'assignmentChangesHeld', n); }

  /** Write the counts since the last flush. */
  public flush(): void {
    const pending = this.pending;
    this.pending = new Map();
    const totals = empty();
    for (const t of pending.values()) for (const k of Object.keys(totals) as Name[]) totals[k] += t[k];
    this.write(this.document({}, totals));
    for (const [profileId, t] of [...pending.entries()].sort()) this.write(this.document({ [ASSIGNMENT_PROFILE_DIMENSION]: profileId }, t));
  }

  private count(profileId: string, name: Name, n: number): void {
    if (n <= 0) {
      if (!this.pending.has(profileId)) this.pending.set(profileId, empty());
      return;
    }
    this.tally[name] += n;
    (this.byProfile[profileId] ??= empty())[name] += n;
    const p = this.pending.get(profileId) ?? empty();
    p[name] += n;
    this.pending.set(profileId, p);
  }

  private document(dimensions: Record<string, string>, t: AssignmentTally): string {
    const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: this.serviceName });
    for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
    metrics.addMetric(ASSIGNMENT_METRIC.usersAssigned, MetricUnit.Count, t.usersAssigned);
    metrics.addMetric(ASSIGNMENT_METRIC.usersUnassigned, MetricUnit.Count, t.usersUnassigned);
    metrics.addMetric(ASSIGNMENT_METRIC.assignmentDrift, MetricUnit.Count, t.assignmentDrift);
    metrics.addMetric(ASSIGNMENT_METRIC.assignmentChangesHeld, MetricUnit.Count, t.assignmentChangesHeld);
    const emf = metrics.serializeMetrics();
    metrics.clearMetrics();
    metrics.clearDimensions();
    return JSON.stringify(emf);
  }
}

function empty(): AssignmentTally {
  return { usersAssigned: 0, usersUnassigned: 0, assignmentDrift: 0, assignmentChangesHeld: 0 };
}
