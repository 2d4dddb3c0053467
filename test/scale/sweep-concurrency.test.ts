/**
 * How many profiles a sweep checks at once: enough to keep the slowest read API's quota busy while
 * checks spend time on the table and round trips (Little's law), never fewer than 8 nor more than 64.
 */
import { OperationRateLimiter, rateLimitsFromEnv } from '../../lambda/rate-limiter';
import { DEFAULT_SWEEP_CONCURRENCY, sweepConcurrencyFor } from '../../lambda/sweep';
import { CONNECT_API_QUOTAS } from '../../src/private/contract';

const at = (ratePerSecond: number, burst = 5) => () => ({ ratePerSecond, burst });

it.each([
  ['Connect\'s default 2/s', DEFAULT_SWEEP_CONCURRENCY, at(2)],
  ['a raised 10/s', 20, at(10)],
  ['a raised 40/s (capped)', 64, at(40)],
  ['the slowest read decides', 10, (op: string) => ({ ratePerSecond: op === 'ListSecurityProfileApplications' ? 5 : 40, burst: 5 })],
])('%s: %d at once', (_name, expected, quotaOf) => {
  expect(sweepConcurrencyFor(quotaOf)).toBe(expected);
});

it('the process-wide quotas of an unconfigured reconciler give 8', () => {
  const limiter = new OperationRateLimiter(rateLimitsFromEnv({}));
  expect(sweepConcurrencyFor((op) => limiter.quotaOf(op))).toBe(DEFAULT_SWEEP_CONCURRENCY);
  expect(CONNECT_API_QUOTAS.default.ratePerSecond).toBe(2);
});
