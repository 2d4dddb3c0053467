/**
 * A paginator over Connect's SearchUsers, and the searches built on it.
 *
 * It reaches Connect only through the structural `SearchUsersApi` (the rate-limited `ConnectApi`
 * satisfies it), asks for the largest page the API allows (500), yields one user at a time and
 * reports `ApproximateTotalCount`.
 *
 * SearchUsers reports `AfterContactWorkTimeLimit` in milliseconds where every other user API uses
 * seconds. The users yielded here never carry the raw millisecond value: they carry
 * `afterContactWorkTimeLimitSeconds` (and the per-channel equivalent) so callers cannot mix the units.
 */
import type {
  SearchUsersCommandInput,
  SearchUsersCommandOutput,
  UserSearchCriteria,
  UserSearchFilter,
  UserSearchSummary,
} from '@aws-sdk/client-connect';
import { StringComparisonType, UserSearchField } from '../src/search/enums';
import { UserSearchCriteria as Criteria } from '../src/search/user-search-criteria';

/** The largest page SearchUsers accepts (`MaxResult500`). */
export const SEARCH_USERS_PAGE_SIZE = 500;

/** The one call the paginator needs. `ConnectApi` satisfies it; so does a `ConnectClient` wrapper. */
export interface SearchUsersApi {
  searchUsers(input: SearchUsersCommandInput): Promise<SearchUsersCommandOutput>;
}

/** What to search for. Both parts are optional: none means every user of the instance. */
export interface SearchUsersQuery {
  /** Connect instance id or ARN. */
  readonly instanceId: string;
  /** `SearchCriteria` of the request (see `UserSearchCriteria` in src/search). */
  readonly searchCriteria?: UserSearchCriteria;
  /** `SearchFilter` of the request (see `UserSearchFilter` in src/search). */
  readonly searchFilter?: UserSearchFilter;
  /** Page size, 1..500. Default 500. */
  readonly pageSize?: number;
}

/** A user as SearchUsers returns it, with every time limit converted to seconds. */
export interface SearchedUser {
  readonly id: string;
  readonly arn: string;
  readonly username: string;
  readonly hierarchyGroupId?: string;
  readonly routingProfileId?: string;
  readonly securityProfileIds: string[];
  readonly tags: Record<string, string>;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly directoryUserId?: string;
  /**
   * `PhoneConfig.AfterContactWorkTimeLimit`, converted from the milliseconds SearchUsers reports to the
   * seconds CreateUser, DescribeUser and UpdateUserPhoneConfig use. 0 means "no limit". Absent when
   * the user has no phone config.
   */
  readonly afterContactWorkTimeLimitSeconds?: number;
  /** `AfterContactWorkConfigs[].AfterContactWorkConfig.AfterContactWorkTimeLimit` by channel, in seconds. */
  readonly afterContactWorkTimeLimitSecondsByChannel: Record<string, number>;
}

/** The outcome of one page. */
export interface SearchUsersPage {
  readonly users: SearchedUser[];
  /** `ApproximateTotalCount` of that response, when the service sent it. */
  readonly approximateTotalCount?: number;
  /** True when the service sent a `NextToken` (another page follows). */
  readonly hasMore: boolean;
}

/**
 * Convert the milliseconds SearchUsers reports to the seconds every other user API uses.
 *
 * Connect stores whole seconds, so the division is exact for real data; a sub-second remainder (which
 * the service is not known to produce) is rounded to the nearest second.
 */
export function afterContactWorkMillisecondsToSeconds(milliseconds: number): number {
  return Math.round(milliseconds / 1000);
}

/** Turn one `UserSearchSummary` into a `SearchedUser` (seconds, defaults filled in). */
export function toSearchedUser(summary: UserSearchSummary): SearchedUser {
  const byChannel: Record<string, number> = {};
  for (const config of summary.AfterContactWorkConfigs ?? []) {
    const ms = config.AfterContactWorkConfig?.AfterContactWorkTimeLimit;
    if (config.Channel !== undefined && ms !== undefined) {
      byChannel[config.Channel] = afterContactWorkMillisecondsToSeconds(ms);
    }
  }
  const phoneMs = summary.PhoneConfig?.AfterContactWorkTimeLimit;
  return {
    id: summary.Id ?? '',
    arn: summary.Arn ?? '',
    username: summary.Username ?? '',
    hierarchyGroupId: summary.HierarchyGroupId,
    routingProfileId: summary.RoutingProfileId,
    securityProfileIds: [...(summary.SecurityProfileIds ?? [])],
    tags: { ...(summary.Tags ?? {}) },
    firstName: summary.IdentityInfo?.FirstName,
    lastName: summary.IdentityInfo?.LastName,
    directoryUserId: summary.DirectoryUserId,
    afterContactWorkTimeLimitSeconds: phoneMs === undefined ? undefined : afterContactWorkMillisecondsToSeconds(phoneMs),
    afterContactWorkTimeLimitSecondsByChannel: byChannel,
  };
}

