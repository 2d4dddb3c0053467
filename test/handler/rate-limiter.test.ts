import { OperationRateLimiter, TokenBucket, numberFromEnv, rateLimitsFromEnv } from '../../lambda/rate-limiter';
import { CONNECT_API_QUOTAS, ENV } from '../../src/private/contract';
import { virtualClock } from '../support/virtual-clock';

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

describe('OperationRateLimiter', () => {
  test('each operation has its own bucket: one operation waiting does not hold up another', async () => {
    const clock = virtualClock();
    const limiter = new OperationRateLimiter({ default: { ratePerSecond: 2, burst: 5 } }, { now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 9; i++) await limiter.acquire('DescribeSecurityProfile');
    // nine Describe calls: the burst of 5, then four at 2 per second
    expect(clock.now()).toBe(2000);
    const before = clock.now();
    // the permissions list still has its whole burst
    for (let i = 0; i < 5; i++) await limiter.acquire('ListSecurityProfilePermissions');
    expect(clock.now()).toBe(before);
  });

  test("an operation named in the quotas gets its own rate, the others Connect's default", async () => {
    const clock = virtualClock();
    const limiter = new OperationRateLimiter(CONNECT_API_QUOTAS, { now: clock.now, sleep: clock.sleep });
    expect(limiter.quotaOf('DescribeUser')).toEqual({ ratePerSecond: 10, burst: 10 });
    expect(limiter.quotaOf('CreateSecurityProfile')).toEqual({ ratePerSecond: 2, burst: 5 });
    for (let i = 0; i < 20; i++) await limiter.acquire('DescribeUser');
    // the burst of 10, then ten at 10 per second
    expect(clock.now()).toBe(1000);
  });

  test('fails at construction without a default quota', () => {
    expect(() => new OperationRateLimiter({ CreateSecurityProfile: { ratePerSecond: 2, burst: 5 } }))
      .toThrow('rate limiter: the quotas must have a "default" entry for the operations they do not name');
  });

  test('fails at construction on a bad quota, naming the operation', () => {
    expect(() => new OperationRateLimiter({ default: { ratePerSecond: 2, burst: 5 }, DeleteSecurityProfile: { ratePerSecond: 0, burst: 5 } }))
      .toThrow('rate limiter: ratePerSecond must be a positive number, received 0 (quota of DeleteSecurityProfile)');
  });
});

describe('rateLimitsFromEnv', () => {
  test("without settings: Connect's quota table", () => {
    expect(rateLimitsFromEnv({})).toEqual(CONNECT_API_QUOTAS);
  });

  test(`${ENV.rateLimits} replaces the operations it names and keeps the rest`, () => {
    const quotas = rateLimitsFromEnv({
      [ENV.rateLimits]: JSON.stringify({ CreateSecurityProfile: { ratePerSecond: 1, burst: 2 }, default: { ratePerSecond: 4, burst: 8 } }),
    });
    expect(quotas.CreateSecurityProfile).toEqual({ ratePerSecond: 1, burst: 2 });
    expect(quotas.default).toEqual({ ratePerSecond: 4, burst: 8 });
    expect(quotas.DescribeUser).toEqual(CONNECT_API_QUOTAS.DescribeUser);
  });

  test(`the single-rate settings set the default quota, under ${ENV.rateLimits}`, () => {
    expect(rateLimitsFromEnv({ [ENV.rateLimitPerSecond]: '100', [ENV.rateLimitBurst]: '50' }).default).toEqual({ ratePerSecond: 100, burst: 50 });
    expect(rateLimitsFromEnv({
      [ENV.rateLimitPerSecond]: '100',
      [ENV.rateLimits]: '{"default":{"ratePerSecond":3,"burst":3}}',
    }).default).toEqual({ ratePerSecond: 3, burst: 3 });
  });

  test.each([
    ['not json', /environment variable CONNECT_RATE_LIMITS must be JSON like/],
    ['[1]', /CONNECT_RATE_LIMITS must be a JSON object of operation names/],
    ['{"UpdateSecurityProfile":{"ratePerSecond":2}}', /CONNECT_RATE_LIMITS: the entry "UpdateSecurityProfile" must be \{"ratePerSecond": a number > 0, "burst": a number >= 1\}, received \{"ratePerSecond":2\}/],
    ['{"default":{"ratePerSecond":-1,"burst":5}}', /the entry "default" must be/],
  ])('fails on %p, naming the variable and the entry', (raw, message) => {
    expect(() => rateLimitsFromEnv({ [ENV.rateLimits]: raw })).toThrow(message);
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
