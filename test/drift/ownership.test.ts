/**
 * The reconciler's rules against everything else that writes: ownership checked against the live owner
 * tag and the record's stack before any write (CONFLICT), bad data in the table is one bad record
 * (ERROR, the sweep goes on), and the per-profile lease keeps a check and a deploy from writing one
 * profile at once. Real emulator over HTTP, real dynalite.
 */
import { DeleteUserHierarchyGroupCommand, TagResourceCommand, UpdateSecurityProfileCommand } from '@aws-sdk/client-connect';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import { consoleUpdate } from './fixtures';
import { Harness, startHarness, writesIn, STACK_ID } from './harness';
import { ConnectApi } from '../../lambda/connect-api';
import { handleEvent } from '../../lambda/on-event';
import { checkAndRecord, runSweep } from '../../lambda/reconciler';
import { stateKey } from '../../lambda/state-table';
import { OWNER_TAG_KEY } from '../../src/private/contract';
import { fullyDeclaredProfile } from '../support/profile-properties';

let h: Harness;
let groupId: string;
let otherGroupId: string;

beforeAll(async () => {
  h = await startHarness();
  ({ groupId, otherGroupId } = h);
});
afterAll(async () => h?.stop());
beforeEach(async () => {
  // one table per test file; the sweep cursor must not carry over between tests
  await h.store.putSweepState({ sweepId: '', startedAt: '', checked: 0, inProgress: false });
});

