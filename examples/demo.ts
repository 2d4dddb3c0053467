/**
 * `npm run demo`: the example app (examples/app.ts) synthesized, then deployed, drifted, repaired,
 * updated and deleted against a local Connect emulator and dynalite, by a local CloudFormation player
 * that runs the real bundled handler and reconciler from the synthesized assets in cdk.out. On the way it
 * shows the guardrail warnings of the synthesis (their text and ids), a hierarchy group made in the
 * console that the app finds by its path, and the supervisors' assignments: supervisors who join a BPO's group
 * or move between BPO groups keep their profiles while the assignments are detect-only, then gain and lose
 * them when the app switches the assignments to remediate.
 *
 * Each step prints what it did and checks the outcome independently (reading Connect back with the
 * SDK); the process exits non-zero at the first outcome that differs from what the step expects.
 * No AWS account is used: everything runs on loopback ports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CreateUserHierarchyGroupCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  ListSecurityProfilePermissionsCommand,
  ListUserHierarchyGroupsCommand,
  UpdateSecurityProfileCommand,
  UpdateUserHierarchyCommand,
  UpdateUserHierarchyStructureCommand,
} from '@aws-sdk/client-connect';
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { AGENT_PERMISSIONS, CONSOLE_GROUP_PATH, EXAMPLE_STACK_NAME, HIERARCHY_LEVELS, PROFILE_NAMES, SUPERVISOR_TAG } from './app';
import { type DemoStep, expectThat, runSteps, seconds, type StepOutput, style } from './demo-report';
import { startLocalAws, type LocalAws } from '../local/aws';
import { readAssembly, type AssemblyStack } from '../local/cloudformation/assembly';
import { CloudFormationPlayer, type DeployedResource, type StackOperation } from '../local/cloudformation/player';
import { differencesFromDeclared, readLiveProfile } from '../local/live-profile';
import { accessScopeLines, findReconciler, runSweepToCompletion, summarizeSweep, type SweepRun } from '../local/scheduled-sweep';
import { synthesizeInFreshProcess } from '../local/synth';
import { ASSIGNMENT_RESOURCE_TYPE } from '../src/private/assignment-contract';
import { GROUP_LOOKUP_ATTR, GROUP_LOOKUP_PROP, GROUP_LOOKUP_RESOURCE_TYPE, HANDLER_ENTRY, PROP, RESOURCE_TYPE } from '../src/private/contract';
import { GUARDRAIL } from '../src/private/guardrails';

const ROOT = join(__dirname, '..');
/** The permission an administrator adds in the console (drift), and the one the app adds later (update). */
const CONSOLE_ADDED_PERMISSION = 'Users.Edit';
const APP_ADDED_PERMISSION = 'AgentTimeCard.View';
/** Agents placed in each BPO's group after the deploy (users are not managed by the app). */
const SEEDED_AGENTS = { 'BPO-A': ['ana', 'ben', 'chloe'], 'BPO-B': ['dev', 'eli'], 'BPO-C': ['fay'] } as const;
/**
 * Supervisors (tagged role=supervisor): `uma` of BPO-C exists before the deploy (made with its group in the
 * console), `sam` joins BPO-A after it. `uma` is later moved to BPO-B.
 */
const CONSOLE_SUPERVISOR = { username: 'uma', bpo: 'BPO-C', movedTo: 'BPO-B' } as const;
const LATER_SUPERVISOR = { username: 'sam', bpo: 'BPO-A' } as const;
/** Where `sam` moves once the assignments remediate. */
const REMEDIATED_MOVE_TO = 'BPO-B';
/** Each BPO's supervisor profile. */
const SUPERVISORS = { 'BPO-A': PROFILE_NAMES.supervisorA, 'BPO-B': PROFILE_NAMES.supervisorB, 'BPO-C': PROFILE_NAMES.supervisorC } as const;
/** How many security profiles, and hierarchy groups of its own, the example app declares. */
const PROFILE_COUNT = Object.keys(PROFILE_NAMES).length;
const APP_GROUP_COUNT = 3;

interface DemoState {
  aws?: LocalAws;
  player?: CloudFormationPlayer;
  instanceId?: string;
  instanceArn?: string;
  workdir: string;
  stack?: AssemblyStack;
  defaultAgentProfileId?: string;
  seededUserIds: string[];
  /** The groups made in the console before the deploy, by name. */
  consoleGroups: Map<string, { id: string; arn: string }>;
  /** Every hierarchy group id by BPO name, once deployed. */
  bpoGroupIds: Map<string, string>;
  /** Seeded users' ids by username. */
  userIds: Map<string, string>;
}

