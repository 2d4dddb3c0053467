import {
  Annotations, CfnResource, CustomResource, IResource, ITaggable, RemovalPolicy, RemovalPolicyOptions, Resource, TagManager, TagType, Token,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { GranularAccessControlConfiguration, HierarchyAccessControl, TagAccessControl } from './access-control';
import { AiAgent, Application, FlowModule } from './applications';
import { SecurityProfileAssignment, SecurityProfileAssignmentOptions } from './assignment';
import { DriftReconciliation } from './drift';
import { IInstance } from './instance';
import { DOCUMENTED_PERMISSIONS, Permission, UNDOCUMENTED_KNOWN_PERMISSIONS } from './permissions.generated';
import { ATTR, RESOURCE_TYPE } from './private/contract';
import { guardProfile } from './private/guardrails';
import { instanceChildOfArn } from './private/imported-arns';
import { SecurityProfileProvider } from './private/provider';
import { renderProperties } from './private/security-profile-render';
import { DEPRECATED_DRIFT_OPTIONS } from './private/settings';
import { checkLateProps, checkRemovalPolicy, checkSecurityProfileProps, duplicates, LIMITS, PROFILES_PER_INSTANCE_QUOTA_CODE } from './private/validation';

/**
 * Properties of a `SecurityProfile`.
 */
export interface SecurityProfileProps {
  /**
   * The Amazon Connect instance the profile belongs to.
   */
  readonly instance: IInstance;

  /**
   * The name of the security profile: 1 to 127 letters, digits, spaces, `_`, `@` or `-`.
   *
   * The name identifies the profile in its instance; renaming it replaces the profile.
   *
   * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateSecurityProfile.html
   */
  readonly securityProfileName: string;

  /**
   * A description, at most 250 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The permissions the profile grants, at most 500. Add more later with `addPermissions()`.
   *
   * @default - no permissions
   * @see https://docs.aws.amazon.com/connect/latest/adminguide/security-profile-list.html
   */
  readonly permissions?: Permission[];

  /**
   * Tags for the profile, at most 49 (Connect allows 50 and the library's ownership tag takes one).
   * `Tags.of(profile).add()` works as well.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Tag-based access control: holders of the profile can access only the resources of the restricted
   * types that carry all the allowed tags.
   *
   * @default - no tag-based access control
   * @see https://docs.aws.amazon.com/connect/latest/adminguide/tag-based-access-control.html
   */
  readonly tagAccessControl?: TagAccessControl;

  /**
   * Hierarchy-based access control: restrict holders of the profile to a given hierarchy group, or to
   * each holder's own group, and the groups below it.
   *
   * @default - no hierarchy-based access control
   * @see https://docs.aws.amazon.com/connect/latest/adminguide/hierarchy-based-access-control.html
   */
  readonly hierarchyAccessControl?: HierarchyAccessControl;

  /**
   * Applications whose permissions the profile grants, at most 10.
   *
   * @default - no applications
   */
  readonly applications?: Application[];

  /**
   * Flow modules the profile allows, at most 10.
   *
   * Managed only when set: leave it out to leave the profile's flow modules as they are in Connect;
   * an empty list removes them all.
   *
   * @default - not managed
   */
  readonly allowedFlowModules?: FlowModule[];

  /**
   * Granular access control (data tables by primary attribute).
   *
   * @default - none
   */
  readonly granularAccessControlConfiguration?: GranularAccessControlConfiguration;

  /**
   * AI agents the profile allows.
   *
   * Managed only when set: leave it out to leave the profile's AI agents as they are in Connect; an
   * empty list removes them all.
   *
   * @default - not managed
   */
  readonly allowedAIAgents?: AiAgent[];

  /**
   * What happens to the profile in Connect when the resource leaves the stack (or the stack is
   * deleted).
   *
   * `RemovalPolicy.DESTROY` deletes the profile; `RemovalPolicy.RETAIN` (or
   * `RETAIN_ON_UPDATE_OR_DELETE`) leaves it in Connect. The policy is passed to the handler rather
   * than set as the CloudFormation `DeletionPolicy`: the handler is always called on delete, so it
   * can drop the library's own records of the profile (drift tracking) and release the profile even
   * when it stays. `profile.applyRemovalPolicy()` and `RemovalPolicies.of(scope)` set the same policy
   * (the last one applied wins). Deleting a profile that users still hold fails; Connect requires
   * removing it from them first.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Take over a profile of the same name that already exists in the instance but was not created by
   * this library (it lacks the library's ownership tag).
   *
   * Without it, such a profile makes the deployment fail rather than silently change a profile
   * someone else manages. Adopted profiles are then fully managed: their permissions, tags and access
   * control are set to what this construct declares.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * Drift reconciliation between deploys: how a change made outside CloudFormation (in the Connect
   * admin website, the CLI or an SDK) is found and handled.
   *
   * The profiles of a stack share one reconciler; each profile has its own mode. The sweep's schedule
   * and change events are the stack's: see `SecurityProfileSettings` and the README section "Drift
   * reconciliation".
   *
   * @default DriftReconciliation.remediate() - an hourly sweep that repairs drift
   */
  readonly driftReconciliation?: DriftReconciliation;
}

/**
 * An Amazon Connect security profile.
 */
export interface ISecurityProfile extends IResource {
  /**
   * The id of the security profile.
   *
   * @attribute
   */
  readonly securityProfileId: string;

  /**
   * The ARN of the security profile:
   * `arn:<partition>:connect:<region>:<account>:instance/<instanceId>/security-profile/<profileId>`.
   *
   * @attribute
   */
  readonly securityProfileArn: string;

  /**
   * The name of the security profile.
   *
   * Throws for a profile imported by ARN alone (the ARN holds the id, not the name): import it with
   * `fromSecurityProfileAttributes` and its name instead.
   *
   * @attribute
   */
  readonly securityProfileName: string;

  /**
   * The ARN of the instance the profile belongs to.
   */
  readonly instanceArn: string;

  /**
   * Grant the given identity the given Connect actions on this profile.
   *
   * @param grantee the principal
   * @param actions the actions, for example `connect:DescribeSecurityProfile`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grant the given identity read access to this profile: describe it, list its permissions,
   * applications and tags.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Declare who holds this profile: the users a filter selects (or listed by username) and AI agents.
   *
   * @param id the id of the assignment construct (a child of this profile)
   * @param options the holders, the safety valve and the drift checks
   */
  assignTo(id: string, options: SecurityProfileAssignmentOptions): SecurityProfileAssignment;
}

/**
 * Attributes to import a security profile with.
 *
 * Give `securityProfileArn`, or `instance` and `securityProfileId`.
 */
export interface SecurityProfileAttributes {
  /**
   * The ARN of the profile.
   *
   * @default - built from `instance` and `securityProfileId`
   */
  readonly securityProfileArn?: string;

  /**
   * The instance of the profile.
   *
   * @default - read from `securityProfileArn`
   */
  readonly instance?: IInstance;

  /**
   * The id of the profile.
   *
   * @default - read from `securityProfileArn`
   */
  readonly securityProfileId?: string;

  /**
   * The name of the profile.
   *
   * @default - unknown: reading `securityProfileName` throws
   */
  readonly securityProfileName?: string;
}

const READ_ACTIONS = [
  'connect:DescribeSecurityProfile',
  'connect:ListSecurityProfilePermissions',
  'connect:ListSecurityProfileApplications',
  'connect:ListTagsForResource',
];

/**
 * Shared by the profile defined here and imported profiles.
 */
abstract class SecurityProfileBase extends Resource implements ISecurityProfile {
  public abstract readonly securityProfileId: string;
  public abstract readonly securityProfileArn: string;
  public abstract readonly securityProfileName: string;
  public abstract readonly instanceArn: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.securityProfileArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...READ_ACTIONS);
  }

  public assignTo(id: string, options: SecurityProfileAssignmentOptions): SecurityProfileAssignment {
    return new SecurityProfileAssignment(this, id, { ...options, securityProfile: this });
  }
}

