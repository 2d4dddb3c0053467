import { CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DriftMode, DriftReconciliation } from './drift';
import { AI_AGENT_ARN_FORMAT, isAiAgentArn } from './private/arns';
import {
  ASSIGNMENT_ATTR, ASSIGNMENT_PROFILE_DIMENSION, ASSIGNMENT_RESOURCE_TYPE, AssignmentProperties,
  DEFAULT_MAX_CHANGES_PER_RUN, MAX_USERNAME_LENGTH,
} from './private/assignment-contract';
import { grantAssignments } from './private/assignment-grants';
import { guardAssignment } from './private/guardrails';
import { METRIC_NAMESPACE } from './private/metric-names';
import { SecurityProfileProvider } from './private/provider';
import { UserAttributeFilter } from './search/user-attribute-filter';
import { UserSearchCriteria } from './search/user-search-criteria';
import type { ISecurityProfile } from './security-profile';

/**
 * Which users hold a security profile: the users a `UserAttributeFilter` selects (by their hierarchy group and
 * their tags, optionally narrowed with `UserSearchCriteria`), or users listed by username.
 */
export class UserSelection {
  /**
   * The users SearchUsers finds with this user-attribute filter (and these criteria), read again at every deploy
   * and sweep: users that enter the selection gain the profile, users that leave it lose it.
   *
   * @param userAttributeFilter the users' hierarchy groups and tags
   * @param userSearchCriteria narrows the selection further (for example by username prefix)
   */
  public static matching(userAttributeFilter: UserAttributeFilter, userSearchCriteria?: UserSearchCriteria): UserSelection {
    if (!(userAttributeFilter instanceof UserAttributeFilter)) {
      throw new Error('`UserSelection.matching` takes a UserAttributeFilter: build it with UserAttributeFilter.tag, .hierarchyGroup, .allOf or .anyOf');
    }
    if (userSearchCriteria !== undefined && !(userSearchCriteria instanceof UserSearchCriteria)) {
      throw new Error('`UserSelection.matching` takes UserSearchCriteria as its second argument: build them with UserSearchCriteria.stringCondition, .allOf or .anyOf');
    }
    return new UserSelection(userAttributeFilter.render(), userSearchCriteria?.render(), undefined);
  }

  /**
   * The users with these usernames (exact match). A username that matches no user is reported in the log.
   *
   * @param usernames 1 or more usernames, each 1 to 100 characters
   */
  public static usernames(usernames: string[]): UserSelection {
    if (!Token.isUnresolved(usernames)) {
      if (usernames.length === 0) {
        throw new Error('`UserSelection.usernames` needs at least one username, got none: list the users, or leave `users` out');
      }
      for (const name of usernames) {
        if (!Token.isUnresolved(name) && (name.length === 0 || name.length > MAX_USERNAME_LENGTH)) {
          throw new Error(`\`UserSelection.usernames\` has '${name}': a username is 1 to ${MAX_USERNAME_LENGTH} characters`);
        }
      }
    }
    return new UserSelection(undefined, undefined, [...usernames]);
  }

  private constructor(
    private readonly filter: unknown,
    private readonly criteria: unknown,
    private readonly names: string[] | undefined,
  ) {}

  /** @internal the listed usernames, if users are listed */
  public _usernames(): string[] | undefined {
    return this.names;
  }

  /** @internal */
  public _render(): Pick<AssignmentProperties, 'UserAttributeFilter' | 'UserSearchCriteria' | 'Usernames'> {
    return {
      ...(this.filter !== undefined ? { UserAttributeFilter: this.filter as Record<string, unknown> } : {}),
      ...(this.criteria !== undefined ? { UserSearchCriteria: this.criteria as Record<string, unknown> } : {}),
      ...(this.names !== undefined ? { Usernames: this.names } : {}),
    };
  }
}

/**
 * Options of `ISecurityProfile.assignTo()`.
 */
export interface SecurityProfileAssignmentOptions {
  /**
   * The users that hold the profile.
   *
   * The assignment adds and removes only this profile (a user's other profiles are never touched), and only
   * takes it back from users it gave it to: a user who held the profile before, or got it from someone else,
   * keeps it. A user is never left without a profile, and a user never gets a third profile that enforces
   * granular access control (the deploy fails, naming the users).
   *
   * @default - no users
   * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserSecurityProfiles.html
   */
  readonly users?: UserSelection;

  /**
   * Amazon Q in Connect AI agents that hold the profile, by ARN
   * (`arn:<partition>:wisdom:<region>:<account>:ai-agent/<assistantId>/<aiAgentId>`).
   *
   * @default - no AI agents
   * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_AssociateSecurityProfiles.html
   */
  readonly aiAgentArns?: string[];

