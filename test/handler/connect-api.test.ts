/**
 * The gateway's retry policy against the emulator's injected faults, over HTTP with the real SDK.
 */
import { ConnectApi } from '../../lambda/connect-api';
import { ConnectApiError } from '../../lambda/errors';
import { TokenBucket } from '../../lambda/rate-limiter';
import { ENV } from '../../src/private/contract';
import { ConnectEmulator, connectClientFor, startConnectEmulator } from '../connect-emulator';

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

test(`${ENV.maxAttempts} sets the attempts when the options do not`, async () => {
  emulator.configure({ faults: { internalError: 1, operations: ['DescribeSecurityProfile'] } });
  const saved = process.env[ENV.maxAttempts];
  process.env[ENV.maxAttempts] = '2';
  try {
    const err = await failure(api().describeSecurityProfile(instanceId, profileId));
    expect(err.attempts).toBe(2);
  } finally {
    if (saved === undefined) delete process.env[ENV.maxAttempts];
    else process.env[ENV.maxAttempts] = saved;
  }
});

test('searchUsers returns one page as the SDK gives it', async () => {
  emulator.seedUser(instanceId, { username: 'agent-one', securityProfileIds: [profileId] });
  const out = await api().searchUsers({ InstanceId: instanceId, MaxResults: 1 });
  expect(out.Users).toHaveLength(1);
  expect(out.Users![0].Username).toBe('agent-one');
  expect(emulator.callCount('SearchUsers')).toBe(1);
});
