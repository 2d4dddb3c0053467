/**
 * Deterministic interleavings of the two writers of a profile, at every gap: a deploy-time handler and
 * a reconciler, each in a child process of its own (writer-process.ts), meeting only through the
 * emulator over HTTP and the desired-state table in dynalite. One writer is paused at a chosen gap (the
 * emulator's `hold`, or the DynamoDB proxy's), the other runs meanwhile, then the first goes on.
 *
 * What must hold every time: no writer applies a desired state older than the newest recorded one
 * (`findReverts` over the request log and the record journal), the live profile ends as the newest
 * successful deploy declared it, and the deploy succeeds (it waits for a check, bounded, or takes over
 * an expired lease). Leases last 1.5 s here, so expiry happens within a test.
 */
import { ConnectClient, TagResourceCommand, UpdateSecurityProfileCommand } from '@aws-sdk/client-connect';
import { startWriter, Writer, WriterOptions } from './writers';
import { createDesiredStateTable, stateKey } from '../../lambda/state-table';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import { DynaliteServer, startDynalite } from '../../local/dynamodb';
import { readLiveProfile, withoutOwnerTag } from '../../local/live-profile';
import { cfnEvent } from '../handler/helpers';
import { DynamoProxy, startDynamoProxy } from '../support/dynamo-proxy';
import { describeReverts, findReverts } from '../support/reverts';

