/**
 * The handler's lifecycle against the Connect emulator, over HTTP with the real SDK client: create.
 */
import { CreateSecurityProfileCommand } from '@aws-sdk/client-connect';
import { lifecycleFixture, idOf } from './fixture';
import { LOGICAL_ID, RESPONSE_URL, STACK_ID, WRITES, cfnEvent, depsFor, fastApi, operations } from './helpers';
import { handleEvent } from '../../lambda/on-event';
import { ownerMark } from '../../lambda/owner';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const f = lifecycleFixture();

describe('Create', () => {
  test('creates the profile with every field and returns its identity', async () => {
    const name = f.uniqueName('BPO-A-Supervisor');
    const deps = depsFor(f.emulator);
    f.emulator.clearRequestLog();

    const res = await f.create(f.fullProperties(name), deps);

    expect(res.PhysicalResourceId).toMatch(new RegExp(`^arn:aws:connect:us-east-1:123456789012:instance/${f.instanceId}/security-profile/[0-9a-f-]+$`));
    expect(res.Data).toEqual({
      SecurityProfileId: idOf(res), SecurityProfileArn: res.PhysicalResourceId, SecurityProfileName: name, InstanceId: f.instanceId,
    });
    expect(JSON.stringify(res.Data).length).toBeLessThan(1024);
    expect(operations(f.emulator)).toEqual(['CreateSecurityProfile']);
    expect(await f.readLive(idOf(res))).toEqual({
      Id: idOf(res),
      Arn: res.PhysicalResourceId,
      SecurityProfileName: name,
      Description: 'Supervisors of BPO A',
      Tags: { team: 'bpo-a', cost: '42', [OWNER_TAG_KEY]: ownerMark(STACK_ID, LOGICAL_ID) },
      AllowedAccessControlTags: { Department: 'A' },
      TagRestrictedResources: ['User'],
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: f.groupA,
      GranularAccessControlConfiguration: { DataTableAccessControlConfiguration: { PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu'] }] } } },
      Permissions: ['BasicAgentAccess', 'Users.Edit', 'Users.View'],
      Applications: [
        { Namespace: 'crm.example.com', ApplicationPermissions: ['ACCESS'], Type: 'THIRD_PARTY_APPLICATION' },
        { Namespace: 'mcp.example.com', ApplicationPermissions: ['tool-a', 'tool-b'], Type: 'MCP' },
      ],
      AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'flow-module-1' }],
      AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:aws:wisdom:us-east-1:123456789012:ai-agent/a1/b1' }],
    });
    // the create is logged, naming the profile, and the pre-signed response URL never is
    expect(deps.logger.lines).toContainEqual(expect.objectContaining({
      message: 'created security profile', securityProfileName: name, instanceId: f.instanceId,
    }));
    expect(deps.logger.text()).not.toContain('SECRET-SIGNATURE');
    expect(deps.logger.text()).not.toContain(RESPONSE_URL);
  });

  test('an invalid property fails before any Connect call, naming the property, the value and what is allowed', async () => {
    f.emulator.clearRequestLog();
    await expect(f.create({ ...f.fullProperties('Bad-1'), HierarchyRestrictedResources: ['Queue'] })).rejects.toThrow(new RegExp(
      `^create security profile "Bad-1" in instance ${f.instanceId}: invalid property HierarchyRestrictedResources\\[0\\]: received "Queue"; allowed: User`));
    expect(operations(f.emulator)).toEqual([]);
  });

  test('a retried Create whose first response was lost adopts the profile it made: one profile', async () => {
    const name = f.uniqueName('Lost-Response');
    const props = f.fullProperties(name);
    // every CreateSecurityProfile is applied, then its connection is cut before the response
    f.emulator.configure({ faults: { appliedButResponseLost: 1, operations: ['CreateSecurityProfile'] } });
    await expect(handleEvent(cfnEvent('Create', props), depsFor(f.emulator, { connect: fastApi(f.emulator, { maxAttempts: 2 }) })))
      .rejects.toThrow(new RegExp(`create security profile "${name}" in instance ${f.instanceId}: CreateSecurityProfile failed`));
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).filter((p) => p.name === name)).toHaveLength(1);

    // CloudFormation retries the Create
    f.emulator.configure({ faults: {} });
    f.emulator.clearRequestLog();
    const deps = depsFor(f.emulator);
    const res = await handleEvent(cfnEvent('Create', props), deps);

    const profiles = f.emulator.listSecurityProfilesIn(f.instanceId).filter((p) => p.name === name);
    expect(profiles).toHaveLength(1);
    expect(res.PhysicalResourceId).toBe(profiles[0].arn);
    expect(operations(f.emulator).filter((o) => WRITES.has(o))).toEqual(['CreateSecurityProfile']);
    expect(deps.logger.lines.map((l) => l.message)).toContain('adopting security profile that carries our owner mark');
  });

  test('adoption waits for a profile that is not visible yet (eventual consistency)', async () => {
    const name = f.uniqueName('Invisible');
    const props = f.fullProperties(name);
    f.emulator.configure({ faults: { appliedButResponseLost: 1, operations: ['CreateSecurityProfile'] }, consistencyDelayMs: 400 });
    await expect(f.create(props, depsFor(f.emulator, { connect: fastApi(f.emulator, { maxAttempts: 1 }) }))).rejects.toThrow();
    f.emulator.configure({ faults: {} });
    f.emulator.clearRequestLog();

    // without waiting, the invisible profile cannot be adopted
    await expect(f.create(props, depsFor(f.emulator, { consistencyWaitMs: 0 })))
      .rejects.toThrow(/Connect reports that a profile with this name exists, but it does not appear in ListSecurityProfiles yet/);
    f.emulator.clearRequestLog();

    const res = await f.create(props);

    expect(res.PhysicalResourceId).toBe(f.emulator.listSecurityProfilesIn(f.instanceId).find((p) => p.name === name)!.arn);
    // it was invisible at first, then found
    expect(f.emulator.callCount('ListSecurityProfiles')).toBeGreaterThanOrEqual(2);
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).filter((p) => p.name === name)).toHaveLength(1);
  });

  test('a same-named profile owned by someone else fails with a clear message; adoptExisting takes it over', async () => {
    const name = f.uniqueName('Taken');
    const theirs = await f.sdk.send(new CreateSecurityProfileCommand({
      InstanceId: f.instanceId, SecurityProfileName: name, Permissions: ['Other.Permission'], Tags: { owner: 'someone-else' },
    }));

    await expect(f.create(f.fullProperties(name))).rejects.toThrow(new RegExp(
      `^create security profile "${name}" in instance ${f.instanceId}: a security profile with this name already exists \\(${theirs.SecurityProfileArn}\\) `
      + 'and this resource does not own it \\(it has no owner tag\\)\\. To manage it from this stack, set adoptExisting: true'));
    expect((await f.readLive(theirs.SecurityProfileId!)).Permissions).toEqual(['Other.Permission']);

    const res = await f.create({ ...f.fullProperties(name), AdoptExisting: 'true' });
    expect(res.PhysicalResourceId).toBe(theirs.SecurityProfileArn);
    const live = await f.readLive(theirs.SecurityProfileId!);
    expect(live.Permissions).toEqual(['BasicAgentAccess', 'Users.Edit', 'Users.View']);
    // their tag is removed (the declared tags are the whole truth) and our mark is on it now
    expect(live.Tags).toEqual({ team: 'bpo-a', cost: '42', [OWNER_TAG_KEY]: ownerMark(STACK_ID, LOGICAL_ID) });
  });

  test('a profile another live stack manages is not adopted, even with adoptExisting: the message names the stack and the hand-over', async () => {
    const name = f.uniqueName('OtherStack');
    const otherStack = 'arn:aws:cloudformation:us-east-1:123456789012:stack/OtherStack/0f0e0d0c-0b0a-0908-0706-050403020100';
    const theirs = await handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: otherStack }), depsFor(f.emulator));
    for (const adopt of ['false', 'true']) {
      await expect(f.create({ ...f.fullProperties(name), AdoptExisting: adopt }))
        .rejects.toThrow(/and stack "OtherStack" manages it \(its cdk-connect-security-profiles:owner tag is "OtherStack\/SupervisorProfile0A1B2C3D"\)\. To hand it over, set removalPolicy RETAIN on it in "OtherStack" and remove it from that stack/);
    }
    const live = await f.readLive(idOf(theirs));
    expect(live.Tags[OWNER_TAG_KEY]).toBe('OtherStack/SupervisorProfile0A1B2C3D');
  });

  test('a profile another stack retained (released: no owner tag) is adopted with adoptExisting, and only with it', async () => {
    const name = f.uniqueName('Handover');
    const otherStack = 'arn:aws:cloudformation:us-east-1:123456789012:stack/OtherStack/0f0e0d0c-0b0a-0908-0706-050403020100';
    const retained = { ...f.fullProperties(name), RemovalPolicy: 'Retain' };
    const theirs = await handleEvent(cfnEvent('Create', retained, { stackId: otherStack }), depsFor(f.emulator));
    await handleEvent(cfnEvent('Delete', retained, { stackId: otherStack, physicalResourceId: theirs.PhysicalResourceId }), depsFor(f.emulator));
    expect((await f.readLive(idOf(theirs))).Tags[OWNER_TAG_KEY]).toBeUndefined();

    await expect(f.create(f.fullProperties(name))).rejects.toThrow(/this resource does not own it \(it has no owner tag\)\. To manage it from this stack, set adoptExisting: true/);
    const adopted = await f.create({ ...f.fullProperties(name), AdoptExisting: 'true' });
    expect(adopted.PhysicalResourceId).toBe(theirs.PhysicalResourceId);
    expect((await f.readLive(idOf(adopted))).Tags[OWNER_TAG_KEY]).toBe(ownerMark(STACK_ID, LOGICAL_ID));
  });

  test('a profile marked by another resource of the same stack is not adopted, even with adoptExisting', async () => {
    // two resources managing one profile would fight, and the cleanup Delete of one would delete the other's
    const name = f.uniqueName('OtherResource');
    const mine = await f.create(f.fullProperties(name), depsFor(f.emulator));
    for (const adopt of ['false', 'true']) {
      await expect(handleEvent(cfnEvent('Create', { ...f.fullProperties(name), AdoptExisting: adopt }, { logicalId: 'AnotherResource' }), depsFor(f.emulator)))
        .rejects.toThrow(/the name is held by another resource of this stack \(SupervisorProfile0A1B2C3D: .*\).*first rename SupervisorProfile0A1B2C3D's profile to a free name/);
    }
    const live = await f.readLive(idOf(mine));
    expect(live.Tags[OWNER_TAG_KEY]).toBe(ownerMark(STACK_ID, LOGICAL_ID));
  });

  test('a quota error is reported as such and not retried', async () => {
    const { instanceArn: fullArn, instanceId: fullId } = f.emulator.createInstance({ alias: 'full' });
    // the instance has its 4 default profiles; fill it up to the quota
    const existing = f.emulator.listSecurityProfilesIn(fullId).length;
    for (let i = existing; i < 100; i++) {
      await f.sdk.send(new CreateSecurityProfileCommand({ InstanceId: fullId, SecurityProfileName: `Filler-${i}` }));
    }
    f.emulator.clearRequestLog();
    await expect(f.create({ InstanceArn: fullArn, SecurityProfileName: 'One-Too-Many' })).rejects.toThrow(
      /^create security profile "One-Too-Many" in instance .*: CreateSecurityProfile failed: LimitExceededException: .*\(a Connect service quota was reached; this is not retried/);
    expect(f.emulator.callCount('CreateSecurityProfile')).toBe(1);
  });
});

