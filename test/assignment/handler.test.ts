/**
 * The deploy-time handler of `Custom::ConnectSecurityProfileAssignment` against the emulator over HTTP (real
 * SDK) and dynalite (the record): holders selected by a user-attribute filter or by username, only the managed
 * profile moving, the rules checked before any write, the safety valve, AI agents, and Delete.
 */
import { UpdateUserHierarchyCommand, UpdateUserSecurityProfilesCommand } from '@aws-sdk/client-connect';
import {
  agentArn, agentProfilesOf, assignmentEvent, assignmentFixture, Instance, profilesOf, runAssignment, userWrites,
} from './fixture';
import { assignmentKey } from '../../lambda/assignment-store';
import { HierarchyGroupMatchType, UserAttributeFilter } from '../../src/search';

const f = assignmentFixture();

const inGroup = (group: string) => UserAttributeFilter.hierarchyGroupId(group, HierarchyGroupMatchType.WITH_CHILD_GROUPS).render();

function props(i: Instance, profile: string, extra: Record<string, unknown> = {}) {
  return { ContractVersion: '1', InstanceArn: i.instanceArn, SecurityProfileId: profile, ...extra };
}

describe('Create and Update with a user-attribute filter', () => {
  let i: Instance;
  let supervisor: string;
  let other: string;
  let ann: string; let bob: string; let cid: string; let dee: string; let eve: string;
  beforeAll(async () => {
    i = f.instance();
    supervisor = await i.profile('Supervisor');
    other = await i.profile('Reporting');
    ann = i.user('ann', [i.agentProfile, other], i.bpoA);
    bob = i.user('bob', [i.agentProfile], i.bpoA);
    cid = i.user('cid', [i.agentProfile], i.bpoB);
    // already held the profile before the assignment, outside the selection: not the assignment's to take
    dee = i.user('dee', [i.agentProfile, supervisor], i.bpoB);
    // holds only the managed profile (given by the assignment below once she is in BPO-A)
    eve = i.user('eve', [i.agentProfile], i.bpoA);
  });

  test('Create gives the profile to the selected users only, keeping every other profile they hold', async () => {
    // WHEN
    const res = await runAssignment(f.deps(), assignmentEvent('Create', props(i, supervisor, { UserAttributeFilter: inGroup(i.bpoA) })));

    // THEN
    expect(await profilesOf(f.sdk, i.instanceId, ann)).toEqual([i.agentProfile, other, supervisor].sort());
    expect(await profilesOf(f.sdk, i.instanceId, bob)).toEqual([i.agentProfile, supervisor].sort());
    expect(await profilesOf(f.sdk, i.instanceId, eve)).toEqual([i.agentProfile, supervisor].sort());
    expect(await profilesOf(f.sdk, i.instanceId, cid)).toEqual([i.agentProfile]);
    expect(await profilesOf(f.sdk, i.instanceId, dee)).toEqual([i.agentProfile, supervisor].sort());
    expect(res.PhysicalResourceId).toBe(`holders:${i.instanceId}/${supervisor}/SupervisorHolders1A2B3C4D`);
    expect(res.Data).toEqual({ UsersAssigned: '3', UsersSkipped: '0' });
    const record = await f.store.get(assignmentKey(i.instanceId, supervisor, 'SupervisorHolders1A2B3C4D'));
    expect(record?.added).toEqual([ann, bob, eve].sort());
  });

  test('Update after users moved: who left loses the profile, who arrived gains it, a holder the assignment did not add keeps it, and nobody is left without a profile', async () => {
    // GIVEN bob moves to BPO-B, cid to BPO-A; eve is left with the managed profile only and moves out
    await f.sdk.send(new UpdateUserHierarchyCommand({ InstanceId: i.instanceId, UserId: bob, HierarchyGroupId: i.bpoB }));
    await f.sdk.send(new UpdateUserHierarchyCommand({ InstanceId: i.instanceId, UserId: cid, HierarchyGroupId: i.bpoA }));
    await f.sdk.send(new UpdateUserSecurityProfilesCommand({ InstanceId: i.instanceId, UserId: eve, SecurityProfileIds: [supervisor] }));
    await f.sdk.send(new UpdateUserHierarchyCommand({ InstanceId: i.instanceId, UserId: eve, HierarchyGroupId: i.bpoB }));
    f.emulator.clearRequestLog();
    const deps = f.deps();

    // WHEN
    const res = await runAssignment(deps, assignmentEvent('Update', props(i, supervisor, { UserAttributeFilter: inGroup(i.bpoA) }),
      { physicalResourceId: `holders:${i.instanceId}/${supervisor}/SupervisorHolders1A2B3C4D` }));

    // THEN
    expect(await profilesOf(f.sdk, i.instanceId, bob)).toEqual([i.agentProfile]);
    expect(await profilesOf(f.sdk, i.instanceId, cid)).toEqual([i.agentProfile, supervisor].sort());
    expect(await profilesOf(f.sdk, i.instanceId, dee)).toEqual([i.agentProfile, supervisor].sort());
    expect(await profilesOf(f.sdk, i.instanceId, eve)).toEqual([supervisor]);
    expect(await profilesOf(f.sdk, i.instanceId, ann)).toEqual([i.agentProfile, other, supervisor].sort());
    // exactly two writes, each the user's own set plus or minus the managed profile
    expect(userWrites(f.emulator)).toEqual(expect.arrayContaining([
      { userId: bob, ids: [i.agentProfile] },
      { userId: cid, ids: [i.agentProfile, supervisor] },
    ]));
    expect(userWrites(f.emulator)).toHaveLength(2);
    expect(res.Data).toEqual({ UsersAssigned: '3', UsersSkipped: '1' });
    expect(deps.logger.text()).toMatch(/user \\"eve\\".*left the selection but holds no other security profile/);
    // eve stays recorded: a later run takes the profile once she has another
    expect((await f.store.get(assignmentKey(i.instanceId, supervisor, 'SupervisorHolders1A2B3C4D')))?.added).toEqual([ann, cid, eve].sort());
  });

  test('Delete takes the profile back from the holders the assignment gave it, never from others, never a last profile', async () => {
    // WHEN
    await runAssignment(f.deps(), assignmentEvent('Delete', props(i, supervisor),
      { physicalResourceId: `holders:${i.instanceId}/${supervisor}/SupervisorHolders1A2B3C4D` }));

    // THEN
    expect(await profilesOf(f.sdk, i.instanceId, ann)).toEqual([i.agentProfile, other].sort());
    expect(await profilesOf(f.sdk, i.instanceId, cid)).toEqual([i.agentProfile]);
    expect(await profilesOf(f.sdk, i.instanceId, dee)).toEqual([i.agentProfile, supervisor].sort());
    expect(await profilesOf(f.sdk, i.instanceId, eve)).toEqual([supervisor]);
    expect(await f.store.get(assignmentKey(i.instanceId, supervisor, 'SupervisorHolders1A2B3C4D'))).toBeUndefined();
  });

  test('a second Delete (a retry) succeeds and writes nothing', async () => {
    f.emulator.clearRequestLog();
    await runAssignment(f.deps(), assignmentEvent('Delete', props(i, supervisor),
      { physicalResourceId: `holders:${i.instanceId}/${supervisor}/SupervisorHolders1A2B3C4D` }));
    expect(userWrites(f.emulator)).toEqual([]);
  });
});

