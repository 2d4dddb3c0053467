/**
 * The README's hierarchy example, exactly as written, deploys on a FRESH Connect instance (no hierarchy
 * levels yet): the first TypeScript block of README "Hierarchy-based access control" is put into the
 * rosetta fixture (rosetta/default.ts-fixture, as jsii-rosetta does: imports above, code at `/// here`),
 * synthesized in a fresh process with a new emulator instance's ARN in the context, and deployed by the
 * local CloudFormation player (local/cloudformation/) with the bundled handler. Then Connect is read back
 * and the stack deleted. A control runs the README's former example (groups without levels) and expects
 * the failure a fresh instance gives it.
 */
import {
  DescribeSecurityProfileCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListUserHierarchyGroupsCommand,
} from '@aws-sdk/client-connect';
import { readmeSnippet } from '../support/readme-snippets';
import { failures, SNIPPET_STACK, snippetDeployer } from '../support/snippet-deployer';

const STACK = SNIPPET_STACK;
const snippets = snippetDeployer('readme-hierarchy');

test('the README hierarchy example deploys on a fresh instance, and deletes', async () => {
  // GIVEN a new instance: no hierarchy levels, no groups
  const { instanceId, instanceArn } = snippets.aws.emulator.createInstance({ alias: 'readme-hierarchy' });
  const before = await snippets.aws.connect.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
  expect(before.HierarchyStructure?.LevelOne).toBeUndefined();

  // WHEN the README's snippet, unchanged, is synthesized and deployed
  const snippet = readmeSnippet('Hierarchy-based access control');
  expect(snippet).toContain('new UserHierarchyStructure(');
  const op = await snippets.deploy('readme', snippet, instanceArn);

  // THEN every resource is created
  expect(failures(op)).toEqual([]);
  expect(op.status).toBe('CREATE_COMPLETE');

  const structure = await snippets.aws.connect.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
  expect([structure.HierarchyStructure?.LevelOne?.Name, structure.HierarchyStructure?.LevelTwo?.Name, structure.HierarchyStructure?.LevelThree?.Name])
    .toEqual(['Site', 'Client', 'Team']);
  const listed = await snippets.aws.connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId }));
  const groups = listed.UserHierarchyGroupSummaryList ?? [];
  const byName = new Map(groups.map((g) => [g.Name!, g.Id!]));
  expect([...byName.keys()].sort()).toEqual(['Client A', 'Lisbon', 'Team 1']);
  const team = await snippets.aws.connect.send(new DescribeUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: byName.get('Team 1') }));
  expect(team.HierarchyGroup?.HierarchyPath?.LevelTwo?.Name).toBe('Client A');
  expect(team.HierarchyGroup?.LevelId).toBe('3');

  const profiles = new Map(snippets.player.resources(STACK)
    .filter((r) => r.type === 'Custom::ConnectSecurityProfile')
    .map((r) => [String(r.properties.SecurityProfileName), String(r.identity.attributes.SecurityProfileId)]));
  expect([...profiles.keys()].sort()).toEqual(['Client A supervisors', 'Team leads']);
  const supervisors = await snippets.aws.connect.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profiles.get('Client A supervisors') }));
  expect(supervisors.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBe(byName.get('Client A'));
  expect(supervisors.SecurityProfile?.HierarchyRestrictedResources).toEqual(['User']);
  const leads = await snippets.aws.connect.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profiles.get('Team leads') }));
  expect(leads.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBeFalsy();
  expect(leads.SecurityProfile?.HierarchyRestrictedResources).toEqual(['User']);

  // AND the stack deletes: groups before the levels, profiles gone
  const deleted = await snippets.player.destroy(STACK);
  expect(failures(deleted)).toEqual([]);
  expect(deleted.status).toBe('DELETE_COMPLETE');
  const groupsLeft = await snippets.aws.connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId }));
  expect(groupsLeft.UserHierarchyGroupSummaryList ?? []).toEqual([]);
  const left = snippets.aws.emulator.listSecurityProfilesIn(instanceId).map((p) => p.name);
  expect(left).not.toContain('Client A supervisors');
  expect(left).not.toContain('Team leads');
}, 120_000);

test('control: groups without levels (the README example before UserHierarchyStructure) fail on a fresh instance', async () => {
  const { instanceArn } = snippets.aws.emulator.createInstance({ alias: 'readme-hierarchy-control' });
  const withoutLevels = [
    "import { UserHierarchyGroup } from 'cdk-connect-security-profiles';",
    "const lisbon = new UserHierarchyGroup(stack, 'Lisbon', { instance, userHierarchyGroupName: 'Lisbon' });",
    "new UserHierarchyGroup(stack, 'ClientA', { instance, userHierarchyGroupName: 'Client A', parentGroup: lisbon });",
  ].join('\n') + '\n';
  const op = await snippets.deploy('control', withoutLevels, instanceArn);
  expect(op.status).toBe('CREATE_FAILED');
  expect(failures(op).join('\n')).toMatch(/hierarchy level 1 \(LevelOne\) is not defined .*define it with UpdateUserHierarchyStructure first/);
  await snippets.player.destroy(STACK);
}, 120_000);
