/**
 * The hierarchy group lookup (`Custom::ConnectUserHierarchyGroupLookup`) against the Connect emulator over
 * HTTP, with the real SDK client behind the gateway: groups found by path and by name, the failures that
 * name the level that did not match and what is there instead, and searches that span pages.
 */
import { cfnEvent, fastApi, operations } from './helpers';
import { ConnectApi, InvocationDeadline } from '../../lambda/connect-api';
import { GroupLookupResponse, NAMES_SHOWN, onGroupLookupEvent, parseGroupLookup } from '../../lambda/group-lookup';
import { TokenBucket } from '../../lambda/rate-limiter';
import { ConnectEmulator, connectClientFor, startConnectEmulator } from '../../local/connect-emulator';
import { GROUP_LOOKUP_RESOURCE_TYPE } from '../../src/private/contract';
import { TestLogger } from '../support/logger';

let emulator: ConnectEmulator;
let instanceId: string;
let instanceArn: string;
/** Group ids by their path joined with '/'. */
const ids = new Map<string, string>();

beforeAll(async () => {
  emulator = await startConnectEmulator();
  ({ instanceId, instanceArn } = emulator.createInstance({ alias: 'group-lookup' }));
  const seed = (path: string[]) => {
    const parent = path.length > 1 ? ids.get(path.slice(0, -1).join('/')) : undefined;
    ids.set(path.join('/'), emulator.seedHierarchyGroup(instanceId, path[path.length - 1], parent).id);
  };
  seed(['Company']);
  seed(['Partner']);
  seed(['Company', 'BPO-A']);
  seed(['Company', 'BPO-B']);
  seed(['Company', 'BPO-A', 'Team 1']);
  seed(['Company', 'BPO-B', 'Team 1']);
  seed(['Company', 'BPO-B', 'Team 2']);
  for (let i = 1; i <= NAMES_SHOWN + 2; i++) seed(['Partner', `Site ${i}`]);
});

afterAll(async () => {
  await emulator?.stop();
});

beforeEach(() => {
  emulator.configure({ throttling: 'off', faults: {} });
  emulator.clearRequestLog();
});

function lookup(
  properties: Record<string, unknown>, requestType: 'Create' | 'Update' | 'Delete' = 'Create', physicalResourceId?: string,
): Promise<GroupLookupResponse> {
  const event = cfnEvent(requestType, { InstanceArn: instanceArn, ...properties }, { physicalResourceId });
  event.ResourceType = GROUP_LOOKUP_RESOURCE_TYPE;
  return onGroupLookupEvent(event, { connect: fastApi(emulator), logger: new TestLogger() });
}

const byPath = (...path: string[]) => lookup({ ContractVersion: '1', GroupPath: path });
const arnOf = (path: string) => `${instanceArn}/agent-group/${ids.get(path)}`;

describe('found', () => {
  test.each([
    [['Company'], 'Company', '1'],
    [['Company', 'BPO-A'], 'Company/BPO-A', '2'],
    [['Company', 'BPO-B', 'Team 1'], 'Company/BPO-B/Team 1', '3'],
  ])('the path %j returns the id and ARN of %s (level %s), with one search', async (path, key, level) => {
    // WHEN
    const res = await byPath(...path);

    // THEN
    expect(res).toEqual({
      PhysicalResourceId: arnOf(key),
      Data: { UserHierarchyGroupId: ids.get(key), UserHierarchyGroupArn: arnOf(key), Level: level },
    });
    expect(operations(emulator)).toEqual(['SearchUserHierarchyGroups']);
  });

  test('of two groups with the same name under different parents, the path picks the one under its parent', async () => {
    const a = await byPath('Company', 'BPO-A', 'Team 1');
    const b = await byPath('Company', 'BPO-B', 'Team 1');

    expect(a.Data!.UserHierarchyGroupId).toBe(ids.get('Company/BPO-A/Team 1'));
    expect(b.Data!.UserHierarchyGroupId).toBe(ids.get('Company/BPO-B/Team 1'));
  });

  test('a name found at any level (here level two)', async () => {
    const res = await lookup({ GroupName: 'BPO-B' });

    expect(res.PhysicalResourceId).toBe(arnOf('Company/BPO-B'));
    expect(res.Data!.Level).toBe('2');
  });

  test('an Update looks the group up again: the new path gives the new group\'s ARN as physical id', async () => {
    const res = await lookup({ GroupPath: ['Company', 'BPO-B'] }, 'Update', arnOf('Company/BPO-A'));

    expect(res.PhysicalResourceId).toBe(arnOf('Company/BPO-B'));
  });

  test('a Delete calls nothing and keeps the physical id (the group is not the stack\'s)', async () => {
    const res = await lookup({ GroupPath: ['Company', 'BPO-A'] }, 'Delete', arnOf('Company/BPO-A'));

    expect(res).toEqual({ PhysicalResourceId: arnOf('Company/BPO-A') });
    expect(operations(emulator)).toEqual([]);
  });
});