  /**
   * The safety valve: a deploy or a sweep that would change more holders than this (users to add or remove, AI
   * agents to associate or disassociate) changes none. A deploy then fails with the count and this property's
   * name; a sweep publishes the `AssignmentChangesHeld` metric (see `createAlarm`). Raise it for a deliberate
   * large change.
   *
   * @default 10
   */
  readonly maxChangesPerRun?: number;

  /**
   * Whether the stack's sweep checks the holders between deploys (users who moved in or out of the selection,
   * profiles given or taken in the Connect admin website), and repairs them.
   *
   * Detect-only by default: a change in who holds a profile is reported (the `AssignmentDrift` metric, a log line
   * per user) rather than made, until you ask for `DriftReconciliation.remediate()`. Checks hold the profile's
   * lease, like the profile's own, and the sweep runs on the stack's one schedule.
   *
   * @default DriftReconciliation.detectOnly()
   */
  readonly driftReconciliation?: DriftReconciliation;
}

/**
 * Properties of a `SecurityProfileAssignment`.
 */
export interface SecurityProfileAssignmentProps extends SecurityProfileAssignmentOptions {
  /**
   * The security profile the users and AI agents hold. A profile of this stack, or an imported one.
   */
  readonly securityProfile: ISecurityProfile;
}

/**
 * A metric of assignments.
 */
export enum AssignmentMetricName {
  /** Users given the profile by a sweep (remediate mode). */
  USERS_ASSIGNED = 'UsersAssigned',
  /** Users a sweep took the profile from (remediate mode). */
  USERS_UNASSIGNED = 'UsersUnassigned',
  /** Changes a sweep found needed (users and AI agents to add or remove, rule refusals included). */
  ASSIGNMENT_DRIFT = 'AssignmentDrift',
  /** Changes the safety valve held back: more than `maxChangesPerRun` were needed and none was made. */
  ASSIGNMENT_CHANGES_HELD = 'AssignmentChangesHeld',
}

/**
 * Options of `SecurityProfileAssignment.createAlarm()`.
 */
export interface AssignmentAlarmOptions {
  /**
   * The metric to alarm on.
   *
   * @default AssignmentMetricName.ASSIGNMENT_CHANGES_HELD
   */
  readonly metric?: AssignmentMetricName;

  /**
   * The alarm fires when the sum over one period is at least this.
   *
   * @default 1
   */
  readonly threshold?: number;

  /**
   * The period of the sum. Use at least the sweep schedule.
   *
   * @default Duration.hours(1)
   */
  readonly period?: Duration;

  /**
   * The alarm name.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;
}

/**
 * The holders of a security profile, declared: the users a filter selects (or listed by username) and AI agents,
 * reconciled at every deploy and, optionally, by the stack's drift sweep.
 *
 * A custom resource (`Custom::ConnectSecurityProfileAssignment`) served by the stack's one provider reads the
 * selected users and the profile's holders with SearchUsers, re-reads each user before writing, and sets each
 * user's profiles with UpdateUserSecurityProfiles (adding or removing only this profile); AI agents go through
 * AssociateSecurityProfiles and DisassociateSecurityProfiles. Removing the resource takes the profile back from
 * the holders it gave it to. The record of those holders lives in the stack's desired-state table.
 *
 * @resource Custom::ConnectSecurityProfileAssignment
 *
 * @example
 * declare const supervisors: SecurityProfile;
 * declare const bpoA: IUserHierarchyGroup;
 *
 * supervisors.assignTo('BpoASupervisors', {
 *   users: UserSelection.matching(UserAttributeFilter.allOf(
 *     UserAttributeFilter.hierarchyGroup(bpoA, HierarchyGroupMatchType.WITH_CHILD_GROUPS),
 *     UserAttributeFilter.tag('role', 'supervisor'),
 *   )),
 * });
 */
export class SecurityProfileAssignment extends Construct {
  /** The profile the assignment manages the holders of. */
  public readonly securityProfile: ISecurityProfile;

  /**
   * Users that hold the profile because of this assignment, after the last deploy.
   *
   * @attribute
   */
  public readonly usersAssigned: string;

