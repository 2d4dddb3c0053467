import { CfnTag, CustomResource, Fn, IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnUserHierarchyGroup, CfnUserHierarchyStructure } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { IInstance } from './instance';
import {
  CONTRACT_VERSION, GROUP_LOOKUP_ATTR, GROUP_LOOKUP_RESOURCE_TYPE, GroupLookupProperties, HIERARCHY_GROUP_NAME_MAX, lengthInCodePoints,
  MAX_HIERARCHY_LEVELS,
} from './private/contract';
import { instanceChildOfArn } from './private/imported-arns';
import { SecurityProfileProvider } from './private/provider';

/** Level names: 1 to 50 characters (HierarchyLevelUpdate.Name). */
const LEVEL_NAME_MAX = 50;

/**
 * Properties of a `UserHierarchyStructure`.
 */
export interface UserHierarchyStructureProps {
  /**
   * The Amazon Connect instance whose hierarchy this is.
   */
  readonly instance: IInstance;

  /**
   * The names of the levels, from level one (the top) down: one to five names of 1 to 50 characters.
   *
   * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserHierarchyStructure.html
   */
  readonly levels: string[];
}

/**
 * The levels of an instance's agent hierarchy (`AWS::Connect::UserHierarchyStructure`).
 *
 * Connect creates a hierarchy group only at a level that exists, and a new instance has none: declare
 * the levels here and pass this construct as `hierarchyStructure` to the top groups. Those groups (and,
 * through their parents, every group below them) are then created after the levels and deleted before
 * them, and a group deeper than the declared levels is refused at synth. An instance has one structure:
 * declare it once per instance, in one stack.
 *
 * @example
 * const levels = new UserHierarchyStructure(this, 'Levels', {
 *   instance,
 *   levels: ['Region', 'Team'],
 * });
 * const emea = new UserHierarchyGroup(this, 'Emea', {
 *   instance,
 *   userHierarchyGroupName: 'EMEA',
 *   hierarchyStructure: levels,
 * });
 */
export class UserHierarchyStructure extends Resource {
  /**
   * The ARN of the hierarchy structure.
   *
   * @attribute
   */
  public readonly userHierarchyStructureArn: string;

  /**
   * The ARN of the instance the structure belongs to.
   */
  public readonly instanceArn: string;

  /**
   * The names of the levels, from level one down.
   */
  public readonly levels: string[];

