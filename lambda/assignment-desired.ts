/**
 * Parse and validate the properties of `Custom::ConnectSecurityProfileAssignment` into the desired holders.
 *
 * Pure. The search parts are parsed with the same builders the construct uses (src/search), so a filter
 * written by hand in a template meets the same rules; every error names the property and says what is allowed.
 */
import { InvalidPropertyError } from './properties';
import { AI_AGENT_ARN_FORMAT, INSTANCE_ARN_FORMAT, isAiAgentArn, parseInstanceArn } from '../src/private/arns';
import {
  ASSIGNMENT_PROP, AssignmentProperties, DEFAULT_MAX_CHANGES_PER_RUN, MAX_USERNAME_LENGTH,
} from '../src/private/assignment-contract';
import type { DriftModeValue } from '../src/private/contract';
import { UserAttributeFilter } from '../src/search/user-attribute-filter';
import { UserSearchCriteria } from '../src/search/user-search-criteria';

/** Which users the assignment selects. */
export type UserSelectionSpec =
  /** The users SearchUsers returns for this `SearchFilter.UserAttributeFilter` (and `SearchCriteria`). */
  | { readonly kind: 'filter'; readonly userAttributeFilter: Record<string, unknown>; readonly userSearchCriteria?: Record<string, unknown> }
  /** The users with these usernames (sorted, unique). */
  | { readonly kind: 'usernames'; readonly usernames: readonly string[] }
  /** No users (an assignment of AI agents only). */
  | { readonly kind: 'none' };

/** The desired holders of one security profile. */
export interface DesiredAssignment {
  readonly instanceId: string;
  readonly instanceArn: string;
  readonly securityProfileId: string;
  readonly users: UserSelectionSpec;
  /** Sorted, unique. */
  readonly aiAgentArns: readonly string[];
  /** The safety valve: a run that needs more changes writes none. */
  readonly maxChangesPerRun: number;
  readonly driftMode: DriftModeValue;
}

const PROFILE_ID = /^[A-Za-z0-9-]{1,256}$/;
const DRIFT_MODES: DriftModeValue[] = ['REMEDIATE', 'DETECT_ONLY', 'DISABLED'];

/**
 * Parse the properties of an assignment event.
 *
 * @throws InvalidPropertyError naming the property, the value received and what is allowed
 */
export function parseAssignmentProperties(properties: unknown): DesiredAssignment {
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new InvalidPropertyError('(properties)', properties, 'expected an object');
  }
  const p = properties as Record<string, unknown>;
  const instanceArn = p[ASSIGNMENT_PROP.instanceArn];
  const instance = parseInstanceArn(instanceArn);
  if (!instance) {
    throw new InvalidPropertyError(ASSIGNMENT_PROP.instanceArn, instanceArn, `expected an instance ARN (${INSTANCE_ARN_FORMAT})`);
  }
  const profileId = p[ASSIGNMENT_PROP.securityProfileId];
  if (typeof profileId !== 'string' || !PROFILE_ID.test(profileId)) {
    throw new InvalidPropertyError(ASSIGNMENT_PROP.securityProfileId, profileId, 'expected the id of a security profile (not its ARN)');
  }
  return {
    instanceId: instance.instanceId,
    instanceArn: instance.instanceArn,
    securityProfileId: profileId,
    users: parseSelection(p),
    aiAgentArns: parseAgents(p[ASSIGNMENT_PROP.aiAgentArns]),
    maxChangesPerRun: parseMaxChanges(p[ASSIGNMENT_PROP.maxChangesPerRun]),
    driftMode: parseDriftMode(p[ASSIGNMENT_PROP.driftMode]),
  };
}

