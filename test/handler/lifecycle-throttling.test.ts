/**
 * The handler's lifecycle against the Connect emulator, over HTTP with the real SDK client: throttling.
 */
import { lifecycleFixture, idOf } from './fixture';
import { cfnEvent, depsFor, fastApi } from './helpers';
import { ConnectApi } from '../../lambda/connect-api';
import { handleEvent } from '../../lambda/on-event';
import { OperationRateLimiter } from '../../lambda/rate-limiter';
import { connectClientFor } from '../../local/connect-emulator';

const f = lifecycleFixture();

describe('throttling', () => {
  /**
   * Two resources deployed in parallel (as CloudFormation does): create, a no-drift update, a change and
   * a delete of each, the two running concurrently.
   */
  async function parallelRun(prefix: string, deps: () => ReturnType<typeof depsFor>) {
    return Promise.all([1, 2].map(async (n) => {
      const props = { ...f.fullProperties(f.uniqueName(`${prefix}-${n}`)), AllowedFlowModules: undefined, AllowedAIAgents: undefined };
      const logicalId = `Profile${n}`;
      const created = await handleEvent(cfnEvent('Create', props, { logicalId }), deps());
      const physicalResourceId = created.PhysicalResourceId;
      await handleEvent(cfnEvent('Update', props, { physicalResourceId, oldProperties: props, logicalId }), deps());
      await handleEvent(cfnEvent('Update', { ...props, Description: 'changed' }, { physicalResourceId, oldProperties: props, logicalId }), deps());
      await handleEvent(cfnEvent('Delete', props, { physicalResourceId, logicalId }), deps());
      return created;
    }));
  }

  test('a run throttled by Connect still succeeds (throttled calls retried)', async () => {
    // per operation: 20 per second, burst 1; the client-side bucket is wide open, so the two parallel
    // CreateSecurityProfile calls alone exceed the burst
    f.emulator.configure({ throttling: { default: { rate: 20, burst: 1 } } });
    f.emulator.clearRequestLog();

    const created = await parallelRun('Throttled', () => depsFor(f.emulator));

    expect(f.emulator.requestLog.filter((e) => e.errorType === 'ThrottlingException').length).toBeGreaterThan(0);
    expect(f.emulator.requestLog.filter((e) => e.operation === 'UpdateSecurityProfile' && e.status === 200)).toHaveLength(2);
    const left = f.emulator.listSecurityProfilesIn(f.instanceId).map((p) => p.id);
    expect(created.map(idOf).filter((id) => left.includes(id))).toEqual([]);
  });

  test('the client-side bucket below the quota keeps the same run free of throttling', async () => {
    // Connect: 20 per second per operation, burst 2. The process-wide client bucket (as in Lambda) paces
    // every call at 10 per second, so same-operation calls reach the server at least 100 ms apart; the
    // margin absorbs scheduling jitter on a loaded CI machine (at 15 rps against a burst of 1, two calls
    // delayed differently by 17 ms were enough to draw a 429, which said nothing about the pacing).
    f.emulator.configure({ throttling: { default: { rate: 20, burst: 2 } } });
    f.emulator.clearRequestLog();
    const api = fastApi(f.emulator, { ratePerSecond: 10, burst: 1 });

    await parallelRun('Paced', () => depsFor(f.emulator, { connect: api }));

    expect(f.emulator.requestLog.filter((e) => e.errorType === 'ThrottlingException')).toEqual([]);
    expect(f.emulator.requestLog).toHaveLength(18);
  });

  test('creates in separate processes, each with its own buckets, all succeed however long the throttling lasts', async () => {
    // 30 Create events at once, each with its own gateway and per-operation buckets (as 30 Lambda
    // containers would be), against 10 CreateSecurityProfile/s, burst 1: each bucket is full, so the
    // client side holds nothing back, and the last creates are throttled for about 3 seconds, far more
    // attempts at these short waits than any fixed count (8 before) would allow. The buckets are 50/s
    // so that they never hold back these short retries (in Lambda the waits are longer than a 2/s
    // bucket's interval, so the same holds).
    f.emulator.configure({ throttling: { CreateSecurityProfile: { rate: 10, burst: 1 } } });
    f.emulator.clearRequestLog();
    const attempts: number[] = [];
    const runs = Array.from({ length: 30 }, async (_, i) => {
      let last = 1;
      const connect = new ConnectApi(connectClientFor(f.emulator, { maxAttempts: 1 }), {
        rateLimiter: new OperationRateLimiter({ default: { ratePerSecond: 50, burst: 5 } }),
        retry: { throttleBaseDelayMs: 10, maxDelayMs: 100 },
        onRetry: ({ attempt }) => { last = attempt + 1; },
      });
      const props = { ...f.fullProperties(f.uniqueName('Separate')), AllowedFlowModules: undefined, AllowedAIAgents: undefined };
      const created = await handleEvent(cfnEvent('Create', props, { logicalId: `Profile${i}` }), depsFor(f.emulator, { connect }));
      attempts.push(last);
      return created;
    });

    const created = await Promise.all(runs);

    expect(created.map(idOf).filter(Boolean)).toHaveLength(30);
    expect(f.emulator.requestLog.filter((e) => e.operation === 'CreateSecurityProfile' && e.status === 200)).toHaveLength(30);
    expect(Math.max(...attempts)).toBeGreaterThan(8);
  });
});
