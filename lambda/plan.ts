/**
 * The planner: the only place that decides what to change. Pure.
 *
 * `plan(desired, observed)` compares the desired state with the live profile (sets order-insensitively)
 * and returns what to do: create it, replace it (the name changed: Connect cannot rename), or update the
 * fields that differ and the tags that differ. A profile is observed in the instance it is desired in: a
 * move to another instance is a replacement the handler decides from the physical id before it observes. The deploy-time handler and the drift
 * reconciler both call it.
 */
import type { ObservedSecurityProfile } from './observe';
import { DesiredSecurityProfile, primaryAttributeKey } from './properties';
import {
  AIAgentPayload,
  ApplicationPayload,
  FlowModulePayload,
  GranularAccessControlPayload,
  OWNER_TAG_KEY,
} from '../src/private/contract';

/** The fields of UpdateSecurityProfile, with the desired values of those that differ. */
export interface SecurityProfileFieldUpdate {
  Description?: string;
  Permissions?: string[];
  AllowedAccessControlTags?: Record<string, string>;
  TagRestrictedResources?: string[];
  Applications?: ApplicationPayload[];
  HierarchyRestrictedResources?: string[];
  AllowedAccessControlHierarchyGroupId?: string;
  AllowedFlowModules?: FlowModulePayload[];
  GranularAccessControlConfiguration?: GranularAccessControlPayload;
  AllowedAIAgents?: AIAgentPayload[];
}

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
  readonly update?: SecurityProfileFieldUpdate;
  /** Tags to add or change (TagResource); may include the owner tag. */
  readonly tagsToSet: Readonly<Record<string, string>>;
  /** Tag keys to remove (UntagResource); never `aws:` keys, never the owner tag. */
  readonly tagKeysToRemove: readonly string[];
  /** The Connect member names that differ (`Permissions`, `Tags`, ...), sorted. */
  readonly drift: readonly string[];
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
export function plan(desired: DesiredSecurityProfile, observed: ObservedSecurityProfile | undefined): Plan {
  if (!observed) return { kind: 'create', reason: 'the security profile does not exist' };
  if (observed.securityProfileName !== desired.securityProfileName) {
    return {
      kind: 'replace',
      reason: `the name changed from "${observed.securityProfileName}" to "${desired.securityProfileName}" (Connect cannot rename a profile)`,
    };
  }

  const update: SecurityProfileFieldUpdate = {};
  if (desired.description !== observed.description) update.Description = desired.description;
  if (!sameSet(desired.permissions, observed.permissions)) update.Permissions = [...desired.permissions];
  if (!sameMap(desired.allowedAccessControlTags, observed.allowedAccessControlTags)) {
    update.AllowedAccessControlTags = { ...desired.allowedAccessControlTags };
  }
  if (!sameSet(desired.tagRestrictedResources, observed.tagRestrictedResources)) {
    update.TagRestrictedResources = [...desired.tagRestrictedResources];
  }
  if (!sameSet(desired.applications.map(applicationKey), observed.applications.map(applicationKey))) {
    update.Applications = desired.applications.map((a) => ({ ...a, ApplicationPermissions: [...a.ApplicationPermissions] }));
  }
  if (!sameSet(desired.hierarchyRestrictedResources, observed.hierarchyRestrictedResources)) {
    update.HierarchyRestrictedResources = [...desired.hierarchyRestrictedResources];
  }
  if ((desired.allowedAccessControlHierarchyGroupId ?? '') !== (observed.allowedAccessControlHierarchyGroupId ?? '')) {
    update.AllowedAccessControlHierarchyGroupId = desired.allowedAccessControlHierarchyGroupId ?? '';
  }
  if (!sameSet(granularKeys(desired.granularAccessControlConfiguration), granularKeys(observed.granularAccessControlConfiguration))) {
    update.GranularAccessControlConfiguration = desired.granularAccessControlConfiguration ?? {};
  }
  if (desired.allowedFlowModules !== undefined
    && !sameSet(desired.allowedFlowModules.map(flowModuleKey), (observed.allowedFlowModules ?? []).map(flowModuleKey))) {
    update.AllowedFlowModules = desired.allowedFlowModules.map((m) => ({ ...m }));
  }
  if (desired.allowedAIAgents !== undefined
    && !sameSet(desired.allowedAIAgents.map(aiAgentKey), (observed.allowedAIAgents ?? []).map(aiAgentKey))) {
    update.AllowedAIAgents = desired.allowedAIAgents.map((a) => ({ ...a }));
  }

  const wantedTags: Record<string, string> = { ...desired.tags };
  if (desired.ownerMark !== undefined) wantedTags[OWNER_TAG_KEY] = desired.ownerMark;
  const tagsToSet: Record<string, string> = {};
  for (const [key, value] of Object.entries(wantedTags)) {
    if (observed.tags[key] !== value) tagsToSet[key] = value;
  }
  const tagKeysToRemove = Object.keys(observed.tags)
    .filter((key) => !(key in wantedTags) && !key.startsWith('aws:') && key !== OWNER_TAG_KEY)
    .sort();

  const drift = Object.keys(update);
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
