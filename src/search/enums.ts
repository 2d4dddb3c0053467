/**
 * How a hierarchy group condition matches a user's group.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_HierarchyGroupCondition.html
 */
export enum HierarchyGroupMatchType {
  /** Users assigned exactly this group. */
  EXACT = 'EXACT',
  /** Users assigned this group or any group below it, at any depth. */
  WITH_CHILD_GROUPS = 'WITH_CHILD_GROUPS',
}

/**
 * How a string condition compares a field with its value.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_StringCondition.html
 */
export enum StringComparisonType {
  /** The field begins with the value. */
  STARTS_WITH = 'STARTS_WITH',
  /** The field contains the value; the value must be 2 to 25 characters long. */
  CONTAINS = 'CONTAINS',
  /** The field equals the value. */
  EXACT = 'EXACT',
}

/**
 * The user fields a SearchUsers string condition can test.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_UserSearchCriteria.html
 */
export enum UserSearchField {
  /** `Username`: the user's login name. */
  USERNAME = 'Username',
  /** `FirstName`: the first name in the user's identity information. */
  FIRST_NAME = 'FirstName',
  /** `LastName`: the last name in the user's identity information. */
  LAST_NAME = 'LastName',
  /** `RoutingProfileId`: the id of the user's routing profile. */
  ROUTING_PROFILE_ID = 'RoutingProfileId',
  /** `SecurityProfileId`: the id of one of the user's security profiles. */
  SECURITY_PROFILE_ID = 'SecurityProfileId',
  /** `resourceId`: the user's id. */
  RESOURCE_ID = 'resourceId',
}
