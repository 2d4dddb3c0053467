/**
 * The gateway's retry policy against the emulator's injected faults, over HTTP with the real SDK.
 */
import { DescribeInstanceCommand, ListUsersCommand } from '@aws-sdk/client-connect';
import { ConnectApi, DEFAULT_RETRY_MAX_DELAY_MS, grantedOnly, InvocationDeadline } from '../../lambda/connect-api';
import { ConnectApiError } from '../../lambda/errors';
import { TokenBucket } from '../../lambda/rate-limiter';
import { ConnectEmulator, connectClientFor, startConnectEmulator } from '../../local/connect-emulator';
import { ENV } from '../../src/private/contract';
import { virtualClock } from '../support/virtual-clock';

let emulator: ConnectEmulator;
let instanceId: string;
let profileId: string;

beforeAll(async () => {
  emulator = await startConnectEmulator();
  const instance = emulator.createInstance();
  instanceId = instance.instanceId;
  profileId = instance.defaultSecurityProfileIds.Agent;
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.configure({ faults: {}, throttling: 'off' });
  emulator.clearRequestLog();
});

function api(maxAttempts?: number, onRetry?: (info: { operation: string; attempt: number }) => void): ConnectApi {
  return new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
    rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }),
    retry: { maxAttempts, baseDelayMs: 1, throttleBaseDelayMs: 2, maxDelayMs: 10 },
    onRetry,
  });
}

async function failure(p: Promise<unknown>): Promise<ConnectApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConnectApiError);
  return err as ConnectApiError;
}

