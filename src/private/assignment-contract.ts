/**
 * The wire contract of `Custom::ConnectSecurityProfileAssignment` (the holders of a security profile), shared by
 * the `SecurityProfileAssignment` construct (src/) and the handler and reconciler (lambda/). It sits beside
 * contract.ts, under the same rules: the resource type is frozen, keys are only ever added, every payload ever
 * emitted keeps parsing, and the module holds types, constants and pure functions only (no imports).
 */

/** The CloudFormation resource type of an assignment. Frozen. */
export const ASSIGNMENT_RESOURCE_TYPE = 'Custom::ConnectSecurityProfileAssignment';

/** The property keys of `Custom::ConnectSecurityProfileAssignment`. */
export const ASSIGNMENT_PROP = {
  contractVersion: 'ContractVersion',
  instanceArn: 'InstanceArn',
  securityProfileId: 'SecurityProfileId',
  /** `SearchFilter.UserAttributeFilter` of SearchUsers, as the API takes it. */
  userAttributeFilter: 'UserAttributeFilter',
  /** `SearchCriteria` of SearchUsers, as the API takes it. */
  userSearchCriteria: 'UserSearchCriteria',
  /** Users by username (exact). */
  usernames: 'Usernames',
  /** Q in Connect AI agent ARNs. */
  aiAgentArns: 'AIAgentArns',
  /** The safety valve, a whole number (CloudFormation sends it as a string). */
  maxChangesPerRun: 'MaxChangesPerRun',
  driftMode: 'DriftMode',
} as const;

/** The attribute keys the handler returns in `Data`. */
export const ASSIGNMENT_ATTR = {
  /** Users that hold the profile because of this assignment, after the deploy. */
  usersAssigned: 'UsersAssigned',
  /** Users the deploy could not bring in line (a rule refused it), reported in the log. */
  usersSkipped: 'UsersSkipped',
} as const;

/** The properties the construct renders (version 1). */
export interface AssignmentProperties {
  readonly ContractVersion?: string;
  readonly InstanceArn: string;
  readonly SecurityProfileId: string;
  readonly UserAttributeFilter?: Record<string, unknown>;
  readonly UserSearchCriteria?: Record<string, unknown>;
  readonly Usernames?: string[];
  readonly AIAgentArns?: string[];
  readonly MaxChangesPerRun?: string;
  /** `REMEDIATE`, `DETECT_ONLY` or `DISABLED`; default `DETECT_ONLY`. */
  readonly DriftMode?: string;
}

/** The default of `maxChangesPerRun`: a deploy or a sweep changes at most this many holders. */
export const DEFAULT_MAX_CHANGES_PER_RUN = 10;

/**
 * "Users can be assigned a maximum of two security profiles that enforce granular access control" (admin guide,
 * hierarchy-based access control, configuration limitations): a profile with access-control tags or a
 * hierarchy restriction.
 */
export const MAX_RESTRICTED_PROFILES_PER_USER = 2;

/** Connect's limit on a user's `SecurityProfileIds` (UpdateUserSecurityProfiles). */
export const MAX_PROFILES_PER_USER = 10;

/** Connect's limit on a user's `Username` (the construct checks it at synth, the handler at deploy). */
export const MAX_USERNAME_LENGTH = 100;

/**
 * Every key of an assignment record in the desired-state table starts with this. The profile sweep skips keys
 * that start with `#`; the assignment sweep reads only these.
 */
export const ASSIGNMENT_KEY_PREFIX = '#holders:';

/**
 * The Connect actions the deploy-time handler calls for assignments, beyond the profile's: read each user's
 * current profiles, write them, and the three AI agent calls. SearchUsers and DescribeSecurityProfile are already
 * the profile handler's.
 */
export const ASSIGNMENT_HANDLER_ACTIONS = [
  'connect:DescribeUser',
  'connect:UpdateUserSecurityProfiles',
  'connect:ListEntitySecurityProfiles',
  'connect:AssociateSecurityProfiles',
  'connect:DisassociateSecurityProfiles',
];

/** The reads the reconciler adds for assignments (SearchUsers and DescribeSecurityProfile it already has). */
export const ASSIGNMENT_RECONCILER_READ_ACTIONS = ['connect:DescribeUser', 'connect:ListEntitySecurityProfiles'];

/** The writes the reconciler adds when an assignment remediates. */
export const ASSIGNMENT_RECONCILER_WRITE_ACTIONS = [
  'connect:UpdateUserSecurityProfiles',
  'connect:AssociateSecurityProfiles',
  'connect:DisassociateSecurityProfiles',
];

/** The metrics of assignments (namespace and `service` dimension as the reconciler's other metrics). */
export const ASSIGNMENT_METRIC = {
  /** Holders given the profile (remediate mode). */
  usersAssigned: 'UsersAssigned',
  /** Holders the profile was taken from (remediate mode). */
  usersUnassigned: 'UsersUnassigned',
  /** Changes a check found needed (users and AI agents to add or remove, rules refused included). */
  assignmentDrift: 'AssignmentDrift',
  /** Changes held back by the safety valve: more than `maxChangesPerRun` were needed, none was written. */
  assignmentChangesHeld: 'AssignmentChangesHeld',
} as const;

/** The dimension that names the assignment's profile in the per-assignment metrics. */
export const ASSIGNMENT_PROFILE_DIMENSION = 'SecurityProfileId';
