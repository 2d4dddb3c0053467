/**
 * SearchUsers over a large instance: how many calls and how long the paginator takes to read every
 * user, under the emulator's realistic throttling (SearchUsers: 2 requests/s, burst 5) and the
 * handler's own client-side rate limiter (same defaults).
 */
import { ConnectApi, createConnectClient } from '../lambda/connect-api';
import { searchUserPages } from '../lambda/search-users';
import { FAKE_CREDENTIALS } from '../local/aws';
import { startConnectEmulator } from '../local/connect-emulator';

/** The result. */
export interface SearchResult {
  readonly users: number;
  /** Every SearchUsers request, including throttled ones. */
  readonly calls: number;
  /** Requests answered with ThrottlingException (retried). */
  readonly throttledCalls: number;
  /** The fewest calls the API allows: ceil(users / 500). */
  readonly minimumCalls: number;
  readonly usersRead: number;
  readonly durationMs: number;
  /** Seeding failed at this many users (the emulator's users-per-instance quota), when it did. */
  readonly seedingStoppedAt?: string;
}

/**
 * Seed `users` users in one instance and read them all back through the paginator.
 */
export async function measureSearch(users: number): Promise<SearchResult> {
  const emulator = await startConnectEmulator({ throttling: 'realistic' });
  const client = createConnectClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: FAKE_CREDENTIALS });
  try {
    const { instanceId, defaultSecurityProfileIds } = emulator.createInstance({ identityManagementType: 'SAML' });
    let seedingStoppedAt: string | undefined;
    let seeded = 0;
    for (; seeded < users; seeded++) {
      try {
        emulator.seedUser(instanceId, { username: `agent${seeded}`, securityProfileIds: [defaultSecurityProfileIds.Agent] });
      } catch (e) {
        seedingStoppedAt = `${seeded} users: ${(e as Error).message}`;
        break;
      }
    }
    emulator.clearRequestLog();
    const api = new ConnectApi(client);
    const started = performance.now();
    let usersRead = 0;
    for await (const page of searchUserPages(api, { instanceId })) {
      usersRead += page.users.length;
    }
    const durationMs = performance.now() - started;
    return {
      users: seeded,
      calls: emulator.callCount('SearchUsers'),
      throttledCalls: emulator.requestLog.filter((e) => e.operation === 'SearchUsers' && e.errorType === 'ThrottlingException').length,
      minimumCalls: Math.ceil(seeded / 500),
      usersRead,
      durationMs,
      ...(seedingStoppedAt ? { seedingStoppedAt } : {}),
    };
  } finally {
    client.destroy();
    await emulator.stop();
  }
}
