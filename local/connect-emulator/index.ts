import { AddressInfo } from 'net';
import { ConnectClient, ConnectClientConfig } from '@aws-sdk/client-connect';
import { OperationHandler } from './context';
import { entityProfileHandlers } from './entity-profiles';
import { createGroup, hierarchyHandlers } from './hierarchy';
import { createInstanceRecord, instanceHandlers } from './instances';
import type { FaultOptions, Hold, HoldOptions, ThrottlingOption } from './knobs';
import { loadModel } from './model';
import { searchHandlers } from './search';
import { securityProfileHandlers } from './security-profiles';
import { buildKnobs, EmulatorServer, type LogEntry } from './server';
import { Store } from './state';
import { tagHandlers } from './tags';
import { createUser, userHandlers } from './users';

export type { ThrottleRule, FaultOptions, Hold, HoldOptions } from './knobs';

/** Options of `startConnectEmulator`. All knobs are off by default. */
export interface EmulatorOptions {
  /** 'off' (default), 'realistic' (2 rps burst 5; 10 rps for user/hierarchy reads), or per-operation rules. */
  readonly throttling?: ThrottlingOption;
  /** Fault probabilities 0..1, all 0 by default; seeded PRNG. `operations` limits faults to those operations. */
  readonly faults?: FaultOptions;
  /** A new security profile is invisible to Describe/List*\/Search for this many ms (default 0). */
  readonly consistencyDelayMs?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
}

/** One request the emulator served: `status` 0 with errorType ConnectionDropped or ResponseLost when a fault cut the connection. */
export type RequestLogEntry = LogEntry;

/** A running emulator, in-process. */
export interface ConnectEmulator {
  /** 'http://127.0.0.1:<port>' */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly requestLog: readonly RequestLogEntry[];
  clearRequestLog(): void;
  /** Successful + failed requests, by operation name (all operations when omitted). */
  callCount(operation?: string): number;
  /** Change knobs live; only the knobs named are replaced (a new `faults` restarts its seeded sequence). */
  configure(options: Pick<EmulatorOptions, 'throttling' | 'faults' | 'consistencyDelayMs'>): void;
  /**
   * Pause the next matching request(s) until `release()` on the returned handle: before they are applied
   * (default), after (the response waits), or answered ThrottlingException meanwhile. `reached()` resolves
   * when a request was stopped, so a test can run another writer in the gap.
   */
  hold(options: HoldOptions): Hold;
  /** Seeding helpers, in-process (no HTTP, no throttling, no faults, not logged). */
  createInstance(options?: {
    alias?: string;
    identityManagementType?: 'CONNECT_MANAGED' | 'SAML' | 'EXISTING_DIRECTORY';
    /** The instance's security-profile quota (L-F325A715, raised in Service Quotas). @default 100 */
    securityProfileQuota?: number;
  }):
  { instanceId: string; instanceArn: string; defaultSecurityProfileIds: Record<string, string> };
  seedHierarchyGroup(instanceId: string, name: string, parentGroupId?: string, tags?: Record<string, string>): { id: string; arn: string };
  seedUser(instanceId: string, user: {
    username: string;
    securityProfileIds: string[];
    hierarchyGroupId?: string;
    tags?: Record<string, string>;
    firstName?: string;
    lastName?: string;
    routingProfileId?: string;
    afterContactWorkTimeLimitSeconds?: number;
  }): { id: string; arn: string };
  /** Read-only snapshots of state for assertions. */
  listSecurityProfilesIn(instanceId: string): Array<{ id: string; arn: string; name: string }>;
  stop(): Promise<void>;
}

/** The routing profile id seeded users get when none is given. */
export const DEFAULT_ROUTING_PROFILE_ID = '00000000-0000-4000-8000-000000000001';

const HANDLERS: Record<string, OperationHandler> = {
  ...instanceHandlers,
  ...securityProfileHandlers,
  ...tagHandlers,
  ...userHandlers,
  ...hierarchyHandlers,
  ...searchHandlers,
  ...entityProfileHandlers,
};

/** Start an emulator on 127.0.0.1 (port 0 picks a free port). */
export async function startConnectEmulator(options: EmulatorOptions = {}): Promise<ConnectEmulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const store = new Store(region, accountId);
  const server = new EmulatorServer(loadModel(), store, HANDLERS, buildKnobs(options));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  let knobOptions = { throttling: options.throttling, faults: options.faults, consistencyDelayMs: options.consistencyDelayMs };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    accountId,
    get requestLog() { return server.log; },
    clearRequestLog() { server.log.length = 0; },
    callCount(operation?: string) {
      return operation === undefined ? server.log.length : server.log.filter(e => e.operation === operation).length;
    },
    configure(next) {
      // only the knobs named are rebuilt: a bucket or a fault sequence in progress survives other changes
      const knobs = buildKnobs({ ...knobOptions, ...next });
      if ('throttling' in next) {
        server.knobs.throttler = knobs.throttler;
      }
      if ('faults' in next) {
        server.knobs.faults = knobs.faults;
      }
      if ('consistencyDelayMs' in next) {
        server.knobs.consistencyDelayMs = knobs.consistencyDelayMs;
      }
      knobOptions = { ...knobOptions, ...next };
    },
    hold(holdOptions) {
      return server.holds.add(holdOptions);
    },
    createInstance(o = {}) {
      const { securityProfileQuota, ...rest } = o;
      const { instance, defaultSecurityProfileIds } = createInstanceRecord(store, { ...rest, profileQuota: securityProfileQuota });
      return { instanceId: instance.id, instanceArn: instance.arn, defaultSecurityProfileIds };
    },
    seedHierarchyGroup(instanceId, name, parentGroupId, tags) {
      const group = createGroup(store, store.instance(instanceId), { name, parentId: parentGroupId, tags }, Date.now(), true);
      return { id: group.id, arn: group.arn };
    },
    seedUser(instanceId, u) {
      const user = createUser(store, store.instance(instanceId), {
        username: u.username,
        securityProfileIds: u.securityProfileIds,
        hierarchyGroupId: u.hierarchyGroupId,
        tags: u.tags,
        identityInfo: { FirstName: u.firstName ?? u.username, LastName: u.lastName ?? 'Seeded' },
        routingProfileId: u.routingProfileId ?? DEFAULT_ROUTING_PROFILE_ID,
        phoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: u.afterContactWorkTimeLimitSeconds ?? 0 },
      }, Date.now(), false);
      return { id: user.id, arn: user.arn };
    },
    listSecurityProfilesIn(instanceId) {
      return [...store.instance(instanceId).profiles.values()].map(p => ({ id: p.id, arn: p.arn, name: p.name }));
    },
    async stop() {
      server.holds.releaseAll();
      await new Promise<void>((resolve) => {
        server.server.close(() => resolve());
        server.server.closeAllConnections();
      });
    },
  };
}

/** A real ConnectClient pointed at the emulator (static fake credentials, the emulator's region). Extra config is merged. */
export function connectClientFor(emulator: ConnectEmulator, config: Partial<ConnectClientConfig> = {}): ConnectClient {
  return new ConnectClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    ...config,
  });
}
