/**
 * Deterministic cases of the fault property's desired-state invariant: the drift table must never
 * keep a record of a profile that no longer exists because our own Delete removed it. CloudFormation
 * ignores a failed cleanup-phase Delete (after a replacement) and never sends it again, so a record
 * left behind there stays for good, and every hourly sweep reports the profile MISSING.
 */
import { ConnectClient, DeleteSecurityProfileCommand } from '@aws-sdk/client-connect';
import { DeliveryCounters, HandlerInvoker, SimulatedStack } from './cloudformation';
import { HANDLER_CALLER, handlerInvoker } from './handler-driver';
import { toProperties } from './lifecycle';
import { seedWorld } from './world';
import { LeaseTable } from '../../lambda/lease';
import { createDesiredStateTable, DynamoDbStateStore } from '../../lambda/state-table';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import { DynaliteServer, startDynalite } from '../../local/dynamodb';
import { RESOURCE_TYPE } from '../../src/private/contract';
import { TestLogger } from '../support/logger';
import { allRecords } from '../support/records';

let emulator: ConnectEmulator;
let reader: ConnectClient;
let dynamo: DynaliteServer;

beforeAll(async () => {
  emulator = await startConnectEmulator();
  reader = connectClientFor(emulator, { maxAttempts: 1 });
  dynamo = await startDynalite();
});

afterAll(async () => {
  reader?.destroy();
  await emulator?.stop();
  await dynamo?.stop();
});

function counters(): DeliveryCounters {
  return { events: 0, invocations: 0, redeliveries: 0, kills: 0, failedResponses: 0, rollbacks: 0, operatorRetries: 0 };
}

async function recordedArns(store: DynamoDbStateStore): Promise<string[]> {
  return (await allRecords(store)).map((r) => r.securityProfileArn);
}

// Found by the fault property (FAULT_RUNS=2000 FAULT_SEED=11): lambda/on-event.ts onDelete removed the
// desired-state record only AFTER DeleteSecurityProfile, so a Lambda killed in between (timeout while
// waiting for the response) left the record of a deleted profile. Fixed: the record goes first.

/** One profile in the first instance, one permission, nothing else, swept in REMEDIATE mode. */
const MINIMAL_SHAPE = {
  instance: 0,
  name: 0,
  permissions: [1],
  tags: [],
  accessTags: [],
  hierarchy: { mode: 'none' as const },
  applications: [],
  removalPolicy: 'Delete' as const,
  driftMode: 'REMEDIATE' as const,
};

/** A fresh desired-state table (records and leases) and a handler invoker that writes to it. */
async function handlerWithTable(tableName: string) {
  await createDesiredStateTable(dynamo.client, tableName);
  await dynamo.waitForTable(tableName);
  const store = new DynamoDbStateStore({ tableName, client: dynamo.client });
  const leases = new LeaseTable({ tableName, client: dynamo.client });
  const base = handlerInvoker(emulator, { maxAttempts: 3, logger: new TestLogger(), stateStore: () => store, leases: () => leases });
  return { store, base };
}

test('a cleanup Delete killed after DeleteSecurityProfile leaves no record of the deleted profile', async () => {
  // GIVEN a profile with drift remediation, replaced by a rename, whose cleanup Delete is killed
  // while it waits for DeleteSecurityProfile's response (the profile is gone; the response never came)
  const world = await seedWorld(emulator, reader, 1);
  const { store, base } = await handlerWithTable('desired-state-cleanup');
  const plan: Array<{ killAfterRequests?: number }> = [{}, {}, { killAfterRequests: 1 }];
  let invocation = 0;
  const invoke: HandlerInvoker = (event, chaos) => base.invoke(event, plan[invocation++] ?? chaos);
  const stack = new SimulatedStack({
    invoke,
    random: () => 0.99,
    chaos: { redeliver: 0, kill: 0 },
    counters: counters(),
    stackName: 'cleanup-kill',
    logicalId: 'Profile',
    resourceType: RESOURCE_TYPE,
  });
  const shape = MINIMAL_SHAPE;
  await stack.create(toProperties(shape, world));
  const first = stack.deployed!.physicalResourceId;

  // WHEN the rename replaces the profile and the cleanup Delete of the old one is killed
  await stack.update(toProperties({ ...shape, name: 1 }, world));
  base.client.destroy();

  // THEN the old profile is gone, CloudFormation ignored the failed cleanup, and no record names it
  expect(stack.cleanupLeaks.map((l) => l.physicalResourceId)).toEqual([first]);
  expect(emulator.listSecurityProfilesIn(world.instances[0].instanceId).some((p) => p.arn === first)).toBe(false);
  expect(await recordedArns(store)).toEqual([stack.deployed!.physicalResourceId]);
});

