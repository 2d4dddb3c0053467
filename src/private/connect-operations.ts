/**
 * Every Connect API operation the gateway (lambda/connect-api.ts) sends: the gateway refuses to send any
 * other (`grantedOnly` there), and the IAM statements of the handler and the reconciler grant these and only
 * these (`connect:<Operation>`, split by role in provider.ts, drift-resources.ts and assignment-contract.ts;
 * a construct test checks that together they are exactly this list). A new call is added here first.
 *
 * Constants only: the handler bundle imports this module, so it must not import aws-cdk-lib.
 */
export const CONNECT_OPERATIONS = [
  'AssociateSecurityProfiles',
  'CreateSecurityProfile',
  'DeleteSecurityProfile',
  'DescribeInstance',
  'DescribeSecurityProfile',
  'DescribeUser',
  'DescribeUserHierarchyGroup',
  'DisassociateSecurityProfiles',
  'ListEntitySecurityProfiles',
  'ListSecurityProfileAIAgents',
  'ListSecurityProfileApplications',
  'ListSecurityProfileFlowModules',
  'ListSecurityProfilePermissions',
  'ListSecurityProfiles',
  'SearchUserHierarchyGroups',
  'SearchUsers',
  'TagResource',
  'UntagResource',
  'UpdateSecurityProfile',
  'UpdateUserSecurityProfiles',
] as const;

/** One operation of `CONNECT_OPERATIONS`. */
export type ConnectOperation = typeof CONNECT_OPERATIONS[number];
