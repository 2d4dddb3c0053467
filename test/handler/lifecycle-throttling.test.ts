/**
 * The handler's lifecycle against the Connect emulator, over HTTP with the real SDK client: throttling.
 */
import { lifecycleFixture, idOf } from './fixture';
import { cfnEvent, depsFor, fastApi } from './helpers';
import { onEvent } from '../../lambda/on-event';

const f = lifecycleFixture();

describe('throttling', () => {
  /** Create, three no-drift updates and one change back to back (each reads the profile), then delete. */
  async function busyRun(name: string, deps: () => ReturnType<typeof depsFor>) {
    const props = f.fullProperties(name);
    const created = await onEvent(cfnEvent('Create', props), deps());
    for (let i = 0; i < 3; i++) {
      await onEvent(cfnEvent('Update', props, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), deps());
    }
    await onEvent(cfnEvent('Update', { ...props, Description: 'changed' }, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), deps());
    await onEvent(cfnEvent('Delete', props, { physicalResourceId: created.PhysicalResourceId }), deps());
    return created;
  }

  test('a run throttled by Connect still succeeds (throttled calls retried)', async () => {
    // per operation: 20 per second, burst 2; the client-side bucket is wide open
    f.emulator.configure({ throttling: { default: { rate: 20, burst: 2 } } });
    f.emulator.clearRequestLog();

    const created = await busyRun(f.uniqueName('Throttled'), () => depsFor(f.emulator));

    expect(f.emulator.requestLog.filter((e) => e.errorType === 'ThrottlingException').length).toBeGreaterThan(0);
    expect(f.emulator.requestLog.filter((e) => e.operation === 'UpdateSecurityProfile' && e.status === 200)).toHaveLength(1);
    expect(f.emulator.listSecurityProfilesIn(f.instanceId).map((p) => p.id)).not.toContain(idOf(created));
  });

  test('the client-side bucket at the quota keeps the same run free of throttling', async () => {
    f.emulator.configure({ throttling: { default: { rate: 20, burst: 2 } } });
    f.emulator.clearRequestLog();
    // one bucket for the process, as in Lambda
    const api = fastApi(f.emulator, { ratePerSecond: 20, burst: 2 });

    await busyRun(f.uniqueName('Paced'), () => depsFor(f.emulator, { connect: api }));

    expect(f.emulator.requestLog.filter((e) => e.errorType === 'ThrottlingException')).toEqual([]);
    expect(f.emulator.requestLog.length).toBeGreaterThan(20);
  });
});

