import * as path from 'path';
import { Aws, CfnParameter, Duration, Fn, Lazy, NestedStack, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { CHANGE_EVENT_NAMES } from './change-event-names';
import { DESIRED_STATE_PARTITION_KEY, ENV, HANDLER_ENTRY, OWNER_TAG_KEY, ownerScopeOf } from './contract';
import { acknowledge, flattenCfnReference } from './nag';
import { applyRetention, defaultWindow, DEPRECATED_DRIFT_OPTIONS, gatewayEnvironment, SETTINGS_DEFAULTS, settingsPath, withSettings } from './settings';
import { DriftMode, DriftReconciliation } from '../drift';
import type { SecurityProfileSettingsProps } from '../settings';

/**
 * The Connect actions the drift reconciler needs to check a profile: its reads, DescribeInstance (is a
 * missing profile's instance gone too), DescribeUserHierarchyGroup (does the access-control group
 * still exist), and SearchUsers for the access-scope report.
 */
export const RECONCILER_READ_ACTIONS = [
  'connect:DescribeInstance',
  'connect:DescribeUserHierarchyGroup',
  'connect:DescribeSecurityProfile',
  'connect:ListSecurityProfilePermissions',
  'connect:ListSecurityProfileApplications',
  'connect:ListSecurityProfileFlowModules',
  'connect:ListSecurityProfileAIAgents',
  'connect:SearchUsers',
];

/**
 * The Connect actions of a repair, granted only when a profile of the stack remediates (a detect-only
 * stack's reconciler cannot change a profile). Never Create or Delete: a missing profile is reported,
 * not recreated. On a profile they are granted only while its owner tag names this stack
 * (`ownerMarkPatterns`).
 */
export const RECONCILER_WRITE_ACTIONS = [
  'connect:UpdateSecurityProfile',
  'connect:TagResource',
  'connect:UntagResource',
];

/** Every Connect action the reconciler may be granted. */
export const RECONCILER_ACTIONS = [...RECONCILER_READ_ACTIONS, ...RECONCILER_WRITE_ACTIONS];

/**
 * The DynamoDB actions of the deploy-time handler on the table: lambda/state-table.ts `put` and
 * `delete`, and the profile leases of lambda/lease.ts (conditional updates, a read of the holder).
 */
export const HANDLER_TABLE_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem'];

/** The DynamoDB actions of the reconciler (records, results, the sweep cursor and the leases). */
export const RECONCILER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:PutItem'];

/** What a function needs on its own log group (what `logGroup.grantWrite()` grants). */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * A function's own log group (`<name>Logs`) and role (`<name>Role`), the role allowed to write to that log
 * group and nothing else yet: no AWSLambdaBasicExecutionRole managed policy (cdk-nag IAM4).
 */
export function functionIdentity(scope: Construct, name: string, description: string): { logGroup: logs.LogGroup; role: iam.Role } {
  const logGroup = new logs.LogGroup(scope, `${name}Logs`, {
    retention: SETTINGS_DEFAULTS.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${name}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
  });
  // the statement logGroup.grantWrite() renders, without the Grant machinery (twice per stack, on every synth)
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: LOG_WRITE_ACTIONS, resources: [logGroup.logGroupArn] }));
  return { logGroup, role };
}

/** The reconciler's timeout and the part of it a sweep invocation may use. */
const RECONCILER_TIMEOUT = Duration.minutes(15);
const SWEEP_BUDGET = Duration.minutes(10);

/** What the drift resources need from the provider. */
export interface DriftResourcesProps {
  /** The deploy-time handler: it gets the table's name and may write records. */
  readonly handler: lambda.Function;
  /** The handler's role. */
  readonly handlerRole: iam.IRole;
  /** The handler bundle (the reconciler is another entry of the same asset). */
  readonly assetPath: string;
}

