/**
 * The BUNDLED handler and reconciler (assets/handler/index.js, `npx projen bundle:handler`) in a separate node
 * process with only what a Lambda environment gives: an assignment created through `index.onEvent` gives the
 * selected users the profile, and after users move, `index.reconcile` (the scheduled sweep) repairs the holders.
 */
import { UpdateUserHierarchyCommand } from '@aws-sdk/client-connect';
import { assignmentEvent, assignmentFixture, profilesOf } from './fixture';
import { ENV } from '../../src/private/contract';
import { HierarchyGroupMatchType, UserAttributeFilter } from '../../src/search';
import { bundleEnv, requireBundle, runBundle } from '../support/bundle-process';

const f = assignmentFixture();

beforeAll(requireBundle);

const runSteps = (steps: Array<[string, unknown]>) => runBundle(bundleEnv(
  { connectEndpoint: f.emulator.endpoint, dynamoEndpoint: f.dynalite.endpoint, tableName: f.tableName, serviceName: 'HoldersTest' },
  { [ENV.ownerStackName]: 'HoldersTest' },
), steps);

test('the bundle serves an assignment at deploy and its reconciler repairs the holders after users move', async () => {
  // GIVEN
  const i = f.instance();
  const profile = await i.profile('Supervisor');
  const ann = i.user('ann', [i.agentProfile], i.bpoA);
  const bob = i.user('bob', [i.agentProfile], i.bpoB);
  const create = assignmentEvent('Create', {
    InstanceArn: i.instanceArn,
    SecurityProfileId: profile,
    UserAttributeFilter: UserAttributeFilter.hierarchyGroupId(i.bpoA, HierarchyGroupMatchType.WITH_CHILD_GROUPS).render(),
    DriftMode: 'REMEDIATE',
  });

  // WHEN
  const first = await runSteps([['onEvent', create]]);

  // THEN
  expect(first.outcomes[0].error).toBeUndefined();
  expect(first.outcomes[0].ok).toMatchObject({ Data: { UsersAssigned: '1', UsersSkipped: '0' } });
  expect(await profilesOf(f.sdk, i.instanceId, ann)).toEqual([i.agentProfile, profile].sort());

  // WHEN the users swap groups and the schedule fires
  await f.sdk.send(new UpdateUserHierarchyCommand({ InstanceId: i.instanceId, UserId: ann, HierarchyGroupId: i.bpoB }));
  await f.sdk.send(new UpdateUserHierarchyCommand({ InstanceId: i.instanceId, UserId: bob, HierarchyGroupId: i.bpoA }));
  const second = await runSteps([['reconcile', { source: 'cdk-connect-security-profiles.sweep' }]]);

  // THEN
  expect(second.outcomes[0].error).toBeUndefined();
  expect(second.outcomes[0].ok.assignments.outcomes).toEqual([expect.objectContaining({ status: 'REMEDIATED', assigned: 1, unassigned: 1 })]);
  expect(await profilesOf(f.sdk, i.instanceId, ann)).toEqual([i.agentProfile]);
  expect(await profilesOf(f.sdk, i.instanceId, bob)).toEqual([i.agentProfile, profile].sort());
  // the metrics reach stdout as EMF, with the profile's dimension
  expect(second.stdout).toMatch(new RegExp(`"SecurityProfileId":"${profile}".*"UsersAssigned":1`));
});