async function main(): Promise<number> {
  // the SDK warns about Node.js 20 once per process; it says nothing about the demo
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const state: DemoState = { workdir: mkdtempSync(join(tmpdir(), 'connect-sp-demo-')), seededUserIds: [], consoleGroups: new Map(), bpoGroupIds: new Map(), userIds: new Map() };
  console.log(style.bold('cdk-connect-security-profiles demo'));
  console.log(style.dim('The example app (examples/app.ts) deployed, drifted, repaired, updated and deleted against a local'));
  console.log(style.dim('Connect emulator and dynalite, with the real bundled handler run from the synthesized cdk.out. No AWS account.'));

  const steps: DemoStep[] = [
    { title: 'Bundle the handler and start the local Connect emulator and dynalite', run: (out) => startServices(state, out) },
    { title: 'Create a Connect instance in the emulator', run: (out) => createInstance(state, out) },
    {
      title: `Build part of the hierarchy in the "console": levels ${HIERARCHY_LEVELS.join(' > ')}, group ${CONSOLE_GROUP_PATH.join(' > ')} and its supervisor ${CONSOLE_SUPERVISOR.username}`,
      run: (out) => consoleHierarchy(state, out),
    },
    { title: 'Synthesize the example app (fresh process, instance ARN from context)', run: (out) => synth(state, out, 'cdk.out.v1', {}) },
    { title: 'Read the guardrail warnings of the synthesis', run: (out) => guardrailWarnings(state, out) },
    { title: `Deploy the stack: create the hierarchy, find ${CONSOLE_GROUP_PATH.join(' > ')} by path, create every security profile`, run: (out) => deployCreate(state, out) },
    { title: `Edit ${PROFILE_NAMES.supervisorA} in the "console": remove its hierarchy restriction, add ${CONSOLE_ADDED_PERMISSION}`, run: (out) => consoleEdit(state, out) },
    { title: 'Run a drift sweep (the reconciler, invoked as its schedule would)', run: (out) => sweep(state, out) },
    {
      title: `Move ${CONSOLE_SUPERVISOR.username} from ${CONSOLE_SUPERVISOR.bpo} to ${CONSOLE_SUPERVISOR.movedTo} in the "console", run a sweep (the assignments are detect-only)`,
      run: (out) => moveSupervisorDetect(state, out),
    },
    {
      title: `Change the app: give ${PROFILE_NAMES.agent} ${APP_ADDED_PERMISSION}, switch the supervisors' assignments to remediate, synthesize again`,
      run: (out) => synth(state, out, 'cdk.out.v2', { agentExtraPermissions: APP_ADDED_PERMISSION, assignmentMode: 'remediate' }),
    },
    { title: 'Deploy the update: the assignments are reconciled, moved and new supervisors gain and lose profiles', run: (out) => deployUpdate(state, out) },
    {
      title: `Move ${LATER_SUPERVISOR.username} from ${LATER_SUPERVISOR.bpo} to ${REMEDIATED_MOVE_TO} in the "console", run a sweep (the assignments remediate)`,
      run: (out) => moveSupervisorRemediate(state, out),
    },
    { title: 'Delete the stack', run: (out) => deleteStack(state, out) },
  ];

  let result;
  try {
    result = await runSteps(steps);
  } finally {
    await state.player?.stop();
    await state.aws?.stop();
    rmSync(state.workdir, { recursive: true, force: true });
  }
  console.log('');
  if (result.failed) {
    console.log(style.red(style.bold(`demo FAILED at step "${result.failed.step}" (${result.passed}/${steps.length} steps passed, ${seconds(result.durationMs)})`)));
    return 1;
  }
  console.log(style.green(style.bold(`demo passed: ${result.passed}/${steps.length} steps as expected, in ${seconds(result.durationMs)}`)));
  return 0;
}

async function startServices(state: DemoState, out: StepOutput): Promise<void> {
  const t0 = performance.now();
  execFileSync('npx', ['projen', 'bundle:handler'], { cwd: ROOT, stdio: 'pipe' });
  out.ok(`handler bundled from lambda/ into assets/handler/index.js (${seconds(performance.now() - t0)})`);
  state.aws = await startLocalAws({ throttling: 'realistic' });
  out.ok(`Connect emulator at ${state.aws.emulator.endpoint} (realistic throttling: 2 requests/s, burst 5, per operation)`);
  out.ok(`dynalite (DynamoDB protocol) at ${state.aws.dynamodbEndpoint}`);
  state.player = new CloudFormationPlayer({
    services: { connect: state.aws.connect, dynamodb: state.aws.dynamodb, region: state.aws.region, accountId: state.aws.accountId, partition: 'aws' },
    functionEnvironment: state.aws.functionEnvironment,
  });
}

async function createInstance(state: DemoState, out: StepOutput): Promise<void> {
  const instance = state.aws!.emulator.createInstance({ alias: 'demo-contact-center' });
  state.instanceId = instance.instanceId;
  state.instanceArn = instance.instanceArn;
  state.defaultAgentProfileId = instance.defaultSecurityProfileIds.Agent;
  out.ok(`instance ${instance.instanceArn}`);
  out.detail(`default profiles: ${Object.keys(instance.defaultSecurityProfileIds).join(', ')}`);
}

