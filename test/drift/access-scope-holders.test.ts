/**
 * The access-scope report names the holders: when the users a hierarchy-restricted profile reaches change, the
 * sweep's "access scope changed" line says who entered and left, and who holds the profile (who has that access).
 * Real emulator over HTTP, real dynalite.
 */
import { UpdateUserHierarchyCommand } from '@aws-sdk/client-connect';
import { Harness, startHarness } from './harness';
import { checkAndRecord } from '../../lambda/reconciler';

let h: Harness;
afterAll(async () => h?.stop());

test('a user entering a restricted profile\'s scope is logged with the names of the profile\'s holders', async () => {
  // GIVEN a profile restricted to BPO-A, held by two supervisors, reaching one agent
  h = await startHarness();
  const { groupId: bpoA, otherGroupId: bpoB } = h;
  const record = await h.manage({ SecurityProfileName: 'BPO-A-Supervisor', HierarchyRestrictedResources: ['User'], AllowedAccessControlHierarchyGroupId: bpoA }, 'DETECT_ONLY');
  h.emulator.seedUser(h.instanceId, { username: 'sup-one', securityProfileIds: [record.securityProfileId], hierarchyGroupId: bpoB });
  h.emulator.seedUser(h.instanceId, { username: 'sup-two', securityProfileIds: [record.securityProfileId] });
  h.emulator.seedUser(h.instanceId, { username: 'agent-a', securityProfileIds: [], hierarchyGroupId: bpoA });
  const mover = h.emulator.seedUser(h.instanceId, { username: 'agent-b', securityProfileIds: [], hierarchyGroupId: bpoB }).id;
  await checkAndRecord(h.deps(), record, 'first');

  // WHEN agent-b moves into BPO-A and the next check runs
  await h.console.send(new UpdateUserHierarchyCommand({ InstanceId: h.instanceId, UserId: mover, HierarchyGroupId: bpoA }));
  await checkAndRecord(h.deps(), (await h.store.get(record.key))!, 'second');

  // THEN
  const [line] = h.logger.withMessage('access scope changed');
  expect(line).toMatchObject({ usersInScope: 2, entered: [{ id: mover, username: 'agent-b' }], holders: ['sup-one', 'sup-two'], holderCount: 2 });
});