/** The properties of a desired assignment (what records store), the inverse of `parseAssignmentProperties`. */
export function assignmentPropertiesOf(desired: DesiredAssignment): AssignmentProperties {
  const users = desired.users;
  return {
    ContractVersion: '1',
    InstanceArn: desired.instanceArn,
    SecurityProfileId: desired.securityProfileId,
    ...(users.kind === 'filter' ? { UserAttributeFilter: users.userAttributeFilter } : {}),
    ...(users.kind === 'filter' && users.userSearchCriteria !== undefined ? { UserSearchCriteria: users.userSearchCriteria } : {}),
    ...(users.kind === 'usernames' ? { Usernames: [...users.usernames] } : {}),
    ...(desired.aiAgentArns.length > 0 ? { AIAgentArns: [...desired.aiAgentArns] } : {}),
    MaxChangesPerRun: String(desired.maxChangesPerRun),
    DriftMode: desired.driftMode,
  };
}

function parseSelection(p: Record<string, unknown>): UserSelectionSpec {
  const filter = p[ASSIGNMENT_PROP.userAttributeFilter];
  const criteria = p[ASSIGNMENT_PROP.userSearchCriteria];
  const usernames = p[ASSIGNMENT_PROP.usernames];
  if (filter !== undefined && usernames !== undefined) {
    throw new InvalidPropertyError(ASSIGNMENT_PROP.usernames, usernames,
      `set either ${ASSIGNMENT_PROP.userAttributeFilter} or ${ASSIGNMENT_PROP.usernames}, not both`);
  }
  if (criteria !== undefined && filter === undefined) {
    throw new InvalidPropertyError(ASSIGNMENT_PROP.userSearchCriteria, criteria,
      `${ASSIGNMENT_PROP.userSearchCriteria} narrows a ${ASSIGNMENT_PROP.userAttributeFilter}: set the filter as well`);
  }
  if (filter !== undefined) {
    let rendered: Record<string, unknown>;
    try {
      rendered = UserAttributeFilter.fromJson(filter).render();
    } catch (error) {
      throw new InvalidPropertyError(ASSIGNMENT_PROP.userAttributeFilter, filter, (error as Error).message);
    }
    if (criteria === undefined) return { kind: 'filter', userAttributeFilter: rendered };
    try {
      return { kind: 'filter', userAttributeFilter: rendered, userSearchCriteria: UserSearchCriteria.fromJson(criteria).render() };
    } catch (error) {
      throw new InvalidPropertyError(ASSIGNMENT_PROP.userSearchCriteria, criteria, (error as Error).message);
    }
  }
  if (usernames !== undefined) {
    if (!Array.isArray(usernames) || usernames.length === 0
      || usernames.some((u) => typeof u !== 'string' || u.length === 0 || u.length > MAX_USERNAME_LENGTH)) {
      throw new InvalidPropertyError(ASSIGNMENT_PROP.usernames, usernames, `expected a non-empty list of usernames of 1 to ${MAX_USERNAME_LENGTH} characters`);
    }
    return { kind: 'usernames', usernames: [...new Set(usernames as string[])].sort() };
  }
  return { kind: 'none' };
}

function parseAgents(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((a) => !isAiAgentArn(a))) {
    throw new InvalidPropertyError(ASSIGNMENT_PROP.aiAgentArns, value, `expected a list of AI agent ARNs (${AI_AGENT_ARN_FORMAT})`);
  }
  return [...new Set(value as string[])].sort();
}

function parseMaxChanges(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CHANGES_PER_RUN;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidPropertyError(ASSIGNMENT_PROP.maxChangesPerRun, value, 'expected a whole number of at least 1');
  }
  return n;
}

function parseDriftMode(value: unknown): DriftModeValue {
  if (value === undefined) return 'DETECT_ONLY';
  const mode = typeof value === 'string' ? value.toUpperCase() : value;
  if (!DRIFT_MODES.includes(mode as DriftModeValue)) {
    throw new InvalidPropertyError(ASSIGNMENT_PROP.driftMode, value, `expected one of ${DRIFT_MODES.join(', ')}`);
  }
  return mode as DriftModeValue;
}
