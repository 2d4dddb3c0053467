/**
 * The Connect calls whose CloudTrail events trigger a check of one profile: the construct's EventBridge
 * rule matches them (src/private/drift-resources.ts) and the reconciler acts on them
 * (lambda/change-events.ts).
 *
 * Constants only: the handler bundle imports this module, so it must not import aws-cdk-lib.
 */
export const CHANGE_EVENT_NAMES = ['UpdateSecurityProfile', 'TagResource', 'UntagResource', 'DeleteSecurityProfile'] as const;
