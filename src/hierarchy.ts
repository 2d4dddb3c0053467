import { CfnTag, Fn, IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnUserHierarchyGroup } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { IInstance } from './instance';
import { parseInstanceArn } from './private/validation';

/**
 * A resource type that hierarchy-based access control can restrict.
 *
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/hierarchy-based-access-control.html
 */
export enum HierarchyRestrictedResource {
  /** Users (agents): the only resource Connect restricts by hierarchy today. */
  USER = 'User',
}

/**
 * Properties of a `UserHierarchyGroup`.
 */
export interface UserHierarchyGroupProps {
  /**
   * The Amazon Connect instance the group belongs to.
   */
  readonly instance: IInstance;

  /**
   * The name of the group, at most 100 characters.
   *
   * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUserHierarchyGroup.html
   */
  readonly userHierarchyGroupName: string;

  /**
   * The parent group, in the same instance. Connect supports five levels.
   *
   * @default - a group at level one
   */
  readonly parentGroup?: IUserHierarchyGroup;

  /**
   * Tags for the group. `Tags.of(group).add()` works as well.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * An Amazon Connect user hierarchy group (an "agent group" in IAM and ARNs).
 */
export interface IUserHierarchyGroup extends IResource {
  /**
   * The ARN of the group: `arn:<partition>:connect:<region>:<account>:instance/<instanceId>/agent-group/<groupId>`.
   *
   * @attribute
   */
  readonly userHierarchyGroupArn: string;

  /**
   * The id of the group (the last segment of its ARN).
   *
   * @attribute
   */
  readonly userHierarchyGroupId: string;

  /**
   * The ARN of the instance the group belongs to.
   */
  readonly instanceArn: string;
}

/**
 * Shared by the group defined here and imported groups.
 */
abstract class UserHierarchyGroupBase extends Resource implements IUserHierarchyGroup {
  public abstract readonly userHierarchyGroupArn: string;
  public abstract readonly userHierarchyGroupId: string;
  public abstract readonly instanceArn: string;
}

/**
 * A user hierarchy group in an Amazon Connect instance.
 *
 * CloudFormation (`AWS::Connect::UserHierarchyGroup`) creates it; this class adds the group id, typed
 * parent groups and imports. Use it with `HierarchyAccessControl.restrictToGroup()`.
 *
 * @example
 * const region = new UserHierarchyGroup(this, 'Emea', {
 *   instance,
 *   userHierarchyGroupName: 'EMEA',
 * });
 * const team = new UserHierarchyGroup(this, 'TeamA', {
 *   instance,
 *   userHierarchyGroupName: 'Team A',
 *   parentGroup: region,
 * });
 */
export class UserHierarchyGroup extends UserHierarchyGroupBase {
  /**
   * Import a group by its ARN.
   *
   * @param scope the scope of the imported construct
   * @param id the id of the imported construct
   * @param userHierarchyGroupArn `arn:<partition>:connect:<region>:<account>:instance/<instanceId>/agent-group/<groupId>`
   */
  public static fromUserHierarchyGroupArn(scope: Construct, id: string, userHierarchyGroupArn: string): IUserHierarchyGroup {
    const parsed = parseGroupArn(userHierarchyGroupArn);
    class Import extends UserHierarchyGroupBase {
      public readonly userHierarchyGroupArn = userHierarchyGroupArn;
      public readonly userHierarchyGroupId = parsed.groupId;
      public readonly instanceArn = parsed.instanceArn;
    }
    return new Import(scope, id, { environmentFromArn: userHierarchyGroupArn });
  }

  /**
   * Import a group by its id in a given instance.
   *
   * @param scope the scope of the imported construct
   * @param id the id of the imported construct
   * @param instance the instance the group belongs to
   * @param userHierarchyGroupId the id of the group
   */
  public static fromUserHierarchyGroupId(scope: Construct, id: string, instance: IInstance, userHierarchyGroupId: string): IUserHierarchyGroup {
    if (!Token.isUnresolved(userHierarchyGroupId) && !/^[A-Za-z0-9-]{1,256}$/.test(userHierarchyGroupId)) {
      throw new Error(
        `\`userHierarchyGroupId\` must be a group id (letters, digits and '-'), got '${userHierarchyGroupId}': for an ARN use UserHierarchyGroup.fromUserHierarchyGroupArn()`,
      );
    }
    class Import extends UserHierarchyGroupBase {
      public readonly userHierarchyGroupArn = `${instance.instanceArn}/agent-group/${userHierarchyGroupId}`;
      public readonly userHierarchyGroupId = userHierarchyGroupId;
      public readonly instanceArn = instance.instanceArn;
    }
    return new Import(scope, id);
  }

  /**
   * The ARN of the group.
   *
   * @attribute
   */
  public readonly userHierarchyGroupArn: string;

  /**
   * The id of the group, derived from the ARN CloudFormation returns.
   *
   * @attribute
   */
  public readonly userHierarchyGroupId: string;

  /**
   * The ARN of the instance the group belongs to.
   */
  public readonly instanceArn: string;

  /**
   * The parent group, if any.
   */
  public readonly parentGroup?: IUserHierarchyGroup;

