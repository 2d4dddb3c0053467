import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { HANDLER_ENTRY } from './contract';
import { DriftResources, functionIdentity, HANDLER_ASSET_PATH } from './drift-resources';
import { acknowledge, flattenCfnReference } from './nag';
import { applyRetention, gatewayEnvironment, SETTINGS_DEFAULTS, withSettings } from './settings';
import { DriftMode, DriftReconciliation } from '../drift';

/**
 * The Connect actions the deploy-time handler calls: one per command lambda/connect-api.ts sends on the
 * CloudFormation path (a test keeps the two in step). `SearchUsers` is among them: a Delete that
 * Connect refuses because the profile is still assigned names the users holding it (lambda/on-event.ts).
 * Connect authorizes SearchUsers on the instance ARN, which the statement already names.
 */
export const HANDLER_ACTIONS = [
  'connect:CreateSecurityProfile',
  'connect:DescribeSecurityProfile',
  'connect:UpdateSecurityProfile',
  'connect:DeleteSecurityProfile',
  'connect:ListSecurityProfiles',
  'connect:ListSecurityProfilePermissions',
  'connect:ListSecurityProfileApplications',
  'connect:ListSecurityProfileFlowModules',
  'connect:ListSecurityProfileAIAgents',
  'connect:TagResource',
  'connect:UntagResource',
  'connect:SearchUsers',
];

/**
 * The Connect actions of the hierarchy group lookups (`UserHierarchyGroup.fromGroupPath` and `fromGroupName`,
 * lambda/group-lookup.ts): `SearchUserHierarchyGroups`, which the gateway calls, and `DescribeUserHierarchyGroup`,
 * which the Service Authorization Reference lists as its dependent action (each group a search returns is a
 * read of that group). Granted only in stacks with a lookup, on the instance and its `agent-group/*`.
 */
export const GROUP_LOOKUP_ACTIONS = ['connect:SearchUserHierarchyGroups', 'connect:DescribeUserHierarchyGroup'];

/**
 * The tag calls among `HANDLER_ACTIONS` (and the reconciler's): granted on `security-profile/*` only, the one
 * resource type the library tags.
 */
export const TAG_ACTIONS = ['connect:TagResource', 'connect:UntagResource'];

/**
 * The custom-resource provider behind every `SecurityProfile` in a stack: one handler function, one
 * role, one log group, whatever the number of profiles.
 *
 * Why the `custom-resources` Provider framework rather than a handler that answers CloudFormation
 * itself: the framework's onEvent function uploads the response to the pre-signed S3 URL with retries
 * (a lost response leaves a stack hung for an hour), never logs that URL (it grants write access to
 * the stack's result), turns a thrown error into a FAILED response with its message, and offers an
 * `isComplete` waiter should an operation ever need to poll. Our handler only returns data or throws,
 * which keeps it testable without CloudFormation. The price is a second small function and role owned
 * by the framework (see the cdk-nag acknowledgements below).
 *
 * IAM, least privilege: only the actions the handler calls (`HANDLER_ACTIONS`). Connect authorizes
 * security-profile calls on the instance ARN (`instance/<id>`: Create, List) and on the profile ARN
 * (`instance/<id>/security-profile/<id>`: Describe, Update, Delete, the List* of a profile, the tag
 * calls), and a profile that names `AllowedAccessControlHierarchyGroupId` also refers to the group
 * (`instance/<id>/agent-group/<id>`). Profile ids are only known after creation, so the policy grants
 * the actions on exactly the instances this stack's profiles use and on their `security-profile/*`
 * and `agent-group/*` children: never `*`, never another instance. The tag calls (`TAG_ACTIONS`) are granted
 * on `security-profile/*` alone. `addInstance()` widens both statements as profiles are added. For the other
 * actions the Service Authorization Reference's per-action resource table could not be read where this was
 * written, so each gets the same three ARN patterns rather than a split that might deny a call the reference
 * allows on the instance.
 */
export class SecurityProfileProvider extends Construct {
  /** The construct id under the stack. Frozen: changing it replaces the provider's resources. */
  public static readonly ID = 'CdkConnectSecurityProfilesProvider';

