/**
 * The wire contract between the `SecurityProfile` construct (src/) and the custom-resource handler
 * (lambda/). The construct writes these keys into the template; the handler reads them back from the
 * CloudFormation event. Nothing else knows the keys.
 *
 * Rules:
 * - `RESOURCE_TYPE` is frozen from the first release (changing it replaces every resource).
 * - Keys are only ever added. The handler keeps parsing every payload this module ever described:
 *   Delete and rollback events carry the properties of older templates.
 * - CloudFormation turns every scalar into a string (`true` -> `"true"`, `5` -> `"5"`); lists and maps
 *   keep their shape. The payload types below describe what the construct renders; the handler
 *   re-validates everything (see lambda/properties.ts).
 *
 * This module holds types, constants and pure functions only: no imports, so lambda/ can bundle it
 * without aws-cdk-lib.
 */

/** The CloudFormation resource type of a managed security profile. Frozen. */
export const RESOURCE_TYPE = 'Custom::ConnectSecurityProfile';

/** The version the construct writes into `ContractVersion`. Payloads without the key are version 1. */
export const CONTRACT_VERSION = '1';

/**
 * The tag key the handler puts on every profile it creates. Its value is an owner mark derived from the
 * stack and the logical id (see `ownerMark` in lambda/). A same-named profile is adopted only when it
 * carries our mark, or when `AdoptExisting` is `"true"`. It counts against Connect's 50-tag limit.
 */
export const OWNER_TAG_KEY = 'cdk-connect-security-profiles:owner';

/**
 * How CloudFormation names a nested stack: `<parentStackName>-<logicalIdInParent>-<SUFFIX>`, the suffix 8 to 13
 * random upper-case letters and digits (for example `Parent-ProfilesNestedStackResource-1G2D70WWWAQHW`). The
 * suffix is drawn anew when the nested stack is created again (after a failed first deploy, or a replacement),
 * so it is no part of an owner mark. A logical id is alphanumeric; a suffix is taken for one only with at least
 * one letter and one digit, so a top-level name such as `App-Api-PRODUCTION` or `App-Api-20240101` keeps its
 * last part (a top-level name of this exact shape, such as `App-Api-V20240101`, loses it: see `ownerScopeOf`).
 */
const NESTED_STACK_NAME = /^(.+-[A-Za-z0-9]+)-(?=[A-Z0-9]*[0-9])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,13}$/;

/**
 * The part of an owner mark before `/` for a stack: the stack name, without the random suffix of a nested
 * stack (`<parent>-<logicalId>`), so that a re-created nested stack still owns its profiles.
 *
 * The name alone cannot prove a stack is nested: a top-level stack named like a nested one (three or more
 * dash-separated parts, the last 8 to 13 upper-case letters and digits with both kinds) shares its scope
 * with the stack named without that last part.
 *
 * @param stackName a CloudFormation stack name
 */
export function ownerScopeOf(stackName: string): string {
  return NESTED_STACK_NAME.exec(stackName)?.[1] ?? stackName;
}

/** Handler function names inside the bundled asset (assets/handler/index.js). */
export const HANDLER_ENTRY = {
  /** CloudFormation events through the Provider framework's onEvent contract. */
  onEvent: 'index.onEvent',
  /** Scheduled sweeps and Connect change events (drift reconciliation). */
  reconcile: 'index.reconcile',
} as const;

/** Environment variables the provider sets on the handler and the reconciler. */
export const ENV = {
  /** Client-side token bucket: requests per second to Connect (default 2). */
  rateLimitPerSecond: 'CONNECT_RATE_LIMIT_PER_SECOND',
  /** Client-side token bucket: burst size (default 5). */
  rateLimitBurst: 'CONNECT_RATE_LIMIT_BURST',
  /** Attempts per Connect call after server errors and dropped connections, the first included (default 8). */
  maxAttempts: 'CONNECT_MAX_ATTEMPTS',
  /**
   * Per-operation client-side rate limits, JSON: `{ "<Operation>": { "ratePerSecond": n, "burst": n }, "default": {...} }`.
   * Operations it does not name keep `CONNECT_API_QUOTAS`. Rendered by the provider from the stack-level settings.
   */
  rateLimits: 'CONNECT_RATE_LIMITS',
  /** The longest single wait between two attempts of one Connect call, in milliseconds. */
  retryMaxDelayMs: 'CONNECT_RETRY_MAX_DELAY_MS',
  /** DynamoDB table holding desired state when drift reconciliation is on (absent: drift is off). */
  desiredStateTable: 'DESIRED_STATE_TABLE',
  /** `false` turns the sweep's access-scope report (UsersInScope) off for the whole stack (default on). */
  accessScopeReport: 'ACCESS_SCOPE_REPORT',
  /** Time budget in milliseconds the reconciler keeps for one invocation. */
  sweepBudgetMs: 'SWEEP_TIME_BUDGET_MS',
  /**
   * Comma-separated IAM role ARNs (the handler's and the reconciler's) whose CloudTrail change events the
   * reconciler ignores, so its own repairs never trigger another check.
   */
  ignoredRoleArns: 'RECONCILER_IGNORED_ROLE_ARNS',
  /**
   * The name of the stack whose provider runs the reconciler: it writes only to profiles whose record
   * names this stack.
   */
  ownerStackName: 'OWNER_STACK_NAME',
} as const;

