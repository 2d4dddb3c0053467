/**
 * The assignment sweep against the emulator over HTTP (real SDK) and dynalite: detect-only reports and writes
 * nothing, remediate repairs with the deploy's rules, the safety valve holds every change back and publishes
 * its metric, a profile held by another writer is left alone, another stack's record is a conflict.
 */
import { UpdateUserHierarchyCommand } from '@aws-sdk/client-connect';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { assignmentEvent, assignmentFixture, Instance, profilesOf, runAssignment, userWrites } from './fixture';
import { AssignmentMetrics } from '../../lambda/assignment-metrics';
import { assignmentKey } from '../../lambda/assignment-store';
import { AssignmentSweepDeps, runAssignmentSweep } from '../../lambda/assignment-sweep';
import { ReconcilerMetrics } from '../../lambda/metrics';
import { stateKey } from '../../lambda/state-table';
import { HierarchyGroupMatchType, UserAttributeFilter } from '../../src/search';
import { fastApi } from '../handler/helpers';
import { TestLogger } from '../support/logger';

const f = assignmentFixture();
const LOGICAL = 'SupervisorHolders1A2B3C4D';

interface Sweep { deps: AssignmentSweepDeps; emf: Array<Record<string, any>>; logger: TestLogger; reconcilerEmf: Array<Record<string, any>> }

function sweepDeps(stackName = 'HoldersTest'): Sweep {
  const emf: Array<Record<string, any>> = [];
  const reconcilerEmf: Array<Record<string, any>> = [];
  const logger = new TestLogger();
  return {
    emf,
    reconcilerEmf,
    logger,
    deps: {
      assignments: f.store,
      leases: f.leases,
      api: fastApi(f.emulator),
      metrics: new AssignmentMetrics({ serviceName: 'HoldersTest', write: (l) => emf.push(JSON.parse(l)) }),
      reconcilerMetrics: new ReconcilerMetrics({ serviceName: 'HoldersTest', write: (l) => reconcilerEmf.push(JSON.parse(l)) }),
      logger,
      stackName,
    },
  };
}

/** The value of a metric in the EMF document with exactly these extra dimensions. */
function metricValue(emf: Array<Record<string, any>>, name: string, dimensions: Record<string, string> = {}): number | undefined {
  const docs = emf.filter((d) => Object.entries(dimensions).every(([k, v]) => d[k] === v)
    && d._aws.CloudWatchMetrics[0].Dimensions[0].length === 1 + Object.keys(dimensions).length);
  return docs.length === 0 ? undefined : docs.reduce((sum, d) => sum + (d[name] ?? 0), 0);
}

const inGroup = (group: string) => UserAttributeFilter.hierarchyGroupId(group, HierarchyGroupMatchType.EXACT).render();

/** A profile assigned to BPO-A at deploy, then ann moves out and bob moves in. */
interface Drifted { i: Instance; profile: string; ann: string; bob: string; key: string }

async function drifted(mode: string, extra: Record<string, unknown> = {}): Promise<Drifted> {
  const i = f.instance();
  const profile = await i.profile('Supervisor');
  const ann = i.user('ann', [i.agentProfile], i.bpoA);
  const bob = i.user('bob', [i.agentProfile], i.bpoB);
  await runAssignment(f.deps(), assignmentEvent('Create', {
    InstanceArn: i.instanceArn, SecurityProfileId: profile, UserAttributeFilter: inGroup(i.bpoA), DriftMode: mode, ...extra,
  }));
  await f.sdk.send(new UpdateUserHierarchyCommand({ InstanceId: i.instanceId, UserId: ann, HierarchyGroupId: i.bpoB }));
  await f.sdk.send(new UpdateUserHierarchyCommand({ InstanceId: i.instanceId, UserId: bob, HierarchyGroupId: i.bpoA }));
  f.emulator.clearRequestLog();
  return { i, profile, ann, bob, key: assignmentKey(i.instanceId, profile, LOGICAL) };
}

afterEach(async () => {
  // each test's assignments are its own: drop them so the next sweep checks only the next test's
  for (const entry of await f.store.scanAll()) await f.store.delete(entry.key);
});

test('detect-only: the sweep reports the users that moved (AssignmentDrift, a log line per user) and writes nothing', async () => {
  // GIVEN
  const { i, profile, ann, bob, key } = await drifted('DETECT_ONLY');
  const s = sweepDeps();

  // WHEN
  const report = await runAssignmentSweep(s.deps, { budgetMs: 60_000 });

  // THEN
  expect(report.outcomes).toEqual([expect.objectContaining({ key, status: 'DRIFTED', changes: 2, assigned: 0, unassigned: 0 })]);
  expect(userWrites(f.emulator)).toEqual([]);
  expect(await profilesOf(f.sdk, i.instanceId, ann)).toContain(profile);
  expect(await profilesOf(f.sdk, i.instanceId, bob)).not.toContain(profile);
  expect(metricValue(s.emf, 'AssignmentDrift', { SecurityProfileId: profile })).toBe(2);
  expect(metricValue(s.emf, 'AssignmentDrift')).toBe(2);
  expect(metricValue(s.emf, 'UsersAssigned')).toBe(0);
  expect(s.logger.text()).toMatch(/assignment drift: user should hold the profile.*"username":"bob"/);
  expect(s.logger.text()).toMatch(/assignment drift: user should no longer hold the profile.*"username":"ann"/);
  expect((await f.store.get(key))?.lastResult).toMatchObject({ status: 'DRIFTED', changes: 2 });
});