  /**
   * The provider of the stack that `scope` belongs to, created on first use. Its settings are the
   * stack's `SecurityProfileSettings`, declared before or after.
   */
  public static getOrCreate(scope: IConstruct): SecurityProfileProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(SecurityProfileProvider.ID);
    if (existing) {
      return existing as SecurityProfileProvider;
    }
    return new SecurityProfileProvider(stack, SecurityProfileProvider.ID);
  }

  /** The service token custom resources point at. */
  public readonly serviceToken: string;

  /** The function that serves CloudFormation events (bundled from lambda/). */
  public readonly handler: lambda.Function;

  /** The handler's role. */
  public readonly role: iam.Role;

  private readonly connectStatement: iam.PolicyStatement;
  private readonly tagStatement: iam.PolicyStatement;
  private readonly instanceArns = new Set<string>();
  private readonly lookupInstanceArns = new Set<string>();
  private lookupStatement?: iam.PolicyStatement;
  private drift?: DriftResources;

  private constructor(scope: Stack, id: string) {
    super(scope, id);

    const { logGroup, role } = functionIdentity(this, 'Handler', 'Manages Amazon Connect security profiles for the SecurityProfile constructs of this stack');
    this.role = role;

    this.connectStatement = new iam.PolicyStatement({ actions: HANDLER_ACTIONS.filter((a) => !TAG_ACTIONS.includes(a)), resources: [] });
    this.tagStatement = new iam.PolicyStatement({ actions: TAG_ACTIONS, resources: [] });
    // both attached when the first instance is added: a statement without resources is invalid
    this.handler = new lambda.Function(this, 'Handler', {
      description: 'Amazon Connect security profiles: CloudFormation custom resource handler',
      // from src/private/ (ts-jest, tsx) and lib/private/ (compiled) alike
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'handler')),
      handler: HANDLER_ENTRY.onEvent,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.minutes(10),
      memorySize: 256,
      role: this.role,
      logGroup,
      environment: gatewayEnvironment({}),
    });

    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', {
      retention: SETTINGS_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const provider = new Provider(this, 'Framework', {
      onEventHandler: this.handler,
      logGroup: frameworkLogs,
    });
    this.serviceToken = provider.serviceToken;

    withSettings(scope, (settings) => {
      for (const [name, value] of Object.entries(gatewayEnvironment(settings))) this.handler.addEnvironment(name, value);
      if (settings.logRetention !== undefined) {
        applyRetention(logGroup, settings.logRetention);
        applyRetention(frameworkLogs, settings.logRetention);
      }
    });

    // cdk-nag acknowledgements, only on what the library owns here. Rules that report one finding per
    // wildcard (IAM4, IAM5) are acknowledged finding by finding, never for the whole rule.
    acknowledge(this.handler, 'AwsSolutions-L1',
      'Node.js 22 is the newest Lambda runtime known to aws-cdk-lib 2.170, the oldest version this library supports');
    acknowledge(provider, 'AwsSolutions-IAM4',
      'the custom-resources Provider framework gives its own onEvent function the AWSLambdaBasicExecutionRole managed policy',
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    acknowledge(provider, 'AwsSolutions-IAM5',
      'the custom-resources Provider framework may invoke every version of the handler it wraps',
      [`Resource::${flattenCfnReference(Stack.of(this).resolve(`${this.handler.functionArn}:*`))}`]);
    acknowledge(provider, 'AwsSolutions-L1',
      'the custom-resources Provider framework chooses the runtime of its own onEvent function');
  }

  /**
   * The drift reconciliation resources (table, reconciler, schedule, rule), once a profile turned drift on.
   */
  public get driftResources(): DriftResources | undefined {
    return this.drift;
  }

  /**
   * Turns drift reconciliation on for a profile: creates the table, the reconciler and its schedule on
   * first use (the schedule and change events follow the stack's settings). A disabled reconciliation
   * changes nothing.
   */
  public enableDrift(reconciliation: DriftReconciliation): void {
    if (reconciliation.mode === DriftMode.DISABLED) {
      return;
    }
    this.requireDriftResources().register(reconciliation);
  }

  /**
   * The drift resources, created on first use without turning drift on for anything: a
   * `SecurityProfileAssignment` keeps its record in the table even when its own checks are off.
   */
  public requireDriftResources(): DriftResources {
    if (!this.drift) {
      this.drift = new DriftResources(this, 'Drift', {
        handler: this.handler,
        handlerRole: this.role,
        assetPath: HANDLER_ASSET_PATH,
      });
      for (const instanceArn of this.instanceArns) {
        this.drift.addInstance(instanceArn);
      }
    }
    return this.drift;
  }

  /**
   * Lets the handler look hierarchy groups up in this instance (idempotent): `GROUP_LOOKUP_ACTIONS` on the
   * instance and its `agent-group/*`, in a statement of their own that stacks without a lookup never render.
   *
   * @param instanceArn the instance ARN (a token is fine)
   */
  public addGroupLookup(instanceArn: string): void {
    if (this.lookupInstanceArns.has(instanceArn)) {
      return;
    }
    if (!this.lookupStatement) {
      this.lookupStatement = new iam.PolicyStatement({ actions: GROUP_LOOKUP_ACTIONS, resources: [] });
      this.role.addToPrincipalPolicy(this.lookupStatement);
    }
    this.lookupInstanceArns.add(instanceArn);
    const groups = `${instanceArn}/agent-group/*`;
    this.lookupStatement.addResources(instanceArn, groups);
    acknowledge(this.role, 'AwsSolutions-IAM5',
      'a lookup finds a hierarchy group whose id the app does not know: the handler may read the groups of the instances this stack looks groups up in, and no other instance',
      [`Resource::${flattenCfnReference(Stack.of(this).resolve(groups))}`]);
  }

  /**
   * Lets the handler manage security profiles in this instance (idempotent).
   *
   * @param instanceArn the instance ARN (a token is fine)
   */
  public addInstance(instanceArn: string): void {
    if (this.instanceArns.has(instanceArn)) {
      return;
    }
    if (this.instanceArns.size === 0) {
      this.role.addToPrincipalPolicy(this.connectStatement);
      this.role.addToPrincipalPolicy(this.tagStatement);
    }
    this.instanceArns.add(instanceArn);
    const children = [`${instanceArn}/security-profile/*`, `${instanceArn}/agent-group/*`];
    this.connectStatement.addResources(instanceArn, ...children);
    this.tagStatement.addResources(`${instanceArn}/security-profile/*`);
    this.drift?.addInstance(instanceArn);
    acknowledge(this.role, 'AwsSolutions-IAM5',
      'Amazon Connect assigns security profile and hierarchy group ids at creation: the handler may manage the profiles (and read the groups) of the instances this stack uses, and no other instance',
      children.map((arn) => `Resource::${flattenCfnReference(Stack.of(this).resolve(arn))}`));
  }
}
