import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectApi } from '../../lambda/connect-api';
import { TokenBucket } from '../../lambda/rate-limiter';
import { collectUsers, SEARCH_USERS_PAGE_SIZE, searchUserPages } from '../../lambda/search-users';
import { ConnectEmulator } from '../../local/connect-emulator';
import { startEmulatorAndClient } from '../support/emulator-client';

// The paginator goes through the handler's rate-limited gateway here, as it does in the Lambda.
let emulator: ConnectEmulator;
let client: ConnectClient;
let stop: () => Promise<void>;
let api: ConnectApi;

beforeAll(async () => {
  ({ emulator, client, stop } = await startEmulatorAndClient());
  api = new ConnectApi(client, { rateLimiter: new TokenBucket({ ratePerSecond: 1000, burst: 1000 }) });
});

afterAll(() => stop());

function searchRequests(): any[] {
  return emulator.requestLog.filter(e => e.operation === 'SearchUsers').map(e => e.input);
}

function seedUsers(count: number): string {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance({ identityManagementType: 'SAML' });
  for (let i = 0; i < count; i++) {
    emulator.seedUser(instanceId, { username: `user${i}`, securityProfileIds: [defaultSecurityProfileIds.Agent] });
  }
  emulator.clearRequestLog();
  return instanceId;
}

test('the paginator asks for 500 users a page by default', () => {
  expect(SEARCH_USERS_PAGE_SIZE).toBe(500);
});

test('500 users (the default quota) in pages of 25 take exactly 20 calls, each user once', async () => {
  const instanceId = seedUsers(500);

  const found = await collectUsers(api, { instanceId, pageSize: 25 });

  expect(emulator.callCount('SearchUsers')).toBe(20);
  expect(found).toMatchObject({ approximateTotal: 500, truncated: false, calls: 20 });
  expect(new Set(found.users.map(u => u.id)).size).toBe(500);
  expect(searchRequests().every(r => r.MaxResults === 25)).toBe(true);
});

// Seeded users stand for existing state, so seeding goes past the default 500-users quota (a raised quota).
test('10,000 users take exactly 20 calls of 500', async () => {
  // GIVEN
  const instanceId = seedUsers(10_000);

  // WHEN
  const ids = new Set<string>();
  const totals: Array<number | undefined> = [];
  for await (const page of searchUserPages(api, { instanceId })) {
    totals.push(page.approximateTotalCount);
    for (const user of page.users) ids.add(user.id);
  }

  // THEN
  expect(emulator.callCount('SearchUsers')).toBe(20);
  expect(ids.size).toBe(10_000);
  expect(totals).toEqual(Array(20).fill(10_000));
  const requests = searchRequests();
  expect(requests.every(r => r.MaxResults === 500 && r.InstanceId === instanceId)).toBe(true);
  expect(requests[0].NextToken).toBeUndefined();
  expect(requests.slice(1).every(r => typeof r.NextToken === 'string')).toBe(true);
});