  constructor(scope: Construct, id: string, props: UserHierarchyGroupProps) {
    super(scope, id);

    const name = props.userHierarchyGroupName;
    if (!Token.isUnresolved(name) && (name.length < 1 || name.length > 100)) {
      throw new Error(`\`userHierarchyGroupName\` must be 1 to 100 characters, got ${name.length} ('${name}'): shorten the name`);
    }
    if (props.parentGroup && !Token.isUnresolved(props.parentGroup.instanceArn) && !Token.isUnresolved(props.instance.instanceArn)
      && props.parentGroup.instanceArn !== props.instance.instanceArn) {
      throw new Error(
        `\`parentGroup\` belongs to instance '${props.parentGroup.instanceArn}', not to '${props.instance.instanceArn}': pick a parent group in the same instance`,
      );
    }

    const tags: CfnTag[] = Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value }));
    const resource = new CfnUserHierarchyGroup(this, 'Resource', {
      instanceArn: props.instance.instanceArn,
      name,
      parentGroupArn: props.parentGroup?.userHierarchyGroupArn,
      tags: tags.length > 0 ? tags : undefined,
    });

    this.parentGroup = props.parentGroup;
    this.instanceArn = props.instance.instanceArn;
    this.userHierarchyGroupArn = resource.attrUserHierarchyGroupArn;
    // CloudFormation returns only the ARN: .../instance/<instanceId>/agent-group/<groupId>
    this.userHierarchyGroupId = Fn.select(3, Fn.split('/', resource.attrUserHierarchyGroupArn));
  }
}

/**
 * How a security profile restricts its holders by user hierarchy.
 *
 * Access covers the group and all of its descendants. Hierarchy-based access control works together
 * with tag-based access control; a user holding two profiles that restrict access gets the union.
 *
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/hierarchy-based-access-control.html
 */
export class HierarchyAccessControl {
  /**
   * Holders of the profile can access only the resources in the given group and its descendants.
   *
   * Renders `AllowedAccessControlHierarchyGroupId` and `HierarchyRestrictedResources`.
   *
   * @param group the group, defined in this app or imported
   * @param restrictedResources the resources to restrict; leave out for `[HierarchyRestrictedResource.USER]`
   */
  public static restrictToGroup(group: IUserHierarchyGroup, restrictedResources?: HierarchyRestrictedResource[]): HierarchyAccessControl {
    return new HierarchyAccessControl(checkResources(restrictedResources, 'restrictToGroup'), group);
  }

  /**
   * Each holder of the profile can access only the resources in their own hierarchy group and its
   * descendants.
   *
   * Renders `HierarchyRestrictedResources` without `AllowedAccessControlHierarchyGroupId`.
   *
   * @param restrictedResources the resources to restrict; leave out for `[HierarchyRestrictedResource.USER]`
   */
  public static restrictToUsersOwnGroup(restrictedResources?: HierarchyRestrictedResource[]): HierarchyAccessControl {
    return new HierarchyAccessControl(checkResources(restrictedResources, 'restrictToUsersOwnGroup'));
  }

  /**
   * The restricted resources, without duplicates.
   */
  public readonly restrictedResources: HierarchyRestrictedResource[];

  /**
   * The group access is limited to, when the profile names one.
   *
   * @default - each user's own group
   */
  public readonly group?: IUserHierarchyGroup;

  private constructor(restrictedResources: HierarchyRestrictedResource[], group?: IUserHierarchyGroup) {
    this.restrictedResources = restrictedResources;
    this.group = group;
  }
}

function checkResources(resources: HierarchyRestrictedResource[] | undefined, factory: string): HierarchyRestrictedResource[] {
  if (resources === undefined) {
    return [HierarchyRestrictedResource.USER];
  }
  if (resources.length === 0) {
    throw new Error(
      `\`HierarchyAccessControl.${factory}()\` got an empty list of restricted resources: Connect ignores a hierarchy restriction without restricted resources; pass [HierarchyRestrictedResource.USER] or leave it out`,
    );
  }
  return [...new Set(resources)].sort();
}

/** Parses `...:instance/<iid>/agent-group/<gid>`, at synth or with intrinsics for tokens. */
function parseGroupArn(arn: string): { groupId: string; instanceArn: string } {
  if (Token.isUnresolved(arn)) {
    return {
      groupId: Fn.select(3, Fn.split('/', arn)),
      instanceArn: Fn.select(0, Fn.split('/agent-group/', arn)),
    };
  }
  const match = /^(arn:[a-z0-9-]+:connect:[a-z0-9-]+:\d{12}:instance\/[A-Za-z0-9-]+)\/agent-group\/([A-Za-z0-9-]+)$/.exec(arn);
  if (!match) {
    throw new Error(
      `\`userHierarchyGroupArn\` must look like arn:<partition>:connect:<region>:<account>:instance/<instanceId>/agent-group/<groupId>, got '${arn}': pass the group's full ARN or use UserHierarchyGroup.fromUserHierarchyGroupId()`,
    );
  }
  parseInstanceArn(match[1], 'userHierarchyGroupArn');
  return { instanceArn: match[1], groupId: match[2] };
}
