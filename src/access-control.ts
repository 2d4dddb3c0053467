import type { IUserHierarchyGroup } from './hierarchy';

// How a security profile limits what its holders can access: by user hierarchy, by tags, and data tables by
// primary attribute.

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
 * How a primary-attribute rule grants access.
 */
export enum PrimaryAttributeAccessType {
  /** Allow access to the listed values. */
  ALLOW = 'ALLOW',
}

/**
 * One primary-attribute access rule for data tables.
 */
export interface PrimaryAttributeValue {
  /**
   * How the rule grants access.
   *
   * @default PrimaryAttributeAccessType.ALLOW
   */
  readonly accessType?: PrimaryAttributeAccessType;

  /**
   * The name of the primary attribute.
   */
  readonly attributeName: string;

  /**
   * The values of the attribute the profile grants access to (at most 2).
   */
  readonly values: string[];
}

/**
 * Primary-attribute access control for data tables.
 */
export interface PrimaryAttributeAccessControlConfiguration {
  /**
   * The access rules (at most 5).
   *
   * @default - no rules
   */
  readonly primaryAttributeValues?: PrimaryAttributeValue[];
}

/**
 * Access control for data tables.
 */
export interface DataTableAccessControlConfiguration {
  /**
   * Access control by primary attribute values.
   *
   * @default - none
   */
  readonly primaryAttributeAccessControlConfiguration?: PrimaryAttributeAccessControlConfiguration;
}

/**
 * Granular access control of a security profile.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_GranularAccessControlConfiguration.html
 */
export interface GranularAccessControlConfiguration {
  /**
   * Access control for data tables.
   *
   * @default - none
   */
  readonly dataTableAccessControlConfiguration?: DataTableAccessControlConfiguration;
}

/**
 * A resource type that tag-based access control can restrict.
 *
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/tag-based-access-control.html
 */
export class TagRestrictedResource {
  /** Users (agents). */
  public static readonly USER = new TagRestrictedResource('User');
  /** Security profiles. */
  public static readonly SECURITY_PROFILE = new TagRestrictedResource('SecurityProfile');
  /** Queues. */
  public static readonly QUEUE = new TagRestrictedResource('Queue');
  /** Routing profiles. */
  public static readonly ROUTING_PROFILE = new TagRestrictedResource('RoutingProfile');

  /**
   * A resource type by its API name, for types this library does not list yet.
   *
   * @param name the resource name Connect expects, for example `User`
   */
  public static of(name: string): TagRestrictedResource {
    return new TagRestrictedResource(name);
  }

  /**
   * @param name the API name
   */
  private constructor(public readonly name: string) {}
}

/**
 * How a security profile restricts its holders by resource tags.
 *
 * Holders can access only the resources of the restricted types that carry all the allowed tags. Tag-based
 * access control works together with hierarchy-based access control.
 *
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/tag-based-access-control.html
 */
export class TagAccessControl {
  /**
   * Holders of the profile can access only the resources of the given types that carry all the given tags.
   *
   * Renders `AllowedAccessControlTags` and `TagRestrictedResources`.
   *
   * @example
   * TagAccessControl.restrictToTagged({ Site: 'Lisbon' }, [TagRestrictedResource.USER, TagRestrictedResource.QUEUE]);
   *
   * @param allowedAccessControlTags the tags a resource must carry, all of them: 1 to 4
   * @param tagRestrictedResources the resource types to restrict: 1 to 10, each once
   */
  public static restrictToTagged(
    allowedAccessControlTags: { [key: string]: string },
    tagRestrictedResources: TagRestrictedResource[],
  ): TagAccessControl {
    return new TagAccessControl(allowedAccessControlTags, tagRestrictedResources);
  }

  /**
   * The tags a resource must carry, all of them.
   */
  public readonly allowedAccessControlTags: { [key: string]: string };

  /**
   * The resource types the tags restrict, in the order given.
   */
  public readonly tagRestrictedResources: TagRestrictedResource[];

  private constructor(allowedAccessControlTags: { [key: string]: string }, tagRestrictedResources: TagRestrictedResource[]) {
    this.allowedAccessControlTags = allowedAccessControlTags;
    this.tagRestrictedResources = tagRestrictedResources;
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
   */
  public static restrictToGroup(group: IUserHierarchyGroup): HierarchyAccessControl {
    return new HierarchyAccessControl(group);
  }

  /**
   * Each holder of the profile can access only the resources in their own hierarchy group and its
   * descendants.
   *
   * Renders `HierarchyRestrictedResources` without `AllowedAccessControlHierarchyGroupId`.
   */
  public static restrictToUsersOwnGroup(): HierarchyAccessControl {
    return new HierarchyAccessControl();
  }

  /**
   * The restricted resources: users, the only resource Connect restricts by hierarchy.
   */
  public readonly restrictedResources: HierarchyRestrictedResource[];

  /**
   * The group access is limited to, when the profile names one.
   *
   * @default - each user's own group
   */
  public readonly group?: IUserHierarchyGroup;

  private constructor(group?: IUserHierarchyGroup) {
    this.restrictedResources = [HierarchyRestrictedResource.USER];
    this.group = group;
  }
}