describe('missing or ambiguous: the deploy fails naming the level and what is there', () => {
  test('missing at level 1: the level-one groups are listed', async () => {
    await expect(byPath('Compnay', 'BPO-A')).rejects.toThrow(
      `look up hierarchy group ["Compnay","BPO-A"] in instance ${instanceId}: level 1 has no group named "Compnay" at level one; `
      + 'the level-one groups are "Company", "Partner". Fix the name in the path (names compare exactly, case included), or create the group first');
  });

  test('missing at level 2: the groups under level 1\'s group are listed', async () => {
    await expect(byPath('Company', 'BPO-C')).rejects.toThrow(
      /level 2 has no group named "BPO-C" under "Company"; the groups under "Company" are "BPO-A", "BPO-B"\. Fix the name/);
  });

  test('names compare exactly: a case difference is a miss at that level', async () => {
    await expect(byPath('Company', 'bpo-a')).rejects.toThrow(/level 2 has no group named "bpo-a" under "Company"; the groups under "Company" are "BPO-A", "BPO-B"/);
  });

  test('missing at level 3, under a group with children elsewhere in the path', async () => {
    await expect(byPath('Company', 'BPO-A', 'Team 2')).rejects.toThrow(
      /level 3 has no group named "Team 2" under "BPO-A"; the groups under "BPO-A" are "Team 1"\./);
  });

  test(`more than ${NAMES_SHOWN} groups there: ${NAMES_SHOWN} are named, and how many more`, async () => {
    await expect(byPath('Partner', 'Site 99')).rejects.toThrow(
      /level 2 has no group named "Site 99" under "Partner"; the groups under "Partner" are "Site 1", "Site 2", "Site 3", "Site 4", "Site 5", and 2 more\./);
  });

  test('a path deeper than the hierarchy: the last group has no child groups', async () => {
    await expect(byPath('Company', 'BPO-A', 'Team 1', 'Shift')).rejects.toThrow(
      /level 4 has no group named "Shift" under "Team 1"; "Team 1" has no child groups\./);
  });

  test('a name two groups have is ambiguous: both paths are listed, to use with fromGroupPath', async () => {
    await expect(lookup({ GroupName: 'Team 1' })).rejects.toThrow(
      `look up hierarchy group named "Team 1" in instance ${instanceId}: 2 groups have this name, at the paths `
      + '["Company","BPO-A","Team 1"], ["Company","BPO-B","Team 1"]; use UserHierarchyGroup.fromGroupPath() with the path of the one you mean');
  });

  test('a name no group has: groups whose names start with it are offered', async () => {
    await expect(lookup({ GroupName: 'Team' })).rejects.toThrow(
      /no group has this name; groups whose names start with it: \["Company","BPO-A","Team 1"\], \["Company","BPO-B","Team 1"\], \["Company","BPO-B","Team 2"\]\. Fix the name/);
  });

  test('a name nothing resembles', async () => {
    await expect(lookup({ GroupName: 'Nowhere' })).rejects.toThrow(/named "Nowhere" .*: no group has this name\. Fix the name/);
  });

  test('the level-zero group Connect keeps under level one is never a match', async () => {
    await expect(lookup({ GroupName: 'root' })).rejects.toThrow(/no group has this name/);
    await expect(byPath('root')).rejects.toThrow(/level 1 has no group named "root"/);
  });
});