test.each([
  ['internalError', 'internal', 'InternalServiceException'],
  ['throttle', 'throttled', 'ThrottlingException'],
  ['dropConnection', 'network', 'TimeoutError'],
])('%s is retried up to maxAttempts, then reported as %s', async (fault, kind, errorName) => {
  emulator.configure({ faults: { [fault]: 1, operations: ['DescribeSecurityProfile'] } });
  const retries: number[] = [];

  const err = await failure(api(4, (i) => retries.push(i.attempt)).describeSecurityProfile(instanceId, profileId));

  expect(err.kind).toBe(kind);
  expect(err.attempts).toBe(4);
  expect(err.errorName).toBe(errorName);
  expect(err.message).toMatch(/^DescribeSecurityProfile failed: .*\((still throttled|failed) after 4 attempt\(s\)/);
  expect(emulator.callCount('DescribeSecurityProfile')).toBe(4);
  expect(retries).toEqual([1, 2, 3]);
});

test('a fault on some attempts is absorbed by the retries', async () => {
  emulator.configure({ faults: { internalError: 0.3, dropConnection: 0.1, seed: 11, operations: ['ListSecurityProfilePermissions'] } });
  const a = api(12);
  for (let i = 0; i < 10; i++) {
    await expect(a.listSecurityProfilePermissions(instanceId, profileId)).resolves.toEqual(expect.any(Array));
  }
  const failed = emulator.requestLog.filter((e) => e.status !== 200);
  expect(failed.length).toBeGreaterThan(0);
});

test('errors that are not worth retrying are reported at once', async () => {
  const err = await failure(api(5).describeSecurityProfile(instanceId, '00000000-0000-0000-0000-000000000000'));
  expect(err.kind).toBe('not-found');
  expect(err.attempts).toBe(1);
  expect(emulator.callCount('DescribeSecurityProfile')).toBe(1);
});

describe('throttling waits within the deadline, not a count of attempts', () => {
  test('a call throttled far more than 8 times still succeeds', async () => {
    // 24 callers of one operation against 10 requests/s, burst 1: the last ones are throttled for
    // about 2 seconds, dozens of attempts at these short waits
    emulator.configure({ throttling: { DescribeSecurityProfile: { rate: 10, burst: 1 } } });
    const attempts = new Map<number, number>();
    const calls = Array.from({ length: 24 }, (_, i) => new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
      rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }),
      retry: { throttleBaseDelayMs: 10, maxDelayMs: 100 },
      onRetry: ({ attempt }) => attempts.set(i, attempt + 1),
    }).describeSecurityProfile(instanceId, profileId));

    const profiles = await Promise.all(calls);

    expect(profiles.every((p) => p.Id === profileId)).toBe(true);
    expect(Math.max(...attempts.values())).toBeGreaterThan(8);
    expect(emulator.requestLog.filter((e) => e.status === 200)).toHaveLength(24);
  });

  test('a call throttled until the deadline fails then, saying the time ran out', async () => {
    emulator.configure({ faults: { throttle: 1, operations: ['DescribeSecurityProfile'] } });
    const clock = virtualClock();
    const a = new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
      rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }),
      deadline: InvocationDeadline.after(60_000, clock.now),
      sleep: clock.sleep,
      now: clock.now,
    });

    const err = await failure(a.describeSecurityProfile(instanceId, profileId));

    expect(err.kind).toBe('throttled');
    expect(err.outOfTime).toBe(true);
    expect(err.message).toMatch(/^DescribeSecurityProfile failed: ThrottlingException.*\(still throttled after \d+ attempt\(s\) over 60 s, when the invocation's time ran out; .*Service Quotas\)$/);
    // it waited the whole minute, in waits no longer than the cap, and not a moment past the deadline
    expect(clock.now()).toBe(60_000);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(DEFAULT_RETRY_MAX_DELAY_MS);
    expect(err.attempts).toBe(clock.sleeps.length + 1);
    expect(err.attempts).toBeGreaterThan(8);
    expect(emulator.callCount('DescribeSecurityProfile')).toBe(err.attempts);
  });

  test('the deadline of a Lambda context keeps the margin', () => {
    const clock = virtualClock();
    const deadline = InvocationDeadline.fromContext({ getRemainingTimeInMillis: () => 60_000 }, 10_000, clock.now);
    expect(deadline.remainingMs()).toBe(50_000);
    expect(InvocationDeadline.fromContext({ getRemainingTimeInMillis: () => 60_000 }, undefined, clock.now).remainingMs())
      .toBe(60_000 - InvocationDeadline.DEFAULT_MARGIN_MS);
  });

  test('withDeadline bounds the same gateway by another deadline', async () => {
    emulator.configure({ faults: { throttle: 1, operations: ['DescribeSecurityProfile'] } });
    const clock = virtualClock();
    const base = new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
      rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }), sleep: clock.sleep, now: clock.now,
    });

    const err = await failure(base.withDeadline(InvocationDeadline.after(7_000, clock.now)).describeSecurityProfile(instanceId, profileId));

    expect(err.outOfTime).toBe(true);
    expect(clock.now()).toBe(7_000);
  });
});

describe('decorrelated jitter', () => {
  async function delaysWith(random: () => number, retry: { throttleBaseDelayMs?: number; maxDelayMs?: number } = {}): Promise<number[]> {
    emulator.configure({ faults: { throttle: 1, operations: ['DescribeSecurityProfile'] } });
    const clock = virtualClock();
    const a = new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
      rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }),
      retry: { ...retry, maxAttempts: 7 },
      sleep: clock.sleep,
      now: clock.now,
      random,
    });
    await failure(a.describeSecurityProfile(instanceId, profileId));
    return clock.sleeps;
  }

  test('each wait is drawn between the base and three times the previous wait, capped', async () => {
    // the top of each range: 500 × 3, × 3 again, then the 5 s cap
    expect(await delaysWith(() => 1)).toEqual([1500, 4500, 5000, 5000, 5000, 5000]);
    // the bottom of each range: the base
    expect(await delaysWith(() => 0)).toEqual([500, 500, 500, 500, 500, 500]);
    // the middle: 500 + (1500 - 500) / 2, then 500 + (3000 - 500) / 2, then 500 + (5000 - 500) / 2 from there on
    expect(await delaysWith(() => 0.5)).toEqual([1000, 1750, 2750, 2750, 2750, 2750]);
  });

  test(`${ENV.retryMaxDelayMs} sets the cap when the options do not`, async () => {
    const saved = process.env[ENV.retryMaxDelayMs];
    process.env[ENV.retryMaxDelayMs] = '2000';
    try {
      expect(await delaysWith(() => 1)).toEqual([1500, 2000, 2000, 2000, 2000, 2000]);
    } finally {
      if (saved === undefined) delete process.env[ENV.retryMaxDelayMs];
      else process.env[ENV.retryMaxDelayMs] = saved;
    }
  });
});