describe('rules checked before any write', () => {
  test('a user who would hold a third profile that enforces granular access control fails the deploy, naming the user, and nothing is written', async () => {
    // GIVEN a restricted managed profile, and a user who holds two restricted profiles already
    const i = f.instance();
    const restricted = { AllowedAccessControlTags: { Dept: 'A' }, TagRestrictedResources: ['User'] };
    const managed = await i.profile('Team lead', restricted);
    const r1 = await i.profile('Restricted 1', restricted);
    const r2 = await i.profile('Restricted 2', { HierarchyRestrictedResources: ['User'], AllowedAccessControlHierarchyGroupId: i.bpoA });
    const fine = i.user('fine', [i.agentProfile, r1], i.bpoA);
    i.user('full', [i.agentProfile, r1, r2], i.bpoA);
    f.emulator.clearRequestLog();

    // WHEN / THEN
    await expect(runAssignment(f.deps(), assignmentEvent('Create', props(i, managed, { UserAttributeFilter: inGroup(i.bpoA) }))))
      .rejects.toThrow(new RegExp(`assign security profile ${managed} in instance ${i.instanceId}: 1 user\\(s\\) cannot be given the profile: user "full" .*already holds 2 security profiles that enforce granular access control .*at most 2.*Nothing was written`));
    expect(userWrites(f.emulator)).toEqual([]);
    expect(await profilesOf(f.sdk, i.instanceId, fine)).toEqual([i.agentProfile, r1].sort());
  });

  test('an unrestricted managed profile goes to a user with two restricted profiles (the boundary)', async () => {
    const i = f.instance();
    const restricted = { AllowedAccessControlTags: { Dept: 'A' }, TagRestrictedResources: ['User'] };
    const managed = await i.profile('Plain');
    const r1 = await i.profile('Restricted 1', restricted);
    const r2 = await i.profile('Restricted 2', restricted);
    const full = i.user('full', [r1, r2], i.bpoA);
    await runAssignment(f.deps(), assignmentEvent('Create', props(i, managed, { UserAttributeFilter: inGroup(i.bpoA) })));
    expect(await profilesOf(f.sdk, i.instanceId, full)).toEqual([r1, r2, managed].sort());
  });

  test('the safety valve: more changes than maxChangesPerRun fail the deploy with the count and the property to raise; nothing is written; at the limit it passes', async () => {
    // GIVEN 11 users to add, with the default limit of 10
    const i = f.instance();
    const managed = await i.profile('Many');
    const users = Array.from({ length: 11 }, (_, n) => i.user(`user${n}`, [i.agentProfile], i.bpoB));
    f.emulator.clearRequestLog();

    // WHEN / THEN
    await expect(runAssignment(f.deps(), assignmentEvent('Create', props(i, managed, { UserAttributeFilter: inGroup(i.bpoB) }))))
      .rejects.toThrow(/needs 11 changes \(11 user\(s\) to add, 0 to remove.*more than maxChangesPerRun \(10\); nothing was written.*raise `maxChangesPerRun` on the SecurityProfileAssignment \(property MaxChangesPerRun\) to at least 11/);
    expect(userWrites(f.emulator)).toEqual([]);
    expect(await f.store.get(assignmentKey(i.instanceId, managed, 'SupervisorHolders1A2B3C4D'))).toBeUndefined();

    await runAssignment(f.deps(), assignmentEvent('Create', props(i, managed, { UserAttributeFilter: inGroup(i.bpoB), MaxChangesPerRun: '11' })));
    for (const user of users) expect(await profilesOf(f.sdk, i.instanceId, user)).toContain(managed);
  });

  test('an invalid property fails naming it', async () => {
    const i = f.instance();
    const managed = await i.profile('Bad');
    await expect(runAssignment(f.deps(), assignmentEvent('Create', props(i, managed, { MaxChangesPerRun: 'ten' }))))
      .rejects.toThrow(/invalid property MaxChangesPerRun: received "ten"; expected a whole number of at least 1\. Fix the property/);
    await expect(runAssignment(f.deps(), assignmentEvent('Create', props(i, managed, { UserAttributeFilter: { TagCondition: { TagKey: 'a', TagValue: 'b' }, AndCondition: {} } }))))
      .rejects.toThrow(/invalid property UserAttributeFilter/);
  });

  test('a profile that does not exist fails the deploy', async () => {
    const i = f.instance();
    await expect(runAssignment(f.deps(), assignmentEvent('Create', props(i, '00000000-0000-4000-8000-00000000beef', { Usernames: ['x'] }))))
      .rejects.toThrow(/security profile 00000000-0000-4000-8000-00000000beef was not found in instance/);
  });
});

describe('by username, and AI agents', () => {
  test('listed usernames get the profile (a missing one is logged), AI agents are associated, and an agent dropped from the list is disassociated', async () => {
    // GIVEN
    const i = f.instance();
    const managed = await i.profile('Named');
    const kim = i.user('kim', [i.agentProfile]);
    const lee = i.user('lee', [i.agentProfile]);
    i.user('kimberly', [i.agentProfile]);
    const deps = f.deps();
    f.emulator.clearRequestLog();

    // WHEN
    await runAssignment(deps, assignmentEvent('Create', props(i, managed, { Usernames: ['kim', 'lee', 'nobody'], AIAgentArns: [agentArn(1), agentArn(2)] })));

    // THEN
    expect(await profilesOf(f.sdk, i.instanceId, kim)).toContain(managed);
    expect(await profilesOf(f.sdk, i.instanceId, lee)).toContain(managed);
    expect(f.emulator.requestLog.filter((e) => e.operation === 'UpdateUserSecurityProfiles')).toHaveLength(2);
    expect(deps.logger.text()).toMatch(/usernames that match no user.*nobody/);
    expect(await agentProfilesOf(f.sdk, i.instanceId, agentArn(1))).toEqual([managed]);
    expect(await agentProfilesOf(f.sdk, i.instanceId, agentArn(2))).toEqual([managed]);

    // WHEN agent 2 and lee leave the declaration
    const physicalResourceId = `holders:${i.instanceId}/${managed}/SupervisorHolders1A2B3C4D`;
    await runAssignment(f.deps(), assignmentEvent('Update', props(i, managed, { Usernames: ['kim'], AIAgentArns: [agentArn(1)] }), { physicalResourceId }));

    // THEN
    expect(await profilesOf(f.sdk, i.instanceId, lee)).toEqual([i.agentProfile]);
    expect(await agentProfilesOf(f.sdk, i.instanceId, agentArn(2))).toEqual([]);
    expect(await agentProfilesOf(f.sdk, i.instanceId, agentArn(1))).toEqual([managed]);

    // WHEN deleted
    await runAssignment(f.deps(), assignmentEvent('Delete', {}, { physicalResourceId }));
    expect(await profilesOf(f.sdk, i.instanceId, kim)).toEqual([i.agentProfile]);
    expect(await agentProfilesOf(f.sdk, i.instanceId, agentArn(1))).toEqual([]);
  });
});
