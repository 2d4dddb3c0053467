/**
 * Read the live security profile: DescribeSecurityProfile, then every page of its permissions and
 * applications, and the flow module and AI agent lists when those are managed.
 */
import type { ConnectApi } from './connect-api';
import { classifyError } from './errors';
import type { AIAgentPayload, ApplicationPayload, FlowModulePayload, GranularAccessControlPayload } from '../src/private/contract';

/** A security profile as Connect has it now. */
export interface ObservedSecurityProfile {
  /** The instance id. */
  readonly instanceId: string;
  /** The security profile id. */
  readonly securityProfileId: string;
  /** The security profile ARN. */
  readonly securityProfileArn: string;
  /** The name. */
  readonly securityProfileName: string;
  /** The description (`''` when none). */
  readonly description: string;
  /** All tags, including `aws:` tags and the owner tag. */
  readonly tags: Readonly<Record<string, string>>;
  /** Tag-based access control tags. */
  readonly allowedAccessControlTags: Readonly<Record<string, string>>;
  /** Tag-restricted resource types. */
  readonly tagRestrictedResources: readonly string[];
  /** Hierarchy-restricted resource types. */
  readonly hierarchyRestrictedResources: readonly string[];
  /** The access control hierarchy group id, if any. */
  readonly allowedAccessControlHierarchyGroupId?: string;
  /** Granular access control, if any. */
  readonly granularAccessControlConfiguration?: GranularAccessControlPayload;
  /** Every permission (all pages). */
  readonly permissions: readonly string[];
  /** Every application (all pages). */
  readonly applications: readonly ApplicationPayload[];
  /** Flow modules; `undefined` when not read. */
  readonly allowedFlowModules?: readonly FlowModulePayload[];
  /** AI agents; `undefined` when not read. */
  readonly allowedAIAgents?: readonly AIAgentPayload[];
}

/** Which security profile to read. */
export interface ProfileRef {
  /** The instance id (or ARN). */
  readonly instanceId: string;
  /** The security profile id. */
  readonly securityProfileId: string;
}

/** Options of `observeProfile`. */
export interface ObserveOptions {
  /** Read the flow module list (only when the desired state manages it). */
  readonly flowModules: boolean;
  /** Read the AI agent list (only when the desired state manages it). */
  readonly aiAgents: boolean;
  /**
   * Keep retrying a not-found read for this long: use right after a create, because Connect is
   * eventually consistent.
   *
   * @default 0 (not-found is final)
   */
  readonly waitForVisibilityMs?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
  /** How to wait between visibility retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Read the live profile.
 *
 * @returns the profile, or `undefined` when Connect says it does not exist (after `waitForVisibilityMs`)
 */
export async function observeProfile(api: ConnectApi, ref: ProfileRef, options: ObserveOptions): Promise<ObservedSecurityProfile | undefined> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + (options.waitForVisibilityMs ?? 0);
  let delay = 100;
  for (;;) {
    const observed = await readOnce(api, ref, options);
    if (observed || now() >= deadline) return observed;
    await sleep(Math.min(delay, Math.max(1, deadline - now())));
    delay = Math.min(delay * 2, 2000);
  }
}

async function readOnce(api: ConnectApi, ref: ProfileRef, options: ObserveOptions): Promise<ObservedSecurityProfile | undefined> {
  try {
    const sp = await api.describeSecurityProfile(ref.instanceId, ref.securityProfileId);
    const permissions = await api.listSecurityProfilePermissions(ref.instanceId, ref.securityProfileId);
    const applications = await api.listSecurityProfileApplications(ref.instanceId, ref.securityProfileId);
    const allowedFlowModules = options.flowModules
      ? await api.listSecurityProfileFlowModules(ref.instanceId, ref.securityProfileId) : undefined;
    const allowedAIAgents = options.aiAgents
      ? await api.listSecurityProfileAIAgents(ref.instanceId, ref.securityProfileId) : undefined;
    const granular = sp.GranularAccessControlConfiguration as GranularAccessControlPayload | undefined;
    return {
      instanceId: ref.instanceId,
      securityProfileId: sp.Id ?? ref.securityProfileId,
      securityProfileArn: sp.Arn ?? '',
      securityProfileName: sp.SecurityProfileName ?? '',
      description: sp.Description ?? '',
      tags: sp.Tags ?? {},
      allowedAccessControlTags: sp.AllowedAccessControlTags ?? {},
      tagRestrictedResources: sp.TagRestrictedResources ?? [],
      hierarchyRestrictedResources: sp.HierarchyRestrictedResources ?? [],
      ...(sp.AllowedAccessControlHierarchyGroupId ? { allowedAccessControlHierarchyGroupId: sp.AllowedAccessControlHierarchyGroupId } : {}),
      ...(granular ? { granularAccessControlConfiguration: granular } : {}),
      permissions,
      applications: applications.map((a) => ({
        Namespace: a.Namespace ?? '',
        ApplicationPermissions: a.ApplicationPermissions ?? [],
        ...(a.Type ? { Type: a.Type } : {}),
      })),
      ...(allowedFlowModules ? { allowedFlowModules: allowedFlowModules.map((m) => ({ Type: m.Type ?? '', FlowModuleId: m.FlowModuleId ?? '' })) } : {}),
      ...(allowedAIAgents ? { allowedAIAgents: allowedAIAgents.map((a) => ({ Arn: a.Arn ?? '', Type: a.Type ?? '' })) } : {}),
    };
  } catch (err) {
    if (classifyError(err) === 'not-found') return undefined;
    throw err;
  }
}
