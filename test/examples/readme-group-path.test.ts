/**
 * The README's "Groups by path" example, exactly as written, deploys on a fresh Connect instance whose
 * hierarchy exists beforehand (made outside the app, here seeded in the emulator): the snippet is put into
 * the rosetta fixture, synthesized in a fresh process with the instance's ARN in the context, and deployed by
 * the local CloudFormation player (local/cloudformation/), which runs the bundled handler for the lookups and
 * the profile. Connect is read back, then the stack deleted. A control deploys the same snippet on an instance
 * that lacks a group of the path and expects the deploy to fail naming the level.
 */
import { DescribeSecurityProfileCommand, ListUserHierarchyGroupsCommand } from '@aws-sdk/client-connect';
import { GROUP_LOOKUP_RESOURCE_TYPE } from '../../src/private/contract';
import { readmeSnippet } from '../support/readme-snippets';
import { failures, SNIPPET_STACK, snippetDeployer } from '../support/snippet-deployer';

const STACK = SNIPPET_STACK;
const snippets = snippetDeployer('readme-group-path');

test('the README example finds the instance\'s groups by path and by name, restricts the profile to BPO-A, and deletes', async () => {
  // GIVEN a fresh instance with a hierarchy made outside the app
  const { instanceId, instanceArn } = snippets.aws.emulator.createInstance({ alias: 'readme-group-path' });
  const company = snippets.aws.emulator.seedHierarchyGroup(instanceId, 'Company');
  const bpoA = snippets.aws.emulator.seedHierarchyGroup(instanceId, 'BPO-A', company.id);
  snippets.aws.emulator.seedHierarchyGroup(instanceId, 'BPO-B', company.id);
  const sales = snippets.aws.emulator.seedHierarchyGroup(instanceId, 'Sales', company.id);

  // WHEN the README's snippet, unchanged, is synthesized and deployed
  const op = await snippets.deploy('found', readmeSnippet('Groups by path'), instanceArn);

  // THEN the lookups return the seeded groups and the profile is restricted to BPO-A's id
  expect(failures(op)).toEqual([]);
  expect(op.status).toBe('CREATE_COMPLETE');
  const lookups = new Map(snippets.player.resources(STACK).filter((r) => r.type === GROUP_LOOKUP_RESOURCE_TYPE)
    .map((r) => [JSON.stringify(r.properties.GroupPath ?? r.properties.GroupName), r.identity]));
  expect(lookups.get('["Company","BPO-A"]')).toMatchObject({ physicalId: bpoA.arn, attributes: { UserHierarchyGroupId: bpoA.id, Level: '2' } });
  expect(lookups.get('"Sales"')).toMatchObject({ physicalId: sales.arn, attributes: { UserHierarchyGroupArn: sales.arn } });
  const profile = snippets.player.resources(STACK).find((r) => r.type === 'Custom::ConnectSecurityProfile')!;
  const live = await snippets.aws.connect.send(new DescribeSecurityProfileCommand({
    InstanceId: instanceId, SecurityProfileId: String(profile.identity.attributes.SecurityProfileId),
  }));
  expect(live.SecurityProfile?.SecurityProfileName).toBe('BPO-A supervisors');
  expect(live.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBe(bpoA.id);
  expect(live.SecurityProfile?.HierarchyRestrictedResources).toEqual(['User']);

  // AND the stack deletes: the profile goes, the groups (not the stack's) stay
  const deleted = await snippets.player.destroy(STACK);
  expect(failures(deleted)).toEqual([]);
  expect(deleted.status).toBe('DELETE_COMPLETE');
  expect(snippets.aws.emulator.listSecurityProfilesIn(instanceId).map((p) => p.name)).not.toContain('BPO-A supervisors');
  const listed = await snippets.aws.connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId }));
  const groups = listed.UserHierarchyGroupSummaryList ?? [];
  expect(groups.map((g) => g.Name).sort()).toEqual(['BPO-A', 'BPO-B', 'Company', 'Sales']);
}, 120_000);

test('control: on an instance without BPO-A the deploy fails naming level 2 and the groups under Company', async () => {
  // GIVEN an instance whose Company has BPO-B and Sales, but no BPO-A
  const { instanceId, instanceArn } = snippets.aws.emulator.createInstance({ alias: 'readme-group-path-control' });
  const company = snippets.aws.emulator.seedHierarchyGroup(instanceId, 'Company');
  snippets.aws.emulator.seedHierarchyGroup(instanceId, 'BPO-B', company.id);
  snippets.aws.emulator.seedHierarchyGroup(instanceId, 'Sales', company.id);

  // WHEN
  const op = await snippets.deploy('missing', readmeSnippet('Groups by path'), instanceArn);

  // THEN
  expect(op.status).toBe('CREATE_FAILED');
  expect(failures(op).join('\n')).toContain(
    `look up hierarchy group ["Company","BPO-A"] in instance ${instanceId}: level 2 has no group named "BPO-A" under "Company"; `
    + 'the groups under "Company" are "BPO-B", "Sales". Fix the name in the path');
  expect(snippets.aws.emulator.listSecurityProfilesIn(instanceId).map((p) => p.name)).not.toContain('BPO-A supervisors');
  await snippets.player.destroy(STACK);
}, 120_000);
