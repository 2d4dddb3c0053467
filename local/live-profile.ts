/**
 * Reading a security profile back from Connect (the emulator) with the plain SDK, and comparing it with
 * what the template declares: the independent check the tests, the demo and the benchmarks make of what
 * the handler and the reconciler did. It reads with its own calls, never through the handler's code.
 */
import {
  type AIAgent,
  type Application,
  ConnectClient,
  DescribeSecurityProfileCommand,
  type FlowModule,
  type GranularAccessControlConfiguration,
  ListSecurityProfileAIAgentsCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfileFlowModulesCommand,
  ListSecurityProfilePermissionsCommand,
} from '@aws-sdk/client-connect';
import { OWNER_TAG_KEY, PROP } from '../src/private/contract';

/**
 * A live profile in the SDK's own casing: DescribeSecurityProfile's fields and the members of the
 * ListSecurityProfile* calls (every page), sets sorted. `Tags` holds every tag, the owner tag included
 * (`withoutOwnerTag` drops it).
 */
export interface LiveProfile {
  readonly Id: string;
  readonly Arn: string;
  readonly SecurityProfileName: string;
  /** '' when the profile has none. */
  readonly Description: string;
  readonly Tags: Record<string, string>;
  readonly AllowedAccessControlTags: Record<string, string>;
  readonly TagRestrictedResources: string[];
  readonly HierarchyRestrictedResources: string[];
  /** Undefined when the profile is not restricted to a group. */
  readonly AllowedAccessControlHierarchyGroupId?: string;
  readonly GranularAccessControlConfiguration?: GranularAccessControlConfiguration;
  readonly Permissions: string[];
  /** By namespace, each with its permissions sorted. */
  readonly Applications: Application[];
  readonly AllowedFlowModules: FlowModule[];
  readonly AllowedAIAgents: AIAgent[];
}

/** Read every managed field of a profile (all pages). */
export async function readLiveProfile(connect: ConnectClient, instanceId: string, profileId: string): Promise<LiveProfile> {
  const ids = { InstanceId: instanceId, SecurityProfileId: profileId };
  const described = (await connect.send(new DescribeSecurityProfileCommand(ids))).SecurityProfile ?? {};
  const permissions: string[] = [];
  let token: string | undefined;
  do {
    const page = await connect.send(new ListSecurityProfilePermissionsCommand({ ...ids, NextToken: token, MaxResults: 1000 }));
    permissions.push(...(page.Permissions ?? []));
    token = page.NextToken;
  } while (token);
  const applications: Application[] = [];
  do {
    const page = await connect.send(new ListSecurityProfileApplicationsCommand({ ...ids, NextToken: token, MaxResults: 1000 }));
    applications.push(...(page.Applications ?? []));
    token = page.NextToken;
  } while (token);
  const flowModules = (await connect.send(new ListSecurityProfileFlowModulesCommand(ids))).AllowedFlowModules ?? [];
  const aiAgents = (await connect.send(new ListSecurityProfileAIAgentsCommand(ids))).AllowedAIAgents ?? [];
  return {
    Id: described.Id ?? profileId,
    Arn: described.Arn ?? '',
    SecurityProfileName: described.SecurityProfileName ?? '',
    Description: described.Description ?? '',
    Tags: { ...described.Tags },
    AllowedAccessControlTags: { ...described.AllowedAccessControlTags },
    TagRestrictedResources: [...(described.TagRestrictedResources ?? [])].sort(),
    HierarchyRestrictedResources: [...(described.HierarchyRestrictedResources ?? [])].sort(),
    AllowedAccessControlHierarchyGroupId: described.AllowedAccessControlHierarchyGroupId || undefined,
    GranularAccessControlConfiguration: described.GranularAccessControlConfiguration,
    Permissions: [...new Set(permissions)].sort(),
    Applications: sortedApplications(applications),
    AllowedFlowModules: flowModules,
    AllowedAIAgents: aiAgents,
  };
}

/** The tags a template declares: without the library's owner tag and `aws:` tags. */
export function withoutOwnerTag(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k !== OWNER_TAG_KEY && !k.startsWith('aws:')));
}

/**
 * The fields where the live profile differs from the declared properties (as the template or
 * CloudFormation has them), each as `Field: declared … live …`. Empty when they agree. The owner tag and
 * `aws:` tags are not declared and are ignored; an application's `Type` is not compared (a template may
 * leave it to its default).
 */
export function differencesFromDeclared(declared: Record<string, unknown>, live: LiveProfile): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String).sort() : []);
  const map = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {});
  const apps = (v: readonly Application[]) => sortedApplications(v)
    .map((a) => ({ Namespace: a.Namespace, ApplicationPermissions: a.ApplicationPermissions }));
  const declaredApps = Array.isArray(declared[PROP.applications]) ? declared[PROP.applications] as Application[] : [];
  const checks: Array<[string, unknown, unknown]> = [
    [PROP.securityProfileName, declared[PROP.securityProfileName], live.SecurityProfileName],
    [PROP.description, declared[PROP.description] ?? '', live.Description],
    [PROP.permissions, [...new Set(list(declared[PROP.permissions]))], live.Permissions],
    [PROP.tags, sortMap(map(declared[PROP.tags])), sortMap(withoutOwnerTag(live.Tags))],
    [PROP.allowedAccessControlTags, sortMap(map(declared[PROP.allowedAccessControlTags])),
      sortMap(live.AllowedAccessControlTags)],
    [PROP.tagRestrictedResources, list(declared[PROP.tagRestrictedResources]), live.TagRestrictedResources],
    [PROP.hierarchyRestrictedResources, list(declared[PROP.hierarchyRestrictedResources]), live.HierarchyRestrictedResources],
    [PROP.allowedAccessControlHierarchyGroupId, declared[PROP.allowedAccessControlHierarchyGroupId] || undefined,
      live.AllowedAccessControlHierarchyGroupId],
    [PROP.applications, apps(declaredApps), apps(live.Applications)],
  ];
  return checks
    .filter(([, want, got]) => JSON.stringify(want) !== JSON.stringify(got))
    .map(([field, want, got]) => `${field}: declared ${JSON.stringify(want)}, live ${JSON.stringify(got)}`);
}

function sortedApplications(applications: readonly Application[]): Application[] {
  return applications
    .map((a) => ({ ...a, ApplicationPermissions: [...(a.ApplicationPermissions ?? [])].sort() }))
    .sort((a, b) => (a.Namespace ?? '').localeCompare(b.Namespace ?? ''));
}

function sortMap(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}