/** What an administrator does in the console before the app exists: the levels, and BPO-C's group. */
async function consoleHierarchy(state: DemoState, out: StepOutput): Promise<void> {
  const connect = state.aws!.connect;
  const keys = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;
  await connect.send(new UpdateUserHierarchyStructureCommand({
    InstanceId: state.instanceId,
    HierarchyStructure: Object.fromEntries(HIERARCHY_LEVELS.map((name, i) => [keys[i], { Name: name }])),
  }));
  let parentId: string | undefined;
  for (const name of CONSOLE_GROUP_PATH) {
    const group = await connect.send(new CreateUserHierarchyGroupCommand({ InstanceId: state.instanceId, Name: name, ParentGroupId: parentId }));
    state.consoleGroups.set(name, { id: group.HierarchyGroupId!, arn: group.HierarchyGroupArn! });
    parentId = group.HierarchyGroupId;
  }
  out.ok(`UpdateUserHierarchyStructure and CreateUserHierarchyGroup sent with the SDK, as the console does: ${CONSOLE_GROUP_PATH.join(' > ')} `
    + `(BPO-C's group id ${parentId}); the app names it only by its path`);
  seedUser(state, CONSOLE_SUPERVISOR.username, parentId!, { [SUPERVISOR_TAG.key]: SUPERVISOR_TAG.value });
  out.ok(`user ${CONSOLE_SUPERVISOR.username} in ${CONSOLE_SUPERVISOR.bpo}, tagged ${SUPERVISOR_TAG.key}=${SUPERVISOR_TAG.value}, holding only the default Agent profile`);
}

/** Create a user in the emulator with the default Agent profile. */
function seedUser(state: DemoState, username: string, hierarchyGroupId: string, tags?: Record<string, string>): void {
  const user = state.aws!.emulator.seedUser(state.instanceId!, {
    username, securityProfileIds: [state.defaultAgentProfileId!], hierarchyGroupId, tags,
  });
  state.seededUserIds.push(user.id);
  state.userIds.set(username, user.id);
}

/** The names of the security profiles a user holds, sorted. */
async function heldProfiles(state: DemoState, username: string): Promise<string[]> {
  const out = await state.aws!.connect.send(new DescribeUserCommand({ InstanceId: state.instanceId, UserId: state.userIds.get(username) }));
  const names = new Map(profileResources(state)
    .map((p) => [String(p.identity.attributes.SecurityProfileId), String(p.properties[PROP.securityProfileName])]));
  names.set(state.defaultAgentProfileId!, 'Agent');
  return (out.User?.SecurityProfileIds ?? []).map((id) => names.get(id) ?? id).sort();
}

/** Check the profiles a user holds and say so. */
async function expectHolds(state: DemoState, out: StepOutput, username: string, expected: string[], why: string): Promise<void> {
  const held = await heldProfiles(state, username);
  expectThat(JSON.stringify(held) === JSON.stringify([...expected].sort()), `${username} holds ${held.join(', ')}, expected ${[...expected].sort().join(', ')}`);
  out.ok(`${username} holds ${held.join(' + ')}: ${why}`);
}

async function synth(state: DemoState, out: StepOutput, dir: string, extraContext: Record<string, unknown>): Promise<void> {
  const outdir = join(state.workdir, dir);
  const result = await synthesizeInFreshProcess({
    entry: join(__dirname, 'app.ts'),
    outdir,
    context: { instanceArn: state.instanceArn, ...extraContext },
  });
  const stack = readAssembly(outdir).find((s) => s.stackName === EXAMPLE_STACK_NAME);
  expectThat(stack !== undefined, `the assembly has no stack ${EXAMPLE_STACK_NAME}`);
  state.stack = stack;
  const counts = new Map<string, number>();
  for (const r of Object.values(stack.template.Resources)) {
    counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
  }
  out.ok(`synthesized ${EXAMPLE_STACK_NAME} in ${seconds(result.wallMs)} into ${dir}/: ${Object.keys(stack.template.Resources).length} resources`);
  out.detail([...counts.entries()].map(([t, n]) => `${n} × ${t}`).join(', '));
  expectThat(counts.get(RESOURCE_TYPE) === PROFILE_COUNT, `expected ${PROFILE_COUNT} ${RESOURCE_TYPE} resources, found ${counts.get(RESOURCE_TYPE) ?? 0}`);
  expectThat(counts.get('AWS::Connect::UserHierarchyGroup') === APP_GROUP_COUNT,
    `expected ${APP_GROUP_COUNT} hierarchy groups, found ${counts.get('AWS::Connect::UserHierarchyGroup') ?? 0}`);
  expectThat(counts.get(GROUP_LOOKUP_RESOURCE_TYPE) === 1, `expected 1 ${GROUP_LOOKUP_RESOURCE_TYPE}, found ${counts.get(GROUP_LOOKUP_RESOURCE_TYPE) ?? 0}`);
  const handlerFn = Object.values(stack.template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Handler === HANDLER_ENTRY.onEvent);
  expectThat(handlerFn !== undefined, `no function with handler ${HANDLER_ENTRY.onEvent} in the template`);
  const key = (handlerFn.Properties!.Code as { S3Key?: string }).S3Key ?? '';
  const assetDir = stack.assetDirsByObjectKey.get(key);
  expectThat(assetDir !== undefined, `the handler's code ${key} is not a file asset of the assembly`);
  out.detail(`handler code: ${relative(state.workdir, assetDir)}/index.js (the synthesized asset, not lambda/*.ts)`);
}

