/**
 * Detect-only mode: drift is reported (metric, log, status in the table) and the profile is untouched.
 */
import { DescribeSecurityProfileCommand } from '@aws-sdk/client-connect';
import { DRIFT_CASES } from './fixtures';
import { Harness, startHarness, writesIn } from './harness';
import { runSweep, SweepReport } from '../../lambda/reconciler';
import type { StoredRecord } from '../../lambda/state-table';
import { fullyDeclaredProfile } from '../support/profile-properties';

let h: Harness;
let groupId: string;
let otherGroupId: string;
let hierarchy: StoredRecord;
let permissions: StoredRecord;
let clean: StoredRecord;
let report: SweepReport;

beforeAll(async () => {
  h = await startHarness();
  ({ groupId, otherGroupId } = h);
  hierarchy = await h.manage(fullyDeclaredProfile('Detect-Hierarchy', groupId), 'DETECT_ONLY');
  permissions = await h.manage(fullyDeclaredProfile('Detect-Permissions', groupId), 'DETECT_ONLY');
  clean = await h.manage(fullyDeclaredProfile('Detect-Clean', groupId), 'DETECT_ONLY');
  await DRIFT_CASES.find((c) => c.field === 'AllowedAccessControlHierarchyGroupId')!.apply(h.console, hierarchy, otherGroupId);
  await DRIFT_CASES.find((c) => c.field === 'HierarchyRestrictedResources')!.apply(h.console, hierarchy, otherGroupId);
  await DRIFT_CASES.find((c) => c.field === 'Permissions')!.apply(h.console, permissions, otherGroupId);
  h.emulator.clearRequestLog();
  report = await runSweep(h.deps(), { budgetMs: 60_000 });
});

afterAll(async () => {
  await h.stop();
});

it('reports the drift of each profile, by field', () => {
  expect(report.outcomes.find((o) => o.key === hierarchy.key)).toMatchObject({
    status: 'DRIFTED', driftFields: ['AllowedAccessControlHierarchyGroupId', 'HierarchyRestrictedResources'], actions: [],
  });
  expect(report.outcomes.find((o) => o.key === permissions.key)).toMatchObject({ status: 'DRIFTED', driftFields: ['Permissions'] });
  expect(report.outcomes.find((o) => o.key === clean.key)).toMatchObject({ status: 'IN_SYNC', driftFields: [] });
});

it('sends no write to Connect', () => {
  expect(writesIn(h.emulator)).toEqual([]);
});

it('leaves the drifted values in place', async () => {
  const live = await h.console.send(new DescribeSecurityProfileCommand({ InstanceId: h.instanceId, SecurityProfileId: hierarchy.securityProfileId }));
  expect(live.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBe(otherGroupId);
  expect(live.SecurityProfile?.HierarchyRestrictedResources ?? []).toEqual([]);
  const observed = await h.observe(permissions);
  expect(observed?.Permissions).toContain('Users.Edit');
});

it('records DRIFTED with the fields in the table', async () => {
  expect((await h.store.get(hierarchy.key))?.lastResult).toMatchObject({
    status: 'DRIFTED', driftFields: ['AllowedAccessControlHierarchyGroupId', 'HierarchyRestrictedResources'], checkedBy: report.sweepId,
  });
  expect((await h.store.get(clean.key))?.lastResult).toMatchObject({ status: 'IN_SYNC', driftFields: [] });
});

it('publishes DriftDetected (total and by field) and no DriftRemediated', () => {
  expect(h.emf.find((d) => 'ProfilesChecked' in d)).toMatchObject({ ProfilesChecked: 3, DriftDetected: 2, DriftRemediated: 0, Errors: 0 });
  const byField = Object.fromEntries(h.emf.filter((d) => 'Field' in d).map((d) => [d.Field, d.DriftDetected]));
  expect(byField).toEqual({ AllowedAccessControlHierarchyGroupId: 1, HierarchyRestrictedResources: 1, Permissions: 1 });
});

it('logs each drifted field with the declared and the live value', () => {
  const lines = h.logger.withMessage('security profile drift').filter((l) => l.securityProfileArn === hierarchy.securityProfileArn);
  expect(lines).toEqual([
    expect.objectContaining({ field: 'AllowedAccessControlHierarchyGroupId', declared: groupId, live: otherGroupId, mode: 'DETECT_ONLY' }),
    expect.objectContaining({ field: 'HierarchyRestrictedResources', declared: ['User'], live: [], mode: 'DETECT_ONLY' }),
  ]);
});

it('keeps reporting the same drift on the next sweep, still without writing', async () => {
  h.emulator.clearRequestLog();
  const next = await runSweep(h.deps(), { budgetMs: 60_000 });
  expect(next.outcomes.filter((o) => o.status === 'DRIFTED').map((o) => o.key).sort()).toEqual([hierarchy.key, permissions.key].sort());
  expect(writesIn(h.emulator)).toEqual([]);
});
