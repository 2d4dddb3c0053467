import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONNECT_API_QUOTAS } from './private/contract';
import { declareSettings } from './private/settings';

/**
 * A Connect API operation the library's handler or drift reconciler calls.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_Operations_Amazon_Connect_Service.html
 */
export enum ConnectOperation {
  /** CreateSecurityProfile (deploy: Create). */
  CREATE_SECURITY_PROFILE = 'CreateSecurityProfile',
  /** DescribeSecurityProfile (deploy and drift checks). */
  DESCRIBE_SECURITY_PROFILE = 'DescribeSecurityProfile',
  /** UpdateSecurityProfile (deploy: Update, and drift repairs). */
  UPDATE_SECURITY_PROFILE = 'UpdateSecurityProfile',
  /** DeleteSecurityProfile (deploy: Delete). */
  DELETE_SECURITY_PROFILE = 'DeleteSecurityProfile',
  /** ListSecurityProfiles (finding a profile by name on Create). */
  LIST_SECURITY_PROFILES = 'ListSecurityProfiles',
  /** ListSecurityProfilePermissions (deploy and drift checks). */
  LIST_SECURITY_PROFILE_PERMISSIONS = 'ListSecurityProfilePermissions',
  /** ListSecurityProfileApplications (deploy and drift checks). */
  LIST_SECURITY_PROFILE_APPLICATIONS = 'ListSecurityProfileApplications',
  /** ListSecurityProfileFlowModules (when a profile manages `allowedFlowModules`). */
  LIST_SECURITY_PROFILE_FLOW_MODULES = 'ListSecurityProfileFlowModules',
  /** ListSecurityProfileAIAgents (when a profile manages `allowedAIAgents`). */
  LIST_SECURITY_PROFILE_AI_AGENTS = 'ListSecurityProfileAIAgents',
  /** TagResource (the owner tag and the profile's tags). */
  TAG_RESOURCE = 'TagResource',
  /** UntagResource (tags removed from a profile). */
  UNTAG_RESOURCE = 'UntagResource',
  /** SearchUsers (the access-scope report, and naming the holders of a profile that cannot be deleted). */
  SEARCH_USERS = 'SearchUsers',
  /** DescribeInstance (is a missing profile's instance gone too). */
  DESCRIBE_INSTANCE = 'DescribeInstance',
  /** DescribeUserHierarchyGroup (does a profile's access-control group still exist). */
  DESCRIBE_USER_HIERARCHY_GROUP = 'DescribeUserHierarchyGroup',
}

/**
 * Options of a `ConnectRateLimit`.
 */
export interface ConnectRateLimitOptions {
  /**
   * How many requests may go at once after a quiet period (the token bucket's size), at least 1.
   *
   * @default - the burst of the operation's quota in Connect's quota table (5 for the security-profile
   * operations and SearchUsers, 10 for DescribeUserHierarchyGroup); 5 for `forOtherOperations`
   */
  readonly burst?: number;
}

/**
 * A client-side rate limit towards Connect: a token bucket in each handler and reconciler process.
 *
 * Connect's API quotas are per operation, per account and Region, so each operation has its own
 * bucket, by default at Connect's default quota of the operation. Lower a rate to leave part of a
 * quota to other tools of the account; raise it after raising the quota in Service Quotas (a rate
 * above the account's quota only turns into throttles and retries).
 *
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html#connect-api-quotas
 */
export class ConnectRateLimit {
  /**
   * The rate limit of one operation.
   *
   * @param operation the Connect operation
   * @param requestsPerSecond requests per second, greater than 0
   * @param options the burst
   */
  public static forOperation(operation: ConnectOperation, requestsPerSecond: number, options: ConnectRateLimitOptions = {}): ConnectRateLimit {
    const quota = CONNECT_API_QUOTAS[operation] ?? CONNECT_API_QUOTAS.default;
    return new ConnectRateLimit(operation, requestsPerSecond, options.burst ?? quota.burst);
  }

  /**
   * The rate limit of every operation that has no entry of its own, neither here nor in Connect's quota
   * table: the security-profile operations, SearchUsers and DescribeInstance, whose default quota is 2
   * requests per second with a burst of 5.
   *
   * @param requestsPerSecond requests per second, greater than 0
   * @param options the burst
   */
  public static forOtherOperations(requestsPerSecond: number, options: ConnectRateLimitOptions = {}): ConnectRateLimit {
    return new ConnectRateLimit(undefined, requestsPerSecond, options.burst ?? CONNECT_API_QUOTAS.default.burst);
  }

