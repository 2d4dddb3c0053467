/**
 * The handler's lifecycle against the Connect emulator, over HTTP with the real SDK client: delete.
 */
import { DeleteSecurityProfileCommand, TagResourceCommand } from '@aws-sdk/client-connect';
import { lifecycleFixture, idOf } from './fixture';
import { LOGICAL_ID, MemoryStateStore, STACK_ID, cfnEvent, depsFor, operations } from './helpers';
import { handleEvent } from '../../lambda/on-event';
import { ownerMark } from '../../lambda/owner';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const f = lifecycleFixture();

describe('Delete', () => {
  test('deletes the profile', async () => {
    const props = f.fullProperties(f.uniqueName('Delete'));
    const created = await f.create(props);
    const res = await handleEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), depsFor(f.emulator));
    expect(res.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).map((p) => p.id)).not.toContain(idOf(created));
  });

  test('removal policy Retain: the profile stays, released (its owner tag removed, every other tag kept); no delete', async () => {
    const props = { ...f.fullProperties(f.uniqueName('Retain')), RemovalPolicy: 'Retain' };
    const created = await f.create(props);
    const before = await f.readLive(idOf(created));
    f.emulator.clearRequestLog();
    await handleEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), depsFor(f.emulator));
    expect(operations(f.emulator)).toEqual(['DescribeSecurityProfile', 'UntagResource']);
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).map((p) => p.id)).toContain(idOf(created));
    const after = await f.readLive(idOf(created));
    const { [OWNER_TAG_KEY]: mark, ...others } = before.Tags;
    expect(mark).toBeDefined();
    expect(after.Tags).toEqual(others);
  });

  test('removal policy Retain leaves a profile someone else has marked since untouched', async () => {
    const props = { ...f.fullProperties(f.uniqueName('RetainTaken')), RemovalPolicy: 'Retain' };
    const created = await f.create(props);
    await f.sdk.send(new TagResourceCommand({ resourceArn: created.PhysicalResourceId, tags: { [OWNER_TAG_KEY]: 'Elsewhere/Profile' } }));
    f.emulator.clearRequestLog();
    await handleEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), depsFor(f.emulator));
    expect(operations(f.emulator)).toEqual(['DescribeSecurityProfile']);
    expect((await f.readLive(idOf(created))).Tags[OWNER_TAG_KEY]).toBe('Elsewhere/Profile');
  });

  test('a profile that is already gone is success', async () => {
    const props = f.fullProperties(f.uniqueName('Gone'));
    const created = await f.create(props);
    await f.sdk.send(new DeleteSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: idOf(created) }));
    await expect(handleEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), depsFor(f.emulator)))
      .resolves.toEqual({ PhysicalResourceId: created.PhysicalResourceId });
  });

  test('the placeholder physical id of a failed Create: nothing to do, no call', async () => {
    f.emulator.clearRequestLog();
    await expect(handleEvent(cfnEvent('Delete', { InstanceArn: 'broken' }, { physicalResourceId: 'failed-create-placeholder' }), depsFor(f.emulator)))
      .resolves.toEqual({ PhysicalResourceId: 'failed-create-placeholder' });
    expect(operations(f.emulator)).toEqual([]);
  });

  test('in use: fails naming up to 10 users still assigned and what to do', async () => {
    const props = f.fullProperties(f.uniqueName('InUse'));
    const created = await f.create(props);
    const usernames = Array.from({ length: 12 }, (_, i) => `agent${String(i).padStart(2, '0')}`);
    for (const username of usernames) f.emulator.seedUser(f.instanceId, { username, securityProfileIds: [idOf(created)] });

    const err = await handleEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), depsFor(f.emulator)).catch((e: Error) => e);

    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(new RegExp(`^delete security profile "${props.SecurityProfileName}" in instance ${f.instanceId}: the profile is still assigned to 12 user\\(s\\): `));
    const named = usernames.filter((u) => message.includes(u));
    expect(named).toHaveLength(10);
    expect(message).toContain('and about 2 more');
    expect(message).toMatch(/Assign those users other security profiles/);
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).map((p) => p.id)).toContain(idOf(created));
  });
});

describe('desired state for drift reconciliation', () => {
  test('Create and Update record the desired state when drift is on; Delete removes it', async () => {
    const stateStore = new MemoryStateStore();
    const props = { ...f.fullProperties(f.uniqueName('Drift-On')), DriftMode: 'REMEDIATE' };
    const created = await handleEvent(cfnEvent('Create', props), depsFor(f.emulator, { stateStore }));

    const record = stateStore.records.get(created.PhysicalResourceId)!;
    expect(record).toMatchObject({
      securityProfileArn: created.PhysicalResourceId,
      securityProfileId: idOf(created),
      instanceId: f.instanceId,
      ownerMark: ownerMark(STACK_ID, LOGICAL_ID),
      stackId: STACK_ID,
      logicalResourceId: LOGICAL_ID,
      driftMode: 'REMEDIATE',
    });
    expect(record.desired.Permissions).toEqual(['BasicAgentAccess', 'Users.Edit', 'Users.View']);

    const off = { ...props, DriftMode: 'DISABLED' };
    await handleEvent(cfnEvent('Update', off, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator, { stateStore }));
    expect(stateStore.records.size).toBe(0);

    await handleEvent(cfnEvent('Update', props, { physicalResourceId: created.PhysicalResourceId, oldProperties: off }), depsFor(f.emulator, { stateStore }));
    expect(stateStore.records.get(created.PhysicalResourceId)!.driftMode).toBe('REMEDIATE');
    await handleEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), depsFor(f.emulator, { stateStore }));
    expect(stateStore.records.size).toBe(0);
  });
});