/** A token-bucket quota: requests per second and burst. */
export interface ApiQuota {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * Connect's default API quotas, per operation, per account and Region (connect-model/README.md,
 * "Throttling quotas"): the Service Quotas table gives the rates; the burst of 5 is the admin guide's
 * for "all other operations" (per-API bursts are not published). `default` covers every operation not named.
 * The one home of these numbers: the handler's and the reconciler's limiters and the provider's settings read them.
 */
export const CONNECT_API_QUOTAS: Readonly<Record<string, ApiQuota>> = {
  default: { ratePerSecond: 2, burst: 5 },
  DescribeUser: { ratePerSecond: 10, burst: 10 },
  ListUsers: { ratePerSecond: 10, burst: 10 },
  DescribeUserHierarchyGroup: { ratePerSecond: 10, burst: 10 },
  ListUserHierarchyGroups: { ratePerSecond: 10, burst: 10 },
  DescribeUserHierarchyStructure: { ratePerSecond: 10, burst: 10 },
};

/**
 * The length of a string as Connect's model counts it (Smithy `@length` on a string counts Unicode code
 * points), not in UTF-16 units as JavaScript's `length` does: `'😀'.length` is 2, its length here is 1.
 * The one way the construct's synth checks and the handler's validation measure a string.
 */
export function lengthInCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // a high surrogate followed by a low one is one code point; a lone surrogate counts as one, as in `[...text]`
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The partition key (a string) of the desired-state table the provider creates and lambda/state-table.ts uses. */
export const DESIRED_STATE_PARTITION_KEY = 'pk';

/** The property keys of `Custom::ConnectSecurityProfile`. */
export const PROP = {
  contractVersion: 'ContractVersion',
  instanceArn: 'InstanceArn',
  securityProfileName: 'SecurityProfileName',
  description: 'Description',
  permissions: 'Permissions',
  tags: 'Tags',
  allowedAccessControlTags: 'AllowedAccessControlTags',
  tagRestrictedResources: 'TagRestrictedResources',
  applications: 'Applications',
  hierarchyRestrictedResources: 'HierarchyRestrictedResources',
  allowedAccessControlHierarchyGroupId: 'AllowedAccessControlHierarchyGroupId',
  allowedFlowModules: 'AllowedFlowModules',
  granularAccessControlConfiguration: 'GranularAccessControlConfiguration',
  allowedAIAgents: 'AllowedAIAgents',
  removalPolicy: 'RemovalPolicy',
  adoptExisting: 'AdoptExisting',
  driftMode: 'DriftMode',
} as const;

/** The attribute keys the handler returns in `Data` (read with `getAttString`). */
export const ATTR = {
  securityProfileId: 'SecurityProfileId',
  securityProfileArn: 'SecurityProfileArn',
  securityProfileName: 'SecurityProfileName',
  instanceId: 'InstanceId',
} as const;

/** Values of `RemovalPolicy`. `Retain` leaves the profile in Connect when the resource is deleted. */
export type RemovalPolicyValue = 'Delete' | 'Retain';

/** Values of `DriftMode`. */
export type DriftModeValue = 'REMEDIATE' | 'DETECT_ONLY' | 'DISABLED';

/** One application entry, as CreateSecurityProfile takes it. */
export interface ApplicationPayload {
  readonly Namespace: string;
  readonly ApplicationPermissions: string[];
  /** `THIRD_PARTY_APPLICATION` or `MCP`; absent means the service default. */
  readonly Type?: string;
}

/** One flow module entry. */
export interface FlowModulePayload {
  readonly Type: string;
  readonly FlowModuleId: string;
}

/** One AI agent entry (newer SDK member, absent from the 2026-08 model). */
export interface AIAgentPayload {
  readonly Arn: string;
  readonly Type: string;
}