/**
 * An Amazon Connect security profile, reconciled against the live profile at every deployment.
 *
 * A custom resource (`Custom::ConnectSecurityProfile`) served by one provider per stack creates,
 * updates and deletes the profile through the Connect API, so every field of the API is available,
 * including hierarchy-based access control.
 *
 * @resource Custom::ConnectSecurityProfile
 *
 * @example
 * declare const instance: IInstance;
 * declare const teamA: IUserHierarchyGroup;
 *
 * new SecurityProfile(this, 'TeamASupervisors', {
 *   instance,
 *   securityProfileName: 'Team A supervisors',
 *   permissions: [Permission.USERS_VIEW, Permission.ACCESS_METRICS],
 *   hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(teamA),
 * });
 */
export class SecurityProfile extends SecurityProfileBase implements ITaggable {
  /**
   * Import a profile by its ARN. Its name is unknown (the ARN holds the id).
   *
   * @param scope the scope of the imported construct
   * @param id the id of the imported construct
   * @param securityProfileArn `arn:<partition>:connect:<region>:<account>:instance/<instanceId>/security-profile/<profileId>`
   */
  public static fromSecurityProfileArn(scope: Construct, id: string, securityProfileArn: string): ISecurityProfile {
    return SecurityProfile.fromSecurityProfileAttributes(scope, id, { securityProfileArn });
  }