  constructor(scope: Construct, id: string, props: UserHierarchyStructureProps) {
    super(scope, id);

    const levels = [...props.levels];
    if (levels.length < 1 || levels.length > MAX_HIERARCHY_LEVELS) {
      throw new Error(
        `\`levels\` must have 1 to ${MAX_HIERARCHY_LEVELS} names (a Connect hierarchy has at most five levels), got ${levels.length}: list the level names from the top down`,
      );
    }
    levels.forEach((name, i) => {
      const length = Token.isUnresolved(name) ? undefined : lengthInCodePoints(name);
      if (length !== undefined && (length < 1 || length > LEVEL_NAME_MAX)) {
        throw new Error(`\`levels[${i}]\` must be 1 to ${LEVEL_NAME_MAX} characters, got ${length} ('${name}'): shorten the level name`);
      }
    });
    const instanceArn = props.instance.instanceArn;
    if (!Token.isUnresolved(instanceArn)) {
      const other = this.node.root.node.findAll().find((c) =>
        c !== this && c instanceof UserHierarchyStructure && c.instanceArn === instanceArn);
      if (other) {
        throw new Error(
          `instance '${instanceArn}' already has a \`UserHierarchyStructure\` in this app (${other.node.path}): an instance has one hierarchy structure; declare all its levels in that one`,
        );
      }
    }

    const keys = ['levelOne', 'levelTwo', 'levelThree', 'levelFour', 'levelFive'] as const;
    const structure: CfnUserHierarchyStructure.UserHierarchyStructureProperty = Object.fromEntries(
      levels.map((name, i) => [keys[i], { name }]));
    const resource = new CfnUserHierarchyStructure(this, 'Resource', {
      instanceArn,
      userHierarchyStructure: structure,
    });

    this.instanceArn = instanceArn;
    this.levels = levels;
    this.userHierarchyStructureArn = resource.attrUserHierarchyStructureArn;
  }
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
   * The levels of the instance's hierarchy, when this app declares them: the group is created after the
   * levels exist, and a group deeper than the declared levels is refused at synth. A group under a
   * `UserHierarchyGroup` of this app takes its parent's structure; set it on the top groups.
   *
   * @default - the parent's structure, if the parent is a `UserHierarchyGroup` with one; otherwise the
   * levels must already exist in the instance
   */
  readonly hierarchyStructure?: UserHierarchyStructure;

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
    const parsed = instanceChildOfArn(userHierarchyGroupArn, 'agent-group', 'userHierarchyGroupArn',
      "pass the group's full ARN or use UserHierarchyGroup.fromUserHierarchyGroupId()");
    class Import extends UserHierarchyGroupBase {
      public readonly userHierarchyGroupArn = userHierarchyGroupArn;
      public readonly userHierarchyGroupId = parsed.id;
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
   * Use a group the instance already has, found at deploy time by its path of names from level one down.
   *
   * A lookup resource, served by the stack's security-profile handler, searches the instance
   * (`SearchUserHierarchyGroups`) and returns the group's id and ARN, so an app uses the instance's groups
   * without hard-coded ids. A path that names no group, or more than one, fails the deployment with the first
   * level that does not match and the groups found there. The group is looked up again when the path
   * changes, not on every deployment.
   *
   * @example
   * const bpoA = UserHierarchyGroup.fromGroupPath(this, 'BpoA', instance, ['Company', 'BPO-A']);
   * new SecurityProfile(this, 'BpoASupervisors', {
   *   instance,
   *   securityProfileName: 'BPO-A supervisors',
   *   hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(bpoA),
   * });
   *
   * @param scope the scope of the lookup construct
   * @param id the id of the lookup construct
   * @param instance the instance the group belongs to
   * @param groupPath the group names from level one down to the group: one to five names of 1 to 100
   * characters, compared exactly (case included)
   */
  public static fromGroupPath(scope: Construct, id: string, instance: IInstance, groupPath: string[]): IUserHierarchyGroup {
    if (!Token.isUnresolved(groupPath)) {
      if (groupPath.length < 1 || groupPath.length > MAX_HIERARCHY_LEVELS) {
        throw new Error(
          `\`groupPath\` must have 1 to ${MAX_HIERARCHY_LEVELS} group names (a Connect hierarchy has at most five levels), got ${groupPath.length}: list the names from level one down to the group`,
        );
      }
      groupPath.forEach((name, i) => checkGroupName(name, `groupPath[${i}]`));
    }
    return new UserHierarchyGroupLookup(scope, id, instance, { GroupPath: groupPath });
  }

  /**
   * Use a group the instance already has, found at deploy time by its name, at any level.
   *
   * Like `fromGroupPath`, for a name only one group has: a name that no group, or more than one, has fails
   * the deployment (listing the paths of the groups that share it, to use with `fromGroupPath`).
   *
   * @param scope the scope of the lookup construct
   * @param id the id of the lookup construct
   * @param instance the instance the group belongs to
   * @param userHierarchyGroupName the group's name, 1 to 100 characters, compared exactly (case included)
   */
  public static fromGroupName(scope: Construct, id: string, instance: IInstance, userHierarchyGroupName: string): IUserHierarchyGroup {
    checkGroupName(userHierarchyGroupName, 'userHierarchyGroupName');
    return new UserHierarchyGroupLookup(scope, id, instance, { GroupName: userHierarchyGroupName });
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
   * The parent group.
   *
   * @default - none: the group is at level one
   */
  public readonly parentGroup?: IUserHierarchyGroup;

  /**
   * The level of the group: 1 for a group without a parent, one more than its parent's level under a
   * `UserHierarchyGroup` of this app.
   *
   * @default - unknown: the parent is an imported group
   */
  public readonly level?: number;

  /**
   * The hierarchy structure the group is created after, given or taken from its parent.
   *
   * @default - none: the levels already exist in the instance
   */
  public readonly hierarchyStructure?: UserHierarchyStructure;

  constructor(scope: Construct, id: string, props: UserHierarchyGroupProps) {
    super(scope, id);

    const name = props.userHierarchyGroupName;
    const length = Token.isUnresolved(name) ? undefined : lengthInCodePoints(name);
    if (length !== undefined && (length < 1 || length > HIERARCHY_GROUP_NAME_MAX)) {
      throw new Error(`\`userHierarchyGroupName\` must be 1 to ${HIERARCHY_GROUP_NAME_MAX} characters, got ${length} ('${name}'): shorten the name`);
    }
    if (props.parentGroup && !Token.isUnresolved(props.parentGroup.instanceArn) && !Token.isUnresolved(props.instance.instanceArn)
      && props.parentGroup.instanceArn !== props.instance.instanceArn) {
      throw new Error(
        `\`parentGroup\` belongs to instance '${props.parentGroup.instanceArn}', not to '${props.instance.instanceArn}': pick a parent group in the same instance`,
      );
    }

    const parent = props.parentGroup instanceof UserHierarchyGroup ? props.parentGroup : undefined;
    const level = props.parentGroup === undefined ? 1 : parent?.level === undefined ? undefined : parent.level + 1;
    if (level !== undefined && level > MAX_HIERARCHY_LEVELS) {
      throw new Error(
        `\`parentGroup\` '${parent!.node.path}' is at level ${MAX_HIERARCHY_LEVELS}, so this group would be at level ${level}: a Connect hierarchy has at most five levels; pick a parent higher up`,
      );
    }
    if (props.hierarchyStructure && parent?.hierarchyStructure && props.hierarchyStructure !== parent.hierarchyStructure) {
      throw new Error(
        `\`hierarchyStructure\` is '${props.hierarchyStructure.node.path}' but the parent group uses '${parent.hierarchyStructure.node.path}': an instance has one structure; leave \`hierarchyStructure\` out to take the parent's`,
      );
    }
    const structure = props.hierarchyStructure ?? parent?.hierarchyStructure;
    if (structure) {
      if (!Token.isUnresolved(structure.instanceArn) && !Token.isUnresolved(props.instance.instanceArn)
        && structure.instanceArn !== props.instance.instanceArn) {
        throw new Error(
          `\`hierarchyStructure\` belongs to instance '${structure.instanceArn}', not to '${props.instance.instanceArn}': pass the structure of the group's own instance`,
        );
      }
      if (level !== undefined && level > structure.levels.length) {
        throw new Error(
          `the group '${name}' would be at level ${level}, but \`hierarchyStructure\` '${structure.node.path}' declares ${structure.levels.length} level(s) (${structure.levels.map((l) => `'${l}'`).join(', ')}): add a level to its \`levels\`, or pick a parent group higher up`,
        );
      }
    }

    const tags: CfnTag[] = Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value }));
    const resource = new CfnUserHierarchyGroup(this, 'Resource', {
      instanceArn: props.instance.instanceArn,
      name,
      parentGroupArn: props.parentGroup?.userHierarchyGroupArn,
      tags: tags.length > 0 ? tags : undefined,
    });