/**
 * The warnings the synthesis put in the assembly: each guardrail finding with its text and the id an app
 * acknowledges it with. The supervisors may view the agent hierarchy, a page hierarchy restriction does not cover.
 */
async function guardrailWarnings(state: DemoState, out: StepOutput): Promise<void> {
  const warnings = state.stack!.warnings;
  const notCovered = warnings.filter((w) => w.id === GUARDRAIL.hierarchyNotCovered);
  const supervisors = Object.values(SUPERVISORS);
  expectThat(notCovered.length === supervisors.length,
    `expected a ${GUARDRAIL.hierarchyNotCovered} warning on each of the ${supervisors.length} supervisor profiles, found ${notCovered.length}`);
  out.ok(`${warnings.length} warning(s) in the assembly; ${notCovered.length} with id ${style.bold(GUARDRAIL.hierarchyNotCovered)}, on:`);
  for (const w of notCovered) {
    out.detail(w.path);
  }
  out.info(`warning text: ${notCovered[0].message}`);
  out.detail(`an app that means it acknowledges it: Annotations.of(profile).acknowledgeWarning('${GUARDRAIL.hierarchyNotCovered}', '<reason>')`);
  const others = warnings.filter((w) => w.id !== GUARDRAIL.hierarchyNotCovered);
  expectThat(others.length === 0, `unexpected warnings: ${others.map((w) => `${w.path}: ${w.message}`).join('; ')}`);
}

async function deployCreate(state: DemoState, out: StepOutput): Promise<void> {
  const op = await state.player!.deploy(state.stack!);
  printOperation(out, op);
  expectThat(op.status === 'CREATE_COMPLETE', `stack status ${op.status}`);
  const profiles = profileResources(state);
  expectThat(profiles.length === PROFILE_COUNT, `expected ${PROFILE_COUNT} security profiles, found ${profiles.length}`);
  const groups = new Map(state.player!.resources(EXAMPLE_STACK_NAME)
    .filter((r) => r.type === 'AWS::Connect::UserHierarchyGroup')
    .map((r) => [String(r.properties.Name), r.identity.physicalId.split('/').pop()!]));
  const lookup = state.player!.resources(EXAMPLE_STACK_NAME).find((r) => r.type === GROUP_LOOKUP_RESOURCE_TYPE);
  const bpoC = state.consoleGroups.get('BPO-C')!;
  expectThat(lookup?.identity.attributes[GROUP_LOOKUP_ATTR.userHierarchyGroupId] === bpoC.id,
    `the lookup of ${JSON.stringify(CONSOLE_GROUP_PATH)} returned ${JSON.stringify(lookup?.identity.attributes)}, expected BPO-C's id ${bpoC.id}`);
  out.ok(`found by path ${JSON.stringify(lookup.properties[GROUP_LOOKUP_PROP.groupPath])}: ${bpoC.arn} (level ${lookup.identity.attributes[GROUP_LOOKUP_ATTR.level]})`);
  groups.set('BPO-C', bpoC.id);
  state.bpoGroupIds = groups;
  await checkProfilesMatchTemplate(state, out, profiles);
  for (const [bpo, name] of Object.entries(SUPERVISORS)) {
    const supervisor = profileNamed(profiles, name);
    expectThat(supervisor.properties[PROP.allowedAccessControlHierarchyGroupId] === groups.get(bpo), `${name} is not restricted to group ${bpo}`);
  }
  out.ok(Object.entries(SUPERVISORS).map(([bpo, name]) => `${name} reaches only group ${bpo} (${groups.get(bpo)})`).join(', '));
  const assignments = state.player!.resources(EXAMPLE_STACK_NAME).filter((r) => r.type === ASSIGNMENT_RESOURCE_TYPE);
  expectThat(assignments.length === Object.keys(SUPERVISORS).length, `expected ${Object.keys(SUPERVISORS).length} assignments, found ${assignments.length}`);
  await expectHolds(state, out, CONSOLE_SUPERVISOR.username, ['Agent', SUPERVISORS[CONSOLE_SUPERVISOR.bpo]],
    `the deploy gave ${SUPERVISORS[CONSOLE_SUPERVISOR.bpo]} to the ${CONSOLE_SUPERVISOR.bpo} users tagged ${SUPERVISOR_TAG.key}=${SUPERVISOR_TAG.value}`);
  for (const [bpo, usernames] of Object.entries(SEEDED_AGENTS)) {
    for (const username of usernames) {
      seedUser(state, username, groups.get(bpo)!);
    }
  }
  out.detail(`agents seeded in the emulator: ${Object.entries(SEEDED_AGENTS).map(([bpo, u]) => `${bpo}: ${u.join(', ')}`).join('; ')}`);
  seedUser(state, LATER_SUPERVISOR.username, groups.get(LATER_SUPERVISOR.bpo)!, { [SUPERVISOR_TAG.key]: SUPERVISOR_TAG.value });
  await expectHolds(state, out, LATER_SUPERVISOR.username, ['Agent'],
    `a ${LATER_SUPERVISOR.bpo} supervisor who joined after the deploy: nothing gives it to him until the assignment is reconciled`);
  const table = driftTable(state);
  if (table) {
    const records = await desiredStateRecords(state, table);
    const recorded = profiles.filter((p) => records.some((item) => item.includes(String(p.identity.attributes.SecurityProfileArn))));
    expectThat(recorded.length === PROFILE_COUNT, `expected the desired state of ${PROFILE_COUNT} profiles in the drift table, found ${recorded.length}`);
    out.ok(`desired state of the ${PROFILE_COUNT} profiles recorded in DynamoDB table ${table.identity.physicalId}`);
  }
}