/** One primary-attribute access rule of the granular access control configuration. */
export interface PrimaryAttributeValuePayload {
  readonly AccessType: string;
  readonly AttributeName: string;
  readonly Values: string[];
}

/** GranularAccessControlConfiguration as Connect takes it. */
export interface GranularAccessControlPayload {
  readonly DataTableAccessControlConfiguration?: {
    readonly PrimaryAttributeAccessControlConfiguration?: {
      readonly PrimaryAttributeValues?: PrimaryAttributeValuePayload[];
    };
  };
}

/**
 * The properties the construct renders (version 1). Absent optional members mean "empty": every field
 * is managed, and the declared value is the whole truth. Two exceptions, because reading them costs
 * an extra API call per check: `AllowedFlowModules` and `AllowedAIAgents` are managed only when present
 * (an empty list present means "manage it, and keep it empty").
 */
export interface SecurityProfileProperties {
  readonly ContractVersion?: string;
  /** Full instance ARN: arn:<partition>:connect:<region>:<account>:instance/<instanceId>. */
  readonly InstanceArn: string;
  readonly SecurityProfileName: string;
  readonly Description?: string;
  /** Sorted, without duplicates. */
  readonly Permissions?: string[];
  /** Tag map (TagType.MAP). Never contains OWNER_TAG_KEY. */
  readonly Tags?: Record<string, string>;
  readonly AllowedAccessControlTags?: Record<string, string>;
  readonly TagRestrictedResources?: string[];
  readonly Applications?: ApplicationPayload[];
  /** Today only `User`. */
  readonly HierarchyRestrictedResources?: string[];
  /** A user hierarchy group id (not an ARN). */
  readonly AllowedAccessControlHierarchyGroupId?: string;
  readonly AllowedFlowModules?: FlowModulePayload[];
  readonly GranularAccessControlConfiguration?: GranularAccessControlPayload;
  readonly AllowedAIAgents?: AIAgentPayload[];
  /** Default `Delete`. */
  readonly RemovalPolicy?: RemovalPolicyValue;
  /** `"true"` adopts a same-named profile that lacks our owner mark. Default `"false"`. */
  readonly AdoptExisting?: string;
  /** Default `DISABLED` when absent (older payloads). */
  readonly DriftMode?: DriftModeValue;
}

/** What the handler returns in `Data`. Kept far under CloudFormation's 4 KB limit. */
export interface SecurityProfileResourceData {
  readonly SecurityProfileId: string;
  readonly SecurityProfileArn: string;
  readonly SecurityProfileName: string;
  readonly InstanceId: string;
}

/**
 * The CloudFormation resource type of a hierarchy group lookup (`UserHierarchyGroup.fromGroupPath` and
 * `fromGroupName`): resolved at deploy time by the same handler, which only reads. Frozen.
 */
export const GROUP_LOOKUP_RESOURCE_TYPE = 'Custom::ConnectUserHierarchyGroupLookup';

/** The property keys of `Custom::ConnectUserHierarchyGroupLookup`. Exactly one of the two lookups is present. */
export const GROUP_LOOKUP_PROP = {
  contractVersion: 'ContractVersion',
  instanceArn: 'InstanceArn',
  /** The group names from level one down to the group. */
  groupPath: 'GroupPath',
  /** A group name, at any level. */
  groupName: 'GroupName',
} as const;

/** The attribute keys the lookup returns in `Data`. */
export const GROUP_LOOKUP_ATTR = {
  userHierarchyGroupId: 'UserHierarchyGroupId',
  userHierarchyGroupArn: 'UserHierarchyGroupArn',
  /** The level of the group found, `1` to `5`. */
  level: 'Level',
} as const;

/** Connect's hierarchies have at most five levels. */
export const MAX_HIERARCHY_LEVELS = 5;

/** Hierarchy group names: 1 to 100 characters (CreateUserHierarchyGroup `Name`), counted in code points. */
export const HIERARCHY_GROUP_NAME_MAX = 100;

/** The properties the construct renders for a lookup (version 1). */
export interface GroupLookupProperties {
  readonly ContractVersion?: string;
  /** Full instance ARN. */
  readonly InstanceArn: string;
  /** One to five names, level one first. */
  readonly GroupPath?: string[];
  readonly GroupName?: string;
}

/** What the lookup returns in `Data` (scalars as strings, as CloudFormation keeps them). */
export interface GroupLookupAttributes {
  readonly UserHierarchyGroupId: string;
  readonly UserHierarchyGroupArn: string;
  readonly Level: string;
}
