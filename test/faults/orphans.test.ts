/**
 * Deterministic cases of the fault property's orphan invariant: a Create whose profile was made in
 * Connect but whose CloudFormation resource failed. Under the Provider framework CloudFormation's
 * rollback Delete never reaches the handler (it answers the CREATE_FAILED marker itself), so the only
 * way such a profile is not lost for good is that the next deployment of the same resource adopts it.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { DeliveryCounters, HandlerInvoker, SimulatedStack } from './cloudformation';
import { handlerInvoker } from './handler-driver';
import { checkInvariants } from './invariants';
import { toProperties } from './lifecycle';
import { seedWorld, SeededWorld } from './world';
import { CREATE_FAILED_MARKER } from '../../local/cloudformation/custom-resource';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import { RESOURCE_TYPE } from '../../src/private/contract';
import { TestLogger } from '../support/logger';

let emulator: ConnectEmulator;
let reader: ConnectClient;
let run = 0;

beforeAll(async () => {
  emulator = await startConnectEmulator();
  reader = connectClientFor(emulator, { maxAttempts: 1 });
});

afterAll(async () => {
  reader?.destroy();
  await emulator?.stop();
});

function counters(): DeliveryCounters {
  return { events: 0, invocations: 0, redeliveries: 0, kills: 0, failedResponses: 0, rollbacks: 0, operatorRetries: 0 };
}

/** A stack whose handler invocations are disturbed as `plan` says, one entry per invocation. */
async function setUp(plan: Array<{ killAfterRequests?: number }>): Promise<{ world: SeededWorld; stack: SimulatedStack; logger: TestLogger }> {
  run++;
  const world = await seedWorld(emulator, reader, 1000 + run);
  const logger = new TestLogger();
  const base = handlerInvoker(emulator, { maxAttempts: 3, logger }).invoke;
  let invocation = 0;
  const invoke: HandlerInvoker = (event, chaos) => base(event, plan[invocation++] ?? chaos);
  const stack = new SimulatedStack({
    invoke,
    random: () => 0.99,
    chaos: { redeliver: 0, kill: 0 },
    counters: counters(),
    stackName: `orphans-${run}`,
    logicalId: 'AgentsProfile',
    resourceType: RESOURCE_TYPE,
  });
  return { world, stack, logger };
}

const shape = {
  instance: 0,
  name: 0,
  permissions: [1, 7],
  tags: ['team'],
  accessTags: [],
  hierarchy: { mode: 'group' as const, group: 0 },
  applications: [],
  removalPolicy: 'Delete' as const,
};

test('a Create killed after CreateSecurityProfile fails the resource and CloudFormation rollback never reaches the handler', async () => {
  // GIVEN a first deployment whose Lambda dies right after CreateSecurityProfile went out
  const { world, stack } = await setUp([{ killAfterRequests: 1 }]);
  const props = toProperties(shape, world);

  // WHEN CloudFormation creates the stack
  const result = await stack.create(props);

  // THEN the resource failed, and the profile exists in Connect with this resource's owner mark
  expect(result).toBe('rolled-back');
  expect(stack.trail.some((line) => line.includes(CREATE_FAILED_MARKER) && line.includes('framework ignores the marker'))).toBe(true);
  const profiles = emulator.listSecurityProfilesIn(world.instances[0].instanceId).filter((p) => p.name === props.SecurityProfileName);
  expect(profiles).toHaveLength(1);
});

// A stack that failed its first create is deleted and created anew with a NEW StackId (CloudFormation's
// ROLLBACK_COMPLETE rule; `cdk deploy` does this by itself). The owner mark is the stack NAME and the
// logical id, not the StackId, so the redeployed resource recognises the profile its own failed attempt made.
test('the next deployment of the same stack adopts the profile a killed first Create left behind (no orphan)', async () => {
  // GIVEN a failed first deployment that left a profile in Connect
  const { world, stack, logger } = await setUp([{ killAfterRequests: 1 }]);
  const props = toProperties(shape, world);
  await stack.create(props);
  const orphan = emulator.listSecurityProfilesIn(world.instances[0].instanceId).find((p) => p.name === props.SecurityProfileName)!;

  // WHEN the user deploys again (a new stack: the old one was in ROLLBACK_COMPLETE)
  const result = await stack.create(props);

  // THEN the new resource adopts the profile, and every invariant holds
  expect(result === 'created' ? result : `${result}\n${stack.trail.join('\n')}\n${logger.tail(2)}`).toBe('created');
  expect(stack.deployed?.physicalResourceId).toBe(orphan.arn);
  expect(await checkInvariants(emulator, reader, world, stack, 'AgentsProfile')).toEqual([]);
});

test('a resource added to an existing stack whose Create was killed is adopted by the next deployment of that stack', async () => {
  // GIVEN a Create that failed after CreateSecurityProfile, in a stack that keeps its StackId (an update
  // that added the resource rolls back; the stack itself stays)
  const { world, stack } = await setUp([{ killAfterRequests: 1 }]);
  const props = toProperties(shape, world);
  await stack.create(props, false, true);

  // WHEN the next deployment of that stack creates the resource again
  const result = await stack.create(props, false, true);

  // THEN it adopts the profile its failed attempt made: one profile, declared, nothing orphaned
  expect(result).toBe('created');
  expect(emulator.listSecurityProfilesIn(world.instances[0].instanceId).filter((p) => p.name === props.SecurityProfileName)).toHaveLength(1);
  expect(await checkInvariants(emulator, reader, world, stack, 'AgentsProfile')).toEqual([]);
});
