/**
 * The planner: the only place that decides what to change. Pure.
 *
 * `plan(desired, observed)` compares the desired state with the live profile (sets order-insensitively)
 * and returns what to do: create it, replace it (the name changed: Connect cannot rename), or update the
 * fields that differ and the tags that differ. A profile is observed in the instance it is desired in: a
 * move to another instance is a replacement the handler decides from the physical id before it observes. The deploy-time handler and the drift
 * reconciler both call it.
 */
import type { SecurityProfileState } from './profile-state';
import { primaryAttributeKey } from './properties';
import {
  AIAgentPayload,
  ApplicationPayload,
  FlowModulePayload,
  GranularAccessControlPayload,
  OWNER_TAG_KEY,
} from '../src/private/contract';

/**
 * The fields UpdateSecurityProfile can change, with the desired values of those that differ (the members
 * are UpdateSecurityProfile's own).
 */
export type SecurityProfileUpdate = Partial<Pick<SecurityProfileState, UpdatableField>>;

/** The fields one UpdateSecurityProfile sets (tags go through TagResource, the name cannot change). */
type UpdatableField =
  | 'Description' | 'Permissions' | 'AllowedAccessControlTags' | 'TagRestrictedResources' | 'Applications'
  | 'HierarchyRestrictedResources' | 'AllowedAccessControlHierarchyGroupId' | 'GranularAccessControlConfiguration'
  | 'AllowedFlowModules' | 'AllowedAIAgents';

/** The profile does not exist: create it. */
export interface CreatePlan {
  readonly kind: 'create';
  /** Why, for the log. */
  readonly reason: string;
}

/** The profile exists but cannot become the desired one in place: create a new one (new physical id). */
export interface ReplacePlan {
  readonly kind: 'replace';
  /** Why, for the log and the report. */
  readonly reason: string;
}

/** Bring the existing profile to the desired state. Nothing to send when `drift` is empty. */
export interface UpdatePlan {
  readonly kind: 'update';
  /** One UpdateSecurityProfile with only the fields that differ; `undefined` when no field differs. */
  readonly update?: SecurityProfileUpdate;
  /** Tags to add or change (TagResource); may include the owner tag. */
  readonly tagsToSet: Readonly<Record<string, string>>;
  /** Tag keys to remove (UntagResource); never `aws:` keys, never the owner tag. */
  readonly tagKeysToRemove: readonly string[];
  /** The members that differ (`Permissions`, `Tags`, ...), sorted. */
  readonly drift: ReadonlyArray<keyof SecurityProfileState>;
}

/** What `plan` decides. */
export type Plan = CreatePlan | ReplacePlan | UpdatePlan;

/** The application type Connect assumes when none is given (assumption: the older, only type before MCP). */
export const DEFAULT_APPLICATION_TYPE = 'THIRD_PARTY_APPLICATION';

/**
 * Decide what to do.
 *
 * @param desired the desired state (from `parseProperties`, plus the owner mark)
 * @param observed the live profile, or `undefined` when it does not exist
 */
export function plan(desired: SecurityProfileState, observed: SecurityProfileState | undefined): Plan {
  if (!observed) return { kind: 'create', reason: 'the security profile does not exist' };
  if (observed.SecurityProfileName !== desired.SecurityProfileName) {
    return {
      kind: 'replace',
      reason: `the name changed from "${observed.SecurityProfileName}" to "${desired.SecurityProfileName}" (Connect cannot rename a profile)`,
    };
  }

  const update: { -readonly [K in keyof SecurityProfileUpdate]: SecurityProfileUpdate[K] } = {};
  if (desired.Description !== observed.Description) update.Description = desired.Description;
  if (!sameSet(desired.Permissions, observed.Permissions)) update.Permissions = [...desired.Permissions];
  if (!sameMap(desired.AllowedAccessControlTags, observed.AllowedAccessControlTags)) {
    update.AllowedAccessControlTags = { ...desired.AllowedAccessControlTags };
  }
  if (!sameSet(desired.TagRestrictedResources, observed.TagRestrictedResources)) {
    update.TagRestrictedResources = [...desired.TagRestrictedResources];
  }
  if (!sameSet(desired.Applications.map(applicationKey), observed.Applications.map(applicationKey))) {
    update.Applications = desired.Applications.map((a) => ({ ...a, ApplicationPermissions: [...a.ApplicationPermissions] }));
  }
  if (!sameSet(desired.HierarchyRestrictedResources, observed.HierarchyRestrictedResources)) {
    update.HierarchyRestrictedResources = [...desired.HierarchyRestrictedResources];
  }
  if ((desired.AllowedAccessControlHierarchyGroupId ?? '') !== (observed.AllowedAccessControlHierarchyGroupId ?? '')) {
    update.AllowedAccessControlHierarchyGroupId = desired.AllowedAccessControlHierarchyGroupId ?? '';
  }
  if (!sameSet(granularKeys(desired.GranularAccessControlConfiguration), granularKeys(observed.GranularAccessControlConfiguration))) {
    update.GranularAccessControlConfiguration = desired.GranularAccessControlConfiguration ?? {};
  }
  if (desired.AllowedFlowModules !== undefined
    && !sameSet(desired.AllowedFlowModules.map(flowModuleKey), (observed.AllowedFlowModules ?? []).map(flowModuleKey))) {
    update.AllowedFlowModules = desired.AllowedFlowModules.map((m) => ({ ...m }));
  }
  if (desired.AllowedAIAgents !== undefined
    && !sameSet(desired.AllowedAIAgents.map(aiAgentKey), (observed.AllowedAIAgents ?? []).map(aiAgentKey))) {
    update.AllowedAIAgents = desired.AllowedAIAgents.map((a) => ({ ...a }));
  }

  // the desired tags carry the owner mark when the handler keeps one; without it the owner tag stays as it is
  const wantedTags = desired.Tags;
  const tagsToSet: Record<string, string> = {};
  for (const [key, value] of Object.entries(wantedTags)) {
    if (observed.Tags[key] !== value) tagsToSet[key] = value;
  }
  const tagKeysToRemove = Object.keys(observed.Tags)
    .filter((key) => !(key in wantedTags) && !key.startsWith('aws:') && key !== OWNER_TAG_KEY)
    .sort();

  const drift = Object.keys(update) as Array<keyof SecurityProfileState>;
  if (Object.keys(tagsToSet).length > 0 || tagKeysToRemove.length > 0) drift.push('Tags');
  drift.sort();
  return {
    kind: 'update',
    ...(Object.keys(update).length > 0 ? { update } : {}),
    tagsToSet,
    tagKeysToRemove,
    drift,
  };
}

/** Whether a plan sends nothing. */
export function isNoop(p: Plan): boolean {
  return p.kind === 'update' && p.drift.length === 0;
}

function applicationKey(a: ApplicationPayload): string {
  return JSON.stringify([a.Namespace, a.Type ?? DEFAULT_APPLICATION_TYPE, [...new Set(a.ApplicationPermissions)].sort()]);
}

function flowModuleKey(m: FlowModulePayload): string {
  return JSON.stringify([m.Type, m.FlowModuleId]);
}

function aiAgentKey(a: AIAgentPayload): string {
  return JSON.stringify([a.Type, a.Arn]);
}

function granularKeys(g: GranularAccessControlPayload | undefined): string[] {
  const values = g?.DataTableAccessControlConfiguration?.PrimaryAttributeAccessControlConfiguration?.PrimaryAttributeValues ?? [];
  return values.map((v) => primaryAttributeKey({ AccessType: v.AccessType, AttributeName: v.AttributeName, Values: v.Values ?? [] }));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && b[k] === a[k]);
}
