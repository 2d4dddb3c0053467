/**
 * The fixture of the assignment tests: the Connect emulator over HTTP (real SDK), dynalite for the desired-state
 * table (real DynamoDB SDK), an instance with a small hierarchy, and helpers to read users back independently.
 */
import {
  ConnectClient, CreateSecurityProfileCommand, CreateSecurityProfileCommandInput, DescribeUserCommand, ListEntitySecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AssignmentDeps, AssignmentResponse, onAssignmentEvent } from '../../lambda/assignment-event';
import { AssignmentStore } from '../../lambda/assignment-store';
import { LeaseTable } from '../../lambda/lease';
import { createDesiredStateTable } from '../../lambda/state-table';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import { DynaliteServer, startDynalite } from '../../local/dynamodb';
import { ASSIGNMENT_RESOURCE_TYPE } from '../../src/private/assignment-contract';
import { fastApi } from '../handler/helpers';
import { TestLogger } from '../support/logger';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/HoldersTest/7a1b2c3d-0000-4000-8000-000000000000';

/** An AI agent ARN of the emulator's account and Region. */
export const agentArn = (n: number): string =>
  `arn:aws:wisdom:us-east-1:123456789012:ai-agent/11111111-2222-4333-8444-555555555555/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** What an assignment test works with. */
export interface AssignmentFixture {
  emulator: ConnectEmulator;
  dynalite: DynaliteServer;
  /** A plain SDK client: out-of-band edits and read-back. */
  sdk: ConnectClient;
  store: AssignmentStore;
  leases: LeaseTable;
  tableName: string;
  /** Start a fresh instance (each test gets its own). */
  instance(): Instance;
  deps(extra?: Partial<AssignmentDeps>): AssignmentDeps & { logger: TestLogger };
}

/** A fresh instance with two BPO groups under a company group, and the default Agent profile. */
export interface Instance {
  instanceId: string;
  instanceArn: string;
  agentProfile: string;
  company: string;
  bpoA: string;
  bpoB: string;
  /** Create a security profile with the plain SDK. */
  profile(name: string, extra?: Partial<CreateSecurityProfileCommandInput>): Promise<string>;
  /** Seed a user. */
  user(username: string, profiles: string[], group?: string): string;
}

let tables = 0;

/** Register the hooks and return the fixture. */
export function assignmentFixture(): AssignmentFixture {
  const f = {} as AssignmentFixture;
  beforeAll(async () => {
    f.emulator = await startConnectEmulator();
    f.dynalite = await startDynalite();
    f.sdk = connectClientFor(f.emulator, { maxAttempts: 1 });
    f.tableName = `holders-${++tables}-${process.pid}`;
    await createDesiredStateTable(f.dynalite.client, f.tableName);
    f.store = new AssignmentStore({ tableName: f.tableName, client: f.dynalite.client });
    f.leases = new LeaseTable({ tableName: f.tableName, client: f.dynalite.client });
    f.deps = (extra = {}) => ({
      connect: fastApi(f.emulator), logger: new TestLogger(), assignments: f.store, leases: f.leases, ...extra,
    }) as AssignmentDeps & { logger: TestLogger };
    f.instance = () => {
      const { instanceId, instanceArn, defaultSecurityProfileIds } = f.emulator.createInstance({ alias: 'holders' });
      const company = f.emulator.seedHierarchyGroup(instanceId, 'Company').id;
      return {
        instanceId,
        instanceArn,
        agentProfile: defaultSecurityProfileIds.Agent,
        company,
        bpoA: f.emulator.seedHierarchyGroup(instanceId, 'BPO-A', company).id,
        bpoB: f.emulator.seedHierarchyGroup(instanceId, 'BPO-B', company).id,
        profile: async (name, extra = {}) => (await f.sdk.send(new CreateSecurityProfileCommand({
          InstanceId: instanceId, SecurityProfileName: name, ...extra,
        }))).SecurityProfileId!,
        user: (username, profiles, group) => f.emulator.seedUser(instanceId, { username, securityProfileIds: profiles, hierarchyGroupId: group }).id,
      };
    };
  });
  afterAll(async () => {
    f.sdk?.destroy();
    await f.emulator?.stop();
    await f.dynalite?.stop();
  });
  return f;
}

/** A user's profiles, read back with the plain SDK, sorted. */
export async function profilesOf(sdk: ConnectClient, instanceId: string, userId: string): Promise<string[]> {
  const out = await sdk.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }));
  return [...(out.User?.SecurityProfileIds ?? [])].sort();
}

/** An AI agent's profiles, read back with the plain SDK, sorted. */
export async function agentProfilesOf(sdk: ConnectClient, instanceId: string, arn: string): Promise<string[]> {
  const out = await sdk.send(new ListEntitySecurityProfilesCommand({ InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: arn }));
  return (out.SecurityProfiles ?? []).map((p) => p.Id!).sort();
}

let requests = 0;

/** An assignment event as the Provider framework hands it over. */
export function assignmentEvent(
  requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown>,
  options: { physicalResourceId?: string; logicalId?: string; stackId?: string } = {},
): CloudFormationCustomResourceEvent {
  const serviceToken = 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent';
  const common = {
    ServiceToken: serviceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Signature=SECRET',
    StackId: options.stackId ?? STACK_ID,
    RequestId: `holders-${++requests}`,
    LogicalResourceId: options.logicalId ?? 'SupervisorHolders1A2B3C4D',
    ResourceType: ASSIGNMENT_RESOURCE_TYPE,
    ResourceProperties: { ServiceToken: serviceToken, ...properties },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  if (requestType === 'Update') {
    return { ...common, RequestType: 'Update', PhysicalResourceId: options.physicalResourceId ?? '', OldResourceProperties: { ServiceToken: serviceToken } } as CloudFormationCustomResourceEvent;
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: options.physicalResourceId ?? '' } as CloudFormationCustomResourceEvent;
}

/** Run one event through the handler. */
export function runAssignment(deps: AssignmentDeps, event: CloudFormationCustomResourceEvent): Promise<AssignmentResponse> {
  return onAssignmentEvent(event, deps);
}

/** The user-profile writes in the emulator's request log. */
export function userWrites(emulator: ConnectEmulator): Array<{ userId: string; ids: string[] }> {
  return emulator.requestLog
    .filter((e) => e.operation === 'UpdateUserSecurityProfiles' && e.status === 200)
    .map((e) => ({ userId: (e.input as { UserId: string }).UserId, ids: (e.input as { SecurityProfileIds: string[] }).SecurityProfileIds }));
}