test('remediate: the sweep gives the profile to who arrived and takes it from who left, with only that profile changing; the next sweep is in sync', async () => {
  // GIVEN
  const { i, profile, ann, bob, key } = await drifted('REMEDIATE');
  const s = sweepDeps();

  // WHEN
  const report = await runAssignmentSweep(s.deps, { budgetMs: 60_000 });

  // THEN
  expect(report.outcomes).toEqual([expect.objectContaining({ status: 'REMEDIATED', changes: 2, assigned: 1, unassigned: 1 })]);
  expect(await profilesOf(f.sdk, i.instanceId, ann)).toEqual([i.agentProfile]);
  expect(await profilesOf(f.sdk, i.instanceId, bob)).toEqual([i.agentProfile, profile].sort());
  expect(metricValue(s.emf, 'UsersAssigned', { SecurityProfileId: profile })).toBe(1);
  expect(metricValue(s.emf, 'UsersUnassigned', { SecurityProfileId: profile })).toBe(1);
  expect((await f.store.get(key))?.added).toEqual([bob]);

  const again = await runAssignmentSweep(sweepDeps().deps, { budgetMs: 60_000 });
  expect(again.outcomes).toEqual([expect.objectContaining({ status: 'IN_SYNC', changes: 0 })]);
});

test('the safety valve at sweep: more changes than maxChangesPerRun write nothing and publish AssignmentChangesHeld with the count', async () => {
  // GIVEN two changes needed, one allowed
  const { i, profile, ann, bob } = await drifted('REMEDIATE', { MaxChangesPerRun: '1' });
  const s = sweepDeps();

  // WHEN
  const report = await runAssignmentSweep(s.deps, { budgetMs: 60_000 });

  // THEN
  expect(report.outcomes).toEqual([expect.objectContaining({ status: 'HELD', changes: 2 })]);
  expect(report.outcomes[0].error).toMatch(/needs 2 changes.*more than maxChangesPerRun \(1\); nothing was written.*raise `maxChangesPerRun`/);
  expect(userWrites(f.emulator)).toEqual([]);
  expect(await profilesOf(f.sdk, i.instanceId, ann)).toContain(profile);
  expect(await profilesOf(f.sdk, i.instanceId, bob)).not.toContain(profile);
  expect(metricValue(s.emf, 'AssignmentChangesHeld', { SecurityProfileId: profile })).toBe(2);
  expect(metricValue(s.emf, 'AssignmentChangesHeld')).toBe(2);
});

test('a profile whose lease another writer holds is left alone (SUPERSEDED), nothing written, no result stored', async () => {
  // GIVEN a deploy holds the profile
  const { i, profile, key } = await drifted('REMEDIATE');
  const held = await f.leases.tryAcquire(stateKey(i.instanceId, profile), 'deploy');
  expect(held.acquired).toBe(true);

  // WHEN
  const report = await runAssignmentSweep(sweepDeps().deps, { budgetMs: 60_000 });

  // THEN
  expect(report.outcomes).toEqual([expect.objectContaining({ status: 'SUPERSEDED', error: 'held by a deploy' })]);
  expect(userWrites(f.emulator)).toEqual([]);
  expect((await f.store.get(key))?.lastResult).toBeUndefined();
  if (held.acquired) await f.leases.release(held.lease);
});

test('a record of another stack is a conflict (Conflicts), never a write', async () => {
  const { key } = await drifted('REMEDIATE');
  const s = sweepDeps('SomeOtherStack');
  const report = await runAssignmentSweep(s.deps, { budgetMs: 60_000 });
  expect(report.outcomes).toEqual([expect.objectContaining({ key, status: 'CONFLICT' })]);
  expect(report.outcomes[0].error).toMatch(/names stack "HoldersTest", not this reconciler's stack "SomeOtherStack"/);
  expect(userWrites(f.emulator)).toEqual([]);
  expect(metricValue(s.reconcilerEmf, 'Conflicts')).toBe(1);
});

test('a record that does not parse is an error of its own (Errors) and the other assignments are still checked', async () => {
  // GIVEN a good assignment and a corrupt item under an assignment key
  const { key } = await drifted('DETECT_ONLY');
  await f.dynalite.client.send(new PutItemCommand({
    TableName: f.tableName, Item: { pk: { S: '#holders:broken/record/Logical' }, schemaVersion: { N: '1' }, properties: { S: '{not json' } },
  }));
  const s = sweepDeps();

  // WHEN
  const report = await runAssignmentSweep(s.deps, { budgetMs: 60_000 });

  // THEN
  expect(report.outcomes.map((o) => [o.key, o.status]).sort()).toEqual([['#holders:broken/record/Logical', 'ERROR'], [key, 'DRIFTED']].sort());
  expect(metricValue(s.reconcilerEmf, 'Errors')).toBe(1);
});
