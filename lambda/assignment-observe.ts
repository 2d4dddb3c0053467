/**
 * What Connect shows about the holders of a profile: the users the selection matches, the users that hold the
 * profile, whether the profiles involved enforce granular access control, and the AI agents' profiles. Reads
 * only, through the rate-limited gateway.
 */
import type { SecurityProfile, UserSearchCriteria as SdkUserSearchCriteria, UserSearchFilter } from '@aws-sdk/client-connect';
import type { DesiredAssignment } from './assignment-desired';
import type { HolderObservation, HolderUser } from './assignment-plan';
import type { ConnectApi } from './connect-api';
import { classifyError } from './errors';
import { collectUsers, usersWithSecurityProfile } from './search-users';
import { StringComparisonType, UserSearchField } from '../src/search/enums';
import { UserSearchCriteria } from '../src/search/user-search-criteria';

/** Usernames looked up per SearchUsers request (an OR of EXACT conditions). */
export const USERNAMES_PER_SEARCH = 20;

/** The managed profile does not exist (deleted, or not visible yet). */
export class ManagedProfileMissingError extends Error {
  constructor(public readonly instanceId: string, public readonly securityProfileId: string) {
    super(`security profile ${securityProfileId} was not found in instance ${instanceId}`);
    this.name = 'ManagedProfileMissingError';
  }
}

/** What the assignment recorded: the holders it answers for. */
export interface RecordedHolders {
  readonly added: readonly string[];
  readonly addedAgents: readonly string[];
}

/** An observation, plus the usernames that matched no user. */
export interface ObservedHolders extends HolderObservation {
  readonly missingUsernames: readonly string[];
}

/** Whether a profile enforces granular access control (access-control tags, or a hierarchy restriction). */
export function enforcesAccessControl(profile: SecurityProfile): boolean {
  return Object.keys(profile.AllowedAccessControlTags ?? {}).length > 0
    || (profile.HierarchyRestrictedResources ?? []).length > 0
    || profile.AllowedAccessControlHierarchyGroupId !== undefined;
}

/**
 * Which profiles enforce granular access control, read once per profile per run (DescribeSecurityProfile).
 * A profile that cannot be found counts as unrestricted: a user cannot keep a profile that no longer exists.
 */
export class RestrictionLookup {
  private readonly known = new Map<string, Promise<boolean>>();

  constructor(private readonly api: ConnectApi, private readonly instanceId: string) {}

  /** Whether the profile enforces granular access control. */
  public isRestricted(securityProfileId: string): Promise<boolean> {
    let answer = this.known.get(securityProfileId);
    if (!answer) {
      answer = this.api.describeSecurityProfile(this.instanceId, securityProfileId).then(enforcesAccessControl, (error) => {
        if (classifyError(error) === 'not-found') return false;
        throw error;
      });
      this.known.set(securityProfileId, answer);
    }
    return answer;
  }

  /** The restricted ones among `ids`. */
  public async restrictedAmong(ids: Iterable<string>): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    const flags = await Promise.all(unique.map((id) => this.isRestricted(id)));
    return new Set(unique.filter((_id, i) => flags[i]));
  }
}

/**
 * Observe the holders of the managed profile and what the declaration selects.
 *
 * @throws ManagedProfileMissingError when the managed profile does not exist
 */
export async function observeHolders(
  api: ConnectApi, desired: DesiredAssignment, recorded: RecordedHolders, restrictions = new RestrictionLookup(api, desired.instanceId),
): Promise<ObservedHolders> {
  const { instanceId, securityProfileId } = desired;
  let profile: SecurityProfile;
  try {
    profile = await api.describeSecurityProfile(instanceId, securityProfileId);
  } catch (error) {
    if (classifyError(error) === 'not-found') throw new ManagedProfileMissingError(instanceId, securityProfileId);
    throw error;
  }
  const profileRestricted = enforcesAccessControl(profile);
  const holders = await findHolders(api, instanceId, securityProfileId);
  const { targets, missingUsernames } = await findTargets(api, desired);
  const toAdd = targets.filter((u) => !u.securityProfileIds.includes(securityProfileId));
  const restrictedProfileIds = profileRestricted
    ? await restrictions.restrictedAmong(toAdd.flatMap((u) => u.securityProfileIds))
    : new Set<string>();
  const agents = [...new Set([...desired.aiAgentArns, ...recorded.addedAgents])];
  const agentsHolding = new Set<string>();
  for (const arn of agents) {
    if ((await api.listAIAgentSecurityProfiles(instanceId, arn)).includes(securityProfileId)) agentsHolding.add(arn);
  }
  return {
    securityProfileId,
    profileRestricted,
    restrictedProfileIds,
    targets,
    holders,
    added: recorded.added,
    declaredAgents: desired.aiAgentArns,
    addedAgents: recorded.addedAgents,
    agentsHolding,
    missingUsernames,
  };
}

/** The users that hold a profile now (SearchUsers, SecurityProfileId EXACT). */
export async function findHolders(api: ConnectApi, instanceId: string, securityProfileId: string): Promise<HolderUser[]> {
  const found = await collectUsers(api, { instanceId, searchCriteria: usersWithSecurityProfile(securityProfileId) });
  return found.users.map(toHolder);
}

async function findTargets(api: ConnectApi, desired: DesiredAssignment): Promise<{ targets: HolderUser[]; missingUsernames: string[] }> {
  const users = desired.users;
  const instanceId = desired.instanceId;
  switch (users.kind) {
    case 'none':
      return { targets: [], missingUsernames: [] };
    case 'filter': {
      const found = await collectUsers(api, {
        instanceId,
        searchFilter: { UserAttributeFilter: users.userAttributeFilter } as UserSearchFilter,
        ...(users.userSearchCriteria !== undefined ? { searchCriteria: users.userSearchCriteria as SdkUserSearchCriteria } : {}),
      });
      return { targets: found.users.map(toHolder), missingUsernames: [] };
    }
    case 'usernames': {
      const targets: HolderUser[] = [];
      for (let i = 0; i < users.usernames.length; i += USERNAMES_PER_SEARCH) {
        const chunk = users.usernames.slice(i, i + USERNAMES_PER_SEARCH);
        const criteria = UserSearchCriteria.anyOf(
          ...chunk.map((name) => UserSearchCriteria.stringCondition(UserSearchField.USERNAME, StringComparisonType.EXACT, name)),
        ).render();
        const found = await collectUsers(api, { instanceId, searchCriteria: criteria });
        // EXACT is compared as Connect compares it; keep only the names asked for, spelled as asked
        targets.push(...found.users.filter((u) => chunk.includes(u.username)).map(toHolder));
      }
      const seen = new Set(targets.map((u) => u.username));
      return { targets, missingUsernames: users.usernames.filter((name) => !seen.has(name)) };
    }
  }
}

function toHolder(user: { id: string; username: string; securityProfileIds: string[] }): HolderUser {
  return { id: user.id, username: user.username, securityProfileIds: [...user.securityProfileIds] };
}
