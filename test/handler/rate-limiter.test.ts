import { TokenBucket, numberFromEnv } from '../../lambda/rate-limiter';
import { ENV } from '../../src/private/contract';

/** A virtual clock: sleeping advances it, so the tests measure waiting without waiting. */
function virtualClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

describe('TokenBucket', () => {
  test('the burst goes at once, then 2 per second', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 5, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) await bucket.acquire();
    expect(clock.now()).toBe(0);
    for (let i = 0; i < 4; i++) await bucket.acquire();
    // four more tokens at 2 per second: 2 seconds of virtual time
    expect(clock.now()).toBe(2000);
  });

  test('concurrent callers are served in order and never exceed the rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, now: clock.now, sleep: clock.sleep });
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => bucket.acquire().then(() => {
      order.push(i);
      times.push(clock.now());
    })));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(times).toEqual([0, 100, 200, 300, 400, 500]);
  });

  test('a quiet period refills up to the burst, not beyond', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 3, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 3; i++) await bucket.acquire();
    clock.advance(60_000);
    const start = clock.now();
    for (let i = 0; i < 4; i++) await bucket.acquire();
    expect(clock.now() - start).toBe(500);
  });

  test.each([[0, 5], [-1, 5], [2, 0]])('rejects rate %p burst %p', (ratePerSecond, burst) => {
    expect(() => new TokenBucket({ ratePerSecond, burst })).toThrow(/rate limiter: (ratePerSecond must be a positive number|burst must be a number >= 1)/);
  });
});

describe('numberFromEnv', () => {
  test('reads the variable, falls back when unset', () => {
    expect(numberFromEnv({ [ENV.rateLimitPerSecond]: '7.5' }, ENV.rateLimitPerSecond, 2)).toBe(7.5);
    expect(numberFromEnv({}, ENV.rateLimitPerSecond, 2)).toBe(2);
  });

  test('fails on a value that is not a positive number, naming the variable', () => {
    expect(() => numberFromEnv({ [ENV.rateLimitBurst]: 'lots' }, ENV.rateLimitBurst, 5))
      .toThrow('environment variable CONNECT_RATE_LIMIT_BURST must be a positive number, received "lots"');
  });
});
