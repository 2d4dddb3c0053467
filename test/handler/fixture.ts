/**
 * The emulator fixture of the lifecycle tests: one emulator per test file, an instance with two
 * hierarchy groups, a plain SDK client for out-of-band edits and independent read-back.
 */
import {
  ConnectClient,
  DescribeSecurityProfileCommand,
  ListSecurityProfileAIAgentsCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfileFlowModulesCommand,
  ListSecurityProfilePermissionsCommand,
} from '@aws-sdk/client-connect';
import { cfnEvent, depsFor } from './helpers';
import { OnEventResponse, handleEvent } from '../../lambda/on-event';
import { ConnectEmulator, connectClientFor, startConnectEmulator } from '../../local/connect-emulator';
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
  /** The live profile read back with the plain SDK, sets sorted. */
  readLive(securityProfileId: string, inInstance?: string): Promise<LiveProfile>;
  /** Run a Create event. */
  create(props: Record<string, unknown>, deps?: ReturnType<typeof depsFor>): Promise<OnEventResponse>;
}

/** A profile as read back. */
export type LiveProfile = Awaited<ReturnType<typeof readLiveWith>>;

/** The security profile id in a response. */
export function idOf(res: OnEventResponse): string {
  return res.Data!.SecurityProfileId;
}

async function readLiveWith(sdk: ConnectClient, instanceId: string, securityProfileId: string) {
  const ids = { InstanceId: instanceId, SecurityProfileId: securityProfileId };
  const sp = (await sdk.send(new DescribeSecurityProfileCommand(ids))).SecurityProfile!;
  const permissions = (await sdk.send(new ListSecurityProfilePermissionsCommand(ids))).Permissions ?? [];
  const applications = (await sdk.send(new ListSecurityProfileApplicationsCommand(ids))).Applications ?? [];
  const flowModules = (await sdk.send(new ListSecurityProfileFlowModulesCommand(ids))).AllowedFlowModules ?? [];
  const aiAgents = (await sdk.send(new ListSecurityProfileAIAgentsCommand(ids))).AllowedAIAgents ?? [];
  return {
    name: sp.SecurityProfileName,
    description: sp.Description ?? '',
    tags: sp.Tags ?? {},
    allowedAccessControlTags: sp.AllowedAccessControlTags ?? {},
    tagRestrictedResources: [...(sp.TagRestrictedResources ?? [])].sort(),
    hierarchyRestrictedResources: [...(sp.HierarchyRestrictedResources ?? [])].sort(),
    allowedAccessControlHierarchyGroupId: sp.AllowedAccessControlHierarchyGroupId,
    granular: sp.GranularAccessControlConfiguration,
    permissions: [...permissions].sort(),
    applications: applications.map((a) => ({ ...a, ApplicationPermissions: [...(a.ApplicationPermissions ?? [])].sort() }))
      .sort((a, b) => (a.Namespace! < b.Namespace! ? -1 : 1)),
    flowModules,
    aiAgents,
  };
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
    readLive: (securityProfileId: string, inInstance?: string) => readLiveWith(f.sdk, inInstance ?? f.instanceId, securityProfileId),
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