  /**
   * Import a profile by its attributes.
   *
   * @param scope the scope of the imported construct
   * @param id the id of the imported construct
   * @param attrs `securityProfileArn`, or `instance` and `securityProfileId`; `securityProfileName` if known
   */
  public static fromSecurityProfileAttributes(scope: Construct, id: string, attrs: SecurityProfileAttributes): ISecurityProfile {
    let arn: string;
    let profileId: string;
    let instanceArn: string;
    if (attrs.securityProfileArn !== undefined) {
      const parsed = instanceChildOfArn(attrs.securityProfileArn, 'security-profile', 'securityProfileArn',
        "pass the profile's full ARN, or use fromSecurityProfileAttributes() with `instance` and `securityProfileId`");
      arn = attrs.securityProfileArn;
      profileId = attrs.securityProfileId ?? parsed.id;
      instanceArn = attrs.instance?.instanceArn ?? parsed.instanceArn;
    } else if (attrs.instance !== undefined && attrs.securityProfileId !== undefined) {
      instanceArn = attrs.instance.instanceArn;
      profileId = attrs.securityProfileId;
      arn = `${instanceArn}/security-profile/${profileId}`;
    } else {
      throw new Error(
        `\`fromSecurityProfileAttributes\` needs \`securityProfileArn\`, or \`instance\` and \`securityProfileId\`; got ${Object.keys(attrs).map((k) => `\`${k}\``).join(', ') || 'none'}: add the missing attribute`,
      );
    }
    const name = attrs.securityProfileName;

    class Import extends SecurityProfileBase {
      public readonly securityProfileArn = arn;
      public readonly securityProfileId = profileId;
      public readonly instanceArn = instanceArn;
      public get securityProfileName(): string {
        if (name === undefined) {
          throw new Error(
            `the name of imported security profile '${this.node.path}' is unknown (a profile ARN holds its id, not its name): import it with SecurityProfile.fromSecurityProfileAttributes() and pass \`securityProfileName\``,
          );
        }
        return name;
      }
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(arn) ? undefined : arn });
  }

  /**
   * The id of the profile (returned by the handler).
   *
   * @attribute
   */
  public readonly securityProfileId: string;

  /**
   * The ARN of the profile (returned by the handler).
   *
   * @attribute
   */
  public readonly securityProfileArn: string;

  /**
   * The name of the profile (returned by the handler, so using it waits for the profile).
   *
   * @attribute
   */
  public readonly securityProfileName: string;

  /**
   * The ARN of the instance the profile belongs to.
   */
  public readonly instanceArn: string;

  /**
   * Tags of the profile. Use `Tags.of(profile).add()`.
   */
  public readonly tags: TagManager;

  private readonly permissionNames = new Set<string>();

  private removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: SecurityProfileProps) {
    super(scope, id);

    const errors = checkSecurityProfileProps(props);
    if (errors.length > 0) {
      throw new Error(`SecurityProfile '${this.node.path}': ${errors.join('; ')}`);
    }

    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;

    const provider = SecurityProfileProvider.getOrCreate(this);
    provider.addInstance(props.instance.instanceArn);
    const drift = props.driftReconciliation ?? DriftReconciliation.remediate();
    provider.enableDrift(drift);
    warnDeprecatedDriftOptions(this, drift);

    this.tags = new TagManager(TagType.MAP, RESOURCE_TYPE, props.tags, { tagPropertyName: 'tags' });
    this.instanceArn = props.instance.instanceArn;
    this.addPermissions(...(props.permissions ?? []));
    guardProfile({
      scope: this,
      instanceKey: props.instance.instanceArn,
      hierarchyRestricted: props.hierarchyAccessControl !== undefined,
      tagRestricted: props.tagAccessControl !== undefined,
      permissions: () => [...this.permissionNames],
    });

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: RESOURCE_TYPE,
      properties: renderProperties(props, drift, {
        permissions: () => [...this.permissionNames],
        tags: this.tags,
        removalPolicy: () => this.removalPolicy,
      }),
    });

    // `RemovalPolicies.of(scope)` (an aspect over every CfnResource) and escape hatches call the L1's
    // applyRemovalPolicy, which would set `DeletionPolicy: Retain`: CloudFormation would then never send the
    // Delete, and the handler could neither drop the profile's records nor release it. Route the call to the
    // handler's RemovalPolicy property instead; the DeletionPolicy stays Delete.
    const cfn = resource.node.defaultChild as CfnResource;
    cfn.applyRemovalPolicy = (policy: RemovalPolicy | undefined, options: RemovalPolicyOptions = {}) =>
      this.applyRemovalPolicy(policy ?? options.default ?? RemovalPolicy.RETAIN);

    this.securityProfileId = resource.getAttString(ATTR.securityProfileId);
    this.securityProfileArn = resource.getAttString(ATTR.securityProfileArn);
    this.securityProfileName = resource.getAttString(ATTR.securityProfileName);

    // what later calls (addPermissions, Tags.of) can change is checked at synth
    this.node.addValidation({
      validate: () => checkLateProps(this.permissionNames.size, this.tags.tagValues()),
    });

    countProfile(this, props.instance);
  }

  /**
   * Set what happens to the profile in Connect when the resource leaves the stack.
   *
   * The policy reaches the handler (the resource's `RemovalPolicy` property), not the CloudFormation
   * `DeletionPolicy`, so the handler still runs on delete: `RETAIN` leaves the profile in Connect,
   * released from this stack; `DESTROY` deletes it. `RemovalPolicies.of(scope)` lands here too.
   *
   * @param policy `RemovalPolicy.DESTROY`, `RemovalPolicy.RETAIN` or `RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE`
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    const errors = checkRemovalPolicy(policy);
    if (errors.length > 0) {
      throw new Error(`SecurityProfile '${this.node.path}': ${errors.join('; ')}`);
    }
    this.removalPolicy = policy;
  }

  /**
   * Add permissions to the profile. Rendered sorted; a permission the profile already has is an error.
   *
   * @param permissions the permissions to add
   */
  public addPermissions(...permissions: Permission[]): void {
    const names = permissions.map((p) => p.name);
    const dups = duplicates([...names, ...[...this.permissionNames].filter((n) => names.includes(n))]);
    if (dups.length > 0) {
      throw new Error(
        `SecurityProfile '${this.node.path}': \`permissions\` lists ${dups.map((d) => `'${d}'`).join(', ')} more than once: remove the duplicates`,
      );
    }
    for (const name of names) {
      this.permissionNames.add(name);
      if (!Token.isUnresolved(name) && !DOCUMENTED_PERMISSIONS.has(name) && !UNDOCUMENTED_KNOWN_PERMISSIONS.has(name)) {
        Annotations.of(this).addWarningV2(
          'cdk-connect-security-profiles:unknownPermission',
          `\`permissions\` has '${name}', which is not in the documented list of security profile permissions: check the spelling (Connect may reject it, or accept a name that grants nothing); if the name is right, acknowledge this warning`,
        );
      }
    }
  }
}