async function consoleEdit(state: DemoState, out: StepOutput): Promise<void> {
  const profile = profileNamed(profileResources(state), PROFILE_NAMES.supervisorA);
  const profileId = String(profile.identity.attributes.SecurityProfileId);
  const connect = state.aws!.connect;
  const current = await connect.send(new ListSecurityProfilePermissionsCommand({ InstanceId: state.instanceId, SecurityProfileId: profileId }));
  await connect.send(new UpdateSecurityProfileCommand({
    InstanceId: state.instanceId,
    SecurityProfileId: profileId,
    HierarchyRestrictedResources: [],
    AllowedAccessControlHierarchyGroupId: '',
    Permissions: [...(current.Permissions ?? []), CONSOLE_ADDED_PERMISSION],
  }));
  const live = await readLiveProfile(connect, state.instanceId!, profileId);
  expectThat(live.AllowedAccessControlHierarchyGroupId === undefined && live.HierarchyRestrictedResources.length === 0,
    `the console edit did not remove the hierarchy restriction: ${JSON.stringify(live)}`);
  expectThat(live.Permissions.includes(CONSOLE_ADDED_PERMISSION), `the console edit did not add ${CONSOLE_ADDED_PERMISSION}`);
  out.ok(`UpdateSecurityProfile sent with the SDK, as the console does: ${PROFILE_NAMES.supervisorA} now reaches every user and can edit them`);
  const diffs = differencesFromDeclared(profile.properties, live);
  for (const d of diffs) {
    out.detail(`drift: ${d}`);
  }
  expectThat(diffs.length === 3, `expected drift in 3 fields, found ${diffs.length}`);
}

async function sweep(state: DemoState, out: StepOutput): Promise<void> {
  const reconciler = findReconciler(state.player!, EXAMPLE_STACK_NAME);
  expectThat(reconciler !== undefined, `the stack has no reconciler function (handler ${HANDLER_ENTRY.reconcile}): is drift reconciliation on?`);
  out.detail(`reconciler ${reconciler.function.logicalId}, event from ${reconciler.eventSource}`);
  const state0 = state.aws!.emulator.callCount();
  const sweepResult = await runSweepToCompletion(state.player!, EXAMPLE_STACK_NAME, reconciler);
  const calls = state.aws!.emulator.callCount() - state0;
  for (const line of summarizeSweep(sweepResult, profileNames(state))) {
    out.info(line);
  }
  expectThat(sweepResult.invocations.every((i) => i.ok), `the reconciler failed: ${sweepResult.invocations.find((i) => !i.ok)?.error?.errorMessage}`);
  const profiles = profileResources(state);
  const drifted = sweepResult.outcomes.filter((o) => o.driftFields.length > 0);
  const supervisorAArn = String(profileNamed(profiles, PROFILE_NAMES.supervisorA).identity.attributes.SecurityProfileArn);
  expectThat(drifted.length === 1 && drifted[0].securityProfileArn === supervisorAArn,
    `expected drift in ${PROFILE_NAMES.supervisorA} only, the sweep reported ${JSON.stringify(drifted.map((d) => d.securityProfileArn))}`);
  for (const field of ['Permissions', 'HierarchyRestrictedResources', 'AllowedAccessControlHierarchyGroupId']) {
    expectThat(drifted[0].driftFields.includes(field), `the sweep did not report drift in ${field} (reported ${drifted[0].driftFields.join(', ')})`);
  }
  out.ok(`the sweep checked ${sweepResult.outcomes.length} profiles with ${calls} Connect calls and found the drift in ${PROFILE_NAMES.supervisorA}`);
  await checkProfilesMatchTemplate(state, out, profiles);
  out.ok(`${PROFILE_NAMES.supervisorA} is restricted to BPO-A again and no longer has ${CONSOLE_ADDED_PERMISSION}`);
  const scopes = new Map(accessScopeLines(sweepResult).map((l) => [l.securityProfileName, l.usersInScope]));
  if (scopes.size > 0) {
    for (const [bpo, name] of Object.entries(SUPERVISORS) as Array<[keyof typeof SUPERVISORS, string]>) {
      const expected = usersIn(bpo);
      expectThat(scopes.get(name) === expected, `${name} reaches ${scopes.get(name)} users, expected ${expected} (its BPO's users)`);
    }
    out.ok(`access scope: each supervisor profile reaches its own BPO's users only (${Object.entries(SUPERVISORS)
      .map(([bpo, name]) => `${name}: ${usersIn(bpo as keyof typeof SUPERVISORS)}`).join(', ')})`);
  }
  expectAssignments(state, sweepResult, { [LATER_SUPERVISOR.bpo]: 'DRIFTED' });
  out.ok(`holders: ${LATER_SUPERVISOR.username} joined ${LATER_SUPERVISOR.bpo} after the deploy; the detect-only assignment reported it and changed nothing`);
  await expectHolds(state, out, LATER_SUPERVISOR.username, ['Agent'], 'as before the sweep');
}

