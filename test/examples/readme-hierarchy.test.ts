/**
 * The README's hierarchy example, exactly as written, deploys on a FRESH Connect instance (no hierarchy
 * levels yet): the first TypeScript block of README "Hierarchy-based access control" is put into the
 * rosetta fixture (rosetta/default.ts-fixture, as jsii-rosetta does: imports above, code at `/// here`),
 * synthesized in a fresh process with a new emulator instance's ARN in the context, and deployed by the
 * local CloudFormation player (examples/cfn-player/) with the bundled handler. Then Connect is read back
 * and the stack deleted. A control runs the README's former example (groups without levels) and expects
 * the failure a fresh instance gives it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DescribeSecurityProfileCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListUserHierarchyGroupsCommand,
} from '@aws-sdk/client-connect';
import { readAssembly } from '../../examples/cfn-player/assembly';
import { CloudFormationPlayer, type StackOperation } from '../../examples/cfn-player/player';
import { type LocalAws, startLocalAws } from '../../examples/local-aws';
import { synthesizeInFreshProcess } from '../../examples/synth';
import { appFromSnippet, readmeSnippet } from '../support/readme-snippets';

const ROOT = path.join(__dirname, '..', '..');
const STACK = 'ReadmeSnippet';

let aws: LocalAws;
let player: CloudFormationPlayer;
let workdir: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'assets', 'handler', 'index.js'))) {
    throw new Error('assets/handler/index.js is missing: run `npx projen bundle:handler` (the build runs it before the tests)');
  }
  aws = await startLocalAws();
  player = new CloudFormationPlayer({
    services: { connect: aws.connect, dynamodb: aws.dynamodb, region: aws.region, accountId: aws.accountId, partition: 'aws' },
    functionEnvironment: aws.functionEnvironment,
  });
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  workdir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'readme-hierarchy-'));
});

afterAll(async () => {
  await player?.stop();
  await aws?.stop();
  if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
});

async function synthAndDeploy(name: string, snippet: string, instanceArn: string): Promise<StackOperation> {
  const entry = path.join(workdir, `${name}.ts`);
  fs.writeFileSync(entry, appFromSnippet(snippet));
  const outdir = path.join(workdir, `${name}.out`);
  await synthesizeInFreshProcess({ entry, outdir, context: { instanceArn } });
  const stack = readAssembly(outdir).find((s) => s.stackName === STACK);
  if (!stack) throw new Error(`${STACK} is not in the synthesized assembly`);
  return player.deploy(stack);
}

const failures = (op: StackOperation) => op.operations.filter((o) => !o.ok).map((o) => `${o.logicalId}: ${o.reason}`);

test('the README hierarchy example deploys on a fresh instance, and deletes', async () => {
  // GIVEN a new instance: no hierarchy levels, no groups
  const { instanceId, instanceArn } = aws.emulator.createInstance({ alias: 'readme-hierarchy' });
  const before = await aws.connect.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
  expect(before.HierarchyStructure?.LevelOne).toBeUndefined();

  // WHEN the README's snippet, unchanged, is synthesized and deployed
  const snippet = readmeSnippet('Hierarchy-based access control');
  expect(snippet).toContain('new UserHierarchyStructure(');
  const op = await synthAndDeploy('readme', snippet, instanceArn);

  // THEN every resource is created
  expect(failures(op)).toEqual([]);
  expect(op.status).toBe('CREATE_COMPLETE');

  const structure = await aws.connect.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instanceId }));
  expect([structure.HierarchyStructure?.LevelOne?.Name, structure.HierarchyStructure?.LevelTwo?.Name, structure.HierarchyStructure?.LevelThree?.Name])
    .toEqual(['Site', 'Client', 'Team']);
  const groups = (await aws.connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId }))).UserHierarchyGroupSummaryList ?? [];
  const byName = new Map(groups.map((g) => [g.Name!, g.Id!]));
  expect([...byName.keys()].sort()).toEqual(['Client A', 'Lisbon', 'Team 1']);
  const team = await aws.connect.send(new DescribeUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: byName.get('Team 1') }));
  expect(team.HierarchyGroup?.HierarchyPath?.LevelTwo?.Name).toBe('Client A');
  expect(team.HierarchyGroup?.LevelId).toBe('3');

  const profiles = new Map(player.resources(STACK)
    .filter((r) => r.type === 'Custom::ConnectSecurityProfile')
    .map((r) => [String(r.properties.SecurityProfileName), String(r.identity.attributes.SecurityProfileId)]));
  expect([...profiles.keys()].sort()).toEqual(['Client A supervisors', 'Team leads']);
  const supervisors = await aws.connect.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profiles.get('Client A supervisors') }));
  expect(supervisors.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBe(byName.get('Client A'));
  expect(supervisors.SecurityProfile?.HierarchyRestrictedResources).toEqual(['User']);
  const leads = await aws.connect.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profiles.get('Team leads') }));
  expect(leads.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBeFalsy();
  expect(leads.SecurityProfile?.HierarchyRestrictedResources).toEqual(['User']);

  // AND the stack deletes: groups before the levels, profiles gone
  const deleted = await player.destroy(STACK);
  expect(failures(deleted)).toEqual([]);
  expect(deleted.status).toBe('DELETE_COMPLETE');
  expect((await aws.connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId }))).UserHierarchyGroupSummaryList ?? []).toEqual([]);
  const left = aws.emulator.listSecurityProfilesIn(instanceId).map((p) => p.name);
  expect(left).not.toContain('Client A supervisors');
  expect(left).not.toContain('Team leads');
}, 120_000);

test('control: groups without levels (the README example before UserHierarchyStructure) fail on a fresh instance', async () => {
  const { instanceArn } = aws.emulator.createInstance({ alias: 'readme-hierarchy-control' });
  const withoutLevels = [
    "import { UserHierarchyGroup } from 'cdk-connect-security-profiles';",
    "const lisbon = new UserHierarchyGroup(stack, 'Lisbon', { instance, userHierarchyGroupName: 'Lisbon' });",
    "new UserHierarchyGroup(stack, 'ClientA', { instance, userHierarchyGroupName: 'Client A', parentGroup: lisbon });",
  ].join('\n') + '\n';
  const op = await synthAndDeploy('control', withoutLevels, instanceArn);
  expect(op.status).toBe('CREATE_FAILED');
  expect(failures(op).join('\n')).toMatch(/hierarchy level 1 \(LevelOne\) is not defined .*define it with UpdateUserHierarchyStructure first/);
  await player.destroy(STACK);
}, 120_000);
