/**
 * Connect's limits on a security profile, from the Connect API model (CreateSecurityProfile, 2017-08-08,
 * see connect-model/README.md): the construct checks them at synth and the handler at deploy, both from
 * this one list. Lengths are counted in Unicode code points, as the model counts them
 * (`lengthInCodePoints` in the contract), not in JavaScript's UTF-16 units.
 *
 * Constants only: the handler bundle imports this module, so it must not import aws-cdk-lib.
 */
export const LIMITS = {
  nameMaxLength: 127,
  namePattern: /^[ a-zA-Z0-9_@-]+$/,
  descriptionMaxLength: 250,
  permissions: 500,
  permissionMaxLength: 128,
  accessControlTags: 4,
  accessControlTagKeyMaxLength: 128,
  accessControlTagValueMaxLength: 256,
  tagRestrictedResources: 10,
  /** Also the length limit of a hierarchy-restricted resource. */
  tagRestrictedResourceMaxLength: 128,
  hierarchyGroupIdMaxLength: 100,
  applications: 10,
  applicationNamespaceMaxLength: 128,
  applicationPermissions: 50,
  applicationPermissionMaxLength: 128,
  flowModules: 10,
  flowModuleIdMaxLength: 128,
  aiAgentArnMaxLength: 2048,
  primaryAttributeValues: 5,
  primaryAttributeNameMaxLength: 127,
  primaryAttributeValueValues: 2,
  /** Connect's limit; the handler's owner tag takes one of them. */
  tags: 50,
  tagKeyMaxLength: 128,
  tagValueMaxLength: 256,
  /** Default quota "Security profiles per instance" (adjustable). */
  profilesPerInstance: 100,
} as const;