const STACK = 'InterleaveTest';
const STACK_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/9d8c7b6a-0000-4000-8000-000000000000`;
const LEASE_MS = 1500;
const DEPLOY = 'AKIDDEPLOYWRITER';
const RECONCILER = 'AKIDRECONCILERWRITER';
const TABLE = 'interleave-desired-state';

let emulator: ConnectEmulator;
let dynalite: DynaliteServer;
let proxy: DynamoProxy;
let console_: ConnectClient;
let deployer: Writer;
let reconciler: Writer;
let instanceId: string;
let instanceArn: string;
let groups: { wide: string; narrow: string };

function writerOptions(accessKeyId: string): WriterOptions {
  return {
    accessKeyId, connectEndpoint: emulator.endpoint, dynamoEndpoint: proxy.endpoint, tableName: TABLE, stackName: STACK, leaseMs: LEASE_MS,
  };
}

beforeAll(async () => {
  emulator = await startConnectEmulator();
  dynalite = await startDynalite();
  await createDesiredStateTable(dynalite.client, TABLE);
  await dynalite.waitForTable(TABLE);
  proxy = await startDynamoProxy(dynalite.endpoint, () => emulator.requestLog.length);
  console_ = connectClientFor(emulator, { credentials: { accessKeyId: 'AKIDCONSOLEUSER', secretAccessKey: 'x' } });
  ({ instanceId, instanceArn } = emulator.createInstance({ alias: 'interleave' }));
  groups = {
    wide: emulator.seedHierarchyGroup(instanceId, 'BPO-A').id,
    narrow: emulator.seedHierarchyGroup(instanceId, 'BPO-A-Team-1').id,
  };
  [deployer, reconciler] = await Promise.all([startWriter(writerOptions(DEPLOY)), startWriter(writerOptions(RECONCILER))]);
}, 60_000);

afterAll(async () => {
  await Promise.all([deployer?.stop(), reconciler?.stop()]);
  console_?.destroy();
  await proxy?.stop();
  await emulator?.stop();
  await dynalite?.stop();
});

let testStart = 0;
beforeEach(() => { testStart = emulator.requestLog.length; });
afterEach(() => {
  // whatever a test did, nobody may have applied an older desired state
  const reverts = findReverts(emulator.requestLog, proxy.journal, { writers: [DEPLOY, RECONCILER], checkers: [RECONCILER], from: testStart });
  expect(describeReverts(reverts)).toBe('');
});

/** v1 grants more (three permissions, the wide group); v2 revokes (one permission, the narrow group). */
function version(name: string, v: 1 | 2): Record<string, unknown> {
  return {
    InstanceArn: instanceArn,
    SecurityProfileName: name,
    Description: `v${v}`,
    Permissions: v === 1 ? ['AccessMetrics', 'BasicAgentAccess', 'Users.View'] : ['BasicAgentAccess'],
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: v === 1 ? groups.wide : groups.narrow,
    Tags: { team: v === 1 ? 'cx' : 'cx-restricted' },
    DriftMode: 'REMEDIATE',
  };
}

interface Managed {
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  readonly key: string;
  /** Update to v2, as CloudFormation sends it. */
  readonly updateToV2: unknown;
}

/** A profile deployed at v1 (through the deploy writer), then drifted in the console (a permission added). */
async function managedProfile(name: string): Promise<Managed> {
  const created = await deployer.deploy(cfnEvent('Create', version(name, 1), { stackId: STACK_ID, logicalId: name }));
  expect(created.error).toBeUndefined();
  const arn = created.ok.PhysicalResourceId as string;
  const id = arn.slice(arn.lastIndexOf('/') + 1);
  await console_.send(new UpdateSecurityProfileCommand({
    InstanceId: instanceId, SecurityProfileId: id, Permissions: ['AccessMetrics', 'BasicAgentAccess', 'Users.Edit', 'Users.View'],
  }));
  return {
    name,
    arn,
    id,
    key: stateKey(instanceId, id),
    updateToV2: cfnEvent('Update', version(name, 2), { stackId: STACK_ID, logicalId: name, physicalResourceId: arn, oldProperties: version(name, 1) }),
  };
}

/**
 * Deploy v2 with the deploy's desired-state write held (after its read, before its record), run a sweep
 * `pausedMs` into the pause, then release it; the deploy's and the sweep's results.
 */
async function sweepWhileDeployHoldsItsRecord(p: Managed, pausedMs = 0) {
  const recordHold = proxy.hold({ operation: 'UpdateItem', keyPrefix: p.key, caller: DEPLOY });
  const deploy = deployer.deploy(p.updateToV2);
  await recordHold.reached;
  if (pausedMs > 0) await sleep(pausedMs);
  const sweep = await reconciler.sweep();
  recordHold.release();
  return { deploy: await deploy, sweep };
}

/** The live profile is v2, as the last successful deploy declared it. */
async function expectLiveV2(p: Managed): Promise<void> {
  const live = await readLiveProfile(console_, instanceId, p.id);
  const { Description: description, Permissions: permissions, AllowedAccessControlHierarchyGroupId: group } = live;
  expect({ description, permissions, group, tags: withoutOwnerTag(live.Tags) })
    .toEqual({ description: 'v2', permissions: ['BasicAgentAccess'], group: groups.narrow, tags: { team: 'cx-restricted' } });
}

function outcomeOf(result: { ok?: any; error?: string }, arn: string): string {
  if (result.error) return `error: ${result.error}`;
  if (result.ok?.kind === undefined && result.ok?.handled !== undefined) return result.ok.handled ? result.ok.outcome.status : `ignored: ${result.ok.reason}`;
  const found = (result.ok?.outcomes as Array<{ securityProfileArn: string; status: string }> | undefined)?.find((o) => o.securityProfileArn === arn);
  return found?.status ?? `not checked (${JSON.stringify(result.ok).slice(0, 200)})`;
}

/** A CloudTrail change event of an edit someone made in the console. */
function changeEvent(p: Managed): unknown {
  return {
    'detail-type': 'AWS API Call via CloudTrail',
    'source': 'aws.connect',
    'detail': {
      eventSource: 'connect.amazonaws.com',
      eventName: 'UpdateSecurityProfile',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/ConsoleAdmin/alice' },
      requestParameters: { InstanceId: instanceId, SecurityProfileId: p.id },
    },
  };
}

const writesBy = (caller: string, from: number) => emulator.requestLog.slice(from)
  .filter((e) => e.caller === caller && ['UpdateSecurityProfile', 'TagResource', 'UntagResource'].includes(e.operation) && e.status === 200);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('(a) the handler paused after its Connect write, before it gives the lease back', () => {
  it('a sweep meanwhile skips the profile (SUPERSEDED), also after the lease duration: a live deploy keeps its lease', async () => {
    const p = await managedProfile('Gap-A-After-Write');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: p.id, caller: DEPLOY, stage: 'after' });
    const deploy = deployer.deploy(p.updateToV2);
    await hold.reached();
    const from = emulator.requestLog.length;
    expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('SUPERSEDED');
    await sleep(LEASE_MS * 1.5);
    expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('SUPERSEDED');
    expect(writesBy(RECONCILER, from)).toEqual([]);
    hold.release();
    expect((await deploy).error).toBeUndefined();
    expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('IN_SYNC');
    await expectLiveV2(p);
  }, 30_000);

  it('a deploy whose Connect already matches records under its lease: a sweep cannot slip in before the record and put v1 back', async () => {
    const p = await managedProfile('Gap-A-No-Write');
    // someone already made the profile what v2 declares: the deploy has nothing to write, only to record
    await console_.send(new UpdateSecurityProfileCommand({
      InstanceId: instanceId, SecurityProfileId: p.id, Description: 'v2', Permissions: ['BasicAgentAccess'], AllowedAccessControlHierarchyGroupId: groups.narrow,
    }));
    await console_.send(new TagResourceCommand({ resourceArn: p.arn, tags: { team: 'cx-restricted' } }));
    const { deploy, sweep } = await sweepWhileDeployHoldsItsRecord(p);
    expect(deploy.error).toBeUndefined();
    await expectLiveV2(p);
    expect(outcomeOf(sweep, p.arn)).toBe('SUPERSEDED');
  }, 30_000);
});

describe('(b) the handler paused between its record and its Connect write', () => {
  it('a sweep meanwhile skips the profile; the deploy then writes v2', async () => {
    const p = await managedProfile('Gap-B-Held-Write');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: p.id, caller: DEPLOY });
    const deploy = deployer.deploy(p.updateToV2);
    await hold.reached();
    expect(proxy.journal.filter((r) => r.key === p.key).at(-1)?.desired?.Description).toBe('v2');
    expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('SUPERSEDED');
    hold.release();
    expect((await deploy).error).toBeUndefined();
    await expectLiveV2(p);
  }, 30_000);

  it('a deploy retrying its throttled write for longer than two lease durations keeps the profile: sweeps skip it', async () => {
    const p = await managedProfile('Gap-B-Throttled-Write');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: p.id, caller: DEPLOY, answer: 'throttle' });
    const deploy = deployer.deploy(p.updateToV2);
    await hold.reached();
    const from = emulator.requestLog.length;
    for (let i = 0; i < 3; i++) {
      await sleep(LEASE_MS);
      expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('SUPERSEDED');
    }
    expect(writesBy(RECONCILER, from)).toEqual([]);
    hold.release();
    expect((await deploy).error).toBeUndefined();
    await expectLiveV2(p);
  }, 30_000);
});

describe('(b) the handler paused between its read and its record, past the lease duration', () => {
  it('a sweep does not take the profile over: the deploy keeps its lease alive, so the plan it made from its read stays true', async () => {
    const p = await managedProfile('Gap-B-Before-Record');
    // the console already set v2's description: the deploy's plan leaves it out, and only a sweep that
    // slipped in (putting v1's back) could make it wrong
    await console_.send(new UpdateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: p.id, Description: 'v2' }));
    const { deploy, sweep } = await sweepWhileDeployHoldsItsRecord(p, LEASE_MS * 1.5);
    expect(deploy.error).toBeUndefined();
    await expectLiveV2(p);
    expect(outcomeOf(sweep, p.arn)).toBe('SUPERSEDED');
  }, 30_000);
});

describe('(c) the reconciler (REMEDIATE sweep) paused between its re-read and its UpdateSecurityProfile', () => {
  it('paused briefly: the deploy waits for the check (bounded), then records and writes v2', async () => {
    const p = await managedProfile('Gap-C-Brief');
    const hold = emulator.hold({ operation: 'DescribeSecurityProfile', securityProfileId: p.id, caller: RECONCILER });
    const sweep = reconciler.sweep();
    await hold.reached();
    const started = Date.now();
    let deployDone = false;
    const deploy = deployer.deploy(p.updateToV2).finally(() => { deployDone = true; });
    await sleep(LEASE_MS / 3);
    expect(deployDone).toBe(false);
    expect(proxy.journal.filter((r) => r.key === p.key).at(-1)?.desired?.Description).toBe('v1');
    hold.release();
    expect(outcomeOf(await sweep, p.arn)).toBe('REMEDIATED');
    expect((await deploy).error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2 * LEASE_MS + 5000);
    await expectLiveV2(p);
  }, 30_000);

  it('its write throttled past its lease: the deploy takes the expired lease and writes v2, and the check never lands v1 after it', async () => {
    const p = await managedProfile('Gap-C-Throttled-Write');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: p.id, caller: RECONCILER, answer: 'throttle' });
    const sweep = reconciler.sweep();
    await hold.reached();
    const deploy = await deployer.deploy(p.updateToV2);
    expect(deploy.error).toBeUndefined();
    hold.release();
    expect(outcomeOf(await sweep, p.arn)).toBe('SUPERSEDED');
    await expectLiveV2(p);
  }, 30_000);

  it('paused past its lease before its write: the deploy takes over, and the check, resumed, finds its lease lost and writes nothing', async () => {
    const p = await managedProfile('Gap-C-Long-Read');
    const hold = emulator.hold({ operation: 'DescribeSecurityProfile', securityProfileId: p.id, caller: RECONCILER });
    const sweep = reconciler.sweep();
    await hold.reached();
    const started = Date.now();
    expect((await deployer.deploy(p.updateToV2)).error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(LEASE_MS / 2);
    const from = emulator.requestLog.length;
    hold.release();
    expect(outcomeOf(await sweep, p.arn)).toBe('SUPERSEDED');
    expect(writesBy(RECONCILER, from)).toEqual([]);
    await expectLiveV2(p);
  }, 30_000);
});

describe('(d) a change-event check paused the same way', () => {
  it('paused briefly at its read: the deploy waits, then writes v2', async () => {
    const p = await managedProfile('Gap-D-Brief');
    const hold = emulator.hold({ operation: 'DescribeSecurityProfile', securityProfileId: p.id, caller: RECONCILER });
    const check = reconciler.change(changeEvent(p));
    await hold.reached();
    const deploy = deployer.deploy(p.updateToV2);
    await sleep(LEASE_MS / 3);
    hold.release();
    expect(outcomeOf(await check, p.arn)).toBe('REMEDIATED');
    expect((await deploy).error).toBeUndefined();
    await expectLiveV2(p);
  }, 30_000);

  it('its write throttled past its lease: the deploy writes v2 and the check never lands v1 after it', async () => {
    const p = await managedProfile('Gap-D-Throttled-Write');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: p.id, caller: RECONCILER, answer: 'throttle' });
    const check = reconciler.change(changeEvent(p));
    await hold.reached();
    expect((await deployer.deploy(p.updateToV2)).error).toBeUndefined();
    hold.release();
    expect(outcomeOf(await check, p.arn)).toBe('SUPERSEDED');
    await expectLiveV2(p);
  }, 30_000);

  it('paused past its lease at its read: resumed, it writes nothing', async () => {
    const p = await managedProfile('Gap-D-Long-Read');
    const hold = emulator.hold({ operation: 'DescribeSecurityProfile', securityProfileId: p.id, caller: RECONCILER });
    const check = reconciler.change(changeEvent(p));
    await hold.reached();
    expect((await deployer.deploy(p.updateToV2)).error).toBeUndefined();
    hold.release();
    expect(outcomeOf(await check, p.arn)).toBe('SUPERSEDED');
    await expectLiveV2(p);
  }, 30_000);
});

describe('(e) a writer killed while it holds the lease', () => {
  it('a deploy killed between its record and its write: sweeps skip until its lease expires, then repair to the recorded v2; the redelivered event succeeds', async () => {
    const p = await managedProfile('Gap-E-Dead-Deploy');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: p.id, caller: DEPLOY });
    deployer.deploy(p.updateToV2).catch(() => undefined);
    await hold.reached();
    deployer.kill();
    const killedAt = Date.now();
    expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('SUPERSEDED');
    await sleep(Math.max(0, LEASE_MS - (Date.now() - killedAt)) + 100);
    expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('REMEDIATED');
    await expectLiveV2(p);
    // the request the dead Lambda had sent still reaches Connect: it writes what the record says
    hold.release();
    deployer = await startWriter(writerOptions(DEPLOY));
    expect((await deployer.deploy(p.updateToV2)).error).toBeUndefined();
    await expectLiveV2(p);
  }, 30_000);

  it('a check killed while it holds the lease: the deploy waits for the expiry (bounded) and succeeds', async () => {
    const p = await managedProfile('Gap-E-Dead-Check');
    const hold = emulator.hold({ operation: 'DescribeSecurityProfile', securityProfileId: p.id, caller: RECONCILER });
    reconciler.change(changeEvent(p)).catch(() => undefined);
    await hold.reached();
    reconciler.kill();
    const started = Date.now();
    expect((await deployer.deploy(p.updateToV2)).error).toBeUndefined();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(LEASE_MS / 2);
    expect(waited).toBeLessThan(2 * LEASE_MS + 5000);
    hold.release();
    reconciler = await startWriter(writerOptions(RECONCILER));
    expect(outcomeOf(await reconciler.sweep(), p.arn)).toBe('IN_SYNC');
    await expectLiveV2(p);
  }, 30_000);
});
