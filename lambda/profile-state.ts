/**
 * The one shape of a security profile in the handler: what the template declares, what is recorded for
 * drift, what Connect has now, and what an update sends, all in the contract's own member names
 * (`SecurityProfileProperties` in src/private/contract.ts, which are Connect's own: `Permissions`,
 * `HierarchyRestrictedResources`, ...), so no layer translates a name.
 */
import { OWNER_TAG_KEY } from '../src/private/contract';
import type { AIAgentPayload, ApplicationPayload, FlowModulePayload, GranularAccessControlPayload } from '../src/private/contract';

export type { SecurityProfileArnParts as SecurityProfileRef } from '../src/private/arns';

/**
 * A security profile: every field Connect stores, normalised, in the contract's member names.
 *
 * Desired (from `parseProperties` or a stored record) and observed (`observeProfile`) alike. Sets are sorted
 * and de-duplicated when desired; an undeclared field is empty. `AllowedFlowModules` and `AllowedAIAgents` are
 * `undefined` when not managed (desired: the property was absent) or not read (observed).
 */
export interface SecurityProfileState {
  /** The instance ARN. */
  readonly InstanceArn: string;
  /** The instance id (of `InstanceArn`). */
  readonly InstanceId: string;
  /** The name (Connect cannot rename: a change means replacement). */
  readonly SecurityProfileName: string;
  /** The description; `''` when none. */
  readonly Description: string;
  /** Permission names. */
  readonly Permissions: readonly string[];
  /**
   * Resource tags. Desired: the declared tags (never `aws:` tags) plus the owner tag (`OWNER_TAG_KEY`) when
   * the handler keeps one on the profile (`withOwnerMark`). Observed: every tag, `aws:` and the owner tag included.
   */
  readonly Tags: Readonly<Record<string, string>>;
  /** Tag-based access control tags. */
  readonly AllowedAccessControlTags: Readonly<Record<string, string>>;
  /** Resource types the access control tags apply to. */
  readonly TagRestrictedResources: readonly string[];
  /** Applications, each with its permissions. */
  readonly Applications: readonly ApplicationPayload[];
  /** Resource types restricted by hierarchy (today only `User`). */
  readonly HierarchyRestrictedResources: readonly string[];
  /** The hierarchy group id used for access control; `undefined` when none. */
  readonly AllowedAccessControlHierarchyGroupId?: string;
  /** Granular access control; `undefined` when none (an empty configuration is none). */
  readonly GranularAccessControlConfiguration?: GranularAccessControlPayload;
  /** Flow modules; `undefined` when not managed (or not read). */
  readonly AllowedFlowModules?: readonly FlowModulePayload[];
  /** AI agents; `undefined` when not managed (or not read). */
  readonly AllowedAIAgents?: readonly AIAgentPayload[];
}

/** The desired state with the owner mark the handler keeps on the profile (the `OWNER_TAG_KEY` tag). */
export function withOwnerMark(state: SecurityProfileState, mark: string): SecurityProfileState {
  return { ...state, Tags: { ...state.Tags, [OWNER_TAG_KEY]: mark } };
}

/** The declared tags of a desired state: its tags without the owner mark. */
export function declaredTags(state: SecurityProfileState): Record<string, string> {
  const { [OWNER_TAG_KEY]: _mark, ...tags } = state.Tags;
  return tags;
}
