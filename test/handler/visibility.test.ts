import { untilVisible } from '../../lambda/visibility';
import { virtualClock } from '../support/virtual-clock';

describe('untilVisible', () => {
  test('returns the first read that finds something, backing off between reads', async () => {
    const t = virtualClock();
    const answers = [undefined, undefined, undefined, 'found'];
    await expect(untilVisible(async () => answers.shift(), { waitMs: 30_000, now: t.now, sleep: t.sleep })).resolves.toBe('found');
    expect(t.sleeps).toEqual([100, 200, 400]);
  });

  test('gives up at the deadline with what the last read found, never sleeping past it', async () => {
    const t = virtualClock();
    let reads = 0;
    await expect(untilVisible(async () => { reads++; return undefined; }, { waitMs: 1_000, now: t.now, sleep: t.sleep })).resolves.toBeUndefined();
    expect(t.sleeps).toEqual([100, 200, 400, 300]);
    expect(reads).toBe(5);
  });

  test('no wait: one read', async () => {
    const t = virtualClock();
    let reads = 0;
    await expect(untilVisible(async () => { reads++; return undefined; }, { waitMs: 0, now: t.now, sleep: t.sleep })).resolves.toBeUndefined();
    expect(reads).toBe(1);
    expect(t.sleeps).toEqual([]);
  });
});
