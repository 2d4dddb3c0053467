/**
 * Reading the live state of security profiles through the real SDK, and comparing it with what a
 * stack declares. Callers turn the emulator's faults off while they read.
 */
import {
  ConnectClient,
  DescribeSecurityProfileCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfilePermissionsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-connect';
import { OWNER_TAG_KEY } from '../../src/private/contract';

/** A security profile as the invariants compare it. */
export interface LiveProfile {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: string[];
  /** Resource tags without the owner tag and `aws:` tags. */
  readonly tags: Record<string, string>;
  readonly ownerMark?: string;
  readonly allowedAccessControlTags: Record<string, string>;
  readonly tagRestrictedResources: string[];
  readonly hierarchyRestrictedResources: string[];
  readonly allowedAccessControlHierarchyGroupId?: string;
  /** `namespace -> sorted permissions`. */
  readonly applications: Record<string, string[]>;
}

/** Read one profile completely (every page). */
export async function readLiveProfile(client: ConnectClient, instanceId: string, profileId: string): Promise<LiveProfile> {
  const ids = { InstanceId: instanceId, SecurityProfileId: profileId };
  const described = (await client.send(new DescribeSecurityProfileCommand(ids))).SecurityProfile ?? {};
  const permissions: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListSecurityProfilePermissionsCommand({ ...ids, NextToken: token }));
    permissions.push(...(page.Permissions ?? []));
    token = page.NextToken;
  } while (token);
  const applications: Record<string, string[]> = {};
  do {
    const page = await client.send(new ListSecurityProfileApplicationsCommand({ ...ids, NextToken: token }));
    for (const app of page.Applications ?? []) {
      applications[app.Namespace ?? ''] = [...(app.ApplicationPermissions ?? [])].sort();
    }
    token = page.NextToken;
  } while (token);
  const allTags = (await client.send(new ListTagsForResourceCommand({ resourceArn: described.Arn }))).tags ?? {};
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(allTags)) {
    if (k !== OWNER_TAG_KEY && !k.startsWith('aws:')) tags[k] = v;
  }
  return {
    id: described.Id ?? profileId,
    arn: described.Arn ?? '',
    name: described.SecurityProfileName ?? '',
    description: described.Description ?? '',
    permissions: [...new Set(permissions)].sort(),
    tags,
    ownerMark: allTags[OWNER_TAG_KEY],
    allowedAccessControlTags: { ...(described.AllowedAccessControlTags ?? {}) },
    tagRestrictedResources: [...(described.TagRestrictedResources ?? [])].sort(),
    hierarchyRestrictedResources: [...(described.HierarchyRestrictedResources ?? [])].sort(),
    allowedAccessControlHierarchyGroupId: described.AllowedAccessControlHierarchyGroupId || undefined,
    applications,
  };
}

/** What the declared properties say the live profile must be, in `LiveProfile` terms. */
export function expectedFromProperties(props: Record<string, unknown>): Omit<LiveProfile, 'id' | 'arn' | 'ownerMark'> {
  const apps: Record<string, string[]> = {};
  for (const app of (props.Applications as Array<{ Namespace: string; ApplicationPermissions: string[] }> | undefined) ?? []) {
    apps[app.Namespace] = [...app.ApplicationPermissions].sort();
  }
  return {
    name: props.SecurityProfileName as string,
    description: (props.Description as string | undefined) ?? '',
    permissions: [...((props.Permissions as string[] | undefined) ?? [])].sort(),
    tags: { ...((props.Tags as Record<string, string> | undefined) ?? {}) },
    allowedAccessControlTags: { ...((props.AllowedAccessControlTags as Record<string, string> | undefined) ?? {}) },
    tagRestrictedResources: [...((props.TagRestrictedResources as string[] | undefined) ?? [])].sort(),
    hierarchyRestrictedResources: [...((props.HierarchyRestrictedResources as string[] | undefined) ?? [])].sort(),
    allowedAccessControlHierarchyGroupId: (props.AllowedAccessControlHierarchyGroupId as string | undefined) || undefined,
    applications: apps,
  };
}

/** The fields in which a live profile differs from the declared properties (empty when equal). */
export function differences(live: LiveProfile, props: Record<string, unknown>): string[] {
  const expected = expectedFromProperties(props);
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
  for (const key of Object.keys(expected) as Array<keyof typeof expected>) {
    if (!same(live[key], expected[key])) {
      out.push(`${key}: live ${JSON.stringify(live[key])}, declared ${JSON.stringify(expected[key])}`);
    }
  }
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
