/**
 * The ARNs the library reads, parsed in one place for the construct and the handler.
 *
 * Every parser is strict (the partition starts with `aws`, the account has 12 digits, ids use Connect's
 * character set) and pure: it returns the parts, or `undefined` when the value is not such an ARN, so
 * each caller words its own error for the property it reads. Tokens are the caller's business.
 */

const PARTITION = 'aws[a-z-]*';
const REGION = '[a-z0-9-]+';
const ACCOUNT = '\\d{12}';
const CONNECT_ID = '[A-Za-z0-9-]';

const INSTANCE = `arn:${PARTITION}:connect:${REGION}:${ACCOUNT}:instance/(${CONNECT_ID}{1,100})`;
const INSTANCE_ARN = new RegExp(`^${INSTANCE}$`);
const SECURITY_PROFILE_ARN = new RegExp(`^(${INSTANCE})/security-profile/(${CONNECT_ID}{1,256})$`);
const HIERARCHY_GROUP_ARN = new RegExp(`^(${INSTANCE})/agent-group/(${CONNECT_ID}{1,256})$`);
const AI_AGENT_ARN = new RegExp(`^arn:${PARTITION}:wisdom:${REGION}:${ACCOUNT}:ai-agent/${CONNECT_ID}+/${CONNECT_ID}+$`);
const STACK_ARN = new RegExp(`^arn:${PARTITION}:cloudformation:${REGION}:${ACCOUNT}:stack/([^/]+)/[^/]+$`);
const ASSUMED_ROLE_ARN = new RegExp(`^arn:${PARTITION}:sts::(${ACCOUNT}):assumed-role/([^/]+)/[^/]+$`);
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::(${ACCOUNT}):role/(?:.*/)?([^/]+)$`);

/** How an instance ARN looks, for error messages. */
export const INSTANCE_ARN_FORMAT = 'arn:<partition>:connect:<region>:<account>:instance/<instanceId>';
/** How a security profile ARN looks, for error messages. */
export const SECURITY_PROFILE_ARN_FORMAT = `${INSTANCE_ARN_FORMAT}/security-profile/<securityProfileId>`;
/** How a user hierarchy group ARN looks, for error messages. */
export const HIERARCHY_GROUP_ARN_FORMAT = `${INSTANCE_ARN_FORMAT}/agent-group/<groupId>`;
/** How an AI agent ARN looks, for error messages. */
export const AI_AGENT_ARN_FORMAT = 'arn:<partition>:wisdom:<region>:<account>:ai-agent/<assistantId>/<aiAgentId>';

/** An instance ARN's parts. */
export interface InstanceArnParts {
  readonly instanceArn: string;
  readonly instanceId: string;
}

/** A security profile ARN's parts. */
export interface SecurityProfileArnParts extends InstanceArnParts {
  readonly securityProfileArn: string;
  readonly securityProfileId: string;
}

/** A user hierarchy group ARN's parts. */
export interface HierarchyGroupArnParts extends InstanceArnParts {
  readonly hierarchyGroupArn: string;
  readonly hierarchyGroupId: string;
}

/** An IAM role's identity as CloudTrail shows it: the account and the role's name (without its path). */
export interface RoleIdentity {
  readonly account: string;
  readonly roleName: string;
}

/** `arn:<partition>:connect:<region>:<account>:instance/<instanceId>`. */
export function parseInstanceArn(value: unknown): InstanceArnParts | undefined {
  if (typeof value !== 'string') return undefined;
  const m = INSTANCE_ARN.exec(value);
  return m ? { instanceArn: value, instanceId: m[1] } : undefined;
}

/** `<instance ARN>/security-profile/<securityProfileId>`. */
export function parseSecurityProfileArn(value: unknown): SecurityProfileArnParts | undefined {
  if (typeof value !== 'string') return undefined;
  const m = SECURITY_PROFILE_ARN.exec(value);
  return m ? { securityProfileArn: value, instanceArn: m[1], instanceId: m[2], securityProfileId: m[3] } : undefined;
}

/** `<instance ARN>/agent-group/<groupId>`. */
export function parseHierarchyGroupArn(value: unknown): HierarchyGroupArnParts | undefined {
  if (typeof value !== 'string') return undefined;
  const m = HIERARCHY_GROUP_ARN.exec(value);
  return m ? { hierarchyGroupArn: value, instanceArn: m[1], instanceId: m[2], hierarchyGroupId: m[3] } : undefined;
}

/** `arn:<partition>:wisdom:<region>:<account>:ai-agent/<assistantId>/<aiAgentId>`. */
export function isAiAgentArn(value: unknown): value is string {
  return typeof value === 'string' && AI_AGENT_ARN.test(value);
}

/** The stack name of `arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>`. */
export function stackNameOfArn(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return STACK_ARN.exec(value)?.[1];
}

/**
 * The role of `arn:<partition>:iam::<account>:role/<path>/<name>` or of a session
 * `arn:<partition>:sts::<account>:assumed-role/<name>/<session>` (which drops the role's path).
 */
export function roleIdentityOfArn(value: unknown): RoleIdentity | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ASSUMED_ROLE_ARN.exec(value) ?? ROLE_ARN.exec(value);
  return m ? { account: m[1], roleName: m[2] } : undefined;
}
