/**
 * Deploys at scale: every event in an execution environment of its own (a fresh module instance of the
 * BUNDLED handler, with its own process-wide rate limiter and SDK client, in real child processes), all
 * released at once as CloudFormation may start independent custom resources, under the emulator's
 * `realistic` throttling (per account: instances share it) while another tool spends the same quotas.
 * Every event must succeed the first time: a single failure rolls the stack back.
 * - a stack of 96 profiles on one instance (Connect's 100-profile quota less its 4 default profiles):
 *   its first deploy, an Update that changes every profile, and its Delete;
 * - a stack of 300 profiles over three instances (quota raised to 104 each), first deploy.
 *
 * SCALED QUOTAS, to fit CI on 2 cores: every rate of the emulator and of the handler's buckets is
 * multiplied by SCALE (bursts unchanged), the Lambda timeout and the longest retry wait divided by it.
 * The shortest retry wait (500 ms) has no setting and stays, so a retry waits longer relative to the
 * quota than in AWS: harder to finish in time, not easier. `npm run bench` runs the same scenarios at
 * Connect's real rates (BENCHMARKS.md).
 *
 * The environments are loaded once (about 100 ms of CPU each) and reused by every round, as Lambda
 * reuses warm containers; they are packed ten to a process (memory), which changes nothing a handler sees.
 */
import { DescribeSecurityProfileCommand, ListSecurityProfilePermissionsCommand, ListSecurityProfilesCommand } from '@aws-sdk/client-connect';
import { DEFAULT_RETRY_MAX_DELAY_MS } from '../../lambda/connect-api';
import { ownerMark } from '../../lambda/owner';
import { ConnectEmulator, connectClientFor, startConnectEmulator } from '../../local/connect-emulator';
import { HandlerEnvironments, startHandlerEnvironments } from '../../local/scale/concurrent-handlers';
import {
  createEvents, deleteEvents, describeRound, measureRound, profileProperties, RoundResult, SCALE_STACK_ID, scaledHandlerSettings,
  scaledRealisticRules, StackProfile, stackProfiles, updateEvents,
} from '../../local/scale/scenarios';
import { ENV, OWNER_TAG_KEY } from '../../src/private/contract';

/** Rates × SCALE, timeouts ÷ SCALE (see the module doc). */
const SCALE = 5;
/** The other tool's rounds of work per second at Connect's rates (× SCALE here): a quarter of a 2/s quota. */
const COMPETITOR_RATE = 0.5;
const ENVIRONMENTS = 300;

let emulator: ConnectEmulator;
let environments: HandlerEnvironments;
let otherInstanceId: string;

beforeAll(async () => {
  emulator = await startConnectEmulator({ throttling: scaledRealisticRules(SCALE) });
  otherInstanceId = emulator.createInstance({ alias: 'other-tool', securityProfileQuota: 10_000 }).instanceId;
  const settings = scaledHandlerSettings(SCALE);
  environments = await startHandlerEnvironments({
    endpoint: emulator.endpoint,
    region: emulator.region,
    environments: ENVIRONMENTS,
    processes: ENVIRONMENTS / 10,
    env: { ...settings.env, [ENV.retryMaxDelayMs]: String(DEFAULT_RETRY_MAX_DELAY_MS / SCALE) },
    timeoutMs: settings.timeoutMs,
  });
  process.stdout.write(`${ENVIRONMENTS} execution environments loaded in ${(environments.loadMs / 1000).toFixed(1)} s\n`);
}, 3 * 60 * 1000);

afterAll(async () => {
  environments?.stop();
  await emulator?.stop();
});

const competitor = (workload: 'create-delete' | 'update') => ({ instanceId: otherInstanceId, ratePerSecond: COMPETITOR_RATE, workload });

/** Every event succeeded, the quota was contended, and the other tool was really sending (its share is reported by the benchmark, not required: many retrying handlers take most tokens). */
function expectAllSucceeded(round: RoundResult, contended: string): void {
  expect(round.run.failures.map((f) => `${f.index}: ${f.error}`)).toEqual([]);
  expect(round.competitor.errors).toEqual([]);
  expect(round.competitor.attempts).toBeGreaterThan(0);
  expect(round.operations[contended].throttled).toBeGreaterThan(round.run.outcomes.length);
}

