/**
 * Assignments under production conditions, against the emulator over HTTP (real SDK) and dynalite: a user edited
 * in the console after the search keeps that edit, a deploy waits for a check that holds the profile's lease, and
 * a deploy under Connect's throttling still completes.
 */
import { UpdateUserSecurityProfilesCommand } from '@aws-sdk/client-connect';
import { assignmentEvent, assignmentFixture, profilesOf, runAssignment, userWrites } from './fixture';
import { holderObservation } from './observation';
import { applyHolderPlan } from '../../lambda/assignment-apply';
import { RestrictionLookup } from '../../lambda/assignment-observe';
import { planHolders } from '../../lambda/assignment-plan';
import { ConnectApi } from '../../lambda/connect-api';
import { TokenBucket } from '../../lambda/rate-limiter';
import { stateKey } from '../../lambda/state-table';
import { connectClientFor } from '../../local/connect-emulator';
import { HierarchyGroupMatchType, UserAttributeFilter } from '../../src/search';
import { fastApi } from '../handler/helpers';
import { TestLogger } from '../support/logger';

const f = assignmentFixture();
afterEach(() => f.emulator.configure({ throttling: 'off' }));

test('a profile given to a user in the console after the search is kept: the write is rebuilt from a fresh read', async () => {
  // GIVEN a plan made from what SearchUsers showed (the user holds the Agent profile only)
  const i = f.instance();
  const managed = await i.profile('Managed');
  const reporting = await i.profile('Reporting');
  const user = i.user('ann', [i.agentProfile], i.bpoA);
  const plan = planHolders(holderObservation({
    securityProfileId: managed,
    targets: [{ id: user, username: 'ann', securityProfileIds: [i.agentProfile] }],
  }));
  // and then someone gives ann the Reporting profile in the admin website
  await f.sdk.send(new UpdateUserSecurityProfilesCommand({
    InstanceId: i.instanceId, UserId: user, SecurityProfileIds: [i.agentProfile, reporting],
  }));

  // WHEN the plan is applied
  const api = fastApi(f.emulator);
  const done = await applyHolderPlan(api, { instanceId: i.instanceId, securityProfileId: managed, profileRestricted: false }, plan, {
    logger: new TestLogger(), restrictions: new RestrictionLookup(api, i.instanceId),
  });

  // THEN ann keeps the console's change and gains the managed profile
  expect(await profilesOf(f.sdk, i.instanceId, user)).toEqual([i.agentProfile, reporting, managed].sort());
  expect(done.add).toEqual([
    expect.objectContaining({ userId: user, from: [i.agentProfile, reporting], to: [i.agentProfile, reporting, managed] }),
  ]);
});

test('a deploy waits for a drift check that holds the profile\'s lease, and writes after it', async () => {
  // GIVEN a check holds the lease
  const i = f.instance();
  const managed = await i.profile('Waited');
  const user = i.user('ann', [i.agentProfile], i.bpoA);
  const held = await f.leases.tryAcquire(stateKey(i.instanceId, managed), 'holders check');
  if (!held.acquired) throw new Error('the lease should be free');
  f.emulator.clearRequestLog();

  // WHEN the deploy starts, and the check gives the lease back 600 ms later
  let releasedAt = 0;
  const release = new Promise<void>((resolve) => setTimeout(() => {
    releasedAt = Date.now();
    void f.leases.release(held.lease).then(resolve);
  }, 600));
  await runAssignment(f.deps(), assignmentEvent('Create', {
    InstanceArn: i.instanceArn,
    SecurityProfileId: managed,
    UserAttributeFilter: UserAttributeFilter.hierarchyGroupId(i.bpoA, HierarchyGroupMatchType.EXACT).render(),
  }));
  await release;

  // THEN its only write came after the release
  const writes = f.emulator.requestLog.filter((e) => e.operation === 'UpdateUserSecurityProfiles');
  expect(writes).toHaveLength(1);
  expect(writes[0].time).toBeGreaterThanOrEqual(releasedAt);
  expect(await profilesOf(f.sdk, i.instanceId, user)).toContain(managed);
});

test('under Connect\'s throttling (2 requests/s, burst 2 for every API) a deploy that assigns ten users completes', async () => {
  // GIVEN
  const i = f.instance();
  const managed = await i.profile('Throttled');
  const users = Array.from({ length: 10 }, (_, n) => i.user(`t${n}`, [i.agentProfile], i.bpoB));
  f.emulator.configure({ throttling: { default: { rate: 2, burst: 2 } } });
  f.emulator.clearRequestLog();

  // WHEN the gateway has no attempt count (as in production: a throttle is a reason to wait, until the deadline)
  const connect = new ConnectApi(connectClientFor(f.emulator, { maxAttempts: 1 }), {
    rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }),
    retry: { throttleBaseDelayMs: 100, maxDelayMs: 1000 },
  });
  await runAssignment(f.deps({ connect }), assignmentEvent('Create', {
    InstanceArn: i.instanceArn,
    SecurityProfileId: managed,
    UserAttributeFilter: UserAttributeFilter.hierarchyGroupId(i.bpoB, HierarchyGroupMatchType.EXACT).render(),
  }));

  // THEN every user holds it, some calls were throttled and retried
  f.emulator.configure({ throttling: 'off' });
  for (const user of users) expect(await profilesOf(f.sdk, i.instanceId, user)).toContain(managed);
  expect(userWrites(f.emulator)).toHaveLength(10);
  expect(f.emulator.requestLog.some((e) => e.errorType === 'ThrottlingException')).toBe(true);
}, 60_000);