    if (structure) {
      // Connect refuses a group at a level that does not exist yet; the children wait for this group
      resource.node.addDependency(structure);
    }

    this.parentGroup = props.parentGroup;
    this.level = level;
    this.hierarchyStructure = structure;
    this.instanceArn = props.instance.instanceArn;
    this.userHierarchyGroupArn = resource.attrUserHierarchyGroupArn;
    // CloudFormation returns only the ARN: .../instance/<instanceId>/agent-group/<groupId>
    this.userHierarchyGroupId = Fn.select(3, Fn.split('/', resource.attrUserHierarchyGroupArn));
  }
}

/**
 * A group found at deploy time (`fromGroupPath`, `fromGroupName`): a `Custom::ConnectUserHierarchyGroupLookup`
 * whose attributes are the group's id and ARN.
 */
class UserHierarchyGroupLookup extends UserHierarchyGroupBase {
  public readonly userHierarchyGroupArn: string;
  public readonly userHierarchyGroupId: string;
  public readonly instanceArn: string;

  constructor(scope: Construct, id: string, instance: IInstance, lookup: Pick<GroupLookupProperties, 'GroupPath' | 'GroupName'>) {
    super(scope, id);
    const provider = SecurityProfileProvider.getOrCreate(this);
    provider.addGroupLookup(instance.instanceArn);
    const properties: GroupLookupProperties = { ContractVersion: CONTRACT_VERSION, InstanceArn: instance.instanceArn, ...lookup };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: GROUP_LOOKUP_RESOURCE_TYPE,
      properties: { ...properties },
    });
    this.instanceArn = instance.instanceArn;
    this.userHierarchyGroupArn = resource.getAttString(GROUP_LOOKUP_ATTR.userHierarchyGroupArn);
    this.userHierarchyGroupId = resource.getAttString(GROUP_LOOKUP_ATTR.userHierarchyGroupId);
  }
}

/** A group name as Connect takes it: 1 to 100 characters (counted in code points); tokens are left to the deploy. */
function checkGroupName(name: string, prop: string): void {
  if (Token.isUnresolved(name)) return;
  const length = lengthInCodePoints(name);
  if (length < 1 || length > HIERARCHY_GROUP_NAME_MAX) {
    throw new Error(`\`${prop}\` must be 1 to ${HIERARCHY_GROUP_NAME_MAX} characters, got ${length} ('${name}'): use the group's name as Connect shows it`);
  }
}
