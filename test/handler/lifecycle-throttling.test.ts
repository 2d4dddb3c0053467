/**
 * The handler's lifecycle against the Connect emulator, over HTTP with the real SDK client: throttling.
 */
import { lifecycleFixture, idOf } from './fixture';
import { cfnEvent, depsFor, fastApi } from './helpers';
import { onEvent } from '../../lambda/on-event';

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
      const created = await onEvent(cfnEvent('Create', props, { logicalId }), deps());
      const physicalResourceId = created.PhysicalResourceId;
      await onEvent(cfnEvent('Update', props, { physicalResourceId, oldProperties: props, logicalId }), deps());
      await onEvent(cfnEvent('Update', { ...props, Description: 'changed' }, { physicalResourceId, oldProperties: props, logicalId }), deps());
      await onEvent(cfnEvent('Delete', props, { physicalResourceId, logicalId }), deps());
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
    f.emulator.configure({ throttling: { default: { rate: 20, burst: 1 } } });
    f.emulator.clearRequestLog();
    // one bucket for the process, as in Lambda, a little under Connect's rate
    const api = fastApi(f.emulator, { ratePerSecond: 15, burst: 1 });

    await parallelRun('Paced', () => depsFor(f.emulator, { connect: api }));

    expect(f.emulator.requestLog.filter((e) => e.errorType === 'ThrottlingException')).toEqual([]);
    expect(f.emulator.requestLog).toHaveLength(18);
  });
});
