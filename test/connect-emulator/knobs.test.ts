import {
  ConnectClient, CreateSecurityProfileCommand, DescribeSecurityProfileCommand, DescribeUserCommand, ListSecurityProfilesCommand,
  SearchSecurityProfilesCommand, TagResourceCommand, UpdateSecurityProfileCommand,
} from '@aws-sdk/client-connect';
import { connectClientFor, ConnectEmulator } from '../../local/connect-emulator';
import { FaultInjector, realisticRules, Throttler } from '../../local/connect-emulator/knobs';
import { startEmulatorAndClient } from '../support/emulator-client';

// Every knob, through the real SDK with maxAttempts 1 so the raw fault is seen (no SDK retries).

let emulator: ConnectEmulator;
let client: ConnectClient;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, client, stop } = await startEmulatorAndClient());
});
afterEach(() => emulator.configure({ throttling: 'off', faults: {}, consistencyDelayMs: 0 }));
afterAll(() => stop());

async function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'ok', (e: any) => `${e.name}:${e.$metadata?.httpStatusCode ?? e.code ?? ''}`);
}

describe('throttling', () => {
  test('a token bucket per operation: burst, then refill at the rate (clock injected)', () => {
    const t = new Throttler({ DescribeSecurityProfile: { rate: 2, burst: 3 } });
    const at0 = [0, 1, 2, 3].map(() => t.take('DescribeSecurityProfile', 1000));
    expect(at0).toEqual([true, true, true, false]);
    expect(t.take('DescribeSecurityProfile', 1400)).toBe(false); // 0.8 token
    expect(t.take('DescribeSecurityProfile', 1500)).toBe(true); // 1 token after 500 ms at 2 rps
    expect(t.take('DescribeSecurityProfile', 1500)).toBe(false);
    expect(t.take('DescribeSecurityProfile', 100_000)).toBe(true);
    expect([0, 1, 2].map(() => t.take('DescribeSecurityProfile', 100_000))).toEqual([true, true, false]); // capped at burst
    expect(Array.from({ length: 50 }, () => t.take('ListUsers', 1000)).every(Boolean)).toBe(true); // no rule, no default
  });

  test('the realistic preset: 2 rps burst 5, 10 rps for user and hierarchy reads', () => {
    const rules = realisticRules();
    expect(rules.default).toEqual({ rate: 2, burst: 5 });
    expect(rules.DescribeUser.rate).toBe(10);
    const t = new Throttler('realistic');
    expect(Array.from({ length: 6 }, () => t.take('CreateSecurityProfile', 0))).toEqual([true, true, true, true, true, false]);
    expect(Array.from({ length: 11 }, () => t.take('DescribeUser', 0)).filter(Boolean)).toHaveLength(10);
  });

  test('a throttled call is ThrottlingException 429 through the SDK, and other operations have their own bucket', async () => {
    const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
    emulator.configure({ throttling: { DescribeSecurityProfile: { rate: 0.001, burst: 2 } } });
    const describe = () => outcome(client.send(new DescribeSecurityProfileCommand({
      InstanceId: instanceId, SecurityProfileId: defaultSecurityProfileIds.Agent,
    })));
    expect([await describe(), await describe(), await describe()]).toEqual(['ok', 'ok', 'ThrottlingException:429']);
    expect(await outcome(client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId })))).toBe('ok');
    expect(emulator.requestLog.at(-2)).toMatchObject({ operation: 'DescribeSecurityProfile', status: 429, errorType: 'ThrottlingException' });
  });

  test('configure replaces only the knobs it names: a drained bucket stays drained', async () => {
    const { instanceId } = emulator.createInstance();
    emulator.configure({ throttling: { ListSecurityProfiles: { rate: 0.001, burst: 1 } } });
    const list = () => outcome(client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId })));
    expect(await list()).toBe('ok');
    emulator.configure({ consistencyDelayMs: 10 });
    expect(await list()).toBe('ThrottlingException:429');
  });

  test('realistic over HTTP: the sixth quick security profile read is throttled; user reads get 10', async () => {
    const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
    const user = emulator.seedUser(instanceId, { username: 'u', securityProfileIds: [defaultSecurityProfileIds.Agent] });
    emulator.configure({ throttling: 'realistic' });
    const profileReads = await Promise.all(Array.from({ length: 8 }, () =>
      outcome(client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: defaultSecurityProfileIds.Agent })))));
    expect(profileReads.filter(o => o === 'ok').length).toBeGreaterThanOrEqual(5);
    expect(profileReads).toContain('ThrottlingException:429');
    const userReads = await Promise.all(Array.from({ length: 14 }, () =>
      outcome(client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: user.id })))));
    expect(userReads.filter(o => o === 'ok').length).toBeGreaterThanOrEqual(10);
    expect(userReads).toContain('ThrottlingException:429');
  });
});