// Under one of the two ways CloudFormation may roll back a replacement (FAULT_REPLACEMENT_ROLLBACK=
// update-new): a profile deleted in the console is recreated by the next Update under a new ARN; when
// that deployment rolls back with a rollback Update to the new ARN, no Delete ever names the old ARN.
// The handler removes the record of the gone ARN itself when it recreates, so no sweep reports a
// profile missing forever.
test('a profile deleted out of band and recreated by an Update that rolls back leaves no record of the deleted profile', async () => {
  // GIVEN a profile with drift remediation, deleted in the console
  const world = await seedWorld(emulator, reader, 2);
  const { store, base } = await handlerWithTable('desired-state-recreate');
  const stack = new SimulatedStack({
    invoke: base.invoke,
    random: () => 0.99,
    chaos: { redeliver: 0, kill: 0 },
    counters: counters(),
    stackName: 'recreate-rollback',
    logicalId: 'Profile',
    resourceType: RESOURCE_TYPE,
    replacementRollback: 'update-new',
  });
  const shape = MINIMAL_SHAPE;
  await stack.create(toProperties(shape, world));
  const deleted = stack.deployed!.physicalResourceId;
  await reader.send(new DeleteSecurityProfileCommand({ InstanceId: world.instances[0].instanceId, SecurityProfileId: deleted.split('/').pop()! }));

  // WHEN the next deployment recreates it, and another resource of the stack fails so the stack rolls back
  const result = await stack.update(toProperties({ ...shape, permissions: [1, 2] }, world), true);
  base.client.destroy();

  // THEN the stack holds the recreated profile, and the table holds its record only
  expect(result).toBe('rolled-back');
  expect(stack.deployed!.physicalResourceId).not.toBe(deleted);
  expect(await recordedArns(store)).toEqual([stack.deployed!.physicalResourceId]);
});

// Found by the fault property (FAULT_RUNS=2000, default seed): a profile whose cleanup Delete failed
// because a user held it stays in Connect with the resource's mark and no record. A later Update that
// moves the resource back to that instance adopts it and records it before writing it; when that
// Update fails (here the Lambda is killed at its UpdateSecurityProfile), CloudFormation never learns
// the adopted id and rolls back with an Update to the id it holds, so no event ever names the adopted
// profile again. The rollback Update removes that record itself, also when it recreates the profile
// it holds because that one was deleted in the console meanwhile.
test.each([
  { movedDeletedInConsole: false },
  { movedDeletedInConsole: true },
])('a leaked profile adopted by a replacement that rolls back keeps no record (moved profile deleted in the console: $movedDeletedInConsole)', async ({ movedDeletedInConsole }) => {
  // GIVEN a profile with drift remediation that a user holds, moved to another instance: its cleanup
  // Delete fails, so it is left in the first instance
  const world = await seedWorld(emulator, reader, 2);
  const { store, base } = await handlerWithTable(`desired-state-leaked-adoption-${movedDeletedInConsole}`);
  const adopting = 4;
  let invocation = 0;
  let handlerRequestsBefore = 0;
  let recordedAtKill: string[] = [];
  const invoke: HandlerInvoker = async (event, chaos) => {
    invocation++;
    if (invocation !== adopting) return base.invoke(event, chaos);
    handlerRequestsBefore = handlerRequests();
    try {
      // the duplicate-name Create, the lookup and three reads of the adopted profile, then its update
      return await base.invoke(event, { killAfterRequests: ADOPTION_REQUESTS_TO_UPDATE });
    } finally {
      recordedAtKill = await recordedArns(store);
    }
  };
  const stack = new SimulatedStack({
    invoke,
    random: () => 0.99,
    chaos: { redeliver: 0, kill: 0 },
    counters: counters(),
    stackName: 'leaked-adoption',
    logicalId: 'Profile',
    resourceType: RESOURCE_TYPE,
  });
  const shape = { ...MINIMAL_SHAPE, permissions: [] };
  await stack.create(toProperties(shape, world));
  const leaked = stack.deployed!.physicalResourceId;
  emulator.seedUser(world.instances[0].instanceId, { username: 'agent1', securityProfileIds: [leaked.split('/').pop()!] });
  await stack.update(toProperties({ ...shape, instance: 1 }, world));
  const moved = stack.deployed!.physicalResourceId;
  expect(stack.cleanupLeaks.map((l) => l.physicalResourceId)).toEqual([leaked]);
  if (movedDeletedInConsole) {
    await reader.send(new DeleteSecurityProfileCommand({ InstanceId: world.instances[1].instanceId, SecurityProfileId: moved.split('/').pop()! }));
  }

  // WHEN the next deployment moves it back (adopting the leaked profile, which carries the resource's
  // mark) and is killed at the adopted profile's update, so the stack rolls back
  const result = await stack.update(toProperties({ ...shape, instance: 0, permissions: [0] }, world));
  base.client.destroy();

  // THEN the killed Update had recorded the adopted profile and was stopped at its update; after the
  // rollback the stack holds the moved profile (or, deleted in the console, its recreation), the leaked
  // one is still in Connect, and the table holds the record of the profile the stack holds only
  const adoptionRequests = emulator.requestLog.filter((e) => e.caller === HANDLER_CALLER).slice(handlerRequestsBefore);
  expect(adoptionRequests.at(ADOPTION_REQUESTS_TO_UPDATE - 1)?.operation).toBe('UpdateSecurityProfile');
  expect(recordedAtKill.sort()).toEqual([leaked, moved].sort());
  expect(result).toBe('rolled-back');
  const held = stack.deployed!.physicalResourceId;
  if (movedDeletedInConsole) expect(held).not.toBe(moved);
  else expect(held).toBe(moved);
  expect(emulator.listSecurityProfilesIn(world.instances[1].instanceId).some((p) => p.arn === held)).toBe(true);
  expect(emulator.listSecurityProfilesIn(world.instances[0].instanceId).some((p) => p.arn === leaked)).toBe(true);
  expect(await recordedArns(store)).toEqual([held]);
});

/** Connect requests of the adopting Update up to and including the adopted profile's UpdateSecurityProfile. */
const ADOPTION_REQUESTS_TO_UPDATE = 6;

function handlerRequests(): number {
  return emulator.requestLog.filter((e) => e.caller === HANDLER_CALLER).length;
}