/** Profile names by ARN and by id, for the sweep's lines. */
function profileNames(state: DemoState): Map<string, string> {
  return new Map(profileResources(state).flatMap((p) => {
    const name = String(p.properties[PROP.securityProfileName]);
    const { SecurityProfileArn: arn, SecurityProfileId: id } = p.identity.attributes;
    return [[String(arn), name], [String(id), name]] as Array<[string, string]>;
  }));
}

/** Each supervisor assignment's status in a sweep: IN_SYNC unless `expected` names another. */
function expectAssignments(state: DemoState, run: SweepRun, expected: Partial<Record<keyof typeof SUPERVISORS, string>>): void {
  const ids = profileNames(state);
  for (const [bpo, name] of Object.entries(SUPERVISORS) as Array<[keyof typeof SUPERVISORS, string]>) {
    const id = [...ids].find(([key, n]) => n === name && !key.startsWith('arn:'))?.[0];
    const found = run.assignments.filter((a) => a.securityProfileId === id);
    const want = expected[bpo] ?? 'IN_SYNC';
    expectThat(found.length === 1 && found[0].status === want,
      `the sweep reported the holders of ${name} as ${JSON.stringify(found.map((a) => `${a.status}${a.error ? ` (${a.error})` : ''}`))}, expected ${want}`);
  }
}

/** Run the stack's reconciler as its schedule would, print what it found, and return the run. */
async function runSweep(state: DemoState, out: StepOutput): Promise<SweepRun> {
  const reconciler = findReconciler(state.player!, EXAMPLE_STACK_NAME)!;
  const run = await runSweepToCompletion(state.player!, EXAMPLE_STACK_NAME, reconciler);
  expectThat(run.invocations.every((i) => i.ok), `the reconciler failed: ${run.invocations.find((i) => !i.ok)?.error?.errorMessage}`);
  for (const line of summarizeSweep(run, profileNames(state)).filter((l) => /holders of|assignment drift|invocation/.test(l))) {
    out.info(line);
  }
  return run;
}

/** Move a user to another BPO's group, as the console does. */
async function moveUser(state: DemoState, out: StepOutput, username: string, to: string): Promise<void> {
  await state.aws!.connect.send(new UpdateUserHierarchyCommand({
    InstanceId: state.instanceId, UserId: state.userIds.get(username), HierarchyGroupId: state.bpoGroupIds.get(to),
  }));
  out.ok(`UpdateUserHierarchy sent with the SDK, as the console does: ${username} is now in ${to}`);
}

/** The seeded users of a BPO's group at the sweep: its agents and its supervisors. */
function usersIn(bpo: keyof typeof SUPERVISORS): number {
  return SEEDED_AGENTS[bpo].length + [CONSOLE_SUPERVISOR, LATER_SUPERVISOR].filter((u) => u.bpo === bpo).length;
}

/** An administrator moves a supervisor to another BPO's group; the sweep of detect-only assignments reports it, changes nothing. */
async function moveSupervisorDetect(state: DemoState, out: StepOutput): Promise<void> {
  const { username, bpo, movedTo } = CONSOLE_SUPERVISOR;
  await moveUser(state, out, username, movedTo);
  const run = await runSweep(state, out);
  expectAssignments(state, run, { [bpo]: 'DRIFTED', [movedTo]: 'DRIFTED', [LATER_SUPERVISOR.bpo]: 'DRIFTED' });
  out.ok(`detect-only: the sweep reported ${username} should leave ${SUPERVISORS[bpo]} and join ${SUPERVISORS[movedTo]} (and ${LATER_SUPERVISOR.username} join ${SUPERVISORS[LATER_SUPERVISOR.bpo]}), and changed nothing`);
  await expectHolds(state, out, username, ['Agent', SUPERVISORS[bpo]], `still ${bpo}'s supervisor profile, not yet ${movedTo}'s`);
}

