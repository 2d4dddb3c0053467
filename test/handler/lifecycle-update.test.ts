/**
 * The handler's lifecycle against the Connect emulator, over HTTP with the real SDK client: update.
 */
import { DeleteSecurityProfileCommand, TagResourceCommand, UntagResourceCommand, UpdateSecurityProfileCommand } from '@aws-sdk/client-connect';
import { lifecycleFixture, idOf } from './fixture';
import { LOGICAL_ID, STACK_ID, WRITES, cfnEvent, depsFor, fastApi, operations } from './helpers';
import { handleEvent } from '../../lambda/on-event';
import { ownerMark } from '../../lambda/owner';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const f = lifecycleFixture();

describe('Update', () => {
  test('no drift: exactly the reads, zero writes, same physical id', async () => {
    const props = f.fullProperties(f.uniqueName());
    const created = await f.create(props);
    f.emulator.clearRequestLog();

    const res = await handleEvent(cfnEvent('Update', props, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator));

    expect(res).toEqual(created);
    expect(operations(f.emulator)).toEqual([
      'DescribeSecurityProfile', 'ListSecurityProfilePermissions', 'ListSecurityProfileApplications',
      'ListSecurityProfileFlowModules', 'ListSecurityProfileAIAgents',
    ]);
  });

  test('no drift without flow modules and AI agents declared: three reads; every page is read', async () => {
    const props = { ...f.fullProperties(f.uniqueName()), AllowedFlowModules: undefined, AllowedAIAgents: undefined };
    const created = await f.create(props);
    f.emulator.clearRequestLog();

    const deps = depsFor(f.emulator, { connect: fastApi(f.emulator, { pageSize: 2 }) });
    await handleEvent(cfnEvent('Update', props, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), deps);

    // 3 permissions in pages of 2, 2 applications in one page of 2
    expect(operations(f.emulator)).toEqual([
      'DescribeSecurityProfile', 'ListSecurityProfilePermissions', 'ListSecurityProfilePermissions', 'ListSecurityProfileApplications',
    ]);
    const pages = f.emulator.requestLog.filter((e) => e.operation === 'ListSecurityProfilePermissions').map((e) => e.input as { NextToken?: string });
    expect(pages[0].NextToken).toBeUndefined();
    expect(pages[1].NextToken).toEqual(expect.any(String));
  });

  type Drift = [string, (id: string, arn: string) => Promise<unknown>, string[]];
  const drifts: Drift[] = [
    ['Description', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, Description: 'edited in the console' })), ['UpdateSecurityProfile']],
    ['Permissions', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, Permissions: ['BasicAgentAccess', 'AccessMetrics'] })), ['UpdateSecurityProfile']],
    ['AllowedAccessControlTags', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, AllowedAccessControlTags: { Department: 'B' } })), ['UpdateSecurityProfile']],
    ['TagRestrictedResources', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, TagRestrictedResources: [] })), ['UpdateSecurityProfile']],
    ['Applications', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, Applications: [{ Namespace: 'mcp.example.com', ApplicationPermissions: ['tool-a'], Type: 'MCP' }] })), ['UpdateSecurityProfile']],
    ['HierarchyRestrictedResources', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, HierarchyRestrictedResources: [] })), ['UpdateSecurityProfile']],
    ['AllowedAccessControlHierarchyGroupId', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, AllowedAccessControlHierarchyGroupId: f.groupB })), ['UpdateSecurityProfile']],
    ['AllowedFlowModules', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, AllowedFlowModules: [] })), ['UpdateSecurityProfile']],
    ['GranularAccessControlConfiguration', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, GranularAccessControlConfiguration: {} })), ['UpdateSecurityProfile']],
    ['AllowedAIAgents', (id) => f.sdk.send(new UpdateSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: id, AllowedAIAgents: [] })), ['UpdateSecurityProfile']],
    ['Tags (added out of band)', (_, arn) => f.sdk.send(new TagResourceCommand({ resourceArn: arn, tags: { extra: 'x' } })), ['UntagResource']],
    ['Tags (removed out of band)', (_, arn) => f.sdk.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] })), ['TagResource']],
    ['Tags (owner mark removed)', (_, arn) => f.sdk.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [OWNER_TAG_KEY] })), ['TagResource']],
  ];

  test.each(drifts)('drift in %s is repaired with only the calls needed', async (field, edit, writes) => {
    const props = f.fullProperties(f.uniqueName('Drift'));
    const created = await f.create(props);
    const before = await f.readLive(idOf(created));
    await edit(idOf(created), created.PhysicalResourceId);
    expect(await f.readLive(idOf(created))).not.toEqual(before);
    f.emulator.clearRequestLog();

    const res = await handleEvent(cfnEvent('Update', props, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator));

    expect(res.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(f.emulator.requestLog.filter((e) => WRITES.has(e.operation)).map((e) => e.operation)).toEqual(writes);
    if (writes[0] === 'UpdateSecurityProfile') {
      const input = f.emulator.requestLog.find((e) => e.operation === 'UpdateSecurityProfile')!.input as Record<string, unknown>;
      expect(Object.keys(input).filter((k) => k !== 'InstanceId' && k !== 'SecurityProfileId')).toEqual([field]);
    }
    expect(await f.readLive(idOf(created))).toEqual(before);
  });

  test('clearing every optional field sends them empty', async () => {
    const props = f.fullProperties(f.uniqueName('Clear'));
    const created = await f.create(props);
    const cleared = { InstanceArn: f.instanceArn, SecurityProfileName: props.SecurityProfileName, AllowedFlowModules: [], AllowedAIAgents: [] };
    f.emulator.clearRequestLog();

    await handleEvent(cfnEvent('Update', cleared, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator));

    expect(f.emulator.requestLog.filter((e) => WRITES.has(e.operation)).map((e) => e.operation)).toEqual(['UpdateSecurityProfile', 'UntagResource']);
    const live = await f.readLive(idOf(created));
    expect(live).toEqual({
      Id: idOf(created),
      Arn: created.PhysicalResourceId,
      SecurityProfileName: props.SecurityProfileName,
      Description: '',
      Tags: { [OWNER_TAG_KEY]: ownerMark(STACK_ID, LOGICAL_ID) },
      AllowedAccessControlTags: {},
      TagRestrictedResources: [],
      HierarchyRestrictedResources: [],
      AllowedAccessControlHierarchyGroupId: undefined,
      GranularAccessControlConfiguration: undefined,
      Permissions: [],
      Applications: [],
      AllowedFlowModules: [],
      AllowedAIAgents: [],
    });
  });

  test('a name change creates a new profile and returns its new physical id', async () => {
    const props = f.fullProperties(f.uniqueName('Old-Name'));
    const created = await f.create(props);
    const renamed = { ...props, SecurityProfileName: f.uniqueName('New-Name') };

    const res = await handleEvent(cfnEvent('Update', renamed, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator));

    expect(res.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    expect((await f.readLive(idOf(res))).SecurityProfileName).toBe(renamed.SecurityProfileName);
    // CloudFormation deletes the old one afterwards
    await handleEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), depsFor(f.emulator));
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).map((p) => p.id)).not.toContain(idOf(created));
  });

  test('an instance change creates the profile in the new instance', async () => {
    const other = f.emulator.createInstance({ alias: 'other' });
    const props = { InstanceArn: f.instanceArn, SecurityProfileName: f.uniqueName('Moving'), Permissions: ['BasicAgentAccess'] };
    const created = await f.create(props);
    const moved = { ...props, InstanceArn: other.instanceArn };

    const res = await handleEvent(cfnEvent('Update', moved, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator));

    expect(res.PhysicalResourceId).toContain(`instance/${other.instanceId}/security-profile/`);
    expect(res.Data!.InstanceId).toBe(other.instanceId);
    expect((await f.readLive(idOf(res), other.instanceId)).Permissions).toEqual(['BasicAgentAccess']);
  });

  test('rollback after a rename: the old profile is adopted back and reconciled, the new one deleted', async () => {
    const oldProps = f.fullProperties(f.uniqueName('Rollback-A'));
    const created = await f.create(oldProps);
    const newProps = { ...oldProps, SecurityProfileName: f.uniqueName('Rollback-B'), Permissions: ['BasicAgentAccess'] };
    const updated = await handleEvent(cfnEvent('Update', newProps, { physicalResourceId: created.PhysicalResourceId, oldProperties: oldProps }), depsFor(f.emulator));

    // the stack fails later: CloudFormation sends the Update back with old and new swapped
    const rolledBack = await handleEvent(cfnEvent('Update', oldProps, { physicalResourceId: updated.PhysicalResourceId, oldProperties: newProps }), depsFor(f.emulator));
    expect(rolledBack.PhysicalResourceId).toBe(created.PhysicalResourceId);
    // ... then deletes the resource it no longer needs
    await handleEvent(cfnEvent('Delete', newProps, { physicalResourceId: updated.PhysicalResourceId }), depsFor(f.emulator));

    const names = f.emulator.listSecurityProfilesIn(f.instanceId).map((p) => p.name);
    expect(names).toContain(oldProps.SecurityProfileName);
    expect(names).not.toContain(newProps.SecurityProfileName);
    expect((await f.readLive(idOf(created))).Permissions).toEqual(['BasicAgentAccess', 'Users.Edit', 'Users.View']);
  });

  test('rollback of a field change restores the old value', async () => {
    const oldProps = f.fullProperties(f.uniqueName('Rollback-Field'));
    const created = await f.create(oldProps);
    const newProps = { ...oldProps, AllowedAccessControlHierarchyGroupId: f.groupB, Description: 'new' };
    await handleEvent(cfnEvent('Update', newProps, { physicalResourceId: created.PhysicalResourceId, oldProperties: oldProps }), depsFor(f.emulator));
    expect((await f.readLive(idOf(created))).AllowedAccessControlHierarchyGroupId).toBe(f.groupB);

    await handleEvent(cfnEvent('Update', oldProps, { physicalResourceId: created.PhysicalResourceId, oldProperties: newProps }), depsFor(f.emulator));

    const live = await f.readLive(idOf(created));
    expect(live.AllowedAccessControlHierarchyGroupId).toBe(f.groupA);
    expect(live.Description).toBe('Supervisors of BPO A');
  });

  test('a profile deleted out of band is recreated with a new physical id', async () => {
    const props = f.fullProperties(f.uniqueName('Recreate'));
    const created = await f.create(props);
    await f.sdk.send(new DeleteSecurityProfileCommand({ InstanceId: f.instanceId, SecurityProfileId: idOf(created) }));
    const deps = depsFor(f.emulator);

    const res = await handleEvent(cfnEvent('Update', props, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), deps);

    expect(res.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    expect((await f.readLive(idOf(res))).Permissions).toEqual(['BasicAgentAccess', 'Users.Edit', 'Users.View']);
    expect(deps.logger.lines.map((l) => l.message)).toContain('security profile not found (deleted out of band, or not visible yet): recreating');
  });

  test('an Update right after the Create, while the new profile is not visible yet, keeps the same profile', async () => {
    f.emulator.configure({ consistencyDelayMs: 300 });
    const props = f.fullProperties(f.uniqueName('Fresh'));
    const created = await f.create(props);

    const res = await handleEvent(cfnEvent('Update', { ...props, Description: 'right away' }, {
      physicalResourceId: created.PhysicalResourceId, oldProperties: props,
    }), depsFor(f.emulator));

    expect(res.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).filter((p) => p.name === props.SecurityProfileName)).toHaveLength(1);
    f.emulator.configure({ consistencyDelayMs: 0 });
    expect((await f.readLive(idOf(created))).Description).toBe('right away');
  });

  test('an Update of a failed Create (placeholder physical id) creates the profile', async () => {
    const props = { InstanceArn: f.instanceArn, SecurityProfileName: f.uniqueName('After-Failed-Create') };
    const res = await handleEvent(cfnEvent('Update', props, { physicalResourceId: 'failed-create-placeholder', oldProperties: props }), depsFor(f.emulator));
    expect(res.PhysicalResourceId).toMatch(/\/security-profile\//);
  });

  test('Connect rejecting an update is reported with the profile, the instance and the reason', async () => {
    const props = f.fullProperties(f.uniqueName('Rejected'));
    const created = await f.create(props);
    const bad = { ...props, AllowedAccessControlHierarchyGroupId: '00000000-0000-0000-0000-00000000dead' };
    await expect(handleEvent(cfnEvent('Update', bad, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator)))
      .rejects.toThrow(new RegExp(`^update security profile "${props.SecurityProfileName}" in instance ${f.instanceId}: UpdateSecurityProfile failed: ResourceNotFoundException: .*AllowedAccessControlHierarchyGroupId`));
  });
});