describe('faults', () => {
  test('internalError gives InternalServiceException 500; throttle gives ThrottlingException 429', async () => {
    const { instanceId } = emulator.createInstance();
    emulator.configure({ faults: { internalError: 1 } });
    expect(await outcome(client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId })))).toBe('InternalServiceException:500');
    emulator.configure({ faults: { throttle: 1 } });
    expect(await outcome(client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId })))).toBe('ThrottlingException:429');
  });

  test('dropConnection cuts the connection before the write happens', async () => {
    const { instanceId } = emulator.createInstance();
    emulator.configure({ faults: { dropConnection: 1 } });
    const result = await outcome(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'dropped' })));
    expect(result).not.toBe('ok');
    expect(emulator.listSecurityProfilesIn(instanceId).map(p => p.name)).not.toContain('dropped');
    expect(emulator.requestLog.at(-1)).toMatchObject({ operation: 'CreateSecurityProfile', status: 0, errorType: 'ConnectionDropped' });
  });

  test('appliedButResponseLost applies the write, then cuts the connection: a blind retry meets a duplicate', async () => {
    const { instanceId } = emulator.createInstance();
    emulator.configure({ faults: { appliedButResponseLost: 1 } });
    const result = await outcome(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'lost' })));
    expect(result).not.toBe('ok');
    expect(emulator.listSecurityProfilesIn(instanceId).map(p => p.name)).toContain('lost');
    expect(emulator.requestLog.at(-1)).toMatchObject({ status: 0, errorType: 'ResponseLost' });
    emulator.configure({ faults: {} });
    expect(await outcome(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'lost' })))).toBe('DuplicateResourceException:409');
  });

  test('operations limits faults to the named operations', async () => {
    const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
    emulator.configure({ faults: { internalError: 1, operations: ['ListSecurityProfiles'] } });
    expect(await outcome(client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId })))).toBe('InternalServiceException:500');
    expect(await outcome(client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: defaultSecurityProfileIds.Agent })))).toBe('ok');
  });

  test('faults are seeded: the same seed repeats the same sequence', async () => {
    const { instanceId } = emulator.createInstance();
    const run = async (seed: number) => {
      emulator.configure({ faults: { internalError: 0.3, throttle: 0.2, seed } });
      const results: string[] = [];
      for (let i = 0; i < 20; i++) {
        results.push(await outcome(client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }))));
      }
      return results;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(a).toContain('ok');
    expect(a).toContain('InternalServiceException:500');
    expect(a).toContain('ThrottlingException:429');
    expect(await run(7)).not.toEqual(a);
  });

  test('fault probabilities are checked', () => {
    expect(() => new FaultInjector({ internalError: 1.5 })).toThrow(/from 0 to 1/);
    expect(() => new FaultInjector({ internalError: 0.6, dropConnection: 0.6 })).toThrow(/at most 1/);
  });
});

describe('eventual consistency', () => {
  test('a new profile is invisible to Describe, List* and Search until the delay passes', async () => {
    const { instanceId } = emulator.createInstance();
    emulator.configure({ consistencyDelayMs: 600_000 });
    const { SecurityProfileId } = await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'fresh', Permissions: ['X'] }));
    expect(await outcome(client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId })))).toBe('ResourceNotFoundException:404');
    const list = await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
    expect(list.SecurityProfileSummaryList?.map(p => p.Name)).not.toContain('fresh');
    const search = await client.send(new SearchSecurityProfilesCommand({ InstanceId: instanceId, SearchCriteria: { StringCondition: { FieldName: 'name', Value: 'fresh', ComparisonType: 'EXACT' } } }));
    expect(search.ApproximateTotalCount).toBe(0);
    // the name is taken even while the profile is invisible
    expect(await outcome(client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'fresh' })))).toBe('DuplicateResourceException:409');
    emulator.configure({ consistencyDelayMs: 0 });
    expect(await outcome(client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId })))).toBe('ok');
  });
});