/**
 * Iterate over the pages of one SearchUsers query.
 *
 * Issues one call per page, following `NextToken` until the service stops sending it. Stops with an
 * error if the service repeats a token (a loop that would otherwise never end).
 */
export async function* searchUserPages(api: SearchUsersApi, query: SearchUsersQuery): AsyncGenerator<SearchUsersPage> {
  const pageSize = query.pageSize ?? SEARCH_USERS_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SEARCH_USERS_PAGE_SIZE) {
    throw new Error(`search users in instance ${query.instanceId}: pageSize must be an integer in 1..${SEARCH_USERS_PAGE_SIZE}, got ${pageSize}`);
  }
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const output = await api.searchUsers({
      InstanceId: query.instanceId,
      MaxResults: pageSize,
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      ...(query.searchCriteria !== undefined ? { SearchCriteria: query.searchCriteria } : {}),
      ...(query.searchFilter !== undefined ? { SearchFilter: query.searchFilter } : {}),
    });
    nextToken = output.NextToken || undefined;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) {
        throw new Error(`search users in instance ${query.instanceId}: the service repeated NextToken "${nextToken.slice(0, 40)}"; stopping to avoid an endless loop`);
      }
      seen.add(nextToken);
    }
    yield {
      users: (output.Users ?? []).map(toSearchedUser),
      approximateTotalCount: output.ApproximateTotalCount,
      hasMore: nextToken !== undefined,
    };
  } while (nextToken !== undefined);
}

/**
 * Iterate over every user a SearchUsers query matches, one at a time, across pages.
 */
export async function* searchUsers(api: SearchUsersApi, query: SearchUsersQuery): AsyncGenerator<SearchedUser> {
  for await (const page of searchUserPages(api, query)) {
    yield* page.users;
  }
}

/** The outcome of `collectUsers`. */
export interface CollectedUsers {
  readonly users: SearchedUser[];
  /** `ApproximateTotalCount` of the first response (the service's estimate of all matches). */
  readonly approximateTotal?: number;
  /** True when `limit` stopped the collection before the last page. */
  readonly truncated: boolean;
  /** Number of SearchUsers calls made. */
  readonly calls: number;
}

/**
 * Collect the users a query matches, stopping after `limit` users (no further page is requested).
 *
 * @param limit the most users to return; `Infinity` for all of them.
 */
export async function collectUsers(api: SearchUsersApi, query: SearchUsersQuery, limit: number = Infinity): Promise<CollectedUsers> {
  if (!(limit >= 0)) {
    throw new Error(`search users in instance ${query.instanceId}: limit must be 0 or more, got ${limit}`);
  }
  // A small limit asks for a small page; limit 0 still makes one call, for the approximate total.
  const pageSize = query.pageSize ?? Math.min(SEARCH_USERS_PAGE_SIZE, Math.max(1, limit));
  const users: SearchedUser[] = [];
  let approximateTotal: number | undefined;
  let calls = 0;
  let truncated = false;
  for await (const page of searchUserPages(api, { ...query, pageSize })) {
    calls++;
    if (calls === 1) approximateTotal = page.approximateTotalCount;
    const room = limit - users.length;
    users.push(...page.users.slice(0, room));
    if (users.length >= limit) {
      // Leaving the loop ends the generator: no further page is requested.
      truncated = page.users.length > room || page.hasMore;
      break;
    }
  }
  return { users, approximateTotal, truncated, calls };
}

/**
 * Find up to `limit` users assigned a security profile (SearchCriteria StringCondition
 * `SecurityProfileId` EXACT), for messages such as "profile X is still assigned to a, b, c".
 *
 * @returns the users found (id and username) and the service's approximate total of matches.
 */
export async function findUsersWithSecurityProfile(
  api: SearchUsersApi,
  instanceId: string,
  securityProfileId: string,
  limit: number,
): Promise<{ users: Array<{ id: string; username: string }>; approximateTotal?: number }> {
  const found = await collectUsers(api, {
    instanceId,
    searchCriteria: usersWithSecurityProfile(securityProfileId),
  }, limit);
  return {
    users: found.users.map(u => ({ id: u.id, username: u.username })),
    approximateTotal: found.approximateTotal,
  };
}

/** SearchCriteria matching the users assigned `securityProfileId` (StringCondition `SecurityProfileId` EXACT). */
export function usersWithSecurityProfile(securityProfileId: string): UserSearchCriteria {
  return Criteria.stringCondition(UserSearchField.SECURITY_PROFILE_ID, StringComparisonType.EXACT, securityProfileId).render();
}
