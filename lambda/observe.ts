/**
 * Read the live security profile: DescribeSecurityProfile, then every page of its permissions and
 * applications, and the flow module and AI agent lists when those are managed.
 */
import type { ConnectApi } from './connect-api';
import { classifyError } from './errors';
import type { SecurityProfileRef, SecurityProfileState } from './profile-state';
import { untilVisible } from './visibility';
import type { GranularAccessControlPayload } from '../src/private/contract';

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
export async function observeProfile(api: ConnectApi, ref: SecurityProfileRef, options: ObserveOptions): Promise<SecurityProfileState | undefined> {
  return untilVisible(() => readOnce(api, ref, options), { waitMs: options.waitForVisibilityMs ?? 0, now: options.now, sleep: options.sleep });
}

async function readOnce(api: ConnectApi, ref: SecurityProfileRef, options: ObserveOptions): Promise<SecurityProfileState | undefined> {
  try {
    const sp = await api.describeSecurityProfile(ref.instanceId, ref.securityProfileId);
    const permissions = await api.listSecurityProfilePermissions(ref.instanceId, ref.securityProfileId);
    const applications = await api.listSecurityProfileApplications(ref.instanceId, ref.securityProfileId);
    const flowModules = options.flowModules
      ? await api.listSecurityProfileFlowModules(ref.instanceId, ref.securityProfileId) : undefined;
    const aiAgents = options.aiAgents
      ? await api.listSecurityProfileAIAgents(ref.instanceId, ref.securityProfileId) : undefined;
    const granular = sp.GranularAccessControlConfiguration as GranularAccessControlPayload | undefined;
    return {
      InstanceArn: ref.instanceArn,
      InstanceId: ref.instanceId,
      SecurityProfileName: sp.SecurityProfileName ?? '',
      Description: sp.Description ?? '',
      Tags: sp.Tags ?? {},
      AllowedAccessControlTags: sp.AllowedAccessControlTags ?? {},
      TagRestrictedResources: sp.TagRestrictedResources ?? [],
      HierarchyRestrictedResources: sp.HierarchyRestrictedResources ?? [],
      ...(sp.AllowedAccessControlHierarchyGroupId ? { AllowedAccessControlHierarchyGroupId: sp.AllowedAccessControlHierarchyGroupId } : {}),
      ...(granular ? { GranularAccessControlConfiguration: granular } : {}),
      Permissions: permissions,
      Applications: applications.map((a) => ({
        Namespace: a.Namespace ?? '',
        ApplicationPermissions: a.ApplicationPermissions ?? [],
        ...(a.Type ? { Type: a.Type } : {}),
      })),
      ...(flowModules ? { AllowedFlowModules: flowModules.map((m) => ({ Type: m.Type ?? '', FlowModuleId: m.FlowModuleId ?? '' })) } : {}),
      ...(aiAgents ? { AllowedAIAgents: aiAgents.map((a) => ({ Arn: a.Arn ?? '', Type: a.Type ?? '' })) } : {}),
    };
  } catch (err) {
    if (classifyError(err) === 'not-found') return undefined;
    throw err;
  }
}

/** Which optional lists `observeProfile` reads for a desired state: those it manages. */
export function listsManagedBy(desired: SecurityProfileState): Pick<ObserveOptions, 'flowModules' | 'aiAgents'> {
  return { flowModules: desired.AllowedFlowModules !== undefined, aiAgents: desired.AllowedAIAgents !== undefined };
}