/**
 * Drift reconciliation for one stack: the desired-state table, the reconciler function, its schedule
 * and (when a profile asks for it) the change-event rule. Created by the provider on the first profile
 * with drift on.
 *
 * The schedule, its window and the change-event rule follow the stack's `SecurityProfileSettings`
 * (`driftSchedule`, `driftFlexibleWindow`, `changeEvents`). Without them, the deprecated per-profile
 * options decide as they always did: the most frequent `schedule` of the registered profiles with its
 * window, and the rule on the first profile with `onChangeEvents`.
 */
export class DriftResources extends Construct {
  /** The desired-state table. */
  public readonly table: dynamodb.CfnTable;
  /** The reconciler function (`index.reconcile`). */
  public readonly reconciler: lambda.Function;
  /** The reconciler's role. */
  public readonly role: iam.Role;
  /** The schedule that starts sweeps. */
  public readonly schedule: scheduler.CfnSchedule;

  private readonly reconciliations: DriftReconciliation[] = [];
  private readonly readStatement: iam.PolicyStatement;
  /** The repairs of a profile, conditioned on its owner tag. */
  private writeStatement?: iam.PolicyStatement;
  /** UpdateSecurityProfile on the other ARNs the call may be authorized on (the instance, a hierarchy group). */
  private updateContextStatement?: iam.PolicyStatement;
  private readonly instanceArns = new Set<string>();
  private rule?: events.Rule;
  private settings: SecurityProfileSettingsProps = {};
  /** The profiles that asked for change events with the deprecated per-profile option. */
  private deprecatedChangeEvents = 0;
  /** The schedules the profiles asked for with the deprecated per-profile option, in minutes. */
  private readonly deprecatedSchedules = new Set<number>();

  constructor(scope: Construct, id: string, props: DriftResourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.table = new dynamodb.CfnTable(this, 'DesiredState', {
      keySchema: [{ attributeName: DESIRED_STATE_PARTITION_KEY, keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: DESIRED_STATE_PARTITION_KEY, attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // the AWS managed key (aws/dynamodb)
      sseSpecification: { sseEnabled: true },
    });
    // The records are rebuilt by the next deploy of each profile; the table goes with the stack.
    this.table.applyRemovalPolicy(RemovalPolicy.DESTROY);
    const tableArn = this.table.attrArn;

    props.handler.addEnvironment(ENV.desiredStateTable, this.table.ref);
    props.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: HANDLER_TABLE_ACTIONS, resources: [tableArn] }));