/** In remediate mode, a move between BPO groups is repaired by the next sweep. */
async function moveSupervisorRemediate(state: DemoState, out: StepOutput): Promise<void> {
  const { username, bpo } = LATER_SUPERVISOR;
  const to = REMEDIATED_MOVE_TO;
  await moveUser(state, out, username, to);
  const run = await runSweep(state, out);
  expectAssignments(state, run, { [bpo]: 'REMEDIATED', [to]: 'REMEDIATED' });
  const made = run.assignments.reduce(
    (n, a) => ({ assigned: n.assigned + a.assigned, unassigned: n.unassigned + a.unassigned }), { assigned: 0, unassigned: 0 });
  expectThat(made.assigned === 1 && made.unassigned === 1, `expected 1 user assigned and 1 unassigned, the sweep reports ${JSON.stringify(made)}`);
  await expectHolds(state, out, username, ['Agent', SUPERVISORS[to]], `remediate: the sweep gave ${SUPERVISORS[to]} and took ${SUPERVISORS[bpo]} back`);
  await expectHolds(state, out, CONSOLE_SUPERVISOR.username, ['Agent', SUPERVISORS[CONSOLE_SUPERVISOR.movedTo]], 'unchanged');
}

async function deployUpdate(state: DemoState, out: StepOutput): Promise<void> {
  const log0 = state.aws!.emulator.requestLog.length;
  const op = await state.player!.deploy(state.stack!);
  printOperation(out, op);
  expectThat(op.status === 'UPDATE_COMPLETE', `stack status ${op.status}`);
  const changed = op.operations.filter((o) => o.type === RESOURCE_TYPE);
  // the assignments' DriftMode changed too: their Updates reconcile the holders (checked below)
  expectThat(changed.length === 1 && changed[0].action === 'Update',
    `expected one Update of a security profile, got ${JSON.stringify(changed.map((c) => `${c.action} ${c.logicalId}`))}`);
  const calls = state.aws!.emulator.requestLog.slice(log0).map((e) => e.operation);
  const tally = [...new Set(calls)].map((c) => `${calls.filter((x) => x === c).length} ${c}`).join(', ');
  out.ok(`of the profiles only ${PROFILE_NAMES.agent} changed; with the assignments' reconciliation the handler sent ${tally}`);
  const profiles = profileResources(state);
  await checkProfilesMatchTemplate(state, out, profiles);
  const agent = profileNamed(profiles, PROFILE_NAMES.agent);
  const live = await readLiveProfile(state.aws!.connect, state.instanceId!, String(agent.identity.attributes.SecurityProfileId));
  expectThat(live.Permissions.includes(APP_ADDED_PERMISSION), `${PROFILE_NAMES.agent} lacks ${APP_ADDED_PERMISSION}`);
  expectThat(live.Permissions.length === AGENT_PERMISSIONS.length + 1, `${PROFILE_NAMES.agent} has ${live.Permissions.length} permissions, expected ${AGENT_PERMISSIONS.length + 1}`);
  out.ok(`${PROFILE_NAMES.agent} now has ${APP_ADDED_PERMISSION}`);
  const reconciled = op.operations.filter((o) => o.type === ASSIGNMENT_RESOURCE_TYPE && o.action === 'Update');
  expectThat(reconciled.length === Object.keys(SUPERVISORS).length, `expected ${Object.keys(SUPERVISORS).length} assignment updates, got ${reconciled.length}`);
  const { username, bpo, movedTo } = CONSOLE_SUPERVISOR;
  await expectHolds(state, out, username, ['Agent', SUPERVISORS[movedTo]], `moved from ${bpo} to ${movedTo}: gained ${SUPERVISORS[movedTo]}, lost ${SUPERVISORS[bpo]}`);
  await expectHolds(state, out, LATER_SUPERVISOR.username, ['Agent', SUPERVISORS[LATER_SUPERVISOR.bpo]], `gained ${SUPERVISORS[LATER_SUPERVISOR.bpo]}`);
  await expectHolds(state, out, SEEDED_AGENTS['BPO-A'][0], ['Agent'], 'agents (not tagged supervisor) are not touched');
}

