/**
 * Test harness for drift reconciliation: the Connect emulator over HTTP with the real SDK, a dynalite
 * server for the desired-state table with the real DynamoDB SDK, and the reconciler's real modules.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { createProfile } from '../../lambda/apply';
import { ConnectApi } from '../../lambda/connect-api';
import { LeaseTable } from '../../lambda/lease';
import { ReconcilerMetrics } from '../../lambda/metrics';
import { listsManagedBy, observeProfile } from '../../lambda/observe';
import { ownerMark } from '../../lambda/owner';
import { SecurityProfileState, withOwnerMark } from '../../lambda/profile-state';
import { parseProperties } from '../../lambda/properties';
import { TokenBucket } from '../../lambda/rate-limiter';
import type { ReconcilerDeps } from '../../lambda/reconciler';
import { createDesiredStateTable, DynamoDbStateStore, keyOf, StoredRecord } from '../../lambda/state-table';
import { refOf } from '../../lambda/stored-record';
import { connectClientFor, ConnectEmulator, EmulatorOptions, startConnectEmulator } from '../../local/connect-emulator';
import { DynaliteServer, startDynalite } from '../../local/dynamodb';
import { ENV } from '../../src/private/contract';
import type { DriftModeValue } from '../../src/private/contract';
import { TestLogger } from '../support/logger';

/** The stack every test profile belongs to. */
export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/DriftTest/6a1b2c3d-0000-4000-8000-000000000000';

/** A started dynalite server (local/dynamodb.ts). */
export type Dynalite = DynaliteServer;
export { startDynalite };

/** Options of `startHarness`. */
export interface HarnessOptions {
  readonly emulator?: EmulatorOptions;
  /** The client-side token bucket. @default 1000 rps, burst 1000 (tests without throttling) */
  readonly rateLimit?: { readonly ratePerSecond: number; readonly burst: number };
}

