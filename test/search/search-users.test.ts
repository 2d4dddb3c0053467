import { ConnectClient, SearchUsersCommand } from '@aws-sdk/client-connect';
import { Prng } from './prng';
import {
  afterContactWorkMillisecondsToSeconds, collectUsers, findUsersWithSecurityProfile, SearchUsersApi,
  searchUsers, toSearchedUser,
} from '../../lambda/search-users';
import { ConnectEmulator } from '../../local/connect-emulator';
import {
  HierarchyGroupMatchType, StringComparisonType, UserAttributeFilter, UserSearchCriteria, UserSearchField, UserSearchFilter,
} from '../../src/search';
import { startEmulatorAndClient } from '../support/emulator-client';

let emulator: ConnectEmulator;
let client: ConnectClient;
let stop: () => Promise<void>;
let api: SearchUsersApi;

beforeAll(async () => {
  ({ emulator, client, stop } = await startEmulatorAndClient());
  api = { searchUsers: input => client.send(new SearchUsersCommand(input)) };
});

afterAll(() => stop());

function searchRequests(): any[] {
  return emulator.requestLog.filter(e => e.operation === 'SearchUsers').map(e => e.input);
}

describe('paginator', () => {
  test('collectUsers stops asking once it has `limit` users', async () => {
    const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
    for (let i = 0; i < 30; i++) emulator.seedUser(instanceId, { username: `c${i}`, securityProfileIds: [defaultSecurityProfileIds.Agent] });
    emulator.clearRequestLog();

    const some = await collectUsers(api, { instanceId, pageSize: 10 }, 15);
    expect(some.users).toHaveLength(15);
    expect(some).toMatchObject({ approximateTotal: 30, truncated: true, calls: 2 });
    expect(emulator.callCount('SearchUsers')).toBe(2);

    const all = await collectUsers(api, { instanceId });
    expect(all).toMatchObject({ approximateTotal: 30, truncated: false, calls: 1 });
    expect(new Set(all.users.map(u => u.username)).size).toBe(30);
  });

  test('findUsersWithSecurityProfile names holders only, up to the limit, with the total', async () => {
    const { instanceId, defaultSecurityProfileIds: p } = emulator.createInstance();
    const holders = Array.from({ length: 7 }, (_, i) => emulator.seedUser(instanceId, { username: `qa${i}`, securityProfileIds: [p.Agent, p.QualityAnalyst] }).id);
    for (let i = 0; i < 3; i++) emulator.seedUser(instanceId, { username: `agent${i}`, securityProfileIds: [p.Agent] });
    emulator.clearRequestLog();

    const three = await findUsersWithSecurityProfile(api, instanceId, p.QualityAnalyst, 3);
    expect(three.users).toHaveLength(3);
    expect(three.users.every(u => holders.includes(u.id) && /^qa\d$/.test(u.username))).toBe(true);
    expect(three.approximateTotal).toBe(7);
    expect(emulator.callCount('SearchUsers')).toBe(1);
    expect(searchRequests()[0].SearchCriteria).toEqual({ StringCondition: { FieldName: 'SecurityProfileId', Value: p.QualityAnalyst, ComparisonType: 'EXACT' } });

    const all = await findUsersWithSecurityProfile(api, instanceId, p.QualityAnalyst, 100);
    expect(all.users.map(u => u.id).sort()).toEqual([...holders].sort());

    const none = await findUsersWithSecurityProfile(api, instanceId, p.QualityAnalyst, 0);
    expect(none).toEqual({ users: [], approximateTotal: 7 });
  });

  test('refuses a page size outside 1..500 before any call', async () => {
    emulator.clearRequestLog();
    await expect(collectUsers(api, { instanceId: 'i', pageSize: 501 })).rejects.toThrow('search users in instance i: pageSize must be an integer in 1..500, got 501');
    expect(emulator.callCount('SearchUsers')).toBe(0);
  });

  test('stops when a NextToken repeats (no server sends that: stubbed)', async () => {
    const looping: SearchUsersApi = { searchUsers: async () => ({ Users: [{ Id: 'u', Username: 'u' }], NextToken: 'same', $metadata: {} }) };
    await expect(collectUsers(looping, { instanceId: 'i' })).rejects.toThrow(/the service repeated NextToken "same"; stopping to avoid an endless loop/);
  });
});