/** The stack's profiles as Connect has them (read with throttling off), in name order, with their permissions. */
async function liveProfiles(instanceId: string) {
  const client = connectClientFor(emulator, { maxAttempts: 1 });
  try {
    emulator.configure({ throttling: 'off' });
    const list = (await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, MaxResults: 1000 }))).SecurityProfileSummaryList ?? [];
    const ours = list.filter((p) => p.Name!.startsWith('Scale-'));
    const described = await Promise.all(ours.map(async (p) => {
      const ref = { InstanceId: instanceId, SecurityProfileId: p.Id! };
      const profile = (await client.send(new DescribeSecurityProfileCommand(ref))).SecurityProfile!;
      const permissions = (await client.send(new ListSecurityProfilePermissionsCommand(ref))).Permissions ?? [];
      return { ...profile, permissions: [...permissions].sort() };
    }));
    return described.sort((a, b) => a.SecurityProfileName!.localeCompare(b.SecurityProfileName!, 'en', { numeric: true }));
  } finally {
    emulator.configure({ throttling: scaledRealisticRules(SCALE) });
    client.destroy();
  }
}

describe('a stack of 96 profiles on one instance, every event at once in its own environment', () => {
  let instanceId: string;
  let stack: StackProfile[];
  let arns: string[] = [];

  beforeAll(() => {
    const instance = emulator.createInstance({ alias: 'scale-96' });
    instanceId = instance.instanceId;
    stack = stackProfiles([instance.instanceArn], 96);
  });

  test('first deploy: 96 concurrent Creates all succeed, with another tool on the same quota', async () => {
    const round = await measureRound(emulator, environments, createEvents(stack), competitor('create-delete'), SCALE);
    console.log(describeRound('create 96', round));
    expectAllSucceeded(round, 'CreateSecurityProfile');
    arns = round.run.outcomes.map((o) => o.ok!.PhysicalResourceId);
    expect(new Set(arns).size).toBe(96);
    const live = await liveProfiles(instanceId);
    expect(live.map((p) => p.SecurityProfileName)).toEqual(stack.map((p) => `Scale-${p.index}`));
    expect(live.map((p) => p.Tags?.[OWNER_TAG_KEY])).toEqual(stack.map((p) => ownerMark(SCALE_STACK_ID, `Profile${p.index}`)));
  }, 2 * 60 * 1000);

  test('an Update that changes every profile: 96 concurrent Updates all succeed', async () => {
    expect(arns).toHaveLength(96);
    const round = await measureRound(emulator, environments, updateEvents(stack, arns), competitor('update'), SCALE);
    console.log(describeRound('update 96', round));
    expectAllSucceeded(round, 'DescribeSecurityProfile');
    expect(round.run.outcomes.map((o) => o.ok!.PhysicalResourceId)).toEqual(arns);
    const live = await liveProfiles(instanceId);
    expect(live.map((p) => [p.Description, p.permissions, p.Tags?.revision])).toEqual(stack.map((p) => {
      const revised = profileProperties(p.instanceArn, p.index, 2);
      return [revised.Description, [...revised.Permissions as string[]].sort(), '2'];
    }));
  }, 2 * 60 * 1000);

  test('the stack\'s Delete: 96 concurrent Deletes all succeed', async () => {
    expect(arns).toHaveLength(96);
    const round = await measureRound(emulator, environments, deleteEvents(stack, arns), competitor('create-delete'), SCALE);
    console.log(describeRound('delete 96', round));
    expectAllSucceeded(round, 'DeleteSecurityProfile');
    expect(await liveProfiles(instanceId)).toEqual([]);
  }, 2 * 60 * 1000);
});

test('first deploy of 300 profiles over three instances (one account quota): 300 concurrent Creates all succeed', async () => {
  const instances = Array.from({ length: 3 }, (_, k) => emulator.createInstance({ alias: `scale-300-${k}`, securityProfileQuota: 104 }));
  const stack = stackProfiles(instances.map((i) => i.instanceArn), 300);
  const round = await measureRound(emulator, environments, createEvents(stack), competitor('create-delete'), SCALE);
  console.log(describeRound('create 300', round));
  expectAllSucceeded(round, 'CreateSecurityProfile');
  for (const instance of instances) {
    expect((await liveProfiles(instance.instanceId)).length).toBe(100);
  }
}, 3 * 60 * 1000);
