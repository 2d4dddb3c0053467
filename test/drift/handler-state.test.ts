/**
 * The deploy-time handler records the desired state in the DynamoDB store, and the reconciler works
 * from what it recorded: Create, Update, a replacement, turning drift off, and Delete, each followed by
 * what the table holds and what a sweep does.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { consoleUpdate } from './fixtures';
import { Harness, startHarness, STACK_ID, writesIn } from './harness';
import { handleEvent, HandleEventDeps } from '../../lambda/on-event';
import { runSweep } from '../../lambda/reconciler';
import { keyOf } from '../../lambda/state-table';
import { cfnEvent } from '../../local/cloudformation/events';
import { TestLogger } from '../support/logger';
import { fullyDeclaredProfile } from '../support/profile-properties';

let h: Harness;
let groupId: string;
let deps: HandleEventDeps;

beforeAll(async () => {
  h = await startHarness();
  groupId = h.groupId;
  deps = { connect: h.api, logger: new TestLogger(), stateStore: h.store };
});

afterAll(async () => {
  await h.stop();
});

function event(requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown>, physicalResourceId?: string): CloudFormationCustomResourceEvent {
  return cfnEvent(requestType, { InstanceArn: h.instanceArn, ...properties }, { physicalResourceId, stackId: STACK_ID, logicalId: 'Supervisors' });
}

describe('the handler writes, the reconciler reads', () => {
  const declared = () => ({ ...fullyDeclaredProfile('BPO-A-Supervisor', groupId), DriftMode: 'REMEDIATE' });
  let arn: string;

  it('Create records the desired state, the owner mark and the mode', async () => {
    const created = await handleEvent(event('Create', declared()), deps);
    arn = created.PhysicalResourceId;
    const stored = await h.store.get(arn);
    expect(stored).toMatchObject({
      key: keyOf(arn),
      securityProfileArn: arn,
      driftMode: 'REMEDIATE',
      stackId: STACK_ID,
      logicalResourceId: 'Supervisors',
      desired: { SecurityProfileName: 'BPO-A-Supervisor', AllowedAccessControlHierarchyGroupId: groupId, HierarchyRestrictedResources: ['User'] },
    });
    expect(stored?.ownerMark).toContain('Supervisors');
  });

  it('a sweep right after the deploy finds the profile in sync and writes nothing', async () => {
    h.emulator.clearRequestLog();
    const report = await runSweep(h.deps(), { budgetMs: 60_000 });
    expect(report.outcomes).toEqual([expect.objectContaining({ securityProfileArn: arn, status: 'IN_SYNC' })]);
    expect(writesIn(h.emulator)).toEqual([]);
  });

  it('drift made in the console is repaired by the next sweep', async () => {
    const record = (await h.store.get(arn))!;
    await consoleUpdate(h.console, record, { HierarchyRestrictedResources: [], AllowedAccessControlHierarchyGroupId: '' });
    const report = await runSweep(h.deps(), { budgetMs: 60_000 });
    expect(report.outcomes).toEqual([expect.objectContaining({
      status: 'REMEDIATED', driftFields: ['AllowedAccessControlHierarchyGroupId', 'HierarchyRestrictedResources'],
    })]);
    expect((await h.observe(record))?.AllowedAccessControlHierarchyGroupId).toBe(groupId);
  });

  it('an Update to detect-only changes the mode and keeps the last result', async () => {
    await handleEvent(event('Update', { ...declared(), DriftMode: 'DETECT_ONLY' }, arn), deps);
    const stored = await h.store.get(arn);
    expect(stored?.driftMode).toBe('DETECT_ONLY');
    expect(stored?.lastResult?.status).toBe('REMEDIATED');
  });

  it('a replacement records the new profile; the Delete of the old one removes its record', async () => {
    const replaced = await handleEvent(event('Update', { ...declared(), SecurityProfileName: 'BPO-A-Leads' }, arn), deps);
    expect(replaced.PhysicalResourceId).not.toBe(arn);
    expect(await h.store.get(replaced.PhysicalResourceId)).toMatchObject({ desired: { SecurityProfileName: 'BPO-A-Leads' } });
    await handleEvent(event('Delete', declared(), arn), deps);
    expect(await h.store.get(arn)).toBeUndefined();
    arn = replaced.PhysicalResourceId;
  });

  it('turning drift off removes the record: the sweep no longer sees the profile', async () => {
    await handleEvent(event('Update', { ...fullyDeclaredProfile('BPO-A-Leads', groupId), DriftMode: 'DISABLED' }, arn), deps);
    expect(await h.store.get(arn)).toBeUndefined();
    const report = await runSweep(h.deps(), { budgetMs: 60_000 });
    expect(report.outcomes).toEqual([]);
  });

  it('Delete removes the record', async () => {
    await handleEvent(event('Update', { ...fullyDeclaredProfile('BPO-A-Leads', groupId), DriftMode: 'REMEDIATE' }, arn), deps);
    expect(await h.store.get(arn)).toBeDefined();
    await handleEvent(event('Delete', fullyDeclaredProfile('BPO-A-Leads', groupId), arn), deps);
    expect(await h.store.get(arn)).toBeUndefined();
  });
});