/** Everything a drift test needs. */
export interface Harness {
  readonly emulator: ConnectEmulator;
  readonly instanceId: string;
  readonly instanceArn: string;
  /** Hierarchy group `BPO-A` of the instance: the group the declared profiles are restricted to. */
  readonly groupId: string;
  /** Hierarchy group `BPO-B`: where an out-of-band edit moves a profile. */
  readonly otherGroupId: string;
  readonly dynalite: Dynalite;
  readonly store: DynamoDbStateStore;
  /** The writers' leases, in the same table. */
  readonly leases: LeaseTable;
  /** The reconciler's gateway (rate-limited, retrying). */
  readonly api: ConnectApi;
  /** A plain SDK client for out-of-band edits ("someone in the Connect admin website"). */
  readonly console: ConnectClient;
  readonly logger: TestLogger;
  /** Throttled calls the gateway retried. */
  readonly throttles: { count: number };
  /** EMF documents written by the metrics (captured from stdout). */
  readonly emf: Array<Record<string, unknown>>;
  /** Fresh metrics, logger lines kept. */
  deps(overrides?: Partial<ReconcilerDeps>): ReconcilerDeps;
  /** Create a profile as the deploy-time handler does and record its desired state. */
  manage(properties: Record<string, unknown>, driftMode: DriftModeValue, logicalId?: string): Promise<StoredRecord>;
  /** Read the live profile through the gateway. */
  observe(record: StoredRecord): Promise<SecurityProfileState | undefined>;
  /**
   * The environment of a deployed function pointed at this harness: Region, credentials, the local
   * endpoints, the table and rate limits that never pace a test. `extra` is laid over it.
   */
  functionEnv(extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

let tableCounter = 0;

/** Start the emulator and dynalite, create an instance and the table. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = await startConnectEmulator(options.emulator);
  const dynalite = await startDynalite();
  const tableName = `desired-state-${++tableCounter}`;
  await createDesiredStateTable(dynalite.client, tableName);
  const store = new DynamoDbStateStore({ tableName, client: dynalite.client });
  const leases = new LeaseTable({ tableName, client: dynalite.client });
  const { instanceId, instanceArn } = emulator.createInstance({ alias: 'drift-test' });
  const groupId = emulator.seedHierarchyGroup(instanceId, 'BPO-A').id;
  const otherGroupId = emulator.seedHierarchyGroup(instanceId, 'BPO-B').id;
  const throttles = { count: 0 };
  const rate = options.rateLimit ?? { ratePerSecond: 1000, burst: 1000 };
  const api = new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
    rateLimiter: new TokenBucket(rate),
    retry: { maxAttempts: 10, throttleBaseDelayMs: 5, baseDelayMs: 1, maxDelayMs: 50 },
    onRetry: ({ error }) => {
      if ((error as { name?: string }).name === 'ThrottlingException') throttles.count++;
    },
  });
  // Seeding (the deploy-time handler's work) goes through its own unthrottled gateway, so it does not
  // drain the bucket the reconciler under test uses.
  const seedApi = new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
    rateLimiter: new TokenBucket({ ratePerSecond: 100_000, burst: 100_000 }),
  });
  const console = connectClientFor(emulator);
  const logger = new TestLogger();
  const emf: Array<Record<string, unknown>> = [];

  const harness: Harness = {
    emulator,
    instanceId,
    instanceArn,
    groupId,
    otherGroupId,
    dynalite,
    store,
    leases,
    api,
    console,
    logger,
    throttles,
    emf,
    deps(overrides = {}) {
      return {
        store,
        leases,
        api,
        stackName: 'DriftTest',
        metrics: new ReconcilerMetrics({ serviceName: 'DriftTest', write: (line) => emf.push(JSON.parse(line) as Record<string, unknown>) }),
        logger,
        ...overrides,
      };
    },
    async manage(properties, driftMode, logicalId = `Profile${String(properties.SecurityProfileName)}`) {
      const parsed = parseProperties({ InstanceArn: instanceArn, ...properties });
      const mark = ownerMark(STACK_ID, logicalId.replace(/[^A-Za-z0-9]/g, ''));
      const desired = withOwnerMark(parsed.profile, mark);
      const identity = await createProfile(seedApi, desired, new TestLogger());
      const written = {
        securityProfileArn: identity.securityProfileArn,
        securityProfileId: identity.securityProfileId,
        instanceId: desired.InstanceId,
        ownerMark: mark,
        stackId: STACK_ID,
        logicalResourceId: logicalId,
        driftMode,
        desired,
        // Recorded well before the test's checks, outside the window in which a profile that cannot be
        // read is taken for one not visible yet (PENDING): the tests delete profiles on purpose.
        updatedAt: Date.now() - 10 * 60_000,
      };
      await store.put(written);
      const stored = await store.get(keyOf(identity.securityProfileArn));
      if (!stored) throw new Error(`the record of ${identity.securityProfileArn} was not written`);
      return stored;
    },
    observe(record) {
      return observeProfile(api, refOf(record), listsManagedBy(record.desired));
    },
    functionEnv(extra = {}) {
      return {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDTEST',
        AWS_SECRET_ACCESS_KEY: 'test-secret',
        AWS_ENDPOINT_URL_CONNECT: emulator.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
        [ENV.desiredStateTable]: tableName,
        [ENV.rateLimitPerSecond]: '1000',
        [ENV.rateLimitBurst]: '1000',
        ...extra,
      };
    },
    async stop() {
      console.destroy();
      await emulator.stop();
      await dynalite.stop();
    },
  };
  return harness;
}

/** The write operations a reconciler could send to Connect. */
export const WRITE_OPERATIONS = ['CreateSecurityProfile', 'UpdateSecurityProfile', 'TagResource', 'UntagResource', 'DeleteSecurityProfile'];

/** Write calls in the emulator's request log. */
export function writesIn(emulator: ConnectEmulator): string[] {
  return emulator.requestLog.filter((e) => WRITE_OPERATIONS.includes(e.operation)).map((e) => e.operation);
}