describe('pagination', () => {
  let many: { instanceId: string; instanceArn: string };
  const parents: string[] = [];
  const teams: string[] = [];

  beforeAll(() => {
    // 130 regions with a group "Team" each: a search for "Team" spans two pages of 100
    many = emulator.createInstance({ alias: 'group-lookup-many' });
    for (let i = 0; i < 130; i++) {
      parents.push(emulator.seedHierarchyGroup(many.instanceId, `Region ${String(i).padStart(3, '0')}`).id);
      teams.push(emulator.seedHierarchyGroup(many.instanceId, 'Team', parents[i]).id);
    }
  });

  const lookupIn = (properties: Record<string, unknown>) => onGroupLookupEvent(
    { ...cfnEvent('Create', { InstanceArn: many.instanceArn, ...properties }), ResourceType: GROUP_LOOKUP_RESOURCE_TYPE },
    { connect: fastApi(emulator), logger: new TestLogger() });

  test('a path whose group is on the second page of the search is found', async () => {
    const res = await lookupIn({ GroupPath: ['Region 129', 'Team'] });

    expect(res.Data!.UserHierarchyGroupId).toBe(teams[129]);
    expect(operations(emulator)).toEqual(['SearchUserHierarchyGroups', 'SearchUserHierarchyGroups']);
    expect(emulator.requestLog.map((e) => (e.input as { MaxResults?: number }).MaxResults)).toEqual([100, 100]);
  });

  test('an ambiguous name counts every page: 130 groups named "Team", 5 paths shown', async () => {
    await expect(lookupIn({ GroupName: 'Team' })).rejects.toThrow(
      /130 groups have this name, at the paths \["Region 000","Team"\], \["Region 001","Team"\], \["Region 002","Team"\], \["Region 003","Team"\], \["Region 004","Team"\], and 125 more; use UserHierarchyGroup\.fromGroupPath\(\)/);
  });

  test('the list of what is there reads one page only, with the total from Connect', async () => {
    await expect(lookupIn({ GroupPath: ['Region 999', 'Team'] })).rejects.toThrow(
      /level 1 has no group named "Region 999" at level one; the level-one groups are "Region 000", "Region 001", "Region 002", "Region 003", "Region 004", and 125 more\./);
    // the leaf search (two pages), the walk's level-one search, the listing
    expect(operations(emulator)).toEqual(Array(4).fill('SearchUserHierarchyGroups'));
    expect((emulator.requestLog[3].input as { MaxResults?: number }).MaxResults).toBe(NAMES_SHOWN);
  });
});

describe('throttling', () => {
  test('throttled searches wait within the invocation\'s deadline and succeed, as in production (no attempt count)', async () => {
    emulator.configure({ throttling: { SearchUserHierarchyGroups: { rate: 2, burst: 1 } } });
    const connect = new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
      rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }),
      retry: { throttleBaseDelayMs: 20, maxDelayMs: 400 },
      deadline: InvocationDeadline.after(30_000),
    });
    const run = (properties: Record<string, unknown>) => onGroupLookupEvent(
      { ...cfnEvent('Create', { InstanceArn: instanceArn, ...properties }), ResourceType: GROUP_LOOKUP_RESOURCE_TYPE },
      { connect, logger: new TestLogger() });

    const results = await Promise.all([run({ GroupPath: ['Company', 'BPO-A'] }), run({ GroupPath: ['Company', 'BPO-B'] }), run({ GroupName: 'Partner' })]);

    expect(results.map((r) => r.Data!.UserHierarchyGroupId)).toEqual([ids.get('Company/BPO-A'), ids.get('Company/BPO-B'), ids.get('Partner')]);
    expect(emulator.requestLog.some((e) => e.errorType === 'ThrottlingException')).toBe(true);
  });
});

describe('bad properties fail before any call, naming the property', () => {
  test.each([
    [{ GroupPath: [] }, /invalid property GroupPath: received \[\]; expected a list of 1 to 5 group names/],
    [{ GroupPath: ['a', 'b', 'c', 'd', 'e', 'f'] }, /invalid property GroupPath: .*at most five levels/],
    [{ GroupPath: ['Company', ''] }, /invalid property GroupPath\[1\]: received ""; expected a hierarchy group name of 1 to 100 characters/],
    [{ GroupPath: ['x'.repeat(101)] }, /invalid property GroupPath\[0\]/],
    [{ GroupName: 7 }, /invalid property GroupName: received 7/],
    [{}, /invalid property GroupPath\/GroupName: .*expected exactly one of the two/],
    [{ GroupPath: ['Company'], GroupName: 'Company' }, /expected exactly one of the two/],
    [{ GroupPath: ['Company'], InstanceArn: 'instance/abc' }, /invalid property InstanceArn: received "instance\/abc"; expected an instance ARN/],
    [{ GroupPath: ['Company'], ContractVersion: '9' }, /invalid property ContractVersion: .*understands versions 1\.\.1/],
  ])('%j', async (properties, message) => {
    await expect(lookup(properties)).rejects.toThrow(message);
    expect(operations(emulator)).toEqual([]);
  });

  test('boundary: five names of 100 characters (counted in code points) are accepted', () => {
    const name = '😀'.repeat(100);
    expect(parseGroupLookup({ InstanceArn: instanceArn, GroupPath: [name, name, name, name, name] }))
      .toEqual({ kind: 'path', instanceId, groupPath: [name, name, name, name, name] });
  });
});