describe('holds', () => {
  const other = () => connectClientFor(emulator, { maxAttempts: 1, credentials: { accessKeyId: 'AKIDOTHERWRITER', secretAccessKey: 's' } });
  async function profile(name: string) {
    const { instanceId } = emulator.createInstance();
    const { SecurityProfileId, SecurityProfileArn } = await client.send(new CreateSecurityProfileCommand({
      InstanceId: instanceId, SecurityProfileName: name, Description: 'v1',
    }));
    const describe = async () => (await client.send(new DescribeSecurityProfileCommand({
      InstanceId: instanceId, SecurityProfileId,
    }))).SecurityProfile?.Description;
    return { ids: { InstanceId: instanceId, SecurityProfileId: SecurityProfileId! }, arn: SecurityProfileArn!, describe };
  }
  /** Whether a promise settled within a few event-loop turns. */
  async function settled(p: Promise<unknown>): Promise<boolean> {
    let done = false;
    p.then(() => { done = true; }, () => { done = true; });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    return done;
  }

  test('stage before: the call waits unapplied until release, then is applied (and logged) as of then', async () => {
    const { ids, describe } = await profile('held-before');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: ids.SecurityProfileId });
    const call = outcome(client.send(new UpdateSecurityProfileCommand({ ...ids, Description: 'v2' })));
    await hold.reached();
    expect(await settled(call)).toBe(false);
    expect(await describe()).toBe('v1');
    const releasedAt = Date.now();
    hold.release();
    expect(await call).toBe('ok');
    expect(await describe()).toBe('v2');
    const entry = emulator.requestLog.filter((e) => e.operation === 'UpdateSecurityProfile').at(-1)!;
    expect(entry.time).toBeGreaterThanOrEqual(releasedAt);
    expect(entry.caller).toBe('AKIDEMULATOR');
  });

  test('stage after: the call is applied at once and its response waits until release', async () => {
    const { ids, describe } = await profile('held-after');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: ids.SecurityProfileId, stage: 'after' });
    const call = outcome(client.send(new UpdateSecurityProfileCommand({ ...ids, Description: 'v2' })));
    await hold.reached();
    expect(await describe()).toBe('v2');
    expect(await settled(call)).toBe(false);
    hold.release();
    expect(await call).toBe('ok');
  });

  test('a hold stops only its operation, profile, caller and count; the tag calls match by resourceArn', async () => {
    const a = await profile('held-a');
    const b = await profile('held-b');
    const writer = other();
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: a.ids.SecurityProfileId, caller: 'AKIDOTHERWRITER' });
    expect(await outcome(client.send(new UpdateSecurityProfileCommand({ ...a.ids, Description: 'not this caller' })))).toBe('ok');
    expect(await outcome(writer.send(new UpdateSecurityProfileCommand({ ...b.ids, Description: 'not this profile' })))).toBe('ok');
    expect(await outcome(writer.send(new DescribeSecurityProfileCommand(a.ids)))).toBe('ok');
    const held = outcome(writer.send(new UpdateSecurityProfileCommand({ ...a.ids, Description: 'held' })));
    await hold.reached();
    // count 1: the next matching call passes while the first still waits
    expect(await outcome(writer.send(new UpdateSecurityProfileCommand({ ...a.ids, Description: 'second' })))).toBe('ok');
    expect(hold.held).toBe(1);
    hold.release();
    expect(await held).toBe('ok');
    expect(await a.describe()).toBe('held');

    const tagHold = emulator.hold({ operation: 'TagResource', securityProfileId: a.arn });
    expect(await outcome(client.send(new TagResourceCommand({ resourceArn: b.arn, tags: { k: 'v' } })))).toBe('ok');
    const tagged = outcome(client.send(new TagResourceCommand({ resourceArn: a.arn, tags: { k: 'v' } })));
    await tagHold.reached();
    tagHold.release();
    expect(await tagged).toBe('ok');
    writer.destroy();
  });

  test('answer throttle: every matching call is ThrottlingException until release, so the caller keeps retrying', async () => {
    const { ids, describe } = await profile('held-throttle');
    const hold = emulator.hold({ operation: 'UpdateSecurityProfile', securityProfileId: ids.SecurityProfileId, answer: 'throttle' });
    for (let i = 0; i < 3; i++) {
      expect(await outcome(client.send(new UpdateSecurityProfileCommand({ ...ids, Description: 'v2' })))).toBe('ThrottlingException:429');
    }
    expect(hold.held).toBe(3);
    expect(await describe()).toBe('v1');
    hold.release();
    expect(await outcome(client.send(new UpdateSecurityProfileCommand({ ...ids, Description: 'v2' })))).toBe('ok');
    expect(await describe()).toBe('v2');
  });

  test('a hold is checked', () => {
    expect(() => emulator.hold({ operation: 'UpdateSecurityProfile', count: 0 })).toThrow(/at least 1/);
    expect(() => emulator.hold({ operation: 'UpdateSecurityProfile', stage: 'after', answer: 'throttle' })).toThrow(/no "after" stage/);
  });
});