  constructor(scope: Construct, id: string, props: SecurityProfileAssignmentProps) {
    super(scope, id);
    const errors = checkProps(props);
    if (errors.length > 0) {
      throw new Error(`SecurityProfileAssignment '${this.node.path}': ${errors.join('; ')}`);
    }
    this.securityProfile = props.securityProfile;
    const instanceArn = props.securityProfile.instanceArn;
    const drift = props.driftReconciliation ?? DriftReconciliation.detectOnly();

    const provider = SecurityProfileProvider.getOrCreate(this);
    provider.addInstance(instanceArn);
    provider.enableDrift(drift);
    grantAssignments(provider, instanceArn, drift.mode === DriftMode.REMEDIATE);

    const properties: AssignmentProperties = {
      ContractVersion: '1',
      InstanceArn: instanceArn,
      SecurityProfileId: props.securityProfile.securityProfileId,
      ...props.users?._render(),
      ...(props.aiAgentArns !== undefined && (Token.isUnresolved(props.aiAgentArns) || props.aiAgentArns.length > 0)
        ? { AIAgentArns: props.aiAgentArns } : {}),
      MaxChangesPerRun: String(props.maxChangesPerRun ?? DEFAULT_MAX_CHANGES_PER_RUN),
      DriftMode: drift.mode,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: ASSIGNMENT_RESOURCE_TYPE,
      properties: { ...properties },
    });
    this.usersAssigned = resource.getAttString(ASSIGNMENT_ATTR.usersAssigned);
    const listed = props.users?._usernames();
    guardAssignment({
      scope: this,
      profile: props.securityProfile,
      usernames: listed !== undefined && !Token.isUnresolved(listed) ? listed.filter((n) => !Token.isUnresolved(n)) : undefined,
    });
  }

  /** An assignment metric of this profile, summed over 1 hour by default. */
  public metric(metricName: AssignmentMetricName, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      statistic: 'Sum',
      period: Duration.hours(1),
      ...options,
      dimensionsMap: {
        service: Stack.of(this).stackName,
        [ASSIGNMENT_PROFILE_DIMENSION]: this.securityProfile.securityProfileId,
        ...options.dimensionsMap,
      },
    });
  }

  /** Users given the profile by the sweep. */
  public metricUsersAssigned(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(AssignmentMetricName.USERS_ASSIGNED, options);
  }

  /** Users the sweep took the profile from. */
  public metricUsersUnassigned(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(AssignmentMetricName.USERS_UNASSIGNED, options);
  }

  /** Changes the sweep found needed. */
  public metricAssignmentDrift(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(AssignmentMetricName.ASSIGNMENT_DRIFT, options);
  }

  /** Changes the safety valve held back. */
  public metricChangesHeld(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(AssignmentMetricName.ASSIGNMENT_CHANGES_HELD, options);
  }

  /**
   * An alarm on an assignment metric: by default it fires when the safety valve held changes back within an
   * hour. Missing data (no sweep in the period) does not fire it.
   */
  public createAlarm(scope: Construct, id: string, options: AssignmentAlarmOptions = {}): cloudwatch.Alarm {
    const metricName = options.metric ?? AssignmentMetricName.ASSIGNMENT_CHANGES_HELD;
    const threshold = options.threshold ?? 1;
    if (!Token.isUnresolved(threshold) && !(threshold > 0)) {
      throw new Error(`\`threshold\` must be greater than 0, got ${threshold}; use 1 to alarm on any occurrence`);
    }
    return new cloudwatch.Alarm(scope, id, {
      metric: this.metric(metricName, { period: options.period ?? Duration.hours(1) }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmName: options.alarmName,
      alarmDescription: `Amazon Connect security profile holders: ${metricName} of ${this.node.path}`,
    });
  }
}

function checkProps(props: SecurityProfileAssignmentProps): string[] {
  const errors: string[] = [];
  if (props.users === undefined && (props.aiAgentArns === undefined || (!Token.isUnresolved(props.aiAgentArns) && props.aiAgentArns.length === 0))) {
    errors.push('set `users` (UserSelection.matching or UserSelection.usernames), `aiAgentArns`, or both: an assignment with neither would hold nothing');
  }
  const max = props.maxChangesPerRun;
  if (max !== undefined && !Token.isUnresolved(max) && !(Number.isInteger(max) && max >= 1)) {
    errors.push(`\`maxChangesPerRun\` must be a whole number of at least 1, got ${max}: it is how many holders one deploy or sweep may change`);
  }
  if (props.aiAgentArns !== undefined && !Token.isUnresolved(props.aiAgentArns)) {
    for (const arn of props.aiAgentArns) {
      if (!Token.isUnresolved(arn) && !isAiAgentArn(arn)) {
        errors.push(`\`aiAgentArns\` has '${arn}', which is not an AI agent ARN: expected ${AI_AGENT_ARN_FORMAT}`);
      }
    }
  }
  return errors;
}