  /**
   * The operation.
   *
   * @default - every operation without an entry of its own
   */
  public readonly operation?: ConnectOperation;

  /** Requests per second. */
  public readonly requestsPerSecond: number;

  /** The bucket's size. */
  public readonly burst: number;

  private constructor(operation: ConnectOperation | undefined, requestsPerSecond: number, burst: number) {
    const what = `the rate limit of ${operation ?? 'the other operations'}`;
    if (Token.isUnresolved(requestsPerSecond) || !Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
      throw new Error(`\`requestsPerSecond\` of ${what} must be a number greater than 0 known at synth, got ${shown(requestsPerSecond)}: `
        + `for example ${CONNECT_API_QUOTAS.default.ratePerSecond} (Connect's default quota) or 1 to leave half of it to other tools`);
    }
    if (Token.isUnresolved(burst) || !Number.isFinite(burst) || burst < 1) {
      throw new Error(`\`burst\` of ${what} must be a number of at least 1 known at synth, got ${shown(burst)}: leave it out for the quota's burst`);
    }
    this.operation = operation;
    this.requestsPerSecond = requestsPerSecond;
    this.burst = burst;
  }
}

/**
 * Properties of `SecurityProfileSettings`.
 */
export interface SecurityProfileSettingsProps {
  /**
   * Client-side rate limits towards Connect, per operation (`ConnectRateLimit.forOperation`), and for
   * every operation without an entry of its own (`ConnectRateLimit.forOtherOperations`). At most one
   * entry per operation.
   *
   * The limits pace each process (CloudFormation runs the handler for many profiles at once, each in
   * its own process): throttles that come back anyway are retried within the invocation's time.
   *
   * @default - Connect's default quota of each operation: 2 requests per second with a burst of 5 for the
   * security-profile operations, SearchUsers and DescribeInstance; 10 per second, burst 10, for
   * DescribeUserHierarchyGroup
   * @see https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html#connect-api-quotas
   */
  readonly rateLimits?: ConnectRateLimit[];

  /**
   * The longest single wait between two attempts of a Connect call. Waits grow from half a second
   * with decorrelated jitter up to this; throttled calls are retried until the invocation's time runs
   * out (the handler's timeout is 10 minutes), whatever the number of attempts.
   *
   * Between 1 millisecond and 5 minutes.
   *
   * @default Duration.seconds(5)
   */
  readonly maxRetryDelay?: Duration;

  /**
   * How many attempts a Connect call gets after server errors and dropped connections, the first
   * included (throttles are not counted: they retry until the invocation's time runs out). A whole
   * number from 1 to 100.
   *
   * @default 8
   */
  readonly maxErrorAttempts?: number;

  /**
   * How long the CloudWatch Logs of the handler, of the custom-resource framework's function and of
   * the drift reconciler are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * How often the drift sweep checks every drift-managed profile of the stack. Whole minutes, at
   * least 1 minute.
   *
   * A sweep that does not finish within one invocation (a 10-minute budget) resumes at the next
   * scheduled one: see the README section "Drift reconciliation" for how many profiles one invocation
   * checks.
   *
   * @default Duration.hours(1)
   */
  readonly driftSchedule?: Duration;

  /**
   * The flexible time window of the sweep's schedule: EventBridge Scheduler starts each sweep at some
   * moment within it, so that the sweeps of many stacks do not all start at once. Whole minutes, from
   * 0 (start on time) to 1440.
   *
   * @default - a quarter of `driftSchedule`, between 1 and 15 minutes
   * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html
   */
  readonly driftFlexibleWindow?: Duration;

  /**
   * Also check a profile within about a minute of a change made outside CloudFormation, from the
   * CloudTrail events of `UpdateSecurityProfile`, `TagResource`, `UntagResource` and
   * `DeleteSecurityProfile` (an EventBridge rule).
   *
   * Needs a CloudTrail trail that records management events in the stack's account and Region
   * (EventBridge receives "AWS API Call via CloudTrail" events only then). The scheduled sweep stays the
   * backstop for anything an event misses.
   *
   * @default false
   */
  readonly changeEvents?: boolean;

