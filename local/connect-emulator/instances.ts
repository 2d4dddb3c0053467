import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import * as path from 'path';
import { epochSeconds, HandlerContext, OperationHandler } from './context';
import { subsetModelPath } from './model';
import { paginate } from './pagination';
import { InstanceRecord, ProfileRecord, Store, Tags } from './state';

let adminPermissions: string[] | undefined;

/** Admin holds every documented, non-legacy permission of permissions.json (an assumption, see README). */
function allDocumentedPermissions(): string[] {
  if (!adminPermissions) {
    const file = path.join(path.dirname(subsetModelPath()), 'permissions.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { permissions: Array<{ apiName: string; legacy: boolean }> };
    adminPermissions = [...new Set(data.permissions.filter(p => !p.legacy && p.apiName).map(p => p.apiName))];
  }
  return adminPermissions;
}

/** The permissions the emulator gives the four default profiles of a new instance (assumed sets). */
export function defaultProfilePermissions(): Record<string, string[]> {
  return {
    Admin: allDocumentedPermissions(),
    Agent: ['BasicAgentAccess', 'OutboundCallAccess'],
    CallCenterManager: ['BasicAgentAccess', 'OutboundCallAccess', 'AccessMetrics', 'ContactSearch.View', 'Users.View',
      'AgentGrouping.View', 'AgentStates.View', 'Queues.View', 'RoutingPolicies.View', 'ManagerListenIn', 'ManagerBargeIn'],
    QualityAnalyst: ['AccessMetrics', 'ContactSearch.View', 'ContactAttributes.View', 'ManagerListenIn'],
  };
}

/** Create an instance with the default profiles Admin, Agent, CallCenterManager and QualityAnalyst. */
export function createInstanceRecord(store: Store, options: {
  alias?: string; identityManagementType?: InstanceRecord['identityManagementType']; inbound?: boolean; outbound?: boolean; tags?: Tags; profileQuota?: number;
}): { instance: InstanceRecord; defaultSecurityProfileIds: Record<string, string> } {
  const instance = store.addInstance({ ...options, identityManagementType: options.identityManagementType ?? 'CONNECT_MANAGED' });
  const ids: Record<string, string> = {};
  for (const [name, permissions] of Object.entries(defaultProfilePermissions())) {
    const profile = newProfile(store, instance, name, instance.createdTime - 60_000);
    profile.permissions = [...permissions];
    instance.profiles.set(profile.id, profile);
    ids[name] = profile.id;
  }
  return { instance, defaultSecurityProfileIds: ids };
}

/** A blank profile record with a fresh id and ARN, registered for tagging (not yet stored). */
export function newProfile(store: Store, instance: InstanceRecord, name: string, now: number): ProfileRecord {
  const id = randomUUID();
  const arn = store.arnFor(instance, 'security-profile', id);
  store.registerArn(arn, instance, 'profile', id);
  return {
    seq: store.nextSeq(),
    id,
    arn,
    name,
    createdAt: now,
    permissions: [],
    tags: {},
    allowedAccessControlTags: {},
    tagRestrictedResources: [],
    applications: [],
    hierarchyRestrictedResources: [],
    allowedFlowModules: [],
    allowedAIAgents: [],
    lastModifiedTime: now,
    lastModifiedRegion: store.region,
  };
}

const createInstance: OperationHandler = (input, ctx: HandlerContext) => {
  const { instance } = createInstanceRecord(ctx.store, {
    alias: input.InstanceAlias,
    identityManagementType: input.IdentityManagementType,
    inbound: input.InboundCallsEnabled,
    outbound: input.OutboundCallsEnabled,
    tags: input.Tags,
  });
  return { Id: instance.id, Arn: instance.arn };
};

/** The members DescribeInstance's `Instance` and ListInstances' `InstanceSummary` share. */
function instanceSummary(instance: InstanceRecord, accountId: string): Record<string, unknown> {
  return {
    Id: instance.id,
    Arn: instance.arn,
    IdentityManagementType: instance.identityManagementType,
    InstanceAlias: instance.alias,
    CreatedTime: epochSeconds(instance.createdTime),
    ServiceRole: `arn:aws:iam::${accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_${instance.id.slice(0, 8)}`,
    InstanceStatus: 'ACTIVE',
    InboundCallsEnabled: instance.inboundCallsEnabled,
    OutboundCallsEnabled: instance.outboundCallsEnabled,
    InstanceAccessUrl: `https://${instance.alias ?? instance.id}.my.connect.aws`,
  };
}

/** ListInstances pages hold at most 10 (the model's MaxResult10); without MaxResults a page is that size too. */
const LIST_INSTANCES_PAGE = 10;

const listInstances: OperationHandler = (input, ctx) => {
  const { page, nextToken } = paginate([...ctx.store.instances.values()], i => i.seq, {
    maxResults: input.MaxResults, nextToken: input.NextToken, scope: 'ListInstances', defaultPageSize: LIST_INSTANCES_PAGE,
  });
  return { InstanceSummaryList: page.map(i => instanceSummary(i, ctx.store.accountId)), NextToken: nextToken };
};

const describeInstance: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  return {
    Instance: {
      ...instanceSummary(instance, ctx.store.accountId),
      Tags: instance.tags,
    },
  };
};

/** Handlers of the instance operations. */
export const instanceHandlers: Record<string, OperationHandler> = {
  CreateInstance: createInstance,
  DescribeInstance: describeInstance,
  ListInstances: listInstances,
};
