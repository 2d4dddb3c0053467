/**
 * The desired-state store against dynalite (a DynamoDB-protocol server) with the real DynamoDB SDK.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Dynalite, startDynalite } from './harness';
import type { SecurityProfileState } from '../../lambda/profile-state';
import type { DesiredStateRecord } from '../../lambda/state-table';
import { createDesiredStateTable, DynamoDbStateStore, keyOf, stateKey, SWEEP_STATE_KEY, TABLE_PARTITION_KEY } from '../../lambda/state-table';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const INSTANCE = '11111111-2222-4333-8444-555555555555';
const arnOf = (id: string) => `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}/security-profile/${id}`;

function record(id: string, overrides: Partial<DesiredStateRecord> = {}): DesiredStateRecord {
  const desired: SecurityProfileState = {
    InstanceId: INSTANCE,
    InstanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}`,
    SecurityProfileName: `Profile-${id}`,
    Description: 'declared',
    Permissions: ['BasicAgentAccess', 'OutboundCallAccess'],
    Tags: { team: 'blue', [OWNER_TAG_KEY]: 'stack/Logical' },
    AllowedAccessControlTags: {},
    TagRestrictedResources: [],
    Applications: [{ Namespace: 'app.example.com', ApplicationPermissions: ['ACCESS'] }],
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: 'group-1',
  };
  return {
    securityProfileArn: arnOf(id),
    securityProfileId: id,
    instanceId: INSTANCE,
    ownerMark: 'stack/Logical',
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/x',
    logicalResourceId: 'Logical',
    driftMode: 'REMEDIATE',
    desired,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

let dynalite: Dynalite;
let store: DynamoDbStateStore;

beforeAll(async () => {
  dynalite = await startDynalite();
  await createDesiredStateTable(dynalite.client, 'desired-state');
  store = new DynamoDbStateStore({ tableName: 'desired-state', client: dynalite.client });
});

afterAll(async () => {
  await dynalite.stop();
});

describe('keys', () => {
  it.each([
    [arnOf('p-1'), `${INSTANCE}/p-1`],
    [`${INSTANCE}/p-1`, `${INSTANCE}/p-1`],
    ['arn:aws-cn:connect:cn-north-1:123456789012:instance/i-1/security-profile/p-2', 'i-1/p-2'],
  ])('keyOf(%s) is %s', (input, key) => {
    expect(keyOf(input)).toBe(key);
  });

  it('fails on anything else, naming the value and the accepted forms', () => {
    expect(() => keyOf('arn:aws:connect:us-east-1:123456789012:instance/i-1/agent/u-1'))
      .toThrow(/expected "<instanceId>\/<securityProfileId>" or a security profile ARN, got "arn:aws:connect:.*agent\/u-1"/);
  });

  it('rejects an empty table name with the variable to set', () => {
    expect(() => new DynamoDbStateStore({ tableName: '' })).toThrow(/set DESIRED_STATE_TABLE/);
  });
});

describe('DynamoDbStateStore', () => {
  it('stores what the handler puts and reads it back by ARN', async () => {
    const written = record('p-roundtrip');
    await store.put(written);
    const read = await store.get(written.securityProfileArn);
    expect(read).toEqual({ ...written, key: stateKey(INSTANCE, 'p-roundtrip'), schemaVersion: 2, generation: 1 });
  });

  it('delete by ARN removes the record; deleting again succeeds', async () => {
    await store.put(record('p-delete'));
    await store.delete(arnOf('p-delete'));
    expect(await store.get(arnOf('p-delete'))).toBeUndefined();
    await expect(store.delete(arnOf('p-delete'))).resolves.toBeUndefined();
  });

  it('a new put keeps the last check result, and replaces the desired state', async () => {
    await store.put(record('p-keep'));
    const key = stateKey(INSTANCE, 'p-keep');
    const result = { status: 'DRIFTED' as const, driftFields: ['Permissions'], checkedAt: '2026-11-25T00:00:00.000Z', checkedBy: 'sweep-1' };
    expect(await store.putResult(key, result)).toBe(true);
    await store.put(record('p-keep', { driftMode: 'DETECT_ONLY' }));
    const read = await store.get(key);
    expect(read?.driftMode).toBe('DETECT_ONLY');
    expect(read?.lastResult).toEqual(result);
  });

  it('putResult does not bring back a record the handler deleted', async () => {
    const key = stateKey(INSTANCE, 'p-gone');
    const result = { status: 'IN_SYNC' as const, driftFields: [], checkedAt: '2026-11-25T00:00:00.000Z', checkedBy: 'sweep-1' };
    expect(await store.putResult(key, result)).toBe(false);
    const raw = await dynalite.client.send(new GetItemCommand({ TableName: 'desired-state', Key: { [TABLE_PARTITION_KEY]: { S: key } } }));
    expect(raw.Item).toBeUndefined();
  });

  it('stores the access scope beside the result', async () => {
    await store.put(record('p-scope'));
    const key = stateKey(INSTANCE, 'p-scope');
    const scope = { version: 1 as const, mode: 'GROUP' as const, groupIds: ['g-1'], usersInScope: 2, userIds: ['u-1', 'u-2'], computedAt: '2026-11-25T00:00:00.000Z' };
    await store.putResult(key, { status: 'IN_SYNC', driftFields: [], checkedAt: scope.computedAt, checkedBy: 'event' }, scope);
    expect((await store.get(key))?.accessScope).toEqual(scope);
  });

  it('the sweep state round-trips and is never returned as a profile', async () => {
    expect((await store.getSweepState()).inProgress).toBe(false);
    const state = { sweepId: 's-1', startedAt: 's-1', checked: 3, inProgress: true, cursor: stateKey(INSTANCE, 'p-keep') };
    await store.putSweepState(state);
    expect(await store.getSweepState()).toEqual(state);
    const keys: string[] = [];
    let after: string | undefined;
    do {
      const page = await store.scan(after, 2);
      keys.push(...page.records.map((r) => r.key));
      after = page.nextAfter;
    } while (after !== undefined);
    expect(keys).not.toContain(SWEEP_STATE_KEY);
  });
});

describe('scan with a cursor', () => {
  it('pages visit every record once, and a cursor whose record was deleted still resumes in order', async () => {
    await createDesiredStateTable(dynalite.client, 'scan-table');
    const scanStore = new DynamoDbStateStore({ tableName: 'scan-table', client: dynalite.client });
    const ids = Array.from({ length: 23 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
    for (const id of ids) await scanStore.put(record(id));

    const order: string[] = [];
    let after: string | undefined;
    do {
      const page = await scanStore.scan(after, 5);
      order.push(...page.records.map((r) => r.key.split('/')[1]));
      after = page.nextAfter;
    } while (after !== undefined);
    expect([...order].sort()).toEqual(ids);

    // Resume after the 10th record, after deleting it: the rest follows in the same order.
    const cursor = stateKey(INSTANCE, order[9]);
    await scanStore.delete(cursor);
    const rest: string[] = [];
    after = cursor;
    do {
      const page = await scanStore.scan(after, 5);
      rest.push(...page.records.map((r) => r.key.split('/')[1]));
      after = page.nextAfter;
    } while (after !== undefined);
    expect(rest).toEqual(order.slice(10));
  });
});