function warnDeprecatedDriftOptions(profile: SecurityProfile, drift: DriftReconciliation): void {
  const deprecated = DEPRECATED_DRIFT_OPTIONS.get(drift);
  if (deprecated?.schedule !== undefined) {
    Annotations.of(profile).addDeprecation('cdk-connect-security-profiles.DriftReconciliationOptions#schedule',
      'the sweep\'s schedule is stack-wide: set `driftSchedule` of the stack\'s SecurityProfileSettings and remove `schedule` here');
  }
  if (deprecated?.onChangeEvents !== undefined) {
    Annotations.of(profile).addDeprecation('cdk-connect-security-profiles.DriftReconciliationOptions#onChangeEvents',
      'change events are stack-wide: set `changeEvents` of the stack\'s SecurityProfileSettings and remove `onChangeEvents` here');
  }
}

const PROFILE_COUNTS = new WeakMap<IConstruct, Map<string, number>>();

/** Warns once, on the profile that goes past the default quota of profiles per instance. */
function countProfile(profile: SecurityProfile, instance: IInstance): void {
  const root = profile.node.root;
  let counts = PROFILE_COUNTS.get(root);
  if (!counts) {
    counts = new Map();
    PROFILE_COUNTS.set(root, counts);
  }
  // the same reference always yields the same (token) string
  const key = instance.instanceArn;
  const count = (counts.get(key) ?? 0) + 1;
  counts.set(key, count);
  if (count === LIMITS.profilesPerInstance + 1) {
    Annotations.of(profile).addWarningV2(
      'cdk-connect-security-profiles:profilesPerInstance',
      `this app declares more than ${LIMITS.profilesPerInstance} security profiles for instance ${Token.isUnresolved(instance.instanceArn) ? '(token)' : instance.instanceArn}: Connect's default quota "Security profiles per instance" is ${LIMITS.profilesPerInstance}; request an increase (Service Quotas code ${PROFILES_PER_INSTANCE_QUOTA_CODE}) before deploying, or the creation of the extra profiles fails`,
    );
  }
}
