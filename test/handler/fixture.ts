/**
 * The emulator fixture of the lifecycle tests: one emulator per test file, an instance with two
 * hierarchy groups, a plain SDK client for out-of-band edits and independent read-back.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { cfnEvent, depsFor } from './helpers';
import { OnEventResponse, handleEvent } from '../../lambda/on-event';
import { ConnectEmulator, connectClientFor, startConnectEmulator } from '../../local/connect-emulator';
import { type LiveProfile, readLiveProfile } from '../../local/live-profile';
import { fullyDeclaredProfile } from '../support/profile-properties';

/** What a lifecycle test file works with (filled in by `beforeAll`). */
export interface LifecycleFixture {
  emulator: ConnectEmulator;
  /** A plain SDK client (no ConnectApi): out-of-band edits and read-back. */
  sdk: ConnectClient;
  instanceId: string;
  instanceArn: string;
  groupA: string;
  groupB: string;
  /** A profile name not used before in this file. */
  uniqueName(prefix?: string): string;
  /** Every field, as CloudFormation sends it. */
  fullProperties(name: string): Record<string, unknown>;
  /** The live profile read back with the plain SDK (local/live-profile.ts). */
  readLive(securityProfileId: string, inInstance?: string): Promise<LiveProfile>;
  /** Run a Create event. */
  create(props: Record<string, unknown>, deps?: ReturnType<typeof depsFor>): Promise<OnEventResponse>;
}

/** The security profile id in a response. */
export function idOf(res: OnEventResponse): string {
  return res.Data!.SecurityProfileId;
}

/** Register the hooks and return the fixture (its members are set once `beforeAll` ran). */
export function lifecycleFixture(): LifecycleFixture {
  let nameSeq = 0;
  const f = {
    uniqueName: (prefix = 'Profile') => `${prefix}-${++nameSeq}`,
    fullProperties: (name: string) => ({
      ContractVersion: '1',
      InstanceArn: f.instanceArn,
      ...fullyDeclaredProfile(name, f.groupA),
      RemovalPolicy: 'Delete',
      DriftMode: 'DISABLED',
    }),
    readLive: (securityProfileId: string, inInstance?: string) => readLiveProfile(f.sdk, inInstance ?? f.instanceId, securityProfileId),
    create: (props: Record<string, unknown>, deps?: ReturnType<typeof depsFor>) => handleEvent(cfnEvent('Create', props), deps ?? depsFor(f.emulator)),
  } as unknown as LifecycleFixture;

  beforeAll(async () => {
    f.emulator = await startConnectEmulator();
    f.sdk = connectClientFor(f.emulator, { maxAttempts: 1 });
    const instance = f.emulator.createInstance({ alias: 'handler-lifecycle' });
    f.instanceId = instance.instanceId;
    f.instanceArn = instance.instanceArn;
    f.groupA = f.emulator.seedHierarchyGroup(f.instanceId, 'Site A').id;
    f.groupB = f.emulator.seedHierarchyGroup(f.instanceId, 'Site B').id;
  });
  afterAll(async () => {
    f.sdk.destroy();
    await f.emulator.stop();
  });
  beforeEach(() => {
    f.emulator.configure({ throttling: 'off', faults: {}, consistencyDelayMs: 0 });
  });
  return f;
}
