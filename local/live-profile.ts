/**
 * Reading a security profile back from Connect (the emulator) with the real SDK, and comparing it with
 * what the template declares: the demo's independent check of what the handler and reconciler did.
 */
import {
  type Application,
  ConnectClient,
  DescribeSecurityProfileCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfilePermissionsCommand,
} from '@aws-sdk/client-connect';
import { OWNER_TAG_KEY, PROP } from '../src/private/contract';

/** The managed fields of a live profile, normalised (sets sorted). */
export interface LiveProfile {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: string[];
  readonly tags: Record<string, string>;
  readonly allowedAccessControlTags: Record<string, string>;
  readonly tagRestrictedResources: string[];
  readonly hierarchyRestrictedResources: string[];
  readonly allowedAccessControlHierarchyGroupId: string;
  readonly applications: string[];
}

/** Read every managed field of a profile (all pages). */
export async function readLiveProfile(connect: ConnectClient, instanceId: string, profileId: string): Promise<LiveProfile> {
  const { SecurityProfile: p } = await connect.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profileId }));
  const permissions: string[] = [];
  let token: string | undefined;
  do {
    const page = await connect.send(new ListSecurityProfilePermissionsCommand({
      InstanceId: instanceId, SecurityProfileId: profileId, NextToken: token, MaxResults: 1000,
    }));
    permissions.push(...(page.Permissions ?? []));
    token = page.NextToken;
  } while (token);
  const applications: string[] = [];
  token = undefined;
  do {
    const page: { Applications?: Application[]; NextToken?: string } = await connect.send(new ListSecurityProfileApplicationsCommand({
      InstanceId: instanceId, SecurityProfileId: profileId, NextToken: token, MaxResults: 1000,
    }));
    applications.push(...(page.Applications ?? []).map((a: Application) => `${a.Namespace}:${[...(a.ApplicationPermissions ?? [])].sort().join('+')}`));
    token = page.NextToken;
  } while (token);
  return {
    id: p!.Id!,
    arn: p!.Arn!,
    name: p!.SecurityProfileName!,
    description: p!.Description ?? '',
    permissions: permissions.sort(),
    tags: p!.Tags ?? {},
    allowedAccessControlTags: p!.AllowedAccessControlTags ?? {},
    tagRestrictedResources: [...(p!.TagRestrictedResources ?? [])].sort(),
    hierarchyRestrictedResources: [...(p!.HierarchyRestrictedResources ?? [])].sort(),
    allowedAccessControlHierarchyGroupId: p!.AllowedAccessControlHierarchyGroupId ?? '',
    applications: applications.sort(),
  };
}

/**
 * The fields where the live profile differs from the declared properties (as CloudFormation sent them),
 * each as `Field: declared … live …`. Empty when they agree. The library's ownership tag and `aws:` tags
 * are not declared and are ignored.
 */
export function differencesFromDeclared(declared: Record<string, unknown>, live: LiveProfile): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String).sort() : []);
  const map = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {});
  const liveTags = Object.fromEntries(Object.entries(live.tags).filter(([k]) => k !== OWNER_TAG_KEY && !k.startsWith('aws:')));
  type DeclaredApp = { Namespace: string; ApplicationPermissions: string[] };
  const declaredApps = (Array.isArray(declared[PROP.applications]) ? declared[PROP.applications] as DeclaredApp[] : [])
    .map((a) => `${a.Namespace}:${[...a.ApplicationPermissions].sort().join('+')}`).sort();
  const checks: Array<[string, unknown, unknown]> = [
    [PROP.securityProfileName, declared[PROP.securityProfileName], live.name],
    [PROP.description, declared[PROP.description] ?? '', live.description],
    [PROP.permissions, list(declared[PROP.permissions]), live.permissions],
    [PROP.tags, sortMap(map(declared[PROP.tags])), sortMap(liveTags)],
    [PROP.allowedAccessControlTags, sortMap(map(declared[PROP.allowedAccessControlTags])), sortMap(live.allowedAccessControlTags)],
    [PROP.tagRestrictedResources, list(declared[PROP.tagRestrictedResources]), live.tagRestrictedResources],
    [PROP.hierarchyRestrictedResources, list(declared[PROP.hierarchyRestrictedResources]), live.hierarchyRestrictedResources],
    [PROP.allowedAccessControlHierarchyGroupId, declared[PROP.allowedAccessControlHierarchyGroupId] ?? '', live.allowedAccessControlHierarchyGroupId],
    [PROP.applications, declaredApps, live.applications],
  ];
  return checks
    .filter(([, want, got]) => JSON.stringify(want) !== JSON.stringify(got))
    .map(([field, want, got]) => `${field}: declared ${JSON.stringify(want)}, live ${JSON.stringify(got)}`);
}

function sortMap(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}
