/**
 * 300 profiles under the emulator's realistic throttling, scaled.
 *
 * Connect's real shape (the emulator's `realistic` preset: 2 rps burst 5 per operation, 10 rps burst 10
 * for user and hierarchy reads) with the handler's default client-side bucket (2 rps burst 5) would make
 * this sweep take minutes. Both the emulator's rules and the client's bucket are multiplied by SCALE
 * (100), which keeps their ratio, so the test exercises the same contention in seconds.
 */
import { consoleUpdate } from './fixtures';
import { Harness, startHarness } from './harness';
import { DEFAULT_BURST, DEFAULT_RATE_PER_SECOND } from '../../lambda/rate-limiter';
import { runSweep, SweepReport } from '../../lambda/reconciler';
import type { StoredRecord } from '../../lambda/state-table';
import { realisticRules } from '../../local/connect-emulator/knobs';

const SCALE = 100;
const PROFILES = 300;

function scaledRealistic(): Record<string, { rate: number; burst: number }> {
  return Object.fromEntries(Object.entries(realisticRules()).map(([op, r]) => [op, { rate: r.rate * SCALE, burst: r.burst * SCALE }]));
}

let h: Harness;
const records: StoredRecord[] = [];
const drifted = new Set<string>();

beforeAll(async () => {
  h = await startHarness({ rateLimit: { ratePerSecond: DEFAULT_RATE_PER_SECOND * SCALE, burst: DEFAULT_BURST * SCALE } });
  // Connect allows 100 profiles per instance (4 are defaults): spread them over four instances of the
  // account, which share its API quotas as in Connect.
  const instances = [{ instanceId: h.instanceId, instanceArn: h.instanceArn }];
  for (let i = 1; i < 4; i++) instances.push(h.emulator.createInstance({ alias: `scale-${i}` }));
  const groups = instances.map((instance, i) => h.emulator.seedHierarchyGroup(instance.instanceId, `Site-${i}`).id);
  // Created ten at a time (seeding is not under test); the order of `records` is the index order.
  const declare = (i: number) => h.manage({
    InstanceArn: instances[i % instances.length].instanceArn,
    SecurityProfileName: `Scale-${String(i).padStart(3, '0')}`,
    Permissions: ['BasicAgentAccess', 'OutboundCallAccess'],
    Tags: { team: `team-${i % 7}` },
    // every tenth profile is hierarchy-restricted (and gets an access-scope report)
    ...(i % 10 === 0 ? { HierarchyRestrictedResources: ['User'], AllowedAccessControlHierarchyGroupId: groups[i % instances.length] } : {}),
  }, i % 2 === 0 ? 'REMEDIATE' : 'DETECT_ONLY');
  for (let i = 0; i < PROFILES; i += 10) {
    records.push(...await Promise.all(Array.from({ length: 10 }, (_, j) => declare(i + j))));
  }
  await Promise.all(records.map(async (record, i) => {
    if (i % 7 !== 0) return;
    await consoleUpdate(h.console, record, { Permissions: ['BasicAgentAccess', 'OutboundCallAccess', 'Users.Edit'] });
    drifted.add(record.key);
  }));
  h.emulator.configure({ throttling: scaledRealistic() });
});

afterAll(async () => {
  await h.stop();
});

function describesByProfile(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of h.emulator.requestLog) {
    if (e.operation !== 'DescribeSecurityProfile' || e.status !== 200) continue;
    const id = (e.input as { SecurityProfileId: string }).SecurityProfileId;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('a sweep with a short time budget', () => {
  const invocations: SweepReport[] = [];

  beforeAll(async () => {
    h.emulator.clearRequestLog();
    // 1,000 Connect calls at 200 rps take about 5 s (less the burst): with 1 s per invocation the sweep
    // has to stop and resume from its cursor.
    for (let i = 0; i < 100; i++) {
      const report = await runSweep(h.deps(), { budgetMs: 1000 });
      invocations.push(report);
      if (report.complete) break;
    }
  });

  it('finishes with no failed profile: remediated, drifted (detect-only) and in-sync as declared', () => {
    expect(invocations[invocations.length - 1].complete).toBe(true);
    const outcomes = invocations.flatMap((r) => r.outcomes);
    expect(outcomes.filter((o) => o.status === 'ERROR' || o.status === 'MISSING')).toEqual([]);
    const byKey = new Map(outcomes.map((o) => [o.key, o.status]));
    const wrong = records
      .map((record, i) => ({
        name: record.desired.SecurityProfileName,
        expected: !drifted.has(record.key) ? 'IN_SYNC' : i % 2 === 0 ? 'REMEDIATED' : 'DRIFTED',
        status: byKey.get(record.key),
      }))
      .filter((r) => r.status !== r.expected);
    expect(wrong).toEqual([]);
    expect(drifted.size).toBe(Math.ceil(PROFILES / 7));
  });

  it('stopped and resumed across several invocations of the same sweep', () => {
    expect(invocations.length).toBeGreaterThan(1);
    expect(invocations.slice(0, -1).every((r) => !r.complete)).toBe(true);
    expect(new Set(invocations.map((r) => r.sweepId)).size).toBe(1);
    expect(invocations[invocations.length - 1].sweepChecked).toBe(PROFILES);
  });

  it('covered every profile exactly once (emulator request log)', () => {
    const counts = describesByProfile();
    expect(counts.size).toBe(PROFILES);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const keys = invocations.flatMap((r) => r.outcomes.map((o) => o.key));
    expect(keys).toHaveLength(PROFILES);
    expect(new Set(keys)).toEqual(new Set(records.map((r) => r.key)));
  });

  it('retried every throttled call to success and counted it', () => {
    const throttled = h.emulator.requestLog.filter((e) => e.errorType === 'ThrottlingException').length;
    expect(h.throttles.count).toBe(throttled);
    const failed = h.emulator.requestLog.filter((e) => e.status >= 400 && e.errorType !== 'ThrottlingException');
    expect(failed).toEqual([]);
  });
});