async function deleteStack(state: DemoState, out: StepOutput): Promise<void> {
  const profiles = profileResources(state);
  const table = driftTable(state);
  // users are not part of the app; Connect refuses to delete a group that still holds users
  for (const userId of state.seededUserIds) {
    await state.aws!.connect.send(new DeleteUserCommand({ InstanceId: state.instanceId, UserId: userId }));
  }
  out.detail(`the ${state.seededUserIds.length} seeded users deleted first (a hierarchy group with users cannot be deleted)`);
  const op = await state.player!.destroy(EXAMPLE_STACK_NAME);
  printOperation(out, op);
  expectThat(op.status === 'DELETE_COMPLETE', `stack status ${op.status}`);
  const left = state.aws!.emulator.listSecurityProfilesIn(state.instanceId!).filter((p) => Object.values(PROFILE_NAMES).includes(p.name as never));
  expectThat(left.length === 0, `profiles left in Connect: ${left.map((p) => p.name).join(', ')}`);
  out.ok(`the ${PROFILE_COUNT} security profiles are gone from the instance (the 4 default profiles remain)`);
  const groups = await state.aws!.connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: state.instanceId }));
  const groupsLeft = (groups.UserHierarchyGroupSummaryList ?? []).map((g) => g.Name).sort();
  expectThat(JSON.stringify(groupsLeft) === JSON.stringify([...state.consoleGroups.keys()].sort()), `hierarchy groups left: ${JSON.stringify(groupsLeft)}`);
  out.ok(`the app's hierarchy groups are gone; ${CONSOLE_GROUP_PATH.join(' > ')}, made in the console and only found by the app, remain`);
  if (table?.template.DeletionPolicy === 'Retain') {
    const records = await desiredStateRecords(state, table);
    const leftRecords = profiles.filter((p) => records.some((item) => item.includes(String(p.identity.attributes.SecurityProfileArn))));
    expectThat(leftRecords.length === 0, `desired-state records left for ${leftRecords.map((p) => p.logicalId).join(', ')}`);
    out.ok(`no desired-state record left in ${table.identity.physicalId} (the table itself is retained, as its DeletionPolicy says)`);
  } else if (table) {
    out.ok(`the drift table ${table.identity.physicalId} is deleted`);
  }
}

/** Print each resource operation of a stack operation. */
function printOperation(out: StepOutput, op: StackOperation): void {
  for (const o of op.operations) {
    const mark = o.ok ? style.green('✔') : style.red('✘');
    const kind = o.kind === 'custom' ? 'handler' : o.kind === 'played' ? 'played' : 'recorded';
    const name = o.type === RESOURCE_TYPE ? ` "${o.event?.ResourceProperties[PROP.securityProfileName]}"`
      : o.type === GROUP_LOOKUP_RESOURCE_TYPE ? ` ${JSON.stringify(o.event?.ResourceProperties[GROUP_LOOKUP_PROP.groupPath] ?? o.event?.ResourceProperties[GROUP_LOOKUP_PROP.groupName])}` : '';
    const took = o.durationMs >= 50 ? ` ${style.dim(seconds(o.durationMs))}` : '';
    const line = `${mark} ${o.action.padEnd(6)} ${o.type}${name} ${style.dim(`${o.logicalId} (${kind})`)}${took}`;
    if (o.kind === 'recorded' && o.ok) {
      continue; // IAM, log groups, functions: nothing happens locally; summarized below
    }
    out.info(line);
    if (!o.ok) {
      out.info(`  ${style.red(o.reason ?? 'failed')}`);
      for (const l of (o.invocation?.logs ?? []).slice(-10)) {
        out.detail(`  ${l.trim()}`);
      }
    }
  }
  const recorded = op.operations.filter((o) => o.kind === 'recorded' && o.ok).length;
  if (recorded > 0) {
    out.detail(`${recorded} IAM, Lambda, log-group, schedule and rule resources recorded (no local effect)`);
  }
  out.info(`${op.status.endsWith('COMPLETE') ? style.green(op.status) : style.red(op.status)}`);
}

function profileResources(state: DemoState): DeployedResource[] {
  return state.player!.resources(EXAMPLE_STACK_NAME).filter((r) => r.type === RESOURCE_TYPE);
}

function profileNamed(profiles: DeployedResource[], name: string): DeployedResource {
  const found = profiles.find((p) => p.properties[PROP.securityProfileName] === name);
  expectThat(found !== undefined, `no deployed security profile named ${name}`);
  return found;
}

/** Read each profile back from Connect and compare with the template's properties. */
async function checkProfilesMatchTemplate(state: DemoState, out: StepOutput, profiles: DeployedResource[]): Promise<void> {
  for (const p of profiles) {
    const id = String(p.identity.attributes.SecurityProfileId);
    const live = await readLiveProfile(state.aws!.connect, state.instanceId!, id);
    const diffs = differencesFromDeclared(p.properties, live);
    expectThat(diffs.length === 0, `${live.SecurityProfileName} differs from the template: ${diffs.join('; ')}`);
  }
  out.ok(`read back from Connect: the ${profiles.length} live profiles match the template field by field`);
}

/** The stack's drift table, when drift reconciliation is on. */
function driftTable(state: DemoState): DeployedResource | undefined {
  return state.player!.resources(EXAMPLE_STACK_NAME).find((r) => r.type === 'AWS::DynamoDB::Table' || r.type === 'AWS::DynamoDB::GlobalTable');
}

/** Every item of the drift table, as JSON. */
async function desiredStateRecords(state: DemoState, table: DeployedResource): Promise<string[]> {
  const items: string[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await state.aws!.dynamodb.send(new ScanCommand({ TableName: table.identity.physicalId, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((i) => JSON.stringify(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

void main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
