/**
 * The README's "Groups by path" example, exactly as written, deploys on a fresh Connect instance whose
 * hierarchy exists beforehand (made outside the app, here seeded in the emulator): the snippet is put into
 * the rosetta fixture, synthesized in a fresh process with the instance's ARN in the context, and deployed by
 * the local CloudFormation player (examples/cfn-player/), which runs the bundled handler for the lookups and
 * the profile. Connect is read back, then the stack deleted. A control deploys the same snippet on an instance
 * that lacks a group of the path and expects the deploy to fail naming the level.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribeSecurityProfileCommand, ListUserHierarchyGroupsCommand } from '@aws-sdk/client-connect';
import { readAssembly } from '../../examples/cfn-player/assembly';
import { CloudFormationPlayer, type StackOperation } from '../../examples/cfn-player/player';
import { type LocalAws, startLocalAws } from '../../examples/local-aws';
import { synthesizeInFreshProcess } from '../../examples/synth';
import { GROUP_LOOKUP_RESOURCE_TYPE } from '../../src/private/contract';
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
  workdir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'readme-group-path-'));
});

afterAll(async () => {
  await player?.stop();
  await aws?.stop();
  if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
});

async function synthAndDeploy(name: string, instanceArn: string): Promise<StackOperation> {
  const entry = path.join(workdir, `${name}.ts`);
  fs.writeFileSync(entry, appFromSnippet(readmeSnippet('Groups by path')));
  const outdir = path.join(workdir, `${name}.out`);
  await synthesizeInFreshProcess({ entry, outdir, context: { instanceArn } });
  const stack = readAssembly(outdir).find((s) => s.stackName === STACK);
  if (!stack) throw new Error(`${STACK} is not in the synthesized assembly`);
  return player.deploy(stack);
}

const failures = (op: StackOperation) => op.operations.filter((o) => !o.ok).map((o) => `${o.logicalId}: ${o.reason}`);

test('the README example finds the instance\'s groups by path and by name, restricts the profile to BPO-A, and deletes', async () => {
  // GIVEN a fresh instance with a hierarchy made outside the app
  const { instanceId, instanceArn } = aws.emulator.createInstance({ alias: 'readme-group-path' });
  const company = aws.emulator.seedHierarchyGroup(instanceId, 'Company');
  const bpoA = aws.emulator.seedHierarchyGroup(instanceId, 'BPO-A', company.id);
  aws.emulator.seedHierarchyGroup(instanceId, 'BPO-B', company.id);
  const sales = aws.emulator.seedHierarchyGroup(instanceId, 'Sales', company.id);

  // WHEN the README's snippet, unchanged, is synthesized and deployed
  const op = await synthAndDeploy('found', instanceArn);

  // THEN the lookups return the seeded groups and the profile is restricted to BPO-A's id
  expect(failures(op)).toEqual([]);
  expect(op.status).toBe('CREATE_COMPLETE');
  const lookups = new Map(player.resources(STACK).filter((r) => r.type === GROUP_LOOKUP_RESOURCE_TYPE)
    .map((r) => [JSON.stringify(r.properties.GroupPath ?? r.properties.GroupName), r.identity]));
  expect(lookups.get('["Company","BPO-A"]')).toMatchObject({ physicalId: bpoA.arn, attributes: { UserHierarchyGroupId: bpoA.id, Level: '2' } });
  expect(lookups.get('"Sales"')).toMatchObject({ physicalId: sales.arn, attributes: { UserHierarchyGroupArn: sales.arn } });
  const profile = player.resources(STACK).find((r) => r.type === 'Custom::ConnectSecurityProfile')!;
  const live = await aws.connect.send(new DescribeSecurityProfileCommand({
    InstanceId: instanceId, SecurityProfileId: String(profile.identity.attributes.SecurityProfileId),
  }));
  expect(live.SecurityProfile?.SecurityProfileName).toBe('BPO-A supervisors');
  expect(live.SecurityProfile?.AllowedAccessControlHierarchyGroupId).toBe(bpoA.id);
  expect(live.SecurityProfile?.HierarchyRestrictedResources).toEqual(['User']);

  // AND the stack deletes: the profile goes, the groups (not the stack's) stay
  const deleted = await player.destroy(STACK);
  expect(failures(deleted)).toEqual([]);
  expect(deleted.status).toBe('DELETE_COMPLETE');
  expect(aws.emulator.listSecurityProfilesIn(instanceId).map((p) => p.name)).not.toContain('BPO-A supervisors');
  const groups = (await aws.connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId }))).UserHierarchyGroupSummaryList ?? [];
  expect(groups.map((g) => g.Name).sort()).toEqual(['BPO-A', 'BPO-B', 'Company', 'Sales']);
}, 120_000);

test('control: on an instance without BPO-A the deploy fails naming level 2 and the groups under Company', async () => {
  // GIVEN an instance whose Company has BPO-B and Sales, but no BPO-A
  const { instanceId, instanceArn } = aws.emulator.createInstance({ alias: 'readme-group-path-control' });
  const company = aws.emulator.seedHierarchyGroup(instanceId, 'Company');
  aws.emulator.seedHierarchyGroup(instanceId, 'BPO-B', company.id);
  aws.emulator.seedHierarchyGroup(instanceId, 'Sales', company.id);

  // WHEN
  const op = await synthAndDeploy('missing', instanceArn);

  // THEN
  expect(op.status).toBe('CREATE_FAILED');
  expect(failures(op).join('\n')).toContain(
    `look up hierarchy group ["Company","BPO-A"] in instance ${instanceId}: level 2 has no group named "BPO-A" under "Company"; `
    + 'the groups under "Company" are "BPO-B", "Sales". Fix the name in the path');
  expect(aws.emulator.listSecurityProfilesIn(instanceId).map((p) => p.name)).not.toContain('BPO-A supervisors');
  await player.destroy(STACK);
}, 120_000);