describe('ownership before every write', () => {
  it('a live owner tag changed in the console is a CONFLICT naming both owners: nothing is written, even in remediate mode', async () => {
    const record = await h.manage(fullyDeclaredProfile('Own-Changed', groupId), 'REMEDIATE');
    await h.console.send(new TagResourceCommand({ resourceArn: record.securityProfileArn, tags: { [OWNER_TAG_KEY]: 'OtherStack/Profile' } }));
    await consoleUpdate(h.console, record, { Permissions: ['BasicAgentAccess', 'Users.Edit'] });
    h.emulator.clearRequestLog();
    const deps = h.deps();
    const outcome = await checkAndRecord(deps, record, 'test');
    expect(outcome).toMatchObject({ status: 'CONFLICT', actions: [] });
    expect(outcome.error).toMatch(/"OtherStack\/Profile", not this resource's "DriftTest\/ProfileOwnChanged"/);
    expect(writesIn(h.emulator)).toEqual([]);
    expect(deps.metrics.tally.conflicts).toBe(1);
    const line = h.logger.withMessage('ownership conflict: profile not written').pop();
    expect(line).toMatchObject({ recordOwner: record.ownerMark, securityProfileArn: record.securityProfileArn });
    expect((await h.store.get(record.key))?.lastResult?.status).toBe('CONFLICT');
  });

  it('a record nobody deployed, naming an unmarked profile (the default Admin profile), never writes it', async () => {
    const adminId = h.emulator.listSecurityProfilesIn(h.instanceId).find((p) => p.name === 'Admin')!.id;
    const before = await h.observe({ instanceId: h.instanceId, securityProfileId: adminId, desired: { } } as never);
    const forged = {
      securityProfileArn: `${h.instanceArn}/security-profile/${adminId}`,
      securityProfileId: adminId,
      instanceId: h.instanceId,
      ownerMark: 'DriftTest/Forged',
      stackId: STACK_ID,
      logicalResourceId: 'Forged',
      driftMode: 'REMEDIATE' as const,
      desired: { ...(await h.manage({ SecurityProfileName: 'Forged-Template', Permissions: ['A', 'B', 'C'] }, 'DISABLED')).desired, securityProfileName: 'Admin' },
      updatedAt: Date.now() - 600_000,
    };
    await h.store.put(forged);
    h.emulator.clearRequestLog();
    const outcome = await checkAndRecord(h.deps(), (await h.store.get(stateKey(h.instanceId, adminId)))!, 'test');
    expect(outcome).toMatchObject({ status: 'CONFLICT', actions: [] });
    expect(outcome.error).toMatch(/has no cdk-connect-security-profiles:owner tag/);
    expect(writesIn(h.emulator)).toEqual([]);
    const after = await h.observe({ instanceId: h.instanceId, securityProfileId: adminId, desired: {} } as never);
    expect(after?.Permissions).toEqual(before?.Permissions);
    await h.store.delete(forged.securityProfileArn);
  });

  it('a record of another stack in this stack\'s table is a CONFLICT, before any Connect call', async () => {
    const record = await h.manage(fullyDeclaredProfile('Own-OtherStack', groupId), 'REMEDIATE');
    const otherStack = 'arn:aws:cloudformation:us-east-1:123456789012:stack/SomeoneElse/00000000-0000-4000-8000-000000000000';
    await h.store.put({ ...record, stackId: otherStack, ownerMark: 'SomeoneElse/P' });
    h.emulator.clearRequestLog();
    const outcome = await checkAndRecord(h.deps(), (await h.store.get(record.key))!, 'test');
    expect(outcome).toMatchObject({ status: 'CONFLICT' });
    expect(outcome.error).toMatch(/names stack "SomeoneElse", not this reconciler's stack "DriftTest"/);
    expect(h.emulator.requestLog).toEqual([]);
    await h.store.delete(record.key);
  });
});

describe('bad data is one bad record', () => {
  it('malformed items are ERROR each, with the key in the log and Errors counted; every other profile is still checked', async () => {
    const good = await h.manage(fullyDeclaredProfile('Bad-Neighbour', groupId), 'REMEDIATE');
    await consoleUpdate(h.console, good, { Description: 'edited' });
    const name = h.store.tableName;
    const base = {
      securityProfileId: { S: 'x' },
      instanceId: { S: h.instanceId },
      ownerMark: { S: 'DriftTest/X' },
      stackId: { S: STACK_ID },
      logicalResourceId: { S: 'X' },
      driftMode: { S: 'REMEDIATE' },
      schemaVersion: { N: '2' },
    };
    const bad: Array<[string, Record<string, unknown>]> = [
      ['not-json', { properties: { S: '{not json' } }],
      ['missing-arn', { properties: { S: JSON.stringify({ InstanceArn: h.instanceArn, SecurityProfileName: 'X' }) }, securityProfileArn: undefined }],
      ['string-permissions', { properties: { S: JSON.stringify({ InstanceArn: h.instanceArn, SecurityProfileName: 'X', Permissions: 'Users.Edit' }) } }],
    ];
    for (const [id, attrs] of bad) {
      const item: Record<string, unknown> = {
        ...base,
        pk: { S: `${h.instanceId}/${id}` },
        securityProfileId: { S: id },
        securityProfileArn: { S: `${h.instanceArn}/security-profile/${id}` },
        ...attrs,
      };
      for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
      await h.dynalite.client.send(new PutItemCommand({ TableName: name, Item: item as never }));
    }
    const deps = h.deps();
    const report = await runSweep(deps, { budgetMs: 60_000 });
    expect(report.complete).toBe(true);
    for (const [id] of bad) {
      expect(report.outcomes.find((o) => o.key === `${h.instanceId}/${id}`)).toMatchObject({ status: 'ERROR' });
    }
    expect(report.outcomes.find((o) => o.key === good.key)).toMatchObject({ status: 'REMEDIATED', driftFields: ['Description'] });
    expect(deps.metrics.tally.errors).toBeGreaterThanOrEqual(bad.length);
    const lines = h.logger.withMessage('desired-state record does not parse; profile not checked');
    expect(lines.map((l) => l.key)).toEqual(expect.arrayContaining(bad.map(([id]) => `${h.instanceId}/${id}`)));
    expect(lines.find((l) => l.key === `${h.instanceId}/string-permissions`)?.error).toMatch(/Permissions.*expected a list/);
    for (const [id] of bad) await h.store.delete(`${h.instanceId}/${id}`);
  });

  it('a corrupt sweep cursor is reported and a new sweep starts', async () => {
    await h.dynalite.client.send(new PutItemCommand({ TableName: h.store.tableName, Item: { pk: { S: '#sweep' }, state: { S: '[1,2' } } }));
    const deps = h.deps();
    const report = await runSweep(deps, { budgetMs: 60_000 });
    expect(report.complete).toBe(true);
    expect(deps.metrics.tally.errors).toBeGreaterThanOrEqual(1);
    expect(h.logger.withMessage('sweep cursor does not parse').pop()?.error).toMatch(/#sweep is not valid JSON/);
  });

  it('a version-1 record (desired state as JSON, no schemaVersion) still parses and is checked', async () => {
    const record = await h.manage(fullyDeclaredProfile('Old-Format', groupId), 'DETECT_ONLY');
    // version 1 kept the parsed desired state under camel-case names, without the owner tag
    const { [OWNER_TAG_KEY]: _mark, ...tags } = record.desired.Tags;
    const desired = Object.fromEntries(Object.entries({ ...record.desired, Tags: tags })
      .map(([name, value]) => [name.charAt(0).toLowerCase() + name.slice(1), value]));
    await h.dynalite.client.send(new PutItemCommand({
      TableName: h.store.tableName,
      Item: {
        pk: { S: record.key },
        securityProfileArn: { S: record.securityProfileArn },
        securityProfileId: { S: record.securityProfileId },
        instanceId: { S: record.instanceId },
        ownerMark: { S: record.ownerMark },
        stackId: { S: STACK_ID },
        logicalResourceId: { S: record.logicalResourceId },
        driftMode: { S: 'DETECT_ONLY' },
        accessScopeReport: { BOOL: false },
        desired: { S: JSON.stringify(desired) },
        updatedAt: { N: String(record.updatedAt) },
      },
    }));
    const read = (await h.store.get(record.key))!;
    expect(read.schemaVersion).toBe(1);
    expect(read.desired.Permissions).toEqual(record.desired.Permissions);
    expect(await checkAndRecord(h.deps(), read, 'test')).toMatchObject({ status: 'IN_SYNC' });
  });
});

describe('what is gone is said as such', () => {
  it('a profile not readable moments after its deploy wrote the record is PENDING, not MISSING', async () => {
    const record = await h.manage(fullyDeclaredProfile('Not-Visible', groupId), 'REMEDIATE');
    await h.store.put({ ...record, updatedAt: Date.now() });
    h.emulator.configure({ consistencyDelayMs: 60_000 });
    try {
      const fresh = (await h.store.get(record.key))!;
      expect(await checkAndRecord(h.deps(), fresh, 'test')).toMatchObject({ status: 'PENDING' });
    } finally {
      h.emulator.configure({ consistencyDelayMs: 0 });
    }
  });

  it('an access-control hierarchy group deleted out of band is GROUP_MISSING, not IN_SYNC', async () => {
    const doomed = h.emulator.seedHierarchyGroup(h.instanceId, 'BPO-Doomed').id;
    const record = await h.manage(fullyDeclaredProfile('Group-Gone', doomed), 'REMEDIATE');
    await h.console.send(new DeleteUserHierarchyGroupCommand({ InstanceId: h.instanceId, HierarchyGroupId: doomed }));
    h.emulator.clearRequestLog();
    const outcome = await checkAndRecord(h.deps(), record, 'test');
    expect(outcome).toMatchObject({ status: 'GROUP_MISSING' });
    expect(outcome.error).toMatch(new RegExp(`group ${doomed} no longer exists`));
    expect(writesIn(h.emulator)).toEqual([]);
  });

  it('a sweep asks Connect once per access-control group, however many profiles restrict to it, and still reports each one when the group is gone', async () => {
    const shared = h.emulator.seedHierarchyGroup(h.instanceId, 'BPO-Shared').id;
    const records = [];
    for (const n of [1, 2, 3]) records.push(await h.manage(fullyDeclaredProfile(`Shared-Group-${n}`, shared), 'REMEDIATE'));
    const asksFor = (id: string) => h.emulator.requestLog.filter((e) => e.operation === 'DescribeUserHierarchyGroup'
      && (e.input as { HierarchyGroupId?: string }).HierarchyGroupId === id).length;

    h.emulator.clearRequestLog();
    const report = await runSweep(h.deps(), { budgetMs: 60_000 });
    expect(report.complete).toBe(true);
    for (const r of records) expect(report.outcomes.find((o) => o.key === r.key)).toMatchObject({ status: 'IN_SYNC' });
    expect(asksFor(shared)).toBe(1);

    await h.console.send(new DeleteUserHierarchyGroupCommand({ InstanceId: h.instanceId, HierarchyGroupId: shared }));
    h.emulator.clearRequestLog();
    const after = await runSweep(h.deps(), { budgetMs: 60_000 });
    for (const r of records) expect(after.outcomes.find((o) => o.key === r.key)).toMatchObject({ status: 'GROUP_MISSING' });
    expect(asksFor(shared)).toBe(1);
    expect(writesIn(h.emulator)).toEqual([]);
  });
});

describe('one writer per profile', () => {
  it('a check finds a deploy holding the profile and writes nothing; after the deploy, the check repairs from the new record', async () => {
    const record = await h.manage(fullyDeclaredProfile('Lease-Deploy', groupId), 'REMEDIATE');
    await consoleUpdate(h.console, record, { AllowedAccessControlHierarchyGroupId: otherGroupId });
    const held = await h.leases.tryAcquire(record.key, 'deploy');
    expect(held.acquired).toBe(true);
    h.emulator.clearRequestLog();
    expect(await checkAndRecord(h.deps(), record, 'test')).toMatchObject({ status: 'SUPERSEDED', error: 'held by a deploy' });
    expect(writesIn(h.emulator)).toEqual([]);
    if (held.acquired) await h.leases.release(held.lease);
    expect(await checkAndRecord(h.deps(), record, 'test')).toMatchObject({ status: 'REMEDIATED' });
  });

  it('a deploy waits for a check that holds the profile, then applies its own state last: the check cannot undo it', async () => {
    const record = await h.manage(fullyDeclaredProfile('Lease-Check', groupId), 'REMEDIATE');
    // the check holds the lease and is about to put the OLD group back
    const check = await h.leases.tryAcquire(record.key, 'drift check');
    expect(check.acquired).toBe(true);
    const props = { ...fullyDeclaredProfile('Lease-Check', otherGroupId), InstanceArn: h.instanceArn, DriftMode: 'REMEDIATE' };
    const event = {
      RequestType: 'Update',
      ServiceToken: 'x',
      ResponseURL: 'https://example.com',
      StackId: STACK_ID,
      RequestId: 'r',
      LogicalResourceId: record.logicalResourceId,
      ResourceType: 'Custom::ConnectSecurityProfile',
      PhysicalResourceId: record.securityProfileArn,
      ResourceProperties: { ServiceToken: 'x', ...props },
      OldResourceProperties: {},
    } as unknown as CloudFormationCustomResourceUpdateEvent;
    let deployed = false;
    const deploy = handleEvent(event, {
      connect: h.api as ConnectApi, logger: h.logger, stateStore: h.store, leases: h.leases,
    }).then((r) => { deployed = true; return r; });
    await new Promise((r) => setTimeout(r, 300));
    expect(deployed).toBe(false);
    // the check's stale write lands while it still holds the lease
    await h.console.send(new UpdateSecurityProfileCommand({
      InstanceId: record.instanceId, SecurityProfileId: record.securityProfileId, AllowedAccessControlHierarchyGroupId: groupId,
    }));
    if (check.acquired) await h.leases.release(check.lease);
    await deploy;
    expect((await h.observe(record))?.AllowedAccessControlHierarchyGroupId).toBe(otherGroupId);
    expect((await h.store.get(record.key))?.desired.AllowedAccessControlHierarchyGroupId).toBe(otherGroupId);
  });

  it('a lease left by a crashed writer expires and is taken over', async () => {
    const short = new (h.leases.constructor as typeof import('../../lambda/lease').LeaseTable)({
      tableName: h.store.tableName, client: h.dynalite.client, durationMs: 200,
    });
    const crashed = await short.tryAcquire('crash-key', 'deploy');
    expect(crashed.acquired).toBe(true);
    expect((await short.tryAcquire('crash-key', 'drift check')).acquired).toBe(false);
    const taken = await short.acquire('crash-key', 'deploy', 5_000);
    expect(taken.generation).toBe(2);
    if (crashed.acquired) await expect(short.renew(crashed.lease)).rejects.toThrow(/lost the lease of crash-key/);
  });

  it('sweeps are single-flight through the sweep lease, not reserved concurrency', async () => {
    const held = await h.leases.tryAcquire('sweep', 'sweep', 60_000);
    expect(held.acquired).toBe(true);
    h.emulator.clearRequestLog();
    const report = await runSweep(h.deps(), { budgetMs: 60_000 });
    expect(report.skipped).toMatch(/another sweep holds the sweep lease/);
    expect(h.emulator.requestLog).toEqual([]);
    if (held.acquired) await h.leases.release(held.lease);
  });
});