  /**
   * Whether the drift sweep reports, for each hierarchy-restricted profile, the users its holders can
   * reach (the `UsersInScope` metric). Each report costs SearchUsers calls, which share their quota with
   * every other tool of the account: turn it off when they are needed elsewhere.
   *
   * @default true
   */
  readonly accessScopeReport?: boolean;
}

/**
 * The stack-wide settings of the provider behind every `SecurityProfile` of a stack: rate limits and
 * retries towards Connect, log retention, the drift sweep's schedule, change events and the
 * access-scope report.
 *
 * Declare it at most once per stack, anywhere in the stack, before or after the profiles. It applies
 * to the profiles of its stack (a nested stack has its own provider, and its own settings). Without
 * it, every setting has its default. Per-profile choices (the drift mode) stay on each profile.
 *
 * @example
 * new SecurityProfileSettings(stack, 'SecurityProfileSettings', {
 *   // leave half of CreateSecurityProfile's quota to another tool of the account
 *   rateLimits: [ConnectRateLimit.forOperation(ConnectOperation.CREATE_SECURITY_PROFILE, 1)],
 *   logRetention: cdk.aws_logs.RetentionDays.THREE_MONTHS,
 *   driftSchedule: cdk.Duration.minutes(30),
 *   changeEvents: true,
 * });
 */
export class SecurityProfileSettings extends Construct {
  /** The settings, as declared. */
  public readonly props: SecurityProfileSettingsProps;

  constructor(scope: Construct, id: string, props: SecurityProfileSettingsProps = {}) {
    super(scope, id);
    const errors = checkSettings(props);
    if (errors.length > 0) {
      throw new Error(`SecurityProfileSettings '${this.node.path}': ${errors.join('; ')}`);
    }
    this.props = props;
    declareSettings(this, props);
  }
}

function checkSettings(props: SecurityProfileSettingsProps): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const limit of props.rateLimits ?? []) {
    const key = limit.operation ?? 'forOtherOperations';
    if (seen.has(key)) {
      errors.push(`\`rateLimits\` has more than one entry for ${limit.operation ?? 'the other operations (forOtherOperations)'}: keep one`);
    }
    seen.add(key);
  }
  if (props.maxRetryDelay !== undefined) {
    const ms = concreteMillis(props.maxRetryDelay);
    if (ms === undefined || ms < 1 || ms > Duration.minutes(5).toMilliseconds()) {
      errors.push(`\`maxRetryDelay\` must be between 1 millisecond and 5 minutes, known at synth, got ${human(props.maxRetryDelay)}: for example Duration.seconds(5)`);
    }
  }
  const attempts = props.maxErrorAttempts;
  if (attempts !== undefined && (Token.isUnresolved(attempts) || !Number.isInteger(attempts) || attempts < 1 || attempts > 100)) {
    errors.push(`\`maxErrorAttempts\` must be a whole number from 1 to 100, known at synth, got ${shown(attempts)}: for example 8`);
  }
  if (props.driftSchedule !== undefined) {
    const minutes = concreteMinutes(props.driftSchedule);
    if (minutes === undefined || !Number.isInteger(minutes) || minutes < 1) {
      errors.push(`\`driftSchedule\` must be a whole number of minutes, at least 1 minute, known at synth, got ${human(props.driftSchedule)}: `
        + 'for example Duration.minutes(30) or Duration.hours(1)');
    }
  }
  if (props.driftFlexibleWindow !== undefined) {
    const minutes = concreteMinutes(props.driftFlexibleWindow);
    if (minutes === undefined || !Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
      errors.push(`\`driftFlexibleWindow\` must be a whole number of minutes from 0 to 1440 (EventBridge Scheduler's limit), known at synth, got ${human(props.driftFlexibleWindow)}: `
        + 'for example Duration.minutes(15), or Duration.minutes(0) to start each sweep on time');
    }
  }
  return errors;
}

function concreteMinutes(duration: Duration): number | undefined {
  return duration.isUnresolved() ? undefined : duration.toMinutes({ integral: false });
}

function concreteMillis(duration: Duration): number | undefined {
  return duration.isUnresolved() ? undefined : duration.toMilliseconds({ integral: false });
}

function shown(value: number): string {
  return Token.isUnresolved(value) ? 'a token' : String(value);
}

function human(duration: Duration): string {
  return duration.isUnresolved() ? 'a token' : duration.toHumanString();
}