test('server errors stop after 8 attempts by default, whatever the deadline', async () => {
  emulator.configure({ faults: { internalError: 1, operations: ['DescribeSecurityProfile'] } });
  const clock = virtualClock();
  const a = new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
    rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }), sleep: clock.sleep, now: clock.now,
  });
  const err = await failure(a.describeSecurityProfile(instanceId, profileId));
  expect(err.kind).toBe('internal');
  expect(err.attempts).toBe(8);
  expect(err.outOfTime).toBe(false);
  expect(err.message).toMatch(/failed after 8 attempt\(s\) over \d+ s; retry the deployment\)$/);
});

test('searchUsers returns one page as the SDK gives it', async () => {
  emulator.seedUser(instanceId, { username: 'agent-one', securityProfileIds: [profileId] });
  const out = await api().searchUsers({ InstanceId: instanceId, MaxResults: 1 });
  expect(out.Users).toHaveLength(1);
  expect(out.Users![0].Username).toBe('agent-one');
  expect(emulator.callCount('SearchUsers')).toBe(1);
});

describe('write guard (writers fence their writes with their lease)', () => {
  test('runs before every attempt of a write, and what it throws stops the call unsent; reads are not guarded', async () => {
    let calls = 0;
    let refuseFrom = Infinity;
    const guarded = api().withWriteGuard(() => {
      calls++;
      if (calls >= refuseFrom) throw new Error('lease about to expire');
    });
    // a throttled write: one guard call per attempt
    emulator.configure({ faults: { throttle: 1, operations: ['UpdateSecurityProfile'] } });
    refuseFrom = 4;
    await expect(guarded.updateSecurityProfile({ InstanceId: instanceId, SecurityProfileId: profileId, Description: 'x' }))
      .rejects.toThrow('lease about to expire');
    expect(calls).toBe(4);
    expect(emulator.requestLog.filter((e) => e.operation === 'UpdateSecurityProfile')).toHaveLength(3);
    emulator.configure({ faults: {} });
    await guarded.describeSecurityProfile(instanceId, profileId);
    await guarded.listSecurityProfilePermissions(instanceId, profileId);
    expect(calls).toBe(4);
  });

  test('guards add up: the one it had runs first', async () => {
    const order: string[] = [];
    const guarded = api().withWriteGuard(() => { order.push('first'); }).withWriteGuard(() => { order.push('second'); });
    await guarded.updateSecurityProfile({ InstanceId: instanceId, SecurityProfileId: profileId, Description: 'y' });
    expect(order).toEqual(['first', 'second']);
  });
});

describe('only the operations IAM grants', () => {
  test('a command whose operation is not in CONNECT_OPERATIONS is refused before it is sent, naming the list; a listed one is sent', async () => {
    const client = connectClientFor(emulator, { maxAttempts: 1 });
    await expect(client.send(grantedOnly(new ListUsersCommand({ InstanceId: instanceId }))))
      .rejects.toThrow(/may not send ListUsers: it is not in CONNECT_OPERATIONS \(src\/private\/connect-operations\.ts\)/);
    expect(emulator.requestLog).toHaveLength(0);
    await expect(client.send(grantedOnly(new DescribeInstanceCommand({ InstanceId: instanceId }))))
      .resolves.toMatchObject({ Instance: { Id: instanceId } });
    expect(emulator.requestLog.map((e) => e.operation)).toEqual(['DescribeInstance']);
    client.destroy();
  });
});