    const { logGroup, role } = functionIdentity(this, 'Reconciler', 'Checks and repairs drift of the Amazon Connect security profiles of this stack');
    this.role = role;
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: RECONCILER_TABLE_ACTIONS, resources: [tableArn] }));
    this.readStatement = new iam.PolicyStatement({ actions: RECONCILER_READ_ACTIONS, resources: [] });

    this.reconciler = new lambda.Function(this, 'Reconciler', {
      description: 'Amazon Connect security profiles: drift reconciler (scheduled sweeps and change events)',
      code: lambda.Code.fromAsset(props.assetPath),
      handler: HANDLER_ENTRY.reconcile,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: RECONCILER_TIMEOUT,
      memorySize: 256,
      // No reserved concurrency: a new account (concurrency quota 10) cannot reserve any. One sweep at a
      // time, and one writer per profile, come from leases in the table.
      role: this.role,
      logGroup,
      environment: {
        [ENV.desiredStateTable]: this.table.ref,
        [ENV.sweepBudgetMs]: String(SWEEP_BUDGET.toMilliseconds()),
        ...gatewayEnvironment({}),
        [ENV.ignoredRoleArns]: `${props.handlerRole.roleArn},${this.role.roleArn}`,
        [ENV.ownerStackName]: stack.stackName,
        // the `service` dimension of the metrics (src/drift.ts DriftMetrics)
        POWERTOOLS_SERVICE_NAME: stack.stackName,
      },
    });

    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Lets EventBridge Scheduler start the drift reconciler of this stack',
    });
    scheduleRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.reconciler.functionArn] }));

    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: 'Sweep: check every drift-managed Amazon Connect security profile of this stack',
      scheduleExpression: Lazy.string({ produce: () => rateExpression(this.interval()) }),
      flexibleTimeWindow: {
        mode: Lazy.string({ produce: () => this.window().toMinutes() === 0 ? 'OFF' : 'FLEXIBLE' }),
        maximumWindowInMinutes: Lazy.number({ produce: () => this.window().toMinutes() || undefined }),
      },
      target: {
        arn: this.reconciler.functionArn,
        roleArn: scheduleRole.roleArn,
        input: JSON.stringify({ source: 'cdk-connect-security-profiles.sweep' }),
      },
      state: 'ENABLED',
    });
    // the role's policy must exist before the schedule first fires
    this.schedule.node.addDependency(scheduleRole);

    acknowledge(this.reconciler, 'AwsSolutions-L1',
      'Node.js 22 is the newest Lambda runtime known to aws-cdk-lib 2.170, the oldest version this library supports');

    withSettings(stack, (settings) => {
      this.settings = settings;
      for (const [name, value] of Object.entries(gatewayEnvironment(settings))) this.reconciler.addEnvironment(name, value);
      if (settings.accessScopeReport === false) this.reconciler.addEnvironment(ENV.accessScopeReport, 'false');
      if (settings.logRetention !== undefined) applyRetention(logGroup, settings.logRetention);
      this.updateChangeEvents();
    });
    this.node.addValidation({ validate: () => this.conflicts() });
  }

  /**
   * Take a profile into account: its mode decides whether the reconciler may repair, and its deprecated
   * per-profile options count where the stack's settings say nothing.
   */
  public register(reconciliation: DriftReconciliation): void {
    if (reconciliation.mode === DriftMode.DISABLED) return;
    if (reconciliation.schedule?.isUnresolved()) {
      throw new Error('`driftReconciliation` schedule must be a concrete duration, not a token: the stack\'s profiles share one schedule, chosen at synth; '
        + 'set `driftSchedule` of the stack\'s SecurityProfileSettings instead');
    }
    this.reconciliations.push(reconciliation);
    const deprecated = DEPRECATED_DRIFT_OPTIONS.get(reconciliation);
    if (deprecated?.schedule !== undefined) this.deprecatedSchedules.add(deprecated.schedule.toMinutes());
    if (deprecated?.onChangeEvents) this.deprecatedChangeEvents++;
    if (reconciliation.mode === DriftMode.REMEDIATE && !this.writeStatement) {
      // Connect supports aws:ResourceTag on the security-profile resource type, for UpdateSecurityProfile,
      // TagResource and UntagResource (Service Authorization Reference, "Actions, resources, and condition
      // keys for Amazon Connect"): a record naming a profile this stack does not own (the default Admin
      // profile, another stack's) is refused by IAM as well as by the reconciler's own ownership check.
      this.writeStatement = new iam.PolicyStatement({
        actions: RECONCILER_WRITE_ACTIONS,
        resources: [...this.instanceArns].map(profilesOf),
        conditions: { StringLike: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: ownerMarkPatterns(Stack.of(this)) } },
      });
      // The reference's per-action resource list could not be read: UpdateSecurityProfile keeps the
      // instance and its hierarchy groups (no profile can be changed through those ARNs).
      this.updateContextStatement = new iam.PolicyStatement({
        actions: ['connect:UpdateSecurityProfile'],
        resources: [...this.instanceArns].flatMap((arn) => [arn, `${arn}/agent-group/*`]),
      });
      if (this.instanceArns.size > 0) {
        this.role.addToPrincipalPolicy(this.writeStatement);
        this.role.addToPrincipalPolicy(this.updateContextStatement);
      }
    }
    this.updateChangeEvents();
  }

  /** Adds the change-event rule once the stack's settings, or a profile's deprecated option, ask for it. */
  private updateChangeEvents(): void {
    const wanted = this.settings.changeEvents ?? this.deprecatedChangeEvents > 0;
    if (wanted && !this.rule) {
      this.rule = new events.Rule(this, 'ChangeEvents', {
        description: 'Connect security profile changes recorded by CloudTrail: check the changed profile for drift',
        eventPattern: {
          source: ['aws.connect'],
          detailType: ['AWS API Call via CloudTrail'],
          detail: {
            eventSource: ['connect.amazonaws.com'],
            eventName: [...CHANGE_EVENT_NAMES],
            // only the calls on this stack's instances (other instances' changes never reach the reconciler)
            $or: Lazy.any({ produce: () => instanceFilters([...this.instanceArns]) }),
          },
        },
        targets: [new targets.LambdaFunction(this.reconciler, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
      });
    }
  }

  /**
   * Lets the reconciler check the profiles of this instance, and repair them when a profile of the stack
   * remediates (idempotent).
   */
  public addInstance(instanceArn: string): void {
    if (this.instanceArns.has(instanceArn)) return;
    if (this.instanceArns.size === 0) {
      // a statement without resources is invalid: attached with the first instance
      this.role.addToPrincipalPolicy(this.readStatement);
      if (this.writeStatement) this.role.addToPrincipalPolicy(this.writeStatement);
      if (this.updateContextStatement) this.role.addToPrincipalPolicy(this.updateContextStatement);
    }
    this.instanceArns.add(instanceArn);
    // SearchUsers (the access-scope report) is authorized on the instance itself
    const children = [profilesOf(instanceArn), `${instanceArn}/agent-group/*`];
    this.readStatement.addResources(instanceArn, ...children);
    this.writeStatement?.addResources(profilesOf(instanceArn));
    this.updateContextStatement?.addResources(instanceArn, `${instanceArn}/agent-group/*`);
    acknowledge(this.role, 'AwsSolutions-IAM5',
      'Amazon Connect assigns security profile and hierarchy group ids at creation: the reconciler may read and repair the profiles of the instances this stack uses, and no other instance',
      children.map((arn) => `Resource::${flattenCfnReference(Stack.of(this).resolve(arn))}`));
  }

  /** The stack's `driftSchedule`, else the most frequent schedule of the registered profiles. */
  private interval(): Duration {
    if (this.settings.driftSchedule) return this.settings.driftSchedule;
    const minutes = this.reconciliations.map((r) => r.schedule?.toMinutes() ?? SETTINGS_DEFAULTS.driftScheduleMinutes);
    return Duration.minutes(minutes.length > 0 ? Math.min(...minutes) : SETTINGS_DEFAULTS.driftScheduleMinutes);
  }

  /** The stack's `driftFlexibleWindow`, else the window that goes with the interval. */
  private window(): Duration {
    if (this.settings.driftFlexibleWindow) return this.settings.driftFlexibleWindow;
    if (this.settings.driftSchedule) return defaultWindow(this.settings.driftSchedule);
    const chosen = this.interval().toMinutes();
    const match = this.reconciliations.find((r) => r.schedule?.toMinutes() === chosen);
    return match?.flexibleWindow ?? Duration.minutes(15);
  }

  /** Deprecated per-profile options that say otherwise than the stack's settings. */
  private conflicts(): string[] {
    const errors: string[] = [];
    const where = `the stack's SecurityProfileSettings '${settingsPath(Stack.of(this))}'`;
    const schedule = this.settings.driftSchedule?.toMinutes();
    const others = [...this.deprecatedSchedules].filter((m) => m !== schedule);
    if (schedule !== undefined && others.length > 0) {
      errors.push(`${where} sets \`driftSchedule\` to ${schedule} minute(s), but profiles ask for ${others.join(', ')} minute(s) with the deprecated `
        + '`schedule` option of `driftReconciliation`: remove `schedule` from their DriftReconciliation (the stack-wide `driftSchedule` decides)');
    }
    if (this.settings.changeEvents === false && this.deprecatedChangeEvents > 0) {
      errors.push(`${where} sets \`changeEvents\` to false, but ${this.deprecatedChangeEvents} profile(s) ask for change events with the deprecated `
        + '`onChangeEvents` option of `driftReconciliation`: remove `onChangeEvents` from their DriftReconciliation (the stack-wide `changeEvents` decides)');
    }
    return errors;
  }
}

/** The security profiles of an instance, as an IAM resource. */
function profilesOf(instanceArn: string): string {
  return `${instanceArn}/security-profile/*`;
}

/**
 * The owner marks (values of `OWNER_TAG_KEY`) of this stack's profiles, as `StringLike` patterns: a mark is
 * `<scope>/<logicalId>` (lambda/owner.ts), its scope the stack name, or for a nested stack the name without
 * CloudFormation's random suffix (`ownerScopeOf`), and marks written before the suffix was dropped keep it.
 *
 * - `<stackName>/*`: the stack's own name (a token for a nested stack): marks that keep the full name.
 * - a top-level stack whose name has the nested shape: `<ownerScopeOf(name)>/*` too.
 * - a nested stack: `<parentName>-<logicalIdInParent>/*`, and `<parentName>-<logicalIdInParent>-*\/*` for the
 *   marks of an earlier incarnation of the nested stack (another suffix).
 */
export function ownerMarkPatterns(stack: Stack): string[] {
  const patterns = [`${stack.stackName}/*`];
  if (!Token.isUnresolved(stack.stackName) && ownerScopeOf(stack.stackName) !== stack.stackName) {
    patterns.push(`${ownerScopeOf(stack.stackName)}/*`);
  }
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  if (parent && resource && NestedStack.isNestedStack(stack)) {
    // read at synth: the logical id may be overridden after this stack's profiles are defined
    const logicalId = Lazy.string({ produce: () => parent.resolve(resource.logicalId) });
    const scope = `${parentStackName(stack, parent)}-${logicalId}`;
    patterns.push(`${scope}/*`, `${scope}-*/*`);
  }
  return patterns;
}

/**
 * The parent's stack name, as a value of the nested stack's template: a literal for a top-level parent; for a
 * nested parent (whose name CloudFormation chooses) a parameter of this stack, set by the parent to its own
 * `AWS::StackName` (referencing the parent's `stackName` from here would make CDK pass the parent's own
 * resource to itself).
 */
function parentStackName(stack: NestedStack, parent: Stack): string {
  if (!Token.isUnresolved(parent.stackName)) return parent.stackName;
  const id = 'CdkConnectSecurityProfilesParentStackName';
  const existing = stack.node.tryFindChild(id) as CfnParameter | undefined;
  if (existing) return existing.valueAsString;
  const parameter = new CfnParameter(stack, id, {
    type: 'String',
    description: 'The name of the parent stack (set by the parent): the owner marks of this nested stack\'s security profiles start with it',
  });
  stack.setParameter(parameter.logicalId, Aws.STACK_NAME);
  return parameter.valueAsString;
}

/**
 * EventBridge `$or` filters that keep the CloudTrail events of these instances: `InstanceId` (the id or the
 * ARN, in either casing CloudTrail may record it) for the security-profile calls, the profile ARN's prefix in
 * `resourceArn` for the tag calls.
 */
export function instanceFilters(instanceArns: string[]): unknown[] {
  const ids = instanceArns.flatMap((arn) => [instanceIdOf(arn), arn]);
  const prefixes = instanceArns.map((arn) => ({ prefix: `${arn}/security-profile/` }));
  return [
    { requestParameters: { InstanceId: ids } },
    { requestParameters: { instanceId: ids } },
    { requestParameters: { resourceArn: prefixes } },
    { requestParameters: { ResourceArn: prefixes } },
  ];
}

function instanceIdOf(instanceArn: string): string {
  return Token.isUnresolved(instanceArn) ? Fn.select(1, Fn.split('/', instanceArn)) : instanceArn.slice(instanceArn.lastIndexOf('/') + 1);
}

/**
 * `rate(...)` for an EventBridge Scheduler schedule, in the largest whole unit.
 */
export function rateExpression(interval: Duration): string {
  const minutes = interval.toMinutes();
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `rate(${value} ${unit}${value === 1 ? '' : 's'})`;
}

/** The path of the handler bundle, from src/private/ (ts-jest, tsx) and lib/private/ (compiled) alike. */
export const HANDLER_ASSET_PATH = path.join(__dirname, '..', '..', 'assets', 'handler');