describe('AfterContactWorkTimeLimit: SearchUsers milliseconds become seconds', () => {
  test('over the wire', async () => {
    const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
    const { id } = emulator.seedUser(instanceId, { username: 'acw', securityProfileIds: [defaultSecurityProfileIds.Agent], afterContactWorkTimeLimitSeconds: 45 });

    // The service (and the emulator) report milliseconds...
    const raw = await client.send(new SearchUsersCommand({ InstanceId: instanceId }));
    expect(raw.Users?.find(u => u.Id === id)?.PhoneConfig?.AfterContactWorkTimeLimit).toBe(45_000);

    // ...the paginator yields seconds, under a name that says so, and never the raw value.
    const [user] = (await collectUsers(api, { instanceId })).users.filter(u => u.id === id);
    expect(user.afterContactWorkTimeLimitSeconds).toBe(45);
    expect(JSON.stringify(user)).not.toContain('45000');
    expect(Object.keys(user)).not.toContain('afterContactWorkTimeLimit');
  });

  test.each([[0, 0], [1000, 1], [45_000, 45], [2_000_000_000, 2_000_000], [1499, 1], [1500, 2]])('%d ms is %d s', (ms, s) => {
    expect(afterContactWorkMillisecondsToSeconds(ms)).toBe(s);
  });

  test('per channel, and absent when not reported', () => {
    const user = toSearchedUser({
      Id: 'u1',
      Arn: 'arn:aws:connect:us-east-1:123456789012:instance/i/agent/u1',
      Username: 'x',
      AfterContactWorkConfigs: [
        { Channel: 'VOICE', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 30_000 } },
        { Channel: 'CHAT', AfterContactWorkConfig: { AfterContactWorkTimeLimit: 0 } },
        { Channel: 'TASK', AfterContactWorkConfig: {} },
      ],
    });
    expect(user.afterContactWorkTimeLimitSecondsByChannel).toEqual({ VOICE: 30, CHAT: 0 });
    expect(user.afterContactWorkTimeLimitSeconds).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------
// Random filters and criteria against a brute-force evaluation over the same seeded users.

interface SeededUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  groupId?: string;
  tags: Record<string, string>;
  profiles: string[];
}

type Check = (u: SeededUser) => boolean;

const TAGS: Record<string, string[]> = { team: ['red', 'blue', 'green'], site: ['lyon', 'oslo'], level: ['1', '2', '3'] };
const FIRST = ['ana', 'bob', 'cleo', 'dana', 'eve', 'fatou'];
const LAST = ['martin', 'moreau', 'nakamura', 'okafor', 'silva'];

describe('results match a brute-force filter over the same users (seeded)', () => {
  const rng = new Prng(20261125);
  let instanceId: string;
  let users: SeededUser[];
  let groups: string[];
  let parent: Map<string, string | undefined>;
  let profileIds: string[];

  beforeAll(() => {
    const instance = emulator.createInstance({ identityManagementType: 'SAML' });
    instanceId = instance.instanceId;
    profileIds = Object.values(instance.defaultSecurityProfileIds);
    parent = new Map();
    groups = [];
    const addGroup = (name: string, parentId?: string) => {
      const { id } = emulator.seedHierarchyGroup(instanceId, name, parentId);
      parent.set(id, parentId);
      groups.push(id);
      return id;
    };
    for (let r = 0; r < 3; r++) {
      const root = addGroup(`root${r}`);
      for (let c = 0; c < 2; c++) {
        const child = addGroup(`root${r}-c${c}`, root);
        for (let g = 0; g < 2; g++) addGroup(`root${r}-c${c}-g${g}`, child);
      }
    }
    users = [];
    for (let i = 0; i < 300; i++) {
      const tags: Record<string, string> = {};
      for (const [key, values] of Object.entries(TAGS)) if (rng.chance(0.6)) tags[key] = rng.pick(values);
      const profiles = [...new Set([rng.pick(profileIds), rng.pick(profileIds)])];
      const user: Omit<SeededUser, 'id'> = {
        username: `${rng.pick(FIRST)}.${rng.pick(LAST)}${i}`.slice(0, 20),
        firstName: `${rng.pick(FIRST)}${rng.int(1, 9)}`,
        lastName: rng.pick(LAST),
        groupId: rng.chance(0.9) ? rng.pick(groups) : undefined,
        tags,
        profiles,
      };
      const { id } = emulator.seedUser(instanceId, {
        username: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        hierarchyGroupId: user.groupId,
        tags: Object.keys(tags).length ? tags : undefined,
        securityProfileIds: profiles,
      });
      users.push({ ...user, id });
    }
  });

  function within(groupId: string | undefined, ancestor: string): boolean {
    for (let g = groupId; g !== undefined; g = parent.get(g)) if (g === ancestor) return true;
    return false;
  }

  function randomGroup(): [string, HierarchyGroupMatchType, Check] {
    const group = rng.pick(groups);
    const type = rng.chance(0.5) ? HierarchyGroupMatchType.EXACT : HierarchyGroupMatchType.WITH_CHILD_GROUPS;
    return [group, type, type === HierarchyGroupMatchType.EXACT ? u => u.groupId === group : u => within(u.groupId, group)];
  }

  function randomTag(): [UserAttributeFilter, Check] {
    const key = rng.pick(Object.keys(TAGS));
    const value = rng.chance(0.9) ? rng.pick(TAGS[key]) : 'nobody';
    return [UserAttributeFilter.tag(key, value), u => u.tags[key] === value];
  }

  function randomAttributeLeaf(): [UserAttributeFilter, Check] {
    if (rng.chance(0.5)) return randomTag();
    const [group, type, check] = randomGroup();
    return [UserAttributeFilter.hierarchyGroupId(group, type), check];
  }

  function randomAnd(): [UserAttributeFilter, Check] {
    const parts = Array.from({ length: rng.int(1, 3) }, randomTag);
    if (rng.chance(0.6)) {
      const [group, type, check] = randomGroup();
      parts.push([UserAttributeFilter.hierarchyGroupId(group, type), check]);
    }
    return [UserAttributeFilter.allOf(...parts.map(p => p[0])), u => parts.every(p => p[1](u))];
  }

  function randomAttributeFilter(): [UserAttributeFilter, Check] {
    const kind = rng.int(0, 2);
    if (kind === 0) return randomAttributeLeaf();
    if (kind === 1) return randomAnd();
    const parts = Array.from({ length: rng.int(1, 4) }, () => (rng.chance(0.5) ? randomAttributeLeaf() : randomAnd()));
    return [UserAttributeFilter.anyOf(...parts.map(p => p[0])), u => parts.some(p => p[1](u))];
  }

  function randomString(): [UserSearchCriteria, Check] {
    const field = rng.pick([
      UserSearchField.USERNAME, UserSearchField.FIRST_NAME, UserSearchField.LAST_NAME,
      UserSearchField.SECURITY_PROFILE_ID, UserSearchField.RESOURCE_ID,
    ]);
    const someone = rng.pick(users);
    const valuesOf = (u: SeededUser): string[] => {
      switch (field) {
        case UserSearchField.USERNAME: return [u.username];
        case UserSearchField.FIRST_NAME: return [u.firstName];
        case UserSearchField.LAST_NAME: return [u.lastName];
        case UserSearchField.SECURITY_PROFILE_ID: return u.profiles;
        default: return [u.id];
      }
    };
    const source = rng.pick(valuesOf(someone));
    // resourceId is compared EXACT only: the service's prefix/substring rules on ids are not documented.
    const type = field === UserSearchField.RESOURCE_ID ? StringComparisonType.EXACT : rng.pick(Object.values(StringComparisonType));
    let value = source;
    let test: (v: string) => boolean = v => v === value;
    if (type === StringComparisonType.STARTS_WITH) {
      value = source.slice(0, rng.int(1, Math.min(6, source.length)));
      test = v => v.startsWith(value);
    } else if (type === StringComparisonType.CONTAINS) {
      const length = rng.int(2, Math.min(6, source.length));
      const start = rng.int(0, source.length - length);
      value = source.slice(start, start + length);
      test = v => v.includes(value);
    }
    return [UserSearchCriteria.stringCondition(field, type, value), u => valuesOf(u).some(test)];
  }

  function randomCriteria(depth = 0): [UserSearchCriteria, Check] {
    const kind = depth >= 2 ? rng.int(0, 1) : rng.int(0, 3);
    if (kind === 0) return randomString();
    if (kind === 1) {
      const [group, type, check] = randomGroup();
      return [UserSearchCriteria.hierarchyGroupId(group, type), check];
    }
    const parts = Array.from({ length: rng.int(1, 3) }, () => randomCriteria(depth + 1));
    return kind === 2
      ? [UserSearchCriteria.allOf(...parts.map(p => p[0])), u => parts.every(p => p[1](u))]
      : [UserSearchCriteria.anyOf(...parts.map(p => p[0])), u => parts.some(p => p[1](u))];
  }

  test('60 random searches, random page sizes', async () => {
    let partial = 0;
    for (let round = 0; round < 60; round++) {
      const useFilter = round % 3 !== 1;
      const useCriteria = round % 3 !== 0;
      const [filter, filterCheck] = useFilter ? randomAttributeFilter() : [undefined, () => true];
      const [criteria, criteriaCheck] = useCriteria ? randomCriteria() : [undefined, () => true];
      const expected = users.filter(u => filterCheck(u) && criteriaCheck(u)).map(u => u.id).sort();
      const pageSize = rng.int(1, 120);

      emulator.clearRequestLog();
      const found = await collectUsers(api, {
        instanceId,
        pageSize,
        searchFilter: filter && UserSearchFilter.userAttributes(filter).render(),
        searchCriteria: criteria?.render(),
      });

      const context = JSON.stringify({ round, pageSize, filter: filter?.render(), criteria: criteria?.render() });
      expect({ context, ids: found.users.map(u => u.id).sort() }).toEqual({ context, ids: expected });
      expect(found.approximateTotal).toBe(expected.length);
      expect(emulator.callCount('SearchUsers')).toBe(Math.max(1, Math.ceil(expected.length / pageSize)));
      if (expected.length > 0 && expected.length < users.length) partial++;
    }
    // The random searches are selective: most of them keep some users and drop others.
    expect(partial).toBeGreaterThanOrEqual(30);
  });

  test('searches() yields the same users one by one', async () => {
    const [filter, check] = randomAnd();
    const ids: string[] = [];
    const searchFilter = UserSearchFilter.userAttributes(filter).render();
    for await (const user of searchUsers(api, { instanceId, pageSize: 7, searchFilter })) ids.push(user.id);
    expect(ids.sort()).toEqual(users.filter(check).map(u => u.id).sort());
  });
});
