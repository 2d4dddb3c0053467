/**
 * Change events and missing profiles: an event reconciles only its profile, events caused by our own
 * roles are ignored (no loop), a profile deleted out of band is reported and never recreated.
 */
import { DeleteSecurityProfileCommand } from '@aws-sdk/client-connect';
import { DRIFT_CASES } from './fixtures';
import { Harness, startHarness, writesIn } from './harness';
import {
  checkAndRecord,
  ConnectChangeEvent,
  isChangeEvent,
  isOwnCaller,
  profileOfChangeEvent,
  reconcileChangeEvent,
  runSweep,
} from '../../lambda/reconciler';
import type { StoredRecord } from '../../lambda/state-table';
import { fullyDeclaredProfile } from '../support/profile-properties';

const ACCOUNT = '123456789012';
const RECONCILER_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk/DriftTest-ReconcilerRole-ABC123`;
const HANDLER_ROLE = `arn:aws:iam::${ACCOUNT}:role/DriftTest-HandlerRole-DEF456`;
const OWN_ROLES = [RECONCILER_ROLE, HANDLER_ROLE];
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ConnectAdmin_0123`;

/** The EventBridge event CloudTrail delivers for a Connect call. */
function cloudTrailEvent(
  eventName: string,
  requestParameters: Record<string, unknown>,
  roleArn = ADMIN_ROLE,
  extra: Record<string, unknown> = {},
): ConnectChangeEvent {
  const roleName = roleArn.split('/').pop()!;
  return {
    'detail-type': 'AWS API Call via CloudTrail',
    'source': 'aws.connect',
    'account': ACCOUNT,
    'region': 'us-east-1',
    'detail': {
      eventSource: 'connect.amazonaws.com',
      eventName,
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/session-1`,
        accountId: ACCOUNT,
        sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, userName: roleName } },
      },
      requestParameters,
      ...extra,
    },
  };
}

function updateEvent(record: StoredRecord, roleArn?: string): ConnectChangeEvent {
  return cloudTrailEvent('UpdateSecurityProfile', { InstanceId: record.instanceId, SecurityProfileId: record.securityProfileId }, roleArn);
}

let h: Harness;
let groupId: string;
let otherGroupId: string;

beforeAll(async () => {
  h = await startHarness();
  ({ groupId, otherGroupId } = h);
});

afterAll(async () => {
  await h.stop();
});

const widenHierarchy = (record: StoredRecord) =>
  DRIFT_CASES.find((c) => c.field === 'AllowedAccessControlHierarchyGroupId')!.apply(h.console, record, otherGroupId);

describe('a profile deleted out of band', () => {
  let gone: StoredRecord;
  let goneDetect: StoredRecord;

  beforeAll(async () => {
    gone = await h.manage(fullyDeclaredProfile('Missing-Remediate', groupId), 'REMEDIATE');
    goneDetect = await h.manage(fullyDeclaredProfile('Missing-Detect', groupId), 'DETECT_ONLY');
    for (const r of [gone, goneDetect]) {
      await h.console.send(new DeleteSecurityProfileCommand({ InstanceId: r.instanceId, SecurityProfileId: r.securityProfileId }));
    }
  });

  it('is reported missing by the sweep (status, metric, log) and not recreated, in either mode', async () => {
    h.emulator.clearRequestLog();
    const emfBefore = h.emf.length;
    const report = await runSweep(h.deps(), { budgetMs: 60_000 });
    for (const r of [gone, goneDetect]) {
      expect(report.outcomes.find((o) => o.key === r.key)).toMatchObject({ status: 'MISSING', actions: [] });
      expect((await h.store.get(r.key))?.lastResult).toMatchObject({ status: 'MISSING' });
    }
    expect(writesIn(h.emulator)).toEqual([]);
    expect(h.emulator.listSecurityProfilesIn(h.instanceId).map((p) => p.name)).not.toContain('Missing-Remediate');
    expect(h.emf.slice(emfBefore).find((d) => 'ProfilesMissing' in d)).toMatchObject({ ProfilesMissing: 2, DriftRemediated: 0 });
    expect(h.logger.withMessage('managed security profile is missing').map((l) => l.securityProfileArn))
      .toEqual(expect.arrayContaining([gone.securityProfileArn, goneDetect.securityProfileArn]));
  });

  it('a DeleteSecurityProfile event reports it missing at once', async () => {
    h.emulator.clearRequestLog();
    const result = await reconcileChangeEvent(h.deps(), cloudTrailEvent('DeleteSecurityProfile', {
      InstanceId: gone.instanceId, SecurityProfileId: gone.securityProfileId,
    }), OWN_ROLES);
    expect(result).toMatchObject({ handled: true, outcome: { status: 'MISSING' } });
    expect(writesIn(h.emulator)).toEqual([]);
  });

  afterAll(async () => {
    await h.store.delete(gone.securityProfileArn);
    await h.store.delete(goneDetect.securityProfileArn);
  });
});

describe('change events', () => {
  let target: StoredRecord;
  let bystander: StoredRecord;

  beforeAll(async () => {
    target = await h.manage(fullyDeclaredProfile('Event-Target', groupId), 'REMEDIATE');
    bystander = await h.manage(fullyDeclaredProfile('Event-Bystander', groupId), 'REMEDIATE');
    await widenHierarchy(target);
    await widenHierarchy(bystander);
  });

  it('an UpdateSecurityProfile event reconciles only that profile', async () => {
    h.emulator.clearRequestLog();
    const result = await reconcileChangeEvent(h.deps(), updateEvent(target), OWN_ROLES);
    expect(result).toMatchObject({ handled: true, outcome: { key: target.key, status: 'REMEDIATED', driftFields: ['AllowedAccessControlHierarchyGroupId'] } });
    const touched = new Set(h.emulator.requestLog.map((e) => JSON.stringify(e.input)).map((input) => {
      if (input.includes(target.securityProfileId)) return 'target';
      if (input.includes(bystander.securityProfileId)) return 'bystander';
      return 'other';
    }));
    // SearchUsers for the access-scope report names the group, not the profile
    expect(touched.has('bystander')).toBe(false);
    expect(touched.has('target')).toBe(true);
    expect((await h.observe(target))?.AllowedAccessControlHierarchyGroupId).toBe(groupId);
    expect((await h.observe(bystander))?.AllowedAccessControlHierarchyGroupId).toBe(otherGroupId);
    expect((await h.store.get(target.key))?.lastResult).toMatchObject({ status: 'REMEDIATED', checkedBy: 'event' });
  });

  it('the event of the reconciler\'s own repair is ignored before any call: no read, no write', async () => {
    h.emulator.clearRequestLog();
    const own = await reconcileChangeEvent(h.deps(), updateEvent(bystander, RECONCILER_ROLE), OWN_ROLES);
    expect(own).toEqual({ handled: false, reason: 'own-role' });
    const handler = await reconcileChangeEvent(h.deps(), updateEvent(bystander, HANDLER_ROLE), OWN_ROLES);
    expect(handler).toEqual({ handled: false, reason: 'own-role' });
    expect(h.emulator.requestLog).toEqual([]);
    expect((await h.observe(bystander))?.AllowedAccessControlHierarchyGroupId).toBe(otherGroupId);
  });

  it('even without the role filter, the event of a repair finds the profile in sync and writes nothing', async () => {
    h.emulator.clearRequestLog();
    const result = await reconcileChangeEvent(h.deps(), updateEvent(target, RECONCILER_ROLE), []);
    expect(result).toMatchObject({ handled: true, outcome: { status: 'IN_SYNC' } });
    expect(writesIn(h.emulator)).toEqual([]);
  });

  it('a TagResource event (resource ARN) reconciles the tagged profile', async () => {
    await DRIFT_CASES.find((c) => c.edit === 'a tag added')!.apply(h.console, bystander, otherGroupId);
    const result = await reconcileChangeEvent(h.deps(), cloudTrailEvent('TagResource', {
      resourceArn: bystander.securityProfileArn, tags: { extra: 'console' },
    }), OWN_ROLES);
    expect(result).toMatchObject({
      handled: true,
      outcome: { key: bystander.key, status: 'REMEDIATED', driftFields: ['AllowedAccessControlHierarchyGroupId', 'Tags'] },
    });
    expect((await h.observe(bystander))?.Tags).not.toHaveProperty('extra');
  });

  it.each([
    ['a profile this stack does not manage', () => cloudTrailEvent('UpdateSecurityProfile', { InstanceId: h.instanceId, SecurityProfileId: 'not-ours' }), 'not-managed'],
    ['a call that failed', () => cloudTrailEvent('UpdateSecurityProfile', {
      InstanceId: h.instanceId, SecurityProfileId: target.securityProfileId,
    }, ADMIN_ROLE, { errorCode: 'AccessDeniedException' }), 'failed-call'],
    ['another Connect call', () => cloudTrailEvent('CreateUser', { InstanceId: h.instanceId }), 'not-a-security-profile-change'],
    ['a tag on another resource', () => cloudTrailEvent('TagResource', {
      resourceArn: `${h.instanceArn}/agent/u-1`, tags: { a: 'b' },
    }), 'not-a-security-profile-change'],
  ])('ignores %s without calling Connect', async (_what, event, reason) => {
    h.emulator.clearRequestLog();
    expect(await reconcileChangeEvent(h.deps(), event(), OWN_ROLES)).toEqual({ handled: false, reason });
    expect(h.emulator.requestLog).toEqual([]);
  });

  it('ignores a profile whose drift mode is DISABLED', async () => {
    const off = await h.manage(fullyDeclaredProfile('Event-Disabled', groupId), 'DISABLED');
    await widenHierarchy(off);
    h.emulator.clearRequestLog();
    expect(await reconcileChangeEvent(h.deps(), updateEvent(off), OWN_ROLES)).toEqual({ handled: false, reason: 'disabled' });
    expect(h.emulator.requestLog).toEqual([]);
  });
});

describe('a deploy during the check', () => {
  it('a check works from the record as it is under the lease, not from the page it was scanned from: the deploy\'s state stays', async () => {
    const stale = await h.manage(fullyDeclaredProfile('Deploy-Race', groupId), 'REMEDIATE');
    // the deploy moves the profile to another group and records that as the new desired state
    await widenHierarchy(stale);
    await h.store.put({
      ...stale,
      desired: { ...stale.desired, AllowedAccessControlHierarchyGroupId: otherGroupId },
      updatedAt: stale.updatedAt + 1000,
    });
    h.emulator.clearRequestLog();
    const outcome = await checkAndRecord(h.deps(), stale, 'sweep-with-a-stale-page');
    expect(outcome).toMatchObject({ status: 'IN_SYNC', actions: [] });
    expect(writesIn(h.emulator)).toEqual([]);
    expect((await h.observe(stale))?.AllowedAccessControlHierarchyGroupId).toBe(otherGroupId);
  });
});

describe('event parsing', () => {
  it('tells change events from scheduled invocations', () => {
    expect(isChangeEvent(cloudTrailEvent('TagResource', {}))).toBe(true);
    expect(isChangeEvent({ source: 'cdk-connect-security-profiles.sweep' })).toBe(false);
    expect(isChangeEvent(undefined)).toBe(false);
  });

  it('reduces an instance ARN to its id and matches parameter names in any case', () => {
    expect(profileOfChangeEvent(cloudTrailEvent('UpdateSecurityProfile', {
      instanceId: 'arn:aws:connect:us-east-1:123456789012:instance/i-1', securityProfileId: 'p-1',
    }))).toEqual({ instanceId: 'i-1', securityProfileId: 'p-1' });
  });

  it.each([
    ['the session issuer ARN', true, { sessionContext: { sessionIssuer: { arn: RECONCILER_ROLE } } }],
    ['an assumed-role ARN of a role with a path', true, { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/DriftTest-ReconcilerRole-ABC123/fn` }],
    ['the same role name in another account', false, { arn: 'arn:aws:sts::999999999999:assumed-role/DriftTest-ReconcilerRole-ABC123/fn' }],
    ['an IAM user', false, { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice` }],
    ['another role', false, { sessionContext: { sessionIssuer: { arn: ADMIN_ROLE } } }],
  ])('isOwnCaller: %s is %s', (_what, expected, identity) => {
    expect(isOwnCaller(identity, OWN_ROLES)).toBe(expected);
  });
});
