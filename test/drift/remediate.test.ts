/**
 * Remediate mode: drift in each managed field is repaired by one sweep (Connect through the emulator,
 * the desired state in dynalite).
 */
import { DRIFT_CASES, DriftCase } from './fixtures';
import { Harness, startHarness, writesIn } from './harness';
import type { SecurityProfileState } from '../../lambda/profile-state';
import { runSweep, SweepReport } from '../../lambda/reconciler';
import type { StoredRecord } from '../../lambda/state-table';
import { OWNER_TAG_KEY } from '../../src/private/contract';
import { fullyDeclaredProfile } from '../support/profile-properties';

let h: Harness;
let groupId: string;
let otherGroupId: string;
let inSync: StoredRecord;
const drifted: Array<{ driftCase: DriftCase; record: StoredRecord }> = [];
let report: SweepReport;

beforeAll(async () => {
  h = await startHarness();
  ({ groupId, otherGroupId } = h);
  inSync = await h.manage(fullyDeclaredProfile('Untouched', groupId), 'REMEDIATE');
  for (const [i, driftCase] of DRIFT_CASES.entries()) {
    const record = await h.manage(fullyDeclaredProfile(`Drift-${i}`, groupId), 'REMEDIATE');
    await driftCase.apply(h.console, record, otherGroupId);
    drifted.push({ driftCase, record });
  }
  h.emulator.clearRequestLog();
  report = await runSweep(h.deps(), { budgetMs: 60_000 });
});

afterAll(async () => {
  await h.stop();
});

/** Sets compared order-insensitively: arrays sorted by their JSON, object keys sorted. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

function liveTags(observed: SecurityProfileState): Record<string, string> {
  return Object.fromEntries(Object.entries(observed.Tags).filter(([k]) => !k.startsWith('aws:')));
}

it('one sweep checks every profile once and completes', () => {
  expect(report.complete).toBe(true);
  expect(report.outcomes).toHaveLength(DRIFT_CASES.length + 1);
  expect(new Set(report.outcomes.map((o) => o.key)).size).toBe(DRIFT_CASES.length + 1);
  const described = h.emulator.requestLog.filter((e) => e.operation === 'DescribeSecurityProfile' && e.status === 200);
  expect(described).toHaveLength(DRIFT_CASES.length + 1);
});

describe.each(DRIFT_CASES.map((c, i) => [`${c.field} (${c.edit})`, i] as const))('drift in %s', (_name, index) => {
  it('is repaired and reported as remediated in that field only', async () => {
    const { driftCase, record } = drifted[index];
    const outcome = report.outcomes.find((o) => o.key === record.key);
    expect(outcome).toMatchObject({ status: 'REMEDIATED', driftFields: [driftCase.field] });

    const observed = await h.observe(record);
    expect(observed).toBeDefined();
    if (driftCase.field === 'Tags') {
      expect(liveTags(observed!)).toEqual({ ...record.desired.Tags, [OWNER_TAG_KEY]: record.ownerMark });
    } else {
      // the drifted field is named by its member: the same name in the desired and the live state
      const field = driftCase.field as keyof SecurityProfileState;
      expect(Object.keys(observed!)).toContain(field);
      expect(normalize(observed![field])).toEqual(normalize(record.desired[field]));
    }
    const stored = await h.store.get(record.key);
    expect(stored?.lastResult).toMatchObject({ status: 'REMEDIATED', driftFields: [driftCase.field], checkedBy: report.sweepId });
  });
});

it('the hierarchy group is back to the declared group, not the one set in the console', async () => {
  const record = drifted.find((d) => d.driftCase.field === 'AllowedAccessControlHierarchyGroupId')!.record;
  const observed = await h.observe(record);
  expect(observed?.AllowedAccessControlHierarchyGroupId).toBe(groupId);
  expect(observed?.AllowedAccessControlHierarchyGroupId).not.toBe(otherGroupId);
  const restricted = drifted.find((d) => d.driftCase.field === 'HierarchyRestrictedResources')!.record;
  expect((await h.observe(restricted))?.HierarchyRestrictedResources).toEqual(['User']);
});

it('the untouched profile is in sync and receives no write', () => {
  expect(report.outcomes.find((o) => o.key === inSync.key)).toMatchObject({ status: 'IN_SYNC', driftFields: [], actions: [] });
  const touched = h.emulator.requestLog
    .filter((e) => ['UpdateSecurityProfile', 'TagResource', 'UntagResource'].includes(e.operation))
    .filter((e) => JSON.stringify(e.input).includes(inSync.securityProfileId));
  expect(touched).toEqual([]);
});

it('sends one repair per drifted profile and never creates or deletes', () => {
  const writes = writesIn(h.emulator);
  expect(writes.filter((w) => w === 'CreateSecurityProfile' || w === 'DeleteSecurityProfile')).toEqual([]);
  expect(writes.filter((w) => w === 'UpdateSecurityProfile')).toHaveLength(DRIFT_CASES.filter((c) => c.field !== 'Tags').length);
  expect(writes.filter((w) => w === 'TagResource' || w === 'UntagResource')).toHaveLength(DRIFT_CASES.filter((c) => c.field === 'Tags').length);
});

it('logs one line per drift with the field, the declared and the live value', () => {
  const lines = h.logger.withMessage('security profile drift');
  expect(lines).toHaveLength(DRIFT_CASES.length);
  const record = drifted.find((d) => d.driftCase.field === 'AllowedAccessControlHierarchyGroupId')!.record;
  expect(lines.find((l) => l.securityProfileArn === record.securityProfileArn)).toMatchObject({
    level: 'warn', field: 'AllowedAccessControlHierarchyGroupId', declared: groupId, live: otherGroupId, mode: 'REMEDIATE',
  });
});

it('publishes checked, detected (also by field) and remediated counts as EMF', () => {
  const totals = h.emf.find((d) => 'ProfilesChecked' in d);
  expect(totals).toMatchObject({
    service: 'DriftTest',
    ProfilesChecked: DRIFT_CASES.length + 1,
    DriftDetected: DRIFT_CASES.length,
    DriftRemediated: DRIFT_CASES.length,
    ProfilesMissing: 0,
    Errors: 0,
  });
  const byField = h.emf.filter((d) => 'Field' in d);
  expect(byField.find((d) => d.Field === 'Tags')).toMatchObject({ DriftDetected: 1 });
  expect(byField.find((d) => d.Field === 'HierarchyRestrictedResources')).toMatchObject({ DriftDetected: 1 });
  const namespaces = (totals!._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> }).CloudWatchMetrics;
  expect(namespaces[0]).toMatchObject({ Namespace: 'CdkConnectSecurityProfiles', Dimensions: [['service']] });
});

it('a second sweep finds every profile in sync and writes nothing to Connect', async () => {
  h.emulator.clearRequestLog();
  const second = await runSweep(h.deps(), { budgetMs: 60_000 });
  expect(second.complete).toBe(true);
  expect(second.sweepId).not.toBe(report.sweepId);
  expect(second.outcomes.map((o) => o.status)).toEqual(second.outcomes.map(() => 'IN_SYNC'));
  expect(writesIn(h.emulator)).toEqual([]);
});
