/**
 * Declared profiles and out-of-band edits ("someone changed it in the Connect admin website") shared by
 * the drift tests.
 */
import {
  ConnectClient,
  TagResourceCommand,
  UpdateSecurityProfileCommand,
  UpdateSecurityProfileCommandInput,
} from '@aws-sdk/client-connect';
import type { StoredRecord } from '../../lambda/state-table';

/** A profile that declares every managed field. */
export function fullyDeclared(name: string, groupId: string): Record<string, unknown> {
  return {
    SecurityProfileName: name,
    Description: 'Supervisors of BPO A',
    Permissions: ['BasicAgentAccess', 'OutboundCallAccess', 'Users.View'],
    Tags: { team: 'bpo-a' },
    AllowedAccessControlTags: { Department: 'Sales' },
    TagRestrictedResources: ['User'],
    Applications: [{ Namespace: 'app.example.com', ApplicationPermissions: ['ACCESS'], Type: 'THIRD_PARTY_APPLICATION' }],
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: groupId,
    AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'flow-module-1' }],
    GranularAccessControlConfiguration: {
      DataTableAccessControlConfiguration: {
        PrimaryAttributeAccessControlConfiguration: {
          PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'Region', Values: ['EU'] }],
        },
      },
    },
    AllowedAIAgents: [{ Arn: 'arn:aws:wisdom:us-east-1:123456789012:ai-agent/assistant-1/agent-1', Type: 'THIRD_PARTY' }],
  };
}

/** Send an UpdateSecurityProfile as a console user would. */
export async function consoleUpdate(
  client: ConnectClient,
  record: StoredRecord,
  fields: Omit<UpdateSecurityProfileCommandInput, 'InstanceId' | 'SecurityProfileId'>,
): Promise<void> {
  await client.send(new UpdateSecurityProfileCommand({ InstanceId: record.instanceId, SecurityProfileId: record.securityProfileId, ...fields }));
}

/** One out-of-band edit and the Connect member it makes drift. */
export interface DriftCase {
  /** The member `plan()` reports. */
  readonly field: string;
  /** What the edit does, for the test name. */
  readonly edit: string;
  /** Apply the edit. `otherGroupId` is a second hierarchy group. */
  apply(client: ConnectClient, record: StoredRecord, otherGroupId: string): Promise<void>;
}

/** Drift in each managed field, the two hierarchy fields first. */
export const DRIFT_CASES: readonly DriftCase[] = [
  {
    field: 'AllowedAccessControlHierarchyGroupId',
    edit: 'moved to another hierarchy group',
    apply: (c, r, other) => consoleUpdate(c, r, { AllowedAccessControlHierarchyGroupId: other }),
  },
  {
    field: 'HierarchyRestrictedResources',
    edit: 'hierarchy restriction removed',
    apply: (c, r) => consoleUpdate(c, r, { HierarchyRestrictedResources: [] }),
  },
  {
    field: 'Permissions',
    edit: 'a permission added',
    apply: (c, r) => consoleUpdate(c, r, { Permissions: ['BasicAgentAccess', 'OutboundCallAccess', 'Users.View', 'Users.Edit'] }),
  },
  {
    field: 'Description',
    edit: 'description rewritten',
    apply: (c, r) => consoleUpdate(c, r, { Description: 'edited in the admin website' }),
  },
  {
    field: 'AllowedAccessControlTags',
    edit: 'access control tags cleared',
    apply: (c, r) => consoleUpdate(c, r, { AllowedAccessControlTags: {} }),
  },
  {
    field: 'TagRestrictedResources',
    edit: 'tag-restricted resources cleared',
    apply: (c, r) => consoleUpdate(c, r, { TagRestrictedResources: [] }),
  },
  {
    field: 'Applications',
    edit: 'applications cleared',
    apply: (c, r) => consoleUpdate(c, r, { Applications: [] }),
  },
  {
    field: 'AllowedFlowModules',
    edit: 'flow modules cleared',
    apply: (c, r) => consoleUpdate(c, r, { AllowedFlowModules: [] }),
  },
  {
    field: 'GranularAccessControlConfiguration',
    edit: 'granular access control widened',
    apply: (c, r) => consoleUpdate(c, r, {
      GranularAccessControlConfiguration: {
        DataTableAccessControlConfiguration: {
          PrimaryAttributeAccessControlConfiguration: {
            PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'Region', Values: ['EU', 'US'] }],
          },
        },
      },
    }),
  },
  {
    field: 'AllowedAIAgents',
    edit: 'AI agents cleared',
    apply: (c, r) => consoleUpdate(c, r, { AllowedAIAgents: [] }),
  },
  {
    field: 'Tags',
    edit: 'a tag added',
    apply: async (c, r) => { await c.send(new TagResourceCommand({ resourceArn: r.securityProfileArn, tags: { extra: 'console' } })); },
  },
];
